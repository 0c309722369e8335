//! JSON API calls as the admin (or another client), their answers read as
//! `(status, JSON)`, and the checks the API tests share.

use std::str::FromStr;
use std::time::Duration;

use kvartplata::db::models::{MeterId, NewReading};
use kvartplata::db::queries;
use kvartplata::domain::{Period, ReadingSource};
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::app::TestApp;

/// Sends `body` as JSON as the admin and returns the status and the JSON
/// answer (Null for an empty one, as after DELETE).
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    call_as(app, &app.client, method, path, body).await
}

/// [`call`] through `client` (another user's token, say).
pub async fn call_as(
    app: &TestApp,
    client: &reqwest::Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = client.request(method, app.url(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    answer(request.send().await.unwrap()).await
}

/// The status and JSON body of an API response, which must be JSON
/// unless it is a 204.
pub async fn answer(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    if status != StatusCode::NO_CONTENT {
        let kind = response.headers()["content-type"].to_str().unwrap();
        assert!(kind.starts_with("application/json"), "{status}: {kind}");
    }
    let text = response.text().await.unwrap();
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    };
    (status, json)
}

pub async fn get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    call(app, Method::GET, path, None).await
}

pub async fn post(app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    call(app, Method::POST, path, Some(body)).await
}

pub async fn patch(app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    call(app, Method::PATCH, path, Some(body)).await
}

pub async fn put(app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    call(app, Method::PUT, path, Some(body)).await
}

pub async fn delete(app: &TestApp, path: &str) -> (StatusCode, Value) {
    call(app, Method::DELETE, path, None).await
}

/// Sends `body` verbatim as application/json (for malformed JSON).
pub async fn send_raw(
    app: &TestApp,
    method: Method,
    path: &str,
    body: &str,
) -> (StatusCode, Value) {
    let response = app
        .client
        .request(method, app.url(path))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    answer(response).await
}

/// Asserts a 400 for a body that is not JSON.
pub async fn assert_malformed_is_400(app: &TestApp, method: Method, path: &str) {
    for body in [r#"{"address": "x""#, "not json", ""] {
        let (status, json) = send_raw(app, method.clone(), path, body).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{method} {path} {body:?}: {json}"
        );
        assert!(
            json["error"]
                .as_str()
                .unwrap()
                .starts_with("Malformed JSON"),
            "{json}"
        );
    }
}

/// The field names of a 422/409 answer.
pub fn field_names(json: &Value) -> Vec<String> {
    json["fields"]
        .as_object()
        .unwrap_or_else(|| panic!("no fields in {json}"))
        .keys()
        .cloned()
        .collect()
}

/// Asserts a 404 JSON error.
pub fn assert_not_found((status, json): (StatusCode, Value)) {
    assert_eq!(status, StatusCode::NOT_FOUND, "{json}");
    assert_eq!(json, json!({"error": "Not found.", "code": "not_found"}));
}

/// POSTs a house and returns its body.
pub async fn create_house(app: &TestApp, body: Value) -> Value {
    let (status, json) = post(app, "/api/v1/houses", body).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    json
}

/// Stores a reading for `meter` (as an API body shows it) straight into
/// the database, marked as come through the API.
pub fn add_api_reading(app: &TestApp, meter: &Value, period: &str, value: &str) {
    let reading = NewReading {
        meter_id: MeterId(meter["id"].as_i64().unwrap()),
        period: Period::from_str(period).unwrap(),
        value: Decimal::from_str(value).unwrap(),
        source: ReadingSource::Api,
    };
    queries::readings::upsert(&mut app.db.conn(), &[reading]).unwrap();
}

/// Starts billing `period` of `house`, waits for the run to complete and
/// returns it as GET shows it.
pub async fn bill(app: &TestApp, house: i64, period: &str) -> Value {
    let (status, run) = post(
        app,
        &format!("/api/v1/houses/{house}/billing-runs"),
        json!({ "period": period }),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{period}: {run}");
    let path = format!("/api/v1/billing-runs/{}", run["id"]);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let last = loop {
        let (_, last) = get(app, &path).await;
        if last["status"] == "completed" || last["status"] == "failed" {
            break last;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{period} not billed: {last}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(last["status"], "completed", "{period}: {last}");
    assert_eq!(last["stale"], false, "{period}: {last}");
    last
}

/// Enters a payment by hand through the API.
pub async fn pay(app: &TestApp, account: &str, paid_on: &str, amount: &str) {
    let (status, json) = post(
        app,
        "/api/v1/payments",
        json!({"account": account, "paid_on": paid_on, "amount": amount}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{account} {paid_on}: {json}");
}

/// Adds a key rate (penalties accrue at it, capped) through the API.
pub async fn add_key_rate(app: &TestApp, valid_from: &str, rate: &str) {
    let (status, json) = post(
        app,
        "/api/v1/key-rates",
        json!({"valid_from": valid_from, "rate": rate}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
}
