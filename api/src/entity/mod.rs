//! sea-orm entities: plain table shapes, one file per table. Behaviour lives in the features.

pub mod check_in;
pub mod help_event;
pub mod help_request;
pub mod idempotency_key;
pub mod lesson;
pub mod lesson_attempt;
pub mod lesson_progress;
pub mod occupancy_sample;
pub mod points_ledger;
pub mod redemption;
pub mod redemption_code;
pub mod refresh_token;
pub mod rider_identification;
pub mod region;
pub mod reward;
pub mod service_log;
pub mod station;
pub mod station_change;
pub mod user;
