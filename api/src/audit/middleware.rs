//! Denied access, recorded after the answer: 403 to any caller with a genuine token; 401 to a
//! genuine but no longer valid token (logged out, revoked, role changed); 404 on a route that
//! names an object (`{id}`), which is how the API refuses someone else's object. A token that
//! fails its signature or has expired names nobody and is not recorded, so anonymous noise
//! cannot fill a table that can never be cleaned.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest};
use uuid::Uuid;

use super::service::{record, Entry, Outcome};
use crate::state::AppState;

pub async fn record_denied(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let status = res.status().as_u16();
    if matches!(status, 401 | 403 | 404) {
        if let Some((state, entry)) = denied(res.request(), status) {
            record(&state.db, entry).await;
        }
    }
    Ok(res)
}

fn denied(req: &HttpRequest, status: u16) -> Option<(web::Data<AppState>, Entry)> {
    if !req.path().starts_with("/api/v1/") {
        return None;
    }
    let route = req.match_pattern()?;
    if status == 404 && !route.contains('{') {
        return None;
    }
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let state = req.app_data::<web::Data<AppState>>()?.clone();
    let claims = state.jwt.verify(token.trim()).ok()?;
    let entry = Entry {
        actor_id: Some(claims.sub),
        actor_role: Some(claims.role),
        method: req.method().as_str().to_string(),
        object_id: object_id(&route, req.path()),
        route,
        outcome: Outcome::Denied,
        status,
    };
    Some((state, entry))
}

/// The first `{…}` segment of the route, if the request's value there is a UUID (anything
/// else could be free text and is not kept).
fn object_id(route: &str, path: &str) -> Option<Uuid> {
    route
        .split('/')
        .zip(path.split('/'))
        .find(|(r, _)| r.starts_with('{'))
        .and_then(|(_, p)| Uuid::parse_str(p).ok())
}

#[cfg(test)]
mod tests {
    #[test]
    fn object_id_only_from_uuid_segments() {
        let id = "0193a6b2-7c1e-7000-8000-000000000001";
        let got = super::object_id(
            "/api/v1/help-requests/{id}",
            &format!("/api/v1/help-requests/{id}"),
        );
        assert_eq!(got.map(|u| u.to_string()).as_deref(), Some(id));
        let phone = super::object_id("/api/v1/x/{id}", "/api/v1/x/13911112222");
        assert_eq!(phone, None);
    }
}
