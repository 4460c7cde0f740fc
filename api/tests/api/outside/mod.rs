//! What stock clients and strict tools found (issue 12): protocol correctness, Open311 as
//! GeoReport v2 clients speak it, and opening hours that tell the truth.

mod holidays;
mod hours;
mod open311_clients;
mod protocol;
mod small_truths;
