//! The OpenAPI document at /api/v1/openapi.json and the /api/docs page built
//! from it.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::app::{TestApp, spawn_app};

/// Every route of the JSON API v1 (the product's contract), and the rest of
/// /api/v1.
const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/houses"),
    ("post", "/api/v1/houses"),
    ("get", "/api/v1/houses/{id}"),
    ("patch", "/api/v1/houses/{id}"),
    ("delete", "/api/v1/houses/{id}"),
    ("post", "/api/v1/houses/{id}/apartments"),
    ("get", "/api/v1/apartments/{id}"),
    ("patch", "/api/v1/apartments/{id}"),
    ("delete", "/api/v1/apartments/{id}"),
    ("post", "/api/v1/apartments/{id}/residents"),
    ("post", "/api/v1/apartments/{id}/meters"),
    ("get", "/api/v1/meters/{id}"),
    ("patch", "/api/v1/meters/{id}"),
    ("delete", "/api/v1/meters/{id}"),
    ("post", "/api/v1/meters/{id}/decommission"),
    ("get", "/api/v1/meters/{id}/readings"),
    ("post", "/api/v1/readings"),
    ("get", "/api/v1/houses/{id}/readings"),
    ("get", "/api/v1/tariffs"),
    ("post", "/api/v1/tariffs"),
    ("get", "/api/v1/tariffs/{id}"),
    ("patch", "/api/v1/tariffs/{id}"),
    ("delete", "/api/v1/tariffs/{id}"),
    ("get", "/api/v1/normatives"),
    ("post", "/api/v1/normatives"),
    ("get", "/api/v1/normatives/{id}"),
    ("patch", "/api/v1/normatives/{id}"),
    ("delete", "/api/v1/normatives/{id}"),
    ("get", "/api/v1/coefficients"),
    ("post", "/api/v1/coefficients"),
    ("get", "/api/v1/coefficients/{id}"),
    ("patch", "/api/v1/coefficients/{id}"),
    ("delete", "/api/v1/coefficients/{id}"),
    ("post", "/api/v1/houses/{id}/billing-runs"),
    ("get", "/api/v1/billing-runs"),
    ("post", "/api/v1/billing-runs"),
    ("get", "/api/v1/billing-runs/{id}"),
    ("get", "/api/v1/houses/{id}/charges"),
    ("post", "/api/v1/houses/{id}/periods/{period}/close"),
    ("post", "/api/v1/houses/{id}/periods/{period}/reopen"),
    ("put", "/api/v1/apartments/{id}/account"),
    ("get", "/api/v1/accounts/{number}"),
    ("get", "/api/v1/accounts/{number}/statement"),
    ("get", "/api/v1/houses/{id}/balances"),
    ("post", "/api/v1/payments"),
    ("get", "/api/v1/payments/{id}"),
    ("delete", "/api/v1/payments/{id}"),
    ("get", "/api/v1/payments/unmatched"),
    ("post", "/api/v1/payments/{id}/assign"),
    ("post", "/api/v1/payments/import"),
    ("get", "/api/v1/houses/{id}/register"),
    ("post", "/api/v1/houses/{id}/register"),
    ("get", "/api/v1/key-rates"),
    ("post", "/api/v1/key-rates"),
    ("delete", "/api/v1/key-rates/{id}"),
    ("get", "/api/v1/organization"),
    ("put", "/api/v1/organization"),
    ("get", "/api/v1/accounts/{number}/receipts/{period}.pdf"),
    ("get", "/api/v1/openapi.json"),
];

/// POSTs whose body is a file, not JSON.
const FILE_BODY: &[&str] = &["/api/v1/payments/import", "/api/v1/houses/{id}/register"];

/// POSTs that act on what their path names and take no body.
const WITHOUT_BODY: &[&str] = &[
    "/api/v1/houses/{id}/periods/{period}/close",
    "/api/v1/houses/{id}/periods/{period}/reopen",
];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

async fn document(app: &TestApp) -> Value {
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    response.json().await.unwrap()
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                ops.push((method.to_owned(), path.clone(), op));
            }
        }
    }
    ops
}

