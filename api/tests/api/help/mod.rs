//! help API tests.
