//! Issue 13 (hardening): findings from outside, each with the test that failed before its fix.

mod accounts;
mod address_limits;
mod audit;
mod db_down;
mod export;
mod headers;
mod inputs;
mod login_race;
mod matrix;
mod redis_down;
mod retention;
mod sessions;
mod slow_headers;
mod sos_flood;
mod timeouts;
