//! City dashboard tests: scope, exact aggregates after known actions, suppression below 5
//! riders, exports, coverage and bad input.

mod aggregates;
mod coverage;
mod demo;
mod exports;
mod scope;
mod support;
