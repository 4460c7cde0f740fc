//! The SLA worker: a request whose current deadline has passed moves one tier up
//! (station → street → district → city) with a fresh window, and the breach and the escalation
//! go on its timeline. At the city it stays; the breach is recorded once per deadline.
//!
//! Every instance runs the worker. Exactly-once comes from the database, not from a lock:
//! each breach is written by a version-checked update (`WHERE id = ? AND version = ?`; every
//! write bumps the version, so the row is still as read: breached) and only the instance whose
//! update hit the row writes the timeline, in the same transaction.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use tokio::sync::watch;

use super::domain::{HelpActorRole, HelpEventKind, HelpStatus, HelpStep, HelpTier};
use super::service::{escalate_to, record, signal, snapshot, try_save, windows, NewEventRow};
use crate::entity::help_request;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Breaches handled per query; a tick keeps going while batches come back full.
const BATCH: u64 = 100;
/// Bounds one tick (BATCH × this many requests), so a failing row cannot spin it forever.
const MAX_BATCHES: usize = 50;

/// Handles every request breached at `now`; returns how many it escalated (moved a tier up).
/// Another instance running at the same moment escalates each request at most once between them.
pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> Result<usize, ApiError> {
    let mut escalated = 0;
    for _ in 0..MAX_BATCHES {
        let batch = help_request::Entity::find()
            .filter(help_request::Column::Status.is_in(HelpStatus::open_codes()))
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
    let snap = snapshot(row)?;
    let (status, tier) = (snap.status, snap.tier);
    let w = windows(state, row)?;
    let up = tier.up();

    let mut change = help_request::ActiveModel::default();
    match up {
        Some(next) => escalate_to(&mut change, next, status, &w, now),
        None => change.breach_noted = Set(true),
    }

    let txn = state.db.begin().await?;
    if !try_save(&txn, row, change, now).await? {
        txn.rollback().await?;
        return Ok(Outcome::Lost);
    }
    // No words: the entries say what happened as data, for each app to say in its language
    // (the demo seeder writes the same, help/demo.rs).
    let step = if status.awaits_accept() {
        HelpStep::Accept
    } else {
        HelpStep::Resolve
    };
    let event = |kind, tier: HelpTier| NewEventRow {
        request_id: row.id,
        at: now,
        actor_id: None,
        actor_role: HelpActorRole::System,
        kind,
        from: None,
        to: None,
        tier,
        note: None,
        step: None,
        due_at: None,
        from_tier: None,
    };
    let breached = NewEventRow {
        step: Some(step),
        due_at: row.due_at,
        ..event(HelpEventKind::SlaBreached, tier)
    };
    record(&txn, breached).await?;
    if let Some(next) = up {
        let escalated = NewEventRow {
            from_tier: Some(tier),
            ..event(HelpEventKind::Escalated, next)
        };
        record(&txn, escalated).await?;
    }
    txn.commit().await?;
    tracing::info!(request = %row.id, from = %tier, escalated = up.is_some(), "SLA breached");
    let fresh = help_request::Model {
        tier: up.unwrap_or(tier).as_str().into(),
        ..row.clone()
    };
    signal(state, &fresh, "escalated", now).await;
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
        if state.background_should_stop(&stop) {
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
