//! Demo points: a rewards catalogue, a history for the demo rider, and a handful of opted-in
//! riders checking in around Jing'an so the district's star riders are not empty.
//! Idempotent: each part is skipped once it exists.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use uuid::Uuid;

use super::ledger::{self, Reason};
use super::{codes, stars, visits};
use crate::auth::password::Password;
use crate::auth::phone::Phone;
use crate::auth::service::{create_user, NewUser};
use crate::auth::Role;
use crate::entity::{check_in, points_ledger, redemption, redemption_code, reward, station, user};
use crate::error::{ApiError, Code};
use crate::seed::demo::DEMO_PASSWORD;
use crate::seed::stations::OPERATOR_STATION;
use crate::state::AppState;

const DEMO_RIDER: &str = "13800000001";
const DEMO_OPERATOR: &str = "13800000002";

/// (name, English name, emoji, cost, at the operator's station?, stock)
type Offer = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    bool,
    Option<i32>,
);

#[rustfmt::skip]
const CATALOGUE: [Offer; 8] = [
    ("矿泉水", "Bottled water", "💧", 20, false, None),
    ("充电宝借用", "Power bank loan", "🔋", 30, false, None),
    ("头盔清洁", "Helmet cleaning", "⛑️", 40, false, None),
    ("热饭券", "Hot meal voucher", "🍱", 50, true, Some(30)),
    ("防晒袖套", "Sun sleeves", "🧤", 60, false, Some(200)),
    ("电动车简单维修", "Basic e-bike repair", "🔧", 80, false, None),
    ("理发券", "Haircut voucher", "💇", 100, true, Some(10)),
    ("雨衣", "Raincoat", "🧥", 120, false, Some(100)),
];

/// Opted-in demo riders (phones 1380000010x) and how often each checked in this month.
const STAR_RIDERS: [(&str, &str, usize); 7] = [
    ("13800000101", "骑手阿强", 9),
    ("13800000102", "骑手小美", 8),
    ("13800000103", "骑手老周", 7),
    ("13800000104", "骑手大刘", 6),
    ("13800000105", "骑手小陈", 5),
    ("13800000106", "骑手阿芳", 4),
    ("13800000107", "骑手小赵", 3),
];

pub async fn seed(state: &AppState) -> Result<(), ApiError> {
    let jingan: Vec<station::Model> = station::Entity::find()
        .filter(station::Column::RegionCode.starts_with("310106"))
        .filter(station::Column::ExternalId.starts_with("demo-"))
        .order_by_asc(station::Column::CreatedAt)
        .order_by_asc(station::Column::Id)
        .all(&state.db)
        .await?;
    let home = station::Entity::find()
        .filter(station::Column::ExternalId.eq(OPERATOR_STATION))
        .one(&state.db)
        .await?;
    if jingan.is_empty() {
        return Ok(());
    }
    catalogue(state, home.as_ref().map(|s| s.id)).await?;
    demo_rider(state, &jingan, home.as_ref().map(|s| s.id)).await?;
    star_riders(state, &jingan).await?;
    Ok(())
}

async fn catalogue(state: &AppState, home: Option<Uuid>) -> Result<(), ApiError> {
    if reward::Entity::find().count(&state.db).await? > 0 {
        return Ok(());
    }
    let now = Utc::now();
    for (name, name_en, emoji, cost, at_home, stock) in CATALOGUE {
        reward::ActiveModel {
            id: Set(Uuid::now_v7()),
            name: Set(name.into()),
            name_en: Set(Some(name_en.into())),
            emoji: Set(emoji.into()),
            cost: Set(cost),
            station_id: Set(if at_home { home } else { None }),
            stock: Set(stock),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&state.db)
        .await?;
    }
    tracing::info!(rewards = CATALOGUE.len(), "demo rewards created");
    Ok(())
}

async fn find_user(state: &AppState, phone: &str) -> Result<Option<user::Model>, ApiError> {
    let phone = Phone::parse(phone).map_err(|e| ApiError::internal("demo phone", e.message))?;
    Ok(user::Entity::find()
        .filter(user::Column::PhoneHash.eq(state.phones.lookup_hash(&phone)))
        .one(&state.db)
        .await?)
}

/// A visit in the past: the check-in row and its points, dated when it happened.
async fn past_visit<C: ConnectionTrait>(
    conn: &C,
    rider: Uuid,
    station: Uuid,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    check_in::ActiveModel {
        id: Set(Uuid::now_v7()),
        station_id: Set(station),
        rider_id: Set(rider),
        created_at: Set(at),
    }
    .insert(conn)
    .await?;
    if visits::award(conn, rider, station, at).await? > 0 {
        backdate(conn, rider, &visits::source(station, at), at).await?;
    }
    Ok(())
}

