//! points API tests.
