//! Writing and reading the audit log.

use actix_web::HttpRequest;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::dto::{AuditEntry, AuditPage, AuditQuery};
use crate::auth::{AuthUser, Role};
use crate::entity::audit_log;
use crate::error::{ApiResult, FieldError, Violations};
use crate::http::paging::page_params;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
        }
    }
}

/// One row to write. Every field is an id, a code or a route template: nothing personal.
#[derive(Debug, Clone)]
pub struct Entry {
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<Role>,
    pub method: String,
    pub route: String,
    pub object_id: Option<Uuid>,
    pub outcome: Outcome,
    pub status: u16,
}

/// Names of the audited actions, by route. Other routes are `http.<method>`.
const ACTIONS: &[(&str, &str, &str)] = &[
    ("GET", "/api/v1/help-requests", "help_request.list"),
    ("GET", "/api/v1/help-requests/{id}", "help_request.read"),
    (
        "POST",
        "/api/v1/help-requests/{id}/transitions",
        "help_request.transition",
    ),
    (
        "POST",
        "/api/v1/help-requests/{id}/feedback",
        "help_request.feedback",
    ),
    (
        "GET",
        "/api/v1/stations/{id}/service-logs",
        "service_log.list",
    ),
    ("GET", "/api/v1/stations/{id}/summary", "station.summary"),
    (
        "POST",
        "/api/v1/stations/{id}/rider-identifications",
        "rider.identify",
    ),
    ("GET", "/api/v1/me/export", "export"),
    ("GET", "/api/v1/admin/audit-log", "audit_log.list"),
];

pub fn action_for(method: &str, route: &str) -> String {
    ACTIONS
        .iter()
        .find(|(m, r, _)| *m == method && *r == route)
        .map(|(_, _, a)| a.to_string())
        .unwrap_or_else(|| format!("http.{}", method.to_ascii_lowercase()))
}

/// Writes one row. Never fails the request it is about: a failed write is logged (without
/// the row's ids) and the answer goes out.
pub async fn record(db: &DatabaseConnection, entry: Entry) {
    let action = action_for(&entry.method, &entry.route);
    let row = audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(Utc::now()),
        actor_id: Set(entry.actor_id),
        actor_role: Set(entry.actor_role.map(|r| r.as_str().to_string())),
        action: Set(action.clone()),
        method: Set(entry.method),
        route: Set(entry.route),
        object_id: Set(entry.object_id),
        outcome: Set(entry.outcome.as_str().to_string()),
        status: Set(entry.status.min(i16::MAX as u16) as i16),
    };
    if let Err(e) = row.insert(db).await {
        tracing::warn!(%action, error = %e, "audit log write failed");
    }
}

/// A handled read of rider data, answered with `status`. Riders reading their own data are
/// not audited: only staff, operators and admins.
pub async fn allowed(
    state: &AppState,
    user: &AuthUser,
    req: &HttpRequest,
    object_id: Option<Uuid>,
    status: u16,
) {
    if user.role == Role::Rider {
        return;
    }
    let entry = Entry {
        actor_id: Some(user.id),
        actor_role: Some(user.role),
        method: req.method().as_str().to_string(),
        route: req.match_pattern().unwrap_or_else(|| "unmatched".into()),
        object_id,
        outcome: Outcome::Allowed,
        status,
    };
    record(&state.db, entry).await;
}

/// `allowed` for a plain 200 read.
pub async fn read(state: &AppState, user: &AuthUser, req: &HttpRequest, object_id: Option<Uuid>) {
    allowed(state, user, req, object_id, 200).await;
}

/// The filters of `GET /admin/audit-log`, checked.
#[derive(Debug)]
struct Filter {
    cond: Condition,
    page: u64,
    per_page: u64,
}

fn instant(v: &mut Violations, field: &str, raw: Option<&str>) -> Option<DateTime<Utc>> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    match DateTime::parse_from_rfc3339(raw) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            v.push(FieldError::new(
                field,
                "invalid_datetime",
                format!("{field} must be an RFC 3339 date-time"),
            ));
            None
        }
    }
}

fn parse(q: &AuditQuery) -> ApiResult<Filter> {
    use audit_log::Column as C;
    let mut v = Violations::default();
    let (page, per_page) = page_params(&mut v, q.page.as_deref(), q.per_page.as_deref());
    let mut cond = Condition::all();
    if let Some(raw) = q
        .actor_id
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        match Uuid::parse_str(raw) {
            Ok(id) => cond = cond.add(C::ActorId.eq(id)),
            Err(_) => v.push(FieldError::new(
                "actor_id",
                "invalid_uuid",
                "actor_id must be a UUID",
            )),
        }
    }
    if let Some(raw) = q.action.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        let ok = raw.len() <= 48
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
        if ok {
            cond = cond.add(C::Action.eq(raw));
        } else {
            v.push(FieldError::new(
                "action",
                "invalid_action",
                "action is a code like help_request.read",
            ));
        }
    }
    match q
        .outcome
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        None => {}
        Some(o @ ("allowed" | "denied")) => cond = cond.add(C::Outcome.eq(o)),
        Some(_) => v.push(FieldError::new(
            "outcome",
            "invalid_outcome",
            "outcome must be allowed or denied",
        )),
    }
    let from = instant(&mut v, "from", q.from.as_deref());
    let to = instant(&mut v, "to", q.to.as_deref());
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            v.push(FieldError::new(
                "to",
                "before_from",
                "to must not be before from",
            ));
        }
    }
    if let Some(f) = from {
        cond = cond.add(C::At.gte(f));
    }
    if let Some(t) = to {
        cond = cond.add(C::At.lt(t));
    }
    v.finish()?;
    Ok(Filter {
        cond,
        page,
        per_page,
    })
}

/// `GET /admin/audit-log`, newest first.
pub async fn list(state: &AppState, q: &AuditQuery) -> ApiResult<AuditPage> {
    use audit_log::Column as C;
    let f = parse(q)?;
    let pages = audit_log::Entity::find()
        .filter(f.cond)
        .order_by_desc(C::At)
        .order_by_desc(C::Id)
        .paginate(&state.db, f.per_page);
    let total = pages.num_items().await?;
    let items = pages.fetch_page(f.page - 1).await?;
    Ok(AuditPage {
        items: items.into_iter().map(AuditEntry::from).collect(),
        page: f.page,
        per_page: f.per_page,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_by_route() {
        let read = action_for("GET", "/api/v1/help-requests/{id}");
        assert_eq!(read, "help_request.read");
        assert_eq!(action_for("DELETE", "/api/v1/stations/{id}"), "http.delete");
    }

    #[test]
    fn bad_filters_are_named() {
        let q = AuditQuery {
            actor_id: Some("x".into()),
            action: Some("DROP TABLE".into()),
            outcome: Some("maybe".into()),
            from: Some("2026-12-06T10:00:00Z".into()),
            to: Some("2026-12-05T10:00:00Z".into()),
            per_page: Some("101".into()),
            ..AuditQuery::default()
        };
        let err = parse(&q).unwrap_err();
        let mut fields: Vec<String> = err.problem().errors.into_iter().map(|e| e.field).collect();
        fields.sort();
        assert_eq!(fields, ["action", "actor_id", "outcome", "per_page", "to"]);
    }
}
