//! sea-orm entities: plain table shapes, one file per table. Behaviour lives in the features.

pub mod check_in;
pub mod points_ledger;
pub mod refresh_token;
pub mod region;
pub mod station;
pub mod station_change;
pub mod user;
