//! GET /api/docs: the API's documentation, rendered on the server from the
//! very OpenAPI document /api/v1/openapi.json serves, so the two never
//! disagree. Plain HTML without scripts or external assets: it works offline
//! and under the Content-Security-Policy.

use std::sync::LazyLock;

use actix_web::web::{self, Html};
use askama::Template;

use super::api::openapi;
use crate::error::AppError;
use crate::views::docs::{ApiDocs, DocsPage};
use crate::views::page::PageCtx;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/docs", web::get().to(show));
}

async fn show(ctx: PageCtx) -> Result<Html, AppError> {
    let page = DocsPage { ctx, api: &API };
    Ok(Html::new(page.render()?))
}

/// The document as the page lists it, built once from its JSON form.
static API: LazyLock<ApiDocs> = LazyLock::new(|| {
    // Serializing plain data structures cannot fail.
    let doc = serde_json::to_value(openapi::document()).unwrap_or_default();
    ApiDocs::from_document(&doc)
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_listed_once_under_its_tag() {
        let api = &*API;
        let ops: Vec<(&str, &str)> = api
            .groups
            .iter()
            .flat_map(|g| {
                g.operations
                    .iter()
                    .map(|o| (o.method.as_str(), o.path.as_str()))
            })
            .collect();
        assert!(ops.contains(&("GET", "/api/v1/houses/{id}")));
        assert!(ops.contains(&("POST", "/api/v1/readings")));
        let mut unique = ops.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ops.len());
        let houses = api.groups.iter().find(|g| g.name == "houses").unwrap();
        assert!(
            houses
                .operations
                .iter()
                .all(|o| o.id.starts_with("houses_"))
        );
    }

    #[test]
    fn the_error_schema_is_listed() {
        assert!(API.schemas.iter().any(|s| s.name == "ErrorBody"));
    }
}
