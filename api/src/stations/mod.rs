//! Stations: the model, live status, the nearby index kept in step across instances, check-in.

pub mod card;
pub mod checkin;
pub mod domain;
pub mod dto;
pub mod feed;
pub mod generate;
pub mod hours;
pub mod index;
pub mod interchange;
pub mod interchange_routes;
pub mod occupancy;
pub mod poster;
pub mod routes;
pub mod service;
pub mod sync;

pub use index::StationIndex;
pub use routes::configure;
