//! Points (积分): the append-only ledger, rewards and redemption codes.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod ledger;

pub fn configure(_cfg: &mut ServiceConfig) {}
