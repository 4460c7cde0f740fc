//! Demo data for a fresh dev database. Reference data (regions) lives with its feature.

pub mod demo;
pub mod history;
pub mod service_logs;
pub mod stations;
