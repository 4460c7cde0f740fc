//! `GET /me/points`: the balance and the ledger, newest first, each entry with a short hint at
//! where it came from (never personal data).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::dto::{PointsEntry, PointsPage, PointsParams};
use super::{ledger, rewards};
use crate::auth::{AuthUser, Role};
use crate::entity::{points_ledger, redemption, reward};
use crate::error::{ApiResult, Violations};
use crate::http::paging::page_params;
use crate::state::AppState;

/// What a source string points at, parsed from the formats the features write.
enum Source {
    Lesson(String),
    Station(Uuid),
    Redemption(Uuid),
    Other,
}

fn parse_source(stored: &str) -> Source {
    let mut parts = stored.split(':');
    match (parts.next(), parts.next()) {
        (Some("lesson"), Some(slug)) if !slug.is_empty() => Source::Lesson(slug.to_string()),
        (Some("checkin"), Some(id)) => Uuid::parse_str(id).map_or(Source::Other, Source::Station),
        (Some("redemption"), Some(id)) => {
            Uuid::parse_str(id).map_or(Source::Other, Source::Redemption)
        }
        _ => Source::Other,
    }
}

pub async fn page(state: &AppState, user: &AuthUser, p: &PointsParams) -> ApiResult<PointsPage> {
    user.require(&[Role::Rider])?;
    let mut v = Violations::default();
    let (page, per_page) = page_params(&mut v, p.page.as_deref(), p.per_page.as_deref());
    v.finish()?;
    let paginator = points_ledger::Entity::find()
        .filter(points_ledger::Column::RiderId.eq(user.id))
        .order_by_desc(points_ledger::Column::CreatedAt)
        .order_by_desc(points_ledger::Column::Id)
        .paginate(&state.db, per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    let labels = labels(state, user.id, &rows).await?;
    let items = rows
        .into_iter()
        .map(|r| PointsEntry {
            source_label: labels.get(&r.id).cloned(),
            id: r.id,
            delta: r.delta,
            reason: r.reason,
            created_at: r.created_at,
        })
        .collect();
    Ok(PointsPage {
        balance: ledger::balance(&state.db, user.id).await?,
        items,
        page,
        per_page,
        total,
    })
}

/// Labels for a page of entries, in two small queries (stations; redeemed rewards).
async fn labels(
    state: &AppState,
    rider: Uuid,
    rows: &[points_ledger::Model],
) -> ApiResult<HashMap<Uuid, String>> {
    let parsed: Vec<(Uuid, Source)> = rows
        .iter()
        .map(|r| (r.id, parse_source(&r.source)))
        .collect();
    let station_ids = parsed.iter().filter_map(|(_, s)| match s {
        Source::Station(id) => Some(*id),
        _ => None,
    });
    let stations = rewards::station_names(&state.db, station_ids).await?;
    let code_ids: Vec<Uuid> = parsed
        .iter()
        .filter_map(|(_, s)| match s {
            Source::Redemption(id) => Some(*id),
            _ => None,
        })
        .collect();
    let mut redeemed: HashMap<Uuid, String> = HashMap::new();
    if !code_ids.is_empty() {
        // The rider filter keeps this to their own redemptions.
        let done = redemption::Entity::find()
            .filter(redemption::Column::CodeId.is_in(code_ids))
            .filter(redemption::Column::RiderId.eq(rider))
            .all(&state.db)
            .await?;
        let mut reward_ids: Vec<Uuid> = done.iter().map(|r| r.reward_id).collect();
        reward_ids.sort();
        reward_ids.dedup();
        let names: HashMap<Uuid, String> = reward::Entity::find()
            .filter(reward::Column::Id.is_in(reward_ids))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|r| (r.id, format!("{} {}", r.emoji, r.name)))
            .collect();
        redeemed = done
            .into_iter()
            .filter_map(|r| names.get(&r.reward_id).map(|n| (r.code_id, n.clone())))
            .collect();
    }
    Ok(parsed
        .into_iter()
        .filter_map(|(id, s)| {
            let label = match s {
                Source::Lesson(slug) => Some(slug),
                Source::Station(sid) => stations.get(&sid).cloned(),
                Source::Redemption(code) => redeemed.get(&code).cloned(),
                Source::Other => None,
            };
            label.map(|l| (id, l))
        })
        .collect())
}
