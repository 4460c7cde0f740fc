//! Database connection: SQLite (WAL, busy timeout, foreign keys) or PostgreSQL, with migrations.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_with(url, None, None).await
}

/// Connects with an optional PostgreSQL schema (tests isolate themselves in one).
pub async fn connect_with_schema(
    url: &str,
    schema: Option<&str>,
) -> Result<DatabaseConnection, DbErr> {
    connect_with(url, schema, None).await
}

/// Connects; on PostgreSQL with an optional schema and a per-statement time limit.
pub async fn connect_with(
    url: &str,
    schema: Option<&str>,
    statement_timeout: Option<Duration>,
) -> Result<DatabaseConnection, DbErr> {
    connect_with_limits(url, schema, statement_timeout, DEFAULT_ACQUIRE_TIMEOUT).await
}

/// The server's `db_acquire_timeout_ms` default.
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// As [`connect_with`], with the time a caller waits for a pooled connection: when the database
/// is down every acquire fails after it (503), instead of each request hanging on reconnects.
pub async fn connect_with_limits(
    url: &str,
    schema: Option<&str>,
    statement_timeout: Option<Duration>,
    acquire_timeout: Duration,
) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(acquire_timeout);
    if url.starts_with("sqlite:") {
        // One writer: SQLite serialises writes anyway, and one connection keeps
        // `sqlite::memory:` a single database.
        opts.max_connections(1).min_connections(1);
        opts.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                // Deleted rows are overwritten, not just unlinked: an erased account must not
                // stay readable in free pages of the file (PIPL).
                .pragma("secure_delete", "ON")
        });
    } else {
        opts.max_connections(16).min_connections(1);
        if let Some(schema) = schema {
            opts.set_schema_search_path(schema.to_string());
        }
        if let Some(limit) = statement_timeout.filter(|d| !d.is_zero()) {
            let ms = limit.as_millis().to_string();
            opts.map_sqlx_postgres_opts(move |o| o.options([("statement_timeout", ms.as_str())]));
        }
    }
    Database::connect(opts).await
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// After erasing personal data: on SQLite, moves the WAL (which still holds the rows' earlier
/// page images) into the zero-filled main file and truncates it. PostgreSQL reuses dead tuples
/// through autovacuum; its files are not readable by the application's users.
pub async fn scrub_after_erase(db: &DatabaseConnection) -> Result<(), DbErr> {
    use sea_orm::ConnectionTrait;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
    }
    Ok(())
}
