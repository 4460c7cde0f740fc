//! What answers when no route matched: 405 with `Allow` when the path exists under another
//! method, problem+json 404 under the API prefixes, and the PWA's SPA fallback elsewhere.

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};
use utoipa::openapi::{HttpMethod, OpenApi};

use crate::error::{ApiError, Code};

/// Known paths and their methods, taken from the OpenAPI document so it cannot drift.
pub struct RouteTable {
    routes: Vec<(ResourceDef, Vec<&'static str>)>,
}

impl RouteTable {
    pub fn from_openapi(doc: &OpenApi) -> Self {
        let mut routes = Vec::new();
        for (path, item) in doc.paths.paths.iter() {
            let mut methods = Vec::new();
            let ops = [
                (HttpMethod::Get, &item.get, "GET"),
                (HttpMethod::Post, &item.post, "POST"),
                (HttpMethod::Put, &item.put, "PUT"),
                (HttpMethod::Patch, &item.patch, "PATCH"),
                (HttpMethod::Delete, &item.delete, "DELETE"),
            ];
            for (_, op, name) in ops {
                if op.is_some() {
                    methods.push(name);
                }
            }
            if methods.contains(&"GET") {
                methods.push("HEAD");
            }
            routes.push((ResourceDef::new(path.as_str()), methods));
        }
        // The document itself, served beside it.
        routes.push((ResourceDef::new("/openapi.json"), vec!["GET", "HEAD"]));
        Self { routes }
    }

    pub fn allowed(&self, path: &str) -> Option<String> {
        // Several patterns can match one path (`/stations/{id}` and `/stations/nearby`): the
        // one with the fewest parameters names the resource, as a literal segment is not an id.
        let matching: Vec<_> = self
            .routes
            .iter()
            .filter(|(def, _)| def.is_match(path))
            .map(|(def, methods)| (def.pattern().unwrap_or("").matches('{').count(), methods))
            .collect();
        let fewest = matching.iter().map(|(n, _)| *n).min()?;
        let mut methods: Vec<&str> = Vec::new();
        let specific = matching.iter().filter(|(n, _)| *n == fewest);
        for m in specific.flat_map(|(_, m)| m.iter().copied()) {
            if !methods.contains(&m) {
                methods.push(m);
            }
        }
        (!methods.is_empty()).then(|| methods.join(", "))
    }
}

const API_PREFIXES: [&str; 3] = ["/api/", "/open311/", "/docs"];

pub async fn default_service(
    req: HttpRequest,
    table: web::Data<RouteTable>,
) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    if let Some(allow) = table.allowed(path) {
        let mut err = ApiError::new(
            Code::MethodNotAllowed,
            format!("{} is not allowed here; use {allow}", req.method()),
        );
        err.allow = Some(allow.into());
        return Err(err);
    }
    let is_api = API_PREFIXES.iter().any(|p| path.starts_with(p)) || path == "/api";
    if is_api || !(req.method() == Method::GET || req.method() == Method::HEAD) {
        return Err(ApiError::new(
            Code::NotFound,
            format!("no route for {path}"),
        ));
    }
    Ok(crate::pwa::serve(path))
}
