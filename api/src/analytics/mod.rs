//! The city dashboard (数据看板): usage, help handling, lesson uptake and coverage of the
//! 15-minute circle for staff in their region. Station numbers come from daily rollups kept by
//! one instance at a time; no answer names a rider.

pub mod coverage;
pub mod dto;
pub mod export;
pub mod help_stats;
pub mod lease;
pub mod lesson_stats;
pub mod overview;
pub mod period;
pub mod rollup;
pub mod rollups;
pub mod routes;
pub mod scope;
pub mod station_stats;
pub mod timeseries;

pub use routes::configure;

/// Groups of fewer riders than this are not shown (DESIGN §6).
pub const SUPPRESS_BELOW: i64 = 5;

/// A rider count as shown: null below [`SUPPRESS_BELOW`] (0 is shown: it reveals no one).
pub fn suppress(n: i64) -> Option<i64> {
    (n == 0 || n >= SUPPRESS_BELOW).then_some(n)
}
