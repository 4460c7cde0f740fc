//! Errors under `/open311` in the spec's shape, `[{code, description}]` (or `<errors>` for
//! `.xml` paths), whoever raised them: a handler, an extractor, the 404/405 fallback or a
//! caught panic. Status and headers (`Allow`, `Retry-After`) stay as they were.

use actix_web::body::{self, BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::Error;
use serde_json::Value;

use super::dto::{Format, Open311Error};
use super::xml;

pub const PREFIX: &str = "/open311/";

pub async fn reshape<B>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B, BoxBody>>, Error>
where
    B: MessageBody + 'static,
{
    if !req.path().starts_with(PREFIX) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    let format = Format::of_path(req.path());
    let res = next.call(req).await?;
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !is_problem {
        return Ok(res.map_into_left_body());
    }
    let status = res.status().as_u16();
    let (request, response) = res.into_parts();
    let (mut head, body) = response.into_parts();
    // Problem bodies are small and already complete.
    let bytes = body::to_bytes(body).await.unwrap_or_default();
    let problem: Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let errors = open311_errors(status, &problem);
    let (content_type, text) = render(format, &errors);
    head.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    head.headers_mut().remove(header::CONTENT_LENGTH);
    let response = head.set_body(text).map_into_boxed_body();
    Ok(ServiceResponse::new(request, response).map_into_right_body())
}

/// One entry per field problem (`field: message`), else the problem's detail.
pub fn open311_errors(status: u16, problem: &Value) -> Vec<Open311Error> {
    let fields = problem["errors"].as_array().cloned().unwrap_or_default();
    let mut out: Vec<Open311Error> = fields
        .iter()
        .map(|f| Open311Error {
            code: status,
            description: format!(
                "{}: {}",
                f["field"].as_str().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default()
            ),
        })
        .collect();
    if out.is_empty() {
        let detail = problem["detail"].as_str().unwrap_or("error");
        out.push(Open311Error {
            code: status,
            description: detail.to_string(),
        });
    }
    out
}

pub fn render(format: Format, errors: &[Open311Error]) -> (&'static str, String) {
    let value = serde_json::to_value(errors).unwrap_or_default();
    match format {
        Format::Json => ("application/json", value.to_string()),
        Format::Xml => (super::XML_CONTENT_TYPE, xml::document("errors", &value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_problems_become_one_error_each() {
        let p = json!({"detail": "invalid fields: lat, description", "errors": [
            {"field": "lat", "code": "required", "message": "give a location"},
            {"field": "description", "code": "required", "message": "must not be empty"}]});
        let e = open311_errors(422, &p);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].description, "lat: give a location");
        assert!(e.iter().all(|e| e.code == 422));
        let e = open311_errors(404, &json!({"detail": "no route for /open311/v2/x.json"}));
        assert_eq!(e[0].description, "no route for /open311/v2/x.json");
        let (ct, text) = render(Format::Xml, &e);
        assert!(ct.starts_with("text/xml"));
        assert!(text.contains("<errors><error><code>404</code>"), "{text}");
    }
}
