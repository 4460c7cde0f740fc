//! Micro-lessons (微课堂): content, quizzes graded on the server, progress.

pub mod attempts;
pub mod content;
pub mod demo;
pub mod dto;
pub mod grading;
pub mod render;
pub mod routes;
pub mod service;
pub mod source;
pub mod store;

pub use routes::configure;
