//! Database connection: SQLite (WAL, busy timeout, foreign keys) or PostgreSQL, with migrations.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_with_schema(url, None).await
}

/// Connects with an optional PostgreSQL schema (tests isolate themselves in one).
pub async fn connect_with_schema(
    url: &str,
    schema: Option<&str>,
) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5));
    if url.starts_with("sqlite:") {
        // One writer: SQLite serialises writes anyway, and one connection keeps
        // `sqlite::memory:` a single database.
        opts.max_connections(1).min_connections(1);
        opts.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
        });
    } else {
        opts.max_connections(16).min_connections(1);
        if let Some(schema) = schema {
            opts.set_schema_search_path(schema.to_string());
        }
    }
    Database::connect(opts).await
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}
