//! The SLA worker: a request whose current deadline has passed moves one tier up
//! (station → street → district → city) with a fresh window, and the breach and the escalation
//! go on its timeline. At the city it stays; the breach is recorded once per deadline.
//!
//! Every instance runs the worker. Exactly-once comes from the database, not from a lock:
//! each breach is written by a conditional update (`WHERE id = ? AND version = ? AND due_at <=
//! now`) and only the instance whose update hit the row writes the timeline, in the same
//! transaction.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use tokio::sync::watch;

use super::domain::{
    HelpActorRole, HelpCategory, HelpEventKind, HelpStatus, HelpTier, HelpUrgency,
};
use super::service::{fresh_window, record, signal, NewEventRow};
use crate::entity::help_request;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Breaches handled per query; a tick keeps going while batches come back full.
const BATCH: u64 = 100;
/// Bounds one tick (BATCH × this many requests), so a failing row cannot spin it forever.
const MAX_BATCHES: usize = 50;

const OPEN: [HelpStatus; 4] = [
    HelpStatus::Submitted,
    HelpStatus::Reopened,
    HelpStatus::Accepted,
    HelpStatus::InProgress,
];

/// Handles every request breached at `now`; returns how many it escalated (moved a tier up).
/// Another instance running at the same moment escalates each request at most once between them.
pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let mut escalated = 0;
    for _ in 0..MAX_BATCHES {
        let batch = help_request::Entity::find()
            .filter(help_request::Column::Status.is_in(OPEN.map(|s| s.as_str())))
            .filter(help_request::Column::DueAt.lte(now))
            .filter(help_request::Column::BreachNoted.eq(false))
            .order_by_asc(help_request::Column::DueAt)
            .limit(BATCH)
            .all(&state.db)
            .await?;
        let full = batch.len() as u64 == BATCH;
        let mut progressed = false;
        for row in batch {
            match breach(state, &row, now).await {
                Ok(Outcome::Escalated) => {
                    escalated += 1;
                    progressed = true;
                }
                Ok(Outcome::Noted) => progressed = true,
                // Another instance (or a handler) got there first.
                Ok(Outcome::Lost) => {}
                Err(e) => tracing::warn!(request = %row.id, error = %e, "SLA escalation failed"),
            }
        }
        if !full || !progressed {
            break;
        }
    }
    Ok(escalated)
}

enum Outcome {
    Escalated,
    /// At the city: the breach recorded, nothing to escalate to.
    Noted,
    Lost,
}

async fn breach(
    state: &AppState,
    row: &help_request::Model,
    now: DateTime<Utc>,
) -> ApiResult<Outcome> {
    let parse_err = || ApiError::internal("sla", "stored help request value unknown");
    let status = HelpStatus::parse(&row.status).ok_or_else(parse_err)?;
    let tier = HelpTier::parse(&row.tier).ok_or_else(parse_err)?;
    let category = HelpCategory::parse(&row.category).ok_or_else(parse_err)?;
    let urgency = HelpUrgency::parse(&row.urgency).ok_or_else(parse_err)?;
    let windows = state.settings.help.windows(category, urgency);
    let up = tier.up();

    let mut change = help_request::ActiveModel {
        version: Set(row.version + 1),
        updated_at: Set(now),
        ..Default::default()
    };
    match up {
        Some(next) => {
            change.tier = Set(next.as_str().into());
            change.assignee_id = Set(None);
            change.due_at = Set(Some(fresh_window(&mut change, status, &windows, now)));
            change.breach_noted = Set(false);
        }
        None => change.breach_noted = Set(true),
    }

    let txn = state.db.begin().await?;
    let won = help_request::Entity::update_many()
        .set(change)
        .filter(help_request::Column::Id.eq(row.id))
        .filter(help_request::Column::Version.eq(row.version))
        .filter(help_request::Column::DueAt.lte(now))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if !won {
        txn.rollback().await?;
        return Ok(Outcome::Lost);
    }
    let step = if status.awaits_accept() {
        "accept"
    } else {
        "resolve"
    };
    let due = row
        .due_at
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default();
    let event = |kind, tier: HelpTier, note: String| NewEventRow {
        request_id: row.id,
        at: now,
        actor_id: None,
        actor_role: HelpActorRole::System,
        kind,
        from: None,
        to: None,
        tier,
        note: Some(note),
    };
    record(
        &txn,
        event(
            HelpEventKind::SlaBreached,
            tier,
            format!("{step} deadline {due} passed"),
        ),
    )
    .await?;
    if let Some(next) = up {
        record(
            &txn,
            event(
                HelpEventKind::Escalated,
                next,
                format!("escalated automatically from {tier} to {next}"),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    tracing::info!(request = %row.id, from = %tier, escalated = up.is_some(), "SLA breached");
    if let Some(fresh) = help_request::Entity::find_by_id(row.id)
        .one(&state.db)
        .await?
    {
        signal(state, &fresh, "escalated", now).await;
    }
    Ok(if up.is_some() {
        Outcome::Escalated
    } else {
        Outcome::Noted
    })
}

/// Runs `run_once` every `help.sla_interval_ms` on this instance until shutdown.
pub fn spawn(state: &AppState) {
    let (state, stop) = state.for_background();
    tokio::spawn(run_loop(state, stop));
}

fn stopping(state: &AppState, stop: &watch::Receiver<bool>) -> bool {
    // A closed channel means the app's own handles are gone.
    *stop.borrow() || stop.has_changed().is_err() || state.lifecycle.is_shutting_down()
}

async fn run_loop(state: AppState, mut stop: watch::Receiver<bool>) {
    let every = Duration::from_millis(state.settings.help.sla_interval_ms.max(100));
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        if stopping(&state, &stop) {
            return;
        }
        match run_once(&state, Utc::now()).await {
            Ok(n) => {
                failing = false;
                if n > 0 {
                    tracing::info!(escalated = n, "SLA worker escalated breached help requests");
                }
            }
            // Once per outage, not once per tick.
            Err(e) if !failing => {
                failing = true;
                tracing::warn!(error = %e, "SLA worker run failed");
            }
            Err(_) => {}
        }
    }
}
