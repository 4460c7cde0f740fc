//! A lease per background job in `job_leases`: of several instances, the one that moves
//! `until` forward runs the job; a crashed holder's lease simply runs out.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use crate::entity::job_lease;

/// Takes the lease for `ttl` if it is free (or ours); true when this caller may run the job.
pub async fn acquire<C: ConnectionTrait>(
    db: &C,
    name: &str,
    holder: &str,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let row = job_lease::ActiveModel {
        name: Set(name.to_string()),
        holder: Set(None),
        until: Set(DateTime::<Utc>::UNIX_EPOCH),
        last_run_at: Set(None),
    };
    job_lease::Entity::insert(row)
        .on_conflict_do_nothing()
        .exec(db)
        .await?;
    let taken = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::Holder, Expr::value(holder))
        .col_expr(job_lease::Column::Until, Expr::value(now + ttl))
        .filter(job_lease::Column::Name.eq(name))
        .filter(
            sea_orm::Condition::any()
                .add(job_lease::Column::Until.lt(now))
                .add(job_lease::Column::Holder.eq(holder)),
        )
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// Records a finished run (read as the data's "as of").
pub async fn finished<C: ConnectionTrait>(
    db: &C,
    name: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    job_lease::Entity::update_many()
        .col_expr(job_lease::Column::LastRunAt, Expr::value(at))
        .filter(job_lease::Column::Name.eq(name))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn last_run<C: ConnectionTrait>(
    db: &C,
    name: &str,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(job_lease::Entity::find_by_id(name.to_string())
        .one(db)
        .await?
        .and_then(|l| l.last_run_at))
}
