//! points API tests: the ledger and check-in points, the rewards catalogue, redemption codes
//! (including concurrent double-spend attempts), star riders and the demo data.

mod concurrency;
mod demo;
mod ledger_api;
mod redeem;
mod rewards;
mod stars;
pub mod support;