async fn backdate<C: ConnectionTrait>(
    conn: &C,
    rider: Uuid,
    source: &str,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    points_ledger::Entity::update_many()
        .col_expr(points_ledger::Column::CreatedAt, Expr::value(at))
        .filter(points_ledger::Column::RiderId.eq(rider))
        .filter(points_ledger::Column::Source.eq(source))
        .exec(conn)
        .await?;
    Ok(())
}

/// The demo rider: check-ins over the past two weeks and one bottle of water redeemed.
async fn demo_rider(
    state: &AppState,
    jingan: &[station::Model],
    home: Option<Uuid>,
) -> Result<(), ApiError> {
    let Some(rider) = find_user(state, DEMO_RIDER).await? else {
        return Ok(());
    };
    // Other features may have paid the rider already (lessons); visits are this part's own.
    let has_history = check_in::Entity::find()
        .filter(check_in::Column::RiderId.eq(rider.id))
        .count(&state.db)
        .await?
        > 0;
    if has_history {
        return Ok(());
    }
    let operator = find_user(state, DEMO_OPERATOR).await?;
    let now = Utc::now();
    // Everything below goes through `txn`: on SQLite it holds the only connection.
    let txn = state.db.begin().await?;
    for day in [1i64, 2, 3, 5, 6, 8, 9, 10, 12, 13] {
        for (k, st) in jingan.iter().take(1 + (day as usize % 3)).enumerate() {
            let at = now - Duration::days(day) - Duration::minutes(90 * k as i64);
            past_visit(&txn, rider.id, st.id, at).await?;
        }
    }
    let water = reward::Entity::find()
        .filter(reward::Column::Name.eq(CATALOGUE[0].0))
        .one(&txn)
        .await?;
    if let Some(water) = water {
        let at = now - Duration::days(4);
        let code_id = Uuid::now_v7();
        let digits = format!("{:06}", code_id.as_u128() % 1_000_000);
        redemption_code::ActiveModel {
            id: Set(code_id),
            rider_id: Set(rider.id),
            code_hash: Set(codes::hash(state, &digits)),
            expires_at: Set(at + Duration::minutes(codes::VALID_FOR_MIN)),
            used_at: Set(Some(at)),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
        let source = format!("redemption:{code_id}");
        ledger::spend(&txn, rider.id, water.cost, Reason::Redemption, &source).await?;
        backdate(&txn, rider.id, &source, at).await?;
        redemption::ActiveModel {
            id: Set(Uuid::now_v7()),
            code_id: Set(code_id),
            rider_id: Set(rider.id),
            reward_id: Set(water.id),
            station_id: Set(home.unwrap_or(jingan[0].id)),
            operator_id: Set(operator.map(|o| o.id)),
            cost: Set(water.cost),
            created_at: Set(at),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Riders who opted in to the star riders, each checking in around Jing'an this month.
async fn star_riders(state: &AppState, jingan: &[station::Model]) -> Result<(), ApiError> {
    let now = Utc::now();
    let (_, month_start, _) =
        stars::month_range(None, now).map_err(|e| ApiError::internal("demo month", e.message))?;
    // Hours back, so the visits do not count as people at the station right now.
    let last = (now - Duration::hours(3)).max(month_start);
    for (i, (phone, name, visits)) in STAR_RIDERS.iter().enumerate() {
        let new = NewUser {
            phone: Phone::parse(phone).map_err(|e| ApiError::internal("demo phone", e.message))?,
            password: Password::parse(DEMO_PASSWORD, None)
                .map_err(|e| ApiError::internal("demo password", e.message))?,
            display_name: (*name).to_string(),
            role: Role::Rider,
            station_id: None,
            region_code: None,
        };
        let rider = match create_user(state, new).await {
            Ok(u) => u,
            Err(e) if e.code == Code::PhoneTaken => continue,
            Err(e) => return Err(e),
        };
        let mut active: user::ActiveModel = rider.clone().into();
        active.star_opt_in = Set(true);
        active.update(&state.db).await?;
        let txn = state.db.begin().await?;
        for k in 0..*visits {
            // Spread over the month so far; a different station each time, so each one pays.
            let at = month_start + (last - month_start) * (k as i32 + 1) / (*visits as i32 + 1);
            let st = &jingan[(i + k) % jingan.len()];
            past_visit(&txn, rider.id, st.id, at).await?;
        }
        txn.commit().await?;
    }
    Ok(())
}
