//! Middleware that refuses bad requests before any handler: a NUL byte in
//! a query string (PostgreSQL cannot store or compare NUL in text).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use super::error_for;
use crate::domain::Problem;
use crate::error::AppError;

/// The first query parameter holding a NUL byte (in its name or value),
/// named as sent without the NUL.
fn nul_parameter(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, value)| name.contains('\0') || value.contains('\0'))
        .map(|(name, _)| name.replace('\0', ""))
}

/// 400 naming the parameter for `?q=%00` and the like, on every route: one
/// place instead of a check in each query extractor.
pub async fn refuse_nul_in_query<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    if let Some(name) = nul_parameter(req.query_string()) {
        let error = AppError::BadRequest(Problem::NulInQuery(name.to_string()));
        let response = error_for(req.request(), error).error_response();
        return Ok(req.into_response(response).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_anywhere_in_the_query_names_its_parameter() {
        assert_eq!(nul_parameter("q=%00"), Some("q".into()));
        assert_eq!(nul_parameter("page=2&meter=a%00b"), Some("meter".into()));
        assert_eq!(nul_parameter("q%00=1"), Some("q".into()));
        assert_eq!(nul_parameter("q=28A&page=2"), None);
        assert_eq!(nul_parameter(""), None);
    }
}