/// Every `$ref` anywhere under `value`.
fn refs<'v>(value: &'v Value, found: &mut BTreeSet<&'v str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                found.insert(r);
            }
            map.values().for_each(|v| refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_lists_every_api_route_with_its_methods_and_nothing_else() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");

    let listed: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect();
    let expected: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(listed, expected);

    // Each documented route is served: a made-up id answers 404 JSON, not a
    // 405 or the page-style 404 of an unknown path.
    for (method, path) in ROUTES.iter().filter(|(m, _)| *m == "get") {
        let path = path
            .replace("{id}", "999999")
            .replace("{number}", "999999")
            .replace("{period}", "2026-01");
        let query = if path.ends_with("/readings")
            || path.ends_with("/charges")
            || path.ends_with("/balances")
        {
            "?period=2026-01"
        } else {
            ""
        };
        let response = app.get(&format!("{path}{query}")).await;
        assert!(
            matches!(response.status(), StatusCode::OK | StatusCode::NOT_FOUND),
            "{method} {path}: {}",
            response.status()
        );
        let body: Value = response.json().await.unwrap();
        assert!(body.is_array() || body.is_object(), "{path}: {body}");
    }
}

#[tokio::test]
async fn every_operation_is_named_once_and_documents_its_answers() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let schemas = doc["components"]["schemas"].as_object().unwrap();

    let mut ids = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap();
        assert!(ids.insert(id.to_owned()), "{method} {path}: {id} twice");
        assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()));
        let responses = op["responses"].as_object().unwrap();
        let success: Vec<&String> = responses.keys().filter(|s| s.starts_with('2')).collect();
        assert_eq!(success.len(), 1, "{method} {path}: {success:?}");
        assert!(
            responses.contains_key("401"),
            "{method} {path}: no 401 documented"
        );
        if path.contains("{id}") {
            assert!(responses.contains_key("404"), "{method} {path}: no 404");
        }
        if WITHOUT_BODY.contains(&path.as_str()) {
            assert!(op.get("requestBody").is_none(), "{method} {path}");
            assert!(responses.contains_key("422"), "{method} {path}: no 422");
        } else if method == "post" && FILE_BODY.contains(&path.as_str()) {
            assert!(
                op["requestBody"]["content"]["text/csv"].is_object(),
                "{path}"
            );
            assert!(responses.contains_key("422"), "{method} {path}: no 422");
        } else if method == "post" || method == "patch" || method == "put" {
            let body = &op["requestBody"]["content"]["application/json"]["schema"]["$ref"];
            let name = body
                .as_str()
                .unwrap()
                .trim_start_matches("#/components/schemas/");
            assert!(schemas.contains_key(name), "{method} {path}: {name}");
            assert!(responses.contains_key("422"), "{method} {path}: no 422");
        }
        // Errors are all the one JSON error body.
        for (status, response) in responses.iter().filter(|(s, _)| !s.starts_with('2')) {
            assert_eq!(
                response["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody",
                "{method} {path} {status}"
            );
        }
    }

    // The bearer token is required everywhere.
    assert_eq!(doc["security"], serde_json::json!([{"bearer": []}]));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[tokio::test]
async fn every_referenced_schema_exists() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut found = BTreeSet::new();
    refs(&doc, &mut found);
    assert!(found.len() > 20, "{found:?}");
    for r in found {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r} is not a component schema"));
        assert!(schemas.contains_key(name), "{r} is missing");
    }
    // Money and volumes are documented as the decimal strings they are.
    assert_eq!(
        doc["components"]["schemas"]["TariffBody"]["properties"]["price"]["$ref"],
        "#/components/schemas/DecimalString"
    );
}

#[tokio::test]
async fn the_docs_page_renders_the_document_without_scripts() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let response = app.get("/api/docs").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();

    for (method, path, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap();
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        assert!(
            html.contains(&format!(
                "{}</span> <code>{path}</code>",
                method.to_uppercase()
            )),
            "{method} {path}"
        );
    }
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        assert!(html.contains(&format!("id=\"schema-{name}\"")), "{name}");
    }
    // Schemas are shown as JSON, escaped.
    assert!(html.contains("$ref") && !html.contains("\"$ref\""));
    // Works offline and under the CSP: nothing external, no script.
    assert!(!html.contains("<script"));
    assert!(!html.contains(" style="));
    assert!(!html.contains("=\"http") && !html.contains("=\"//"));

    let css = app.get("/static/css/docs.css").await;
    assert_eq!(css.status(), StatusCode::OK);
}
