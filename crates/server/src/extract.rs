//! axum's `Query` and `Path` extractors with their refusals answered as the
//! API's JSON error (`400 {error:{code,message}}`), never axum's plain text:
//! a repeated parameter (`?period=1m&period=1m`), a value of the wrong type
//! (`?all=maybe`) or a path that does not decode is the client's mistake,
//! told in the same shape as every other.

use axum::extract::{
    FromRequestParts,
    rejection::{PathRejection, QueryRejection},
};

use crate::error::ApiError;

/// The request's query string read as `T`; a refusal is a JSON 400.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub(crate) struct ApiQuery<T>(pub T);

/// The route's path parameters read as `T`; a refusal is a JSON 400.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub(crate) struct ApiPath<T>(pub T);

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        // axum's text names the field and the fault ("duplicate field
        // `period`", "invalid value: string \"maybe\", expected a boolean");
        // its prefix is replaced by the API's own words.
        let detail = rejection.body_text();
        let detail = detail.strip_prefix("Failed to deserialize query string: ").unwrap_or(&detail);
        ApiError::BadRequest(format!("the query string could not be read: {detail}"))
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::BadRequest(format!("the path could not be read: {}", rejection.body_text()))
    }
}
