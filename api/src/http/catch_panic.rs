//! A panic in a handler becomes a 500 problem+json instead of a dropped connection.

use std::panic::AssertUnwindSafe;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::Error;
use futures_util::FutureExt;

use crate::error::{ApiError, Code};

/// Answers with an error (rendered by `ApiError`) rather than a response: the request cannot be
/// kept for one, since routing needs it unshared.
pub async fn catch_panic<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, Error> {
    // Nothing the panicking future held is used again.
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(res) => res,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %what, "handler panicked");
            Err(ApiError::new(Code::Internal, "an unexpected error occurred").into())
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::{test, web, App, HttpResponse};

    use super::*;

    #[actix_web::test]
    async fn a_panicking_handler_answers_500_problem_json() {
        async fn boom() -> HttpResponse {
            let pages: Vec<u64> = Vec::new();
            HttpResponse::Ok().body(pages[usize::MAX / 2].to_string())
        }
        let app = test::init_service(
            App::new()
                .route("/boom", web::get().to(boom))
                .route("/fine", web::get().to(HttpResponse::Ok))
                .wrap(from_fn(catch_panic)),
        )
        .await;
        let req = test::TestRequest::get().uri("/boom").to_request();
        let err = match test::try_call_service(&app, req).await {
            Err(e) => e,
            Ok(res) => panic!("expected the panic as an error, got {}", res.status()),
        };
        // What the connection layer sends for a service error.
        let res = err.error_response();
        assert_eq!(res.status(), 500);
        let ct = res
            .headers()
            .get("content-type")
            .map(|v| v.as_bytes().to_vec());
        assert_eq!(ct.as_deref(), Some(&b"application/problem+json"[..]));
        let bytes = actix_web::body::to_bytes(res.into_body()).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body["code"], "internal_error");
        assert_eq!(body["title"], "Internal Server Error");
        // The worker goes on serving.
        let res =
            test::call_service(&app, test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(res.status(), 200);
    }
}
