//! Reading a request body up to a cap: a declared length over the cap fails before reading,
//! a stream that grows past it fails on the chunk that crosses it.

use std::time::Duration;

use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::HttpRequest;
use futures_util::{Stream, StreamExt};

use crate::error::{ApiError, ApiResult, Code};

/// The `Content-Length` the client declared, if any.
pub fn declared_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
}

pub async fn read_capped<S>(
    declared: Option<usize>,
    mut payload: S,
    max: usize,
) -> ApiResult<Vec<u8>>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    if declared.is_some_and(|n| n > max) {
        return Err(too_large(max));
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(1024).min(max));
    let read = async {
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| {
                ApiError::new(
                    Code::MalformedRequest,
                    format!("could not read the body: {e}"),
                )
            })?;
            if body.len() + chunk.len() > max {
                return Err(too_large(max));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(())
    };
    // A client that declares more than it sends (or trickles it) would hold a worker's
    // connection and the handler's memory forever.
    match tokio::time::timeout(deadline(max), read).await {
        Ok(result) => result.map(|()| body),
        Err(_) => Err(ApiError::new(
            Code::RequestTimeout,
            "the body did not arrive in time; send it again",
        )),
    }
}

/// Time allowed for a whole body: a JSON body of 64 KiB arrives in well under a second even on
/// a weak mobile link; a 10 MiB station import gets two minutes.
fn deadline(max: usize) -> Duration {
    if max <= super::MAX_JSON_BYTES {
        Duration::from_secs(10)
    } else {
        Duration::from_secs(120)
    }
}

fn too_large(max: usize) -> ApiError {
    let size = if max >= 1024 * 1024 {
        format!("{} MiB", max / (1024 * 1024))
    } else {
        format!("{} KiB", max / 1024)
    };
    ApiError::new(Code::PayloadTooLarge, format!("the body exceeds {size}"))
}
