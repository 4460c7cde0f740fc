//! The one integration-test binary: real HTTP against the in-process app, on SQLite + the
//! in-process cache by default, or PostgreSQL + Redis with TEST_DATABASE_URL / TEST_REDIS_URL.

mod analytics;
mod auth;
mod auth_codes;
mod cache;
mod cli;
mod errors;
mod hardening;
mod help;
mod helpers;
mod lessons;
mod login;
mod me;
mod openapi_doc;
mod ops;
mod outside;
mod points;
mod pwa_serving;
mod refresh;
mod regions;
mod service_logs;
mod stations_api;
mod stations_checkin;
mod stations_field;
mod stations_interchange;
mod stations_nearby;
mod stations_sync;
mod tokens;
