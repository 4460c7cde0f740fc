//! Points (积分): the append-only ledger, rewards and redemption codes, star riders.

pub mod codes;
pub mod demo;
pub mod dto;
pub mod history;
pub mod ledger;
#[cfg(test)]
mod ledger_props;
pub mod redeem;
pub mod rewards;
pub mod routes;
pub mod stars;
pub mod visits;

pub use routes::configure;
