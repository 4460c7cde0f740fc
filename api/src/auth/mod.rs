//! Accounts and sessions: phone + password, JWT access tokens, rotating refresh tokens.

pub mod accounts;
pub mod codes;
pub mod dto;
pub mod extract;
pub mod header_guard;
pub mod jwt;
pub mod password;
pub mod phone;
pub mod refresh;
pub mod role;
pub mod routes;
pub mod service;
pub mod throttle;

pub use extract::{AuthUser, MaybeAuthUser};
pub use role::Role;
pub use routes::configure;
