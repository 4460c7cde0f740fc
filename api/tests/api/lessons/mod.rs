//! lessons API tests.
