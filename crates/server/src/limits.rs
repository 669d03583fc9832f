//! Request size limits: a URI over [`MAX_URI_BYTES`] gets 414, a body over
//! [`MAX_BODY_BYTES`] 413, both as the API's JSON errors.

use std::error::Error as _;

use axum::{
    body::Body,
    extract::Request,
    http::{HeaderMap, header},
    middleware::Next,
    response::Response,
};
use http_body_util::LengthLimitError;

use crate::error::{ApiError, MAX_BODY_BYTES, MAX_URI_BYTES};

/// Refuses a request whose URI or body is too large, before anything else
/// reads it. A body without a `Content-Length` is read here, up to the limit,
/// and handed on whole.
pub(crate) async fn limit_request_size(request: Request, next: Next) -> Result<Response, ApiError> {
    let target = request.uri().path_and_query().map_or(0, |target| target.as_str().len());
    if target > MAX_URI_BYTES {
        return Err(ApiError::UriTooLong);
    }
    match declared_length(request.headers()) {
        Some(length) if length > MAX_BODY_BYTES as u64 => Err(ApiError::PayloadTooLarge),
        Some(_) => Ok(next.run(request).await),
        None => {
            let (parts, body) = request.into_parts();
            let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(|err| {
                if err.source().is_some_and(|source| source.is::<LengthLimitError>()) {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::BadRequest("the request's body could not be read".into())
                }
            })?;
            Ok(next.run(Request::from_parts(parts, Body::from(bytes))).await)
        }
    }
}

/// The body's `Content-Length`, if it declares a readable one.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
}
