//! The signed-in user's own account: profile, export, deletion.

pub mod dto;
pub mod export;
pub mod routes;
pub mod service;

pub use routes::configure;
