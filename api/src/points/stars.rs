//! Star riders (典型选树): each month's top riders of a district by points earned. Opt-in only,
//! and never more than a display name and a masked phone.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationDef,
    Set,
};
use uuid::Uuid;

use super::dto::{StarRider, StarRiderList, StarRiderParams, StarRiderSetting};
use crate::auth::phone::mask;
use crate::auth::{AuthUser, Role};
use crate::entity::{check_in, points_ledger, region, station, user};
use crate::error::{ApiError, ApiResult, FieldError, Violations};
use crate::state::AppState;

const TOP: usize = 10;

pub async fn setting(state: &AppState, user: &AuthUser) -> ApiResult<StarRiderSetting> {
    user.require(&[Role::Rider])?;
    let row = user::Entity::find_by_id(user.id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(StarRiderSetting {
        opt_in: row.star_opt_in,
    })
}

pub async fn set(state: &AppState, user: &AuthUser, opt_in: bool) -> ApiResult<StarRiderSetting> {
    user.require(&[Role::Rider])?;
    let row = user::Entity::find_by_id(user.id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let mut active: user::ActiveModel = row.into();
    active.star_opt_in = Set(opt_in);
    active.updated_at = Set(Utc::now());
    let saved = active.update(&state.db).await?;
    tracing::info!(user_id = %user.id, opt_in, "star rider setting changed");
    Ok(StarRiderSetting {
        opt_in: saved.star_opt_in,
    })
}

/// `YYYY-MM` (default: this month in Asia/Shanghai) → the label and its UTC bounds [from, to).
pub fn month_range(
    raw: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>, DateTime<Utc>), FieldError> {
    let bad = || FieldError::new("month", "invalid_month", "month must look like 2026-11");
    let first = match raw.map(str::trim).filter(|m| !m.is_empty()) {
        None => {
            let local = now.with_timezone(&Shanghai).date_naive();
            NaiveDate::from_ymd_opt(local.year(), local.month(), 1).ok_or_else(bad)?
        }
        Some(m) => {
            let (y, mo) = m.split_once('-').ok_or_else(bad)?;
            if y.len() != 4 || mo.len() != 2 {
                return Err(bad());
            }
            let y: i32 = y.parse().map_err(|_| bad())?;
            let mo: u32 = mo.parse().map_err(|_| bad())?;
            if !(2000..=2100).contains(&y) {
                return Err(bad());
            }
            NaiveDate::from_ymd_opt(y, mo, 1).ok_or_else(bad)?
        }
    };
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(bad)?;
    let utc = |d: NaiveDate| {
        Shanghai
            .from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
            .single()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(bad)
    };
    Ok((first.format("%Y-%m").to_string(), utc(first)?, utc(next)?))
}

fn to_station() -> RelationDef {
    check_in::Entity::belongs_to(station::Entity)
        .from(check_in::Column::StationId)
        .to(station::Column::Id)
        .into()
}

fn check_in_rider() -> RelationDef {
    check_in::Entity::belongs_to(user::Entity)
        .from(check_in::Column::RiderId)
        .to(user::Column::Id)
        .into()
}

fn ledger_rider() -> RelationDef {
    points_ledger::Entity::belongs_to(user::Entity)
        .from(points_ledger::Column::RiderId)
        .to(user::Column::Id)
        .into()
}

/// Opted-in riders whose district this month is `district`: the district of the stations they
/// checked in at most (a tie goes to the lower code, so the answer is stable).
async fn riders_of(
    state: &AppState,
    district: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> ApiResult<Vec<Uuid>> {
    let visits: Vec<(Uuid, String, i64)> = check_in::Entity::find()
        .select_only()
        .column(check_in::Column::RiderId)
        .column_as(station::Column::RegionCode, "region_code")
        .column_as(
            Expr::col((check_in::Entity, check_in::Column::Id))
                .count()
                .cast_as(Alias::new("BIGINT")),
            "n",
        )
        .join(JoinType::InnerJoin, to_station())
        .join(JoinType::InnerJoin, check_in_rider())
        .filter(user::Column::StarOptIn.eq(true))
        .filter(user::Column::Role.eq(Role::Rider.as_str()))
        .filter(check_in::Column::CreatedAt.gte(from))
        .filter(check_in::Column::CreatedAt.lt(to))
        .group_by(check_in::Column::RiderId)
        .group_by(station::Column::RegionCode)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut per_rider: HashMap<Uuid, HashMap<String, i64>> = HashMap::new();
    for (rider, region_code, n) in visits {
        // Station regions are districts or the streets below them; GB/T 2260 codes nest.
        let d: String = region_code.chars().take(6).collect();
        *per_rider.entry(rider).or_default().entry(d).or_default() += n;
    }
    Ok(per_rider
        .into_iter()
        .filter_map(|(rider, counts)| {
            let top = counts
                .into_iter()
                .max_by(|(da, na), (db, nb)| na.cmp(nb).then(db.cmp(da)))?;
            (top.0 == district).then_some(rider)
        })
        .collect())
}

pub async fn list(state: &AppState, p: &StarRiderParams) -> ApiResult<StarRiderList> {
    let mut v = Violations::default();
    let district = match p
        .district
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => {
            v.push(FieldError::new(
                "district",
                "required",
                "district is required, e.g. 310106",
            ));
            None
        }
        Some(code) => {
            let found = if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
                region::Entity::find_by_id(code.to_string())
                    .one(&state.db)
                    .await?
                    .filter(|r| r.level == "district")
            } else {
                None
            };
            if found.is_none() {
                v.push(FieldError::new(
                    "district",
                    "unknown_district",
                    "district must be a district code, e.g. 310106",
                ));
            }
            found
        }
    };
    let month = v.check(month_range(p.month.as_deref(), Utc::now()));
    v.finish()?;
    let (Some(district), Some((month, from, to))) = (district, month) else {
        return Err(ApiError::internal(
            "star riders",
            "validated fields missing",
        ));
    };

    let riders = riders_of(state, &district.code, from, to).await?;
    let mut ranked: Vec<(Uuid, i64)> = Vec::new();
    if !riders.is_empty() {
        let earned: Vec<(Uuid, i64)> = points_ledger::Entity::find()
            .select_only()
            .column(points_ledger::Column::RiderId)
            .column_as(
                Expr::col((points_ledger::Entity, points_ledger::Column::Delta))
                    .sum()
                    .cast_as(Alias::new("BIGINT")),
                "points",
            )
            .join(JoinType::InnerJoin, ledger_rider())
            .filter(user::Column::StarOptIn.eq(true))
            .filter(points_ledger::Column::Delta.gt(0))
            .filter(points_ledger::Column::CreatedAt.gte(from))
            .filter(points_ledger::Column::CreatedAt.lt(to))
            .group_by(points_ledger::Column::RiderId)
            .into_tuple()
            .all(&state.db)
            .await?;
        let wanted: std::collections::HashSet<Uuid> = riders.into_iter().collect();
        ranked = earned
            .into_iter()
            .filter(|(id, points)| *points > 0 && wanted.contains(id))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(TOP);
    }
    let users: HashMap<Uuid, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(ranked.iter().map(|(id, _)| *id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let items = ranked
        .into_iter()
        .filter_map(|(id, points)| {
            let u = users.get(&id)?;
            let phone = state.phones.decrypt(&u.phone_enc).unwrap_or_default();
            Some((u.display_name.clone(), mask(&phone), points))
        })
        .enumerate()
        .map(|(i, (display_name, phone_masked, points))| StarRider {
            rank: i as u32 + 1,
            display_name,
            phone_masked,
            points,
        })
        .collect();
    Ok(StarRiderList {
        month,
        district_code: district.code,
        district_name: district.name_zh,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_shanghai_calendar_months() {
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 17, 0, 0).unwrap(); // 1 Dec 01:00 local
        let (label, from, to) = month_range(None, now).unwrap();
        assert_eq!(label, "2026-12");
        assert_eq!(from, Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).unwrap());
        assert_eq!(to, Utc.with_ymd_and_hms(2026, 12, 31, 16, 0, 0).unwrap());
        let (label, ..) = month_range(Some("2026-02"), now).unwrap();
        assert_eq!(label, "2026-02");
        for bad in [
            "2026-13", "2026-1", "26-11", "2026/11", "abcd-ef", "1999-12", "2026-00",
        ] {
            assert!(month_range(Some(bad), now).is_err(), "{bad}");
        }
    }
}
