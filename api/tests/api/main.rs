//! The one integration-test binary: real HTTP against the in-process app.

mod helpers;
mod smoke;
