//! Services delivered at stations (DESIGN §4 "Service log"): the closed set of types, logging
//! in one tap or in offline batches, corrections by voiding, a station's day, and the riders
//! served.

pub mod access;
pub mod days;
pub mod domain;
pub mod dto;
pub mod riders;
pub mod routes;
pub mod service;
pub mod summary;

pub use routes::configure;
