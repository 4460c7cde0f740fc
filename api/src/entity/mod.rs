//! sea-orm entities: plain table shapes, one file per table. Behaviour lives in the features.

pub mod refresh_token;
pub mod region;
pub mod user;
