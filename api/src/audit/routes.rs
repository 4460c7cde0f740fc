use actix_web::{get, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::dto::{AuditPage, AuditQuery};
use super::service;
use crate::auth::{AuthUser, Role};
use crate::error::{ApiResult, Problem};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(audit_log);
}

/// The audit log (admins): staff, operator and admin reads of rider data and denied access,
/// newest first. Entries hold ids, codes and route templates only, never a personal value.
#[utoipa::path(tag = "audit", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = AuditPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Admins only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
#[get("/admin/audit-log")]
async fn audit_log(
    state: web::Data<AppState>,
    user: AuthUser,
    q: web::Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let page = service::list(&state, &q).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(page))
}
