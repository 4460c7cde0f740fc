//! Retention (PIPL): a help request that ended (closed, cancelled, rejected) and has not
//! changed for `help.retention_days` loses everything that could name or describe the rider —
//! the rider link, the description, the feedback comment, a caller's contact and address, the
//! timeline's notes and the rider's id on it, the stored answer to its filing — and its
//! location is coarsened to ~1 km.
//! Category, urgency, tier, status, station, region, rating and every time stay, so the
//! dashboard's numbers do not move.
//!
//! Every instance runs the job; as with the SLA worker the database makes it safe: each update
//! re-checks its conditions (`anonymised_at IS NULL`, terminal, old enough), so a second
//! instance, or a second run, finds nothing left to do.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use tokio::sync::watch;
use uuid::Uuid;

use super::domain::HelpStatus;
use super::service::IDEMPOTENCY_SCOPE;
use crate::entity::{help_event, help_request, idempotency_key};
use crate::state::AppState;

/// Requests anonymised per transaction.
const BATCH: u64 = 200;
/// Bounds one run (BATCH × this many); the next run carries on.
const MAX_BATCHES: usize = 50;

/// The statuses nothing leads out of.
pub const TERMINAL: [HelpStatus; 3] = [
    HelpStatus::Closed,
    HelpStatus::Cancelled,
    HelpStatus::Rejected,
];

fn terminal_codes() -> Vec<&'static str> {
    TERMINAL.iter().map(|s| s.as_str()).collect()
}

fn due(cutoff: DateTime<Utc>) -> sea_orm::Condition {
    use help_request::Column as C;
    sea_orm::Condition::all()
        .add(C::AnonymisedAt.is_null())
        .add(C::Status.is_in(terminal_codes()))
        .add(C::UpdatedAt.lt(cutoff))
}

/// Anonymises every request that ended before `now - retention`; returns how many.
pub async fn anonymise_closed(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    retention: Duration,
) -> Result<u64, DbErr> {
    let cutoff = now - retention;
    let mut done = 0;
    for _ in 0..MAX_BATCHES {
        let ids: Vec<Uuid> = help_request::Entity::find()
            .select_only()
            .column(help_request::Column::Id)
            .filter(due(cutoff))
            .order_by_asc(help_request::Column::UpdatedAt)
            .limit(BATCH)
            .into_tuple()
            .all(db)
            .await?;
        if ids.is_empty() {
            break;
        }
        let full = ids.len() as u64 == BATCH;
        let txn = db.begin().await?;
        let n = anonymise(&txn, &ids, cutoff, now).await?;
        txn.commit().await?;
        done += n;
        if !full || n == 0 {
            break;
        }
    }
    // A filing's first answer, kept for retries, holds its words too; a year on nobody
    // retries.
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::Scope.eq(IDEMPOTENCY_SCOPE))
        .filter(idempotency_key::Column::CreatedAt.lt(cutoff))
        .exec(db)
        .await?;
    Ok(done)
}

async fn anonymise<C: ConnectionTrait>(
    conn: &C,
    ids: &[Uuid],
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    use help_request::Column as R;
    // Stored to 3 decimals (~100 m); 2 (~1 km) says the district, not the street corner.
    // (PostgreSQL rounds numerics only; the result is cast back on assignment.)
    let coarse = |c: &str| Expr::cust(format!("ROUND(CAST({c} AS NUMERIC), 2)"));
    let hit = help_request::Entity::update_many()
        .col_expr(R::RiderId, Expr::value(Option::<Uuid>::None))
        .col_expr(R::Description, Expr::value(""))
        .col_expr(R::FeedbackComment, Expr::value(Option::<String>::None))
        .col_expr(R::AddressText, Expr::value(Option::<String>::None))
        .col_expr(R::CallerName, Expr::value(Option::<String>::None))
        .col_expr(R::CallerPhoneEnc, Expr::value(Option::<String>::None))
        .col_expr(R::CallerEmailEnc, Expr::value(Option::<String>::None))
        .col_expr(R::Lat, coarse("lat"))
        .col_expr(R::Lng, coarse("lng"))
        .col_expr(R::AnonymisedAt, Expr::value(now))
        .filter(R::Id.is_in(ids.iter().copied()))
        .filter(due(cutoff))
        .exec(conn)
        .await?
        .rows_affected;
    // The timeline of exactly those (now anonymised) requests: notes are people's words; a
    // rider's own entries (cancel, feedback) carried their id.
    let anonymised = Query::select()
        .column(R::Id)
        .from(help_request::Entity)
        .and_where(R::Id.is_in(ids.iter().copied()))
        .and_where(R::AnonymisedAt.is_not_null())
        .to_owned();
    use help_event::Column as E;
    help_event::Entity::update_many()
        .col_expr(E::Note, Expr::value(Option::<String>::None))
        .filter(E::RequestId.in_subquery(anonymised.clone()))
        .filter(E::Note.is_not_null())
        .exec(conn)
        .await?;
    help_event::Entity::update_many()
        .col_expr(E::ActorId, Expr::value(Option::<Uuid>::None))
        .filter(E::RequestId.in_subquery(anonymised))
        .filter(E::ActorRole.eq("rider"))
        .exec(conn)
        .await?;
    Ok(hit)
}

/// Runs `anonymise_closed` every `help.retention_interval_ms` until shutdown, the first time
/// one interval after start.
pub fn spawn(state: &AppState) {
    let (state, stop) = state.for_background();
    tokio::spawn(run_loop(state, stop));
}

async fn run_loop(state: AppState, mut stop: watch::Receiver<bool>) {
    let help = &state.settings.help;
    let every = StdDuration::from_millis(help.retention_interval_ms.max(1_000));
    let retention = Duration::days(help.retention_days as i64);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        if state.background_should_stop(&stop) {
            return;
        }
        match anonymise_closed(&state.db, Utc::now(), retention).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(anonymised = n, "help retention anonymised requests"),
            Err(e) => tracing::warn!(error = %e, "help retention run failed"),
        }
    }
}
