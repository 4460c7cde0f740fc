//! sea-orm entities: plain table shapes, one file per table. Behaviour lives in the features.

pub mod audit_log;
pub mod check_in;
pub mod daily_service_stat;
pub mod daily_station_stat;
pub mod daily_station_visitor;
pub mod help_event;
pub mod help_request;
pub mod holiday_year;
pub mod idempotency_key;
pub mod job_lease;
pub mod lesson;
pub mod lesson_attempt;
pub mod lesson_progress;
pub mod login_code;
pub mod occupancy_sample;
pub mod points_ledger;
pub mod redemption;
pub mod redemption_code;
pub mod refresh_token;
pub mod region;
pub mod reward;
pub mod rider_identification;
pub mod service_log;
pub mod station;
pub mod station_change;
pub mod user;
