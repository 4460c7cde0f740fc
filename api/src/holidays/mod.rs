//! China's statutory public holidays (`PH` in opening hours): a calendar per year as data, with
//! the State Council notice it came from. Shipped for 2025 and 2026; later years are imported
//! (`warmnew import holidays FILE`, `PUT /api/v1/holidays/{year}`).

pub mod calendar;
pub mod domain;
pub mod routes;
pub mod store;

pub use calendar::Calendar;
pub use routes::configure;
