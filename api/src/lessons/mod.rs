//! Micro-lessons (微课堂): content, quizzes graded on the server, progress.

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(_cfg: &mut ServiceConfig) {}
