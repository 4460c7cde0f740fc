//! Service-log API tests: logging one entry or a batch (idempotent, all-or-nothing), who may
//! write and read, voiding, a station's day in exact counts, riders identified by their code,
//! and the poster.

mod access;
mod bad_input;
mod idempotency;
mod logging;
mod riders;
mod summary;
pub mod support;
