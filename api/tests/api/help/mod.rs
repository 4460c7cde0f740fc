//! help API tests.

mod authz;
mod bad_input;
mod events;
mod export;
mod idempotency;
mod open311;
mod requests;
mod sla;
pub mod support;
mod transitions;
