//! The OpenAPI document. Paths come from the registered routes (utoipa-actix-web), so the
//! spec cannot drift from what the server serves.

use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::{FieldError, Problem};
use crate::help::open311::dto::Format as Open311Format;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Warm-New Stations API (暖新驿站)",
        description = "Stations, help requests, lessons and points for delivery riders, station operators and city staff. Errors are application/problem+json with a stable `code`.",
        license(name = "MIT")
    ),
    modifiers(&BearerAuth),
    components(schemas(Problem, FieldError, Open311Format)),
    tags(
        (name = "analytics", description = "The city dashboard: usage, help handling, lessons, coverage (staff, admin)"),
        (name = "auth", description = "Accounts and sessions"),
        (name = "audit", description = "The audit log of reads of rider data and denied access (admin)"),
        (name = "me", description = "The signed-in user's own data"),
        (name = "regions", description = "Administrative regions"),
        (name = "service-logs", description = "Services given at stations, a station's day, riders served"),
        (name = "ops", description = "Health and readiness"),
        (name = "open311", description = "Open311 GeoReport v2 for stock clients (JSON and XML)"),
        (name = "holidays", description = "China's statutory public holidays, as `PH` in opening hours")
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The full document, built from the same route registration the server uses.
pub fn document() -> OpenApiDoc {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::startup::routes)
        .split_for_parts();
    // After the routes: it documents each operation's shared errors.
    crate::http::openapi_errors::SharedErrors.modify(&mut doc);
    doc
}

/// Stable, pretty JSON for `openapi/openapi.json`.
pub fn to_json(doc: &OpenApiDoc) -> String {
    let value = serde_json::to_value(doc).unwrap_or_default();
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
