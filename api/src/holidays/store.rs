//! Holiday years in the database: the shipped ones loaded on start (never over an import),
//! imports written whole, and this instance's calendar kept in step with the table.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, QueryOrder, QuerySelect, Set,
};

use super::calendar::builtin;
use super::domain::{Holiday, HolidayYear};
use crate::entity::holiday_year;
use crate::state::AppState;

fn to_row(y: &HolidayYear, now: DateTime<Utc>) -> Result<holiday_year::ActiveModel, DbErr> {
    let days = serde_json::to_string(&y.days).map_err(|e| DbErr::Custom(e.to_string()))?;
    Ok(holiday_year::ActiveModel {
        year: Set(y.year),
        source: Set(y.source.clone()),
        source_url: Set(y.source_url.clone()),
        days: Set(days),
        updated_at: Set(now),
    })
}

fn from_row(r: holiday_year::Model) -> Option<HolidayYear> {
    let days: Vec<Holiday> = serde_json::from_str(&r.days).ok()?;
    Some(HolidayYear {
        year: r.year,
        source: r.source,
        source_url: r.source_url,
        days,
    })
}

/// Inserts the shipped years the table does not have yet.
pub async fn load_builtin<C: ConnectionTrait>(db: &C) -> Result<usize, DbErr> {
    let mut added = 0;
    for y in builtin() {
        if holiday_year::Entity::find_by_id(y.year)
            .one(db)
            .await?
            .is_none()
        {
            holiday_year::Entity::insert(to_row(&y, Utc::now())?)
                .exec(db)
                .await?;
            added += 1;
        }
    }
    Ok(added)
}

/// Writes one (validated) year, replacing what was there.
pub async fn save<C: ConnectionTrait>(db: &C, y: &HolidayYear) -> Result<(), DbErr> {
    let row = to_row(y, Utc::now())?;
    if holiday_year::Entity::find_by_id(y.year)
        .one(db)
        .await?
        .is_some()
    {
        row.update(db).await?;
    } else {
        holiday_year::Entity::insert(row).exec(db).await?;
    }
    Ok(())
}

pub async fn all<C: ConnectionTrait>(db: &C) -> Result<Vec<HolidayYear>, DbErr> {
    let rows = holiday_year::Entity::find()
        .order_by_asc(holiday_year::Column::Year)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}

async fn last_change<C: ConnectionTrait>(db: &C) -> Result<Option<DateTime<Utc>>, DbErr> {
    let max: Option<Option<DateTime<Utc>>> = holiday_year::Entity::find()
        .select_only()
        .column_as(
            Expr::col(holiday_year::Column::UpdatedAt).max(),
            "max_updated",
        )
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten())
}

/// Reads the table into this instance's calendar; true when it changed. The station index
/// must then be rebuilt, since its cards hold the hours evaluated against the old calendar.
pub async fn refresh_calendar(state: &AppState) -> Result<bool, DbErr> {
    let stamp = last_change(&state.db).await?;
    if stamp.is_some() && stamp == state.holidays.stamp() {
        return Ok(false);
    }
    let years = all(&state.db).await?;
    state.holidays.replace(&years, stamp);
    Ok(true)
}

/// Picks up another instance's import (called from the station poller).
pub async fn follow(state: &AppState) -> Result<(), DbErr> {
    if refresh_calendar(state).await? {
        tracing::info!("public holidays changed; rebuilding the station index");
        crate::stations::feed::rebuild(state).await?;
    }
    Ok(())
}
