//! Documents, on every operation, the errors that the shared plumbing gives before a handler
//! runs: the credential guard (401), query/body extraction (400, 413, 415) and path parsing
//! (404). Handlers document only their own outcomes; this keeps the spec true to what a client
//! can receive (checked by the contract fuzzing in tests/contract).

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::ArrayBuilder;
use utoipa::openapi::{
    Content, OpenApi as OpenApiDoc, Ref, RefOr, Response, ResponseBuilder, Schema,
};
use utoipa::Modify;

/// Routes under this prefix read no access token (see `auth::header_guard`).
const CREDENTIAL_FREE_PREFIX: &str = "/api/v1/auth/";
const OPEN311_PREFIX: &str = "/open311/";

pub struct SharedErrors;

impl Modify for SharedErrors {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                item.get.as_mut(),
                item.put.as_mut(),
                item.post.as_mut(),
                item.delete.as_mut(),
                item.patch.as_mut(),
            ];
            for op in operations.into_iter().flatten() {
                document(path, op);
            }
        }
    }
}

fn document(path: &str, op: &mut Operation) {
    let params = op.parameters.as_deref().unwrap_or_default();
    let has_query = params.iter().any(|p| p.parameter_in == ParameterIn::Query);
    let has_path = params.iter().any(|p| p.parameter_in == ParameterIn::Path);
    let json_body = op
        .request_body
        .as_ref()
        .is_some_and(|b| b.content.contains_key("application/json"));
    let has_body = op.request_body.is_some();
    let open311 = path.starts_with(OPEN311_PREFIX);

    if !path.starts_with(CREDENTIAL_FREE_PREFIX) {
        add(
            op,
            "401",
            "A malformed, forged, expired or revoked access token (`unauthorized`), also where none is needed",
            open311,
        );
    }
    if has_query || json_body {
        add(
            op,
            "400",
            "A query string or body that cannot be parsed (`malformed_request`)",
            open311,
        );
    }
    if has_query {
        add(
            op,
            "422",
            "A query value outside its range or set (`validation_failed`, naming the parameter)",
            open311,
        );
    }
    if json_body {
        add(
            op,
            "422",
            "A body that does not match its schema (`validation_failed`, naming the field)",
            open311,
        );
    }
    if has_body {
        add(
            op,
            "413",
            "A body over the size limit (`payload_too_large`)",
            open311,
        );
        add(
            op,
            "415",
            "A body of another content type (`unsupported_media_type`)",
            open311,
        );
    }
    if has_path {
        add(op, "404", "Nothing has this id (`not_found`)", open311);
    }
    if open311 {
        // `.xml` answers in XML, successes and errors alike.
        for response in op.responses.responses.values_mut() {
            if let RefOr::T(response) = response {
                if let Some(json) = response.content.get("application/json").cloned() {
                    response
                        .content
                        .entry("text/xml".to_string())
                        .or_insert(json);
                }
            }
        }
    }
}

fn add(op: &mut Operation, status: &str, description: &str, open311: bool) {
    if op.responses.responses.contains_key(status) {
        return;
    }
    let problem = || Content::new(Some(RefOr::Ref(Ref::from_schema_name("Problem"))));
    let mut response: Response = ResponseBuilder::new()
        .description(description)
        .content("application/problem+json", problem())
        .build();
    if open311 {
        // Open311 clients get the GeoReport error list (JSON or XML, as asked; see above).
        let errors = ArrayBuilder::new()
            .items(RefOr::Ref(Ref::from_schema_name("Open311Error")))
            .build();
        response.content.clear();
        response.content.insert(
            "application/json".to_string(),
            Content::new(Some(RefOr::T(Schema::Array(errors)))),
        );
    }
    op.responses
        .responses
        .insert(status.to_string(), RefOr::T(response));
}
