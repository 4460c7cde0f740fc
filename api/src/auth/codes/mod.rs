//! One-time codes by SMS: log in (registering a new rider on first use) or reset the
//! password. Codes are 6 digits, hashed at rest, live 5 minutes, work once, allow 5 tries.

pub mod dto;
pub mod routes;
pub mod service;
pub mod store;

pub use routes::configure;
