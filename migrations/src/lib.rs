//! Schema migrations, portable across SQLite and PostgreSQL. Append-only once landed:
//! change the schema with a new file, never by editing an old one.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_regions;
mod m20261122_000002_create_users;
mod m20261122_000003_create_refresh_tokens;
mod m20261122_000004_create_stations;
mod m20261122_000005_create_help_requests;
mod m20261122_000006_create_points_ledger;
mod m20261122_000007_create_lessons;
mod m20261122_000008_create_rewards;
mod m20261204_000009_create_service_logs;
mod m20261204_000010_open311_filings;
mod m20261204_000011_create_holiday_years;
mod m20261204_000020_create_daily_rollups;
mod m20261205_000021_create_login_codes;
mod m20261205_000041_help_event_details;
mod m20261206_000050_create_audit_log;
mod m20261206_000051_help_retention;
mod m20261206_000060_user_disabled;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_regions::Migration),
            Box::new(m20261122_000002_create_users::Migration),
            Box::new(m20261122_000003_create_refresh_tokens::Migration),
            Box::new(m20261122_000004_create_stations::Migration),
            Box::new(m20261122_000005_create_help_requests::Migration),
            Box::new(m20261122_000006_create_points_ledger::Migration),
            Box::new(m20261122_000007_create_lessons::Migration),
            Box::new(m20261122_000008_create_rewards::Migration),
            Box::new(m20261204_000009_create_service_logs::Migration),
            Box::new(m20261204_000010_open311_filings::Migration),
            Box::new(m20261204_000011_create_holiday_years::Migration),
            Box::new(m20261204_000020_create_daily_rollups::Migration),
            Box::new(m20261205_000021_create_login_codes::Migration),
            Box::new(m20261205_000041_help_event_details::Migration),
            Box::new(m20261206_000050_create_audit_log::Migration),
            Box::new(m20261206_000051_help_retention::Migration),
            Box::new(m20261206_000060_user_disabled::Migration),
        ]
    }
}
