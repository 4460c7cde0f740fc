//! Issue 13 (hardening): findings from outside, each with the test that failed before its fix.

mod export;
mod headers;
mod inputs;
mod login_race;
mod sos_flood;
mod timeouts;
