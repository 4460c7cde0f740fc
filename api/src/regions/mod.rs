//! Administrative regions (city → district → street), reference data embedded in the binary.

pub mod dto;
pub mod routes;
pub mod seed;

pub use routes::configure;
