//! GET /metrics: the Prometheus text format, who may read it (a token on
//! the main address, or a separate address), request counters by route
//! pattern, and the billing figures moving during a run.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use kvartplata::db::queries::run_stats::{self, QueueCounts};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::api::post;
use crate::helpers::app::{TestApp, api_client, spawn_app, spawn_app_configured};
use crate::helpers::db::TestDb;
use crate::helpers::fixtures::{HouseBuilder, price_everything};

const METRICS_TOKEN: &str = "a scraper's secret token";

/// The value of the series `series` (name and labels exactly as the text
/// format writes them), if the text has it.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        let value = line.strip_prefix(series)?.strip_prefix(' ')?;
        Some(value.trim().parse().unwrap())
    })
}

fn value(text: &str, series: &str) -> f64 {
    sample(text, series).unwrap_or_else(|| panic!("no {series} in:\n{text}"))
}

async fn scrape(app: &TestApp) -> String {
    let response = api_client(METRICS_TOKEN)
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

async fn app_with_token() -> TestApp {
    spawn_app_configured(|s| s.metrics_token = Some(METRICS_TOKEN.into())).await
}

#[tokio::test]
async fn metrics_are_not_served_when_neither_token_nor_address_is_set() {
    let app = spawn_app().await;
    // Not even to a signed-in admin: the metrics are not part of the app.
    assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND);
    let anonymous = app.anonymous_client();
    let response = anonymous.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_main_address_serves_metrics_only_to_the_metrics_token() {
    let app = app_with_token().await;
    for refused in [
        app.anonymous_client(),
        api_client("wrong token"),
        // An admin's API token is no metrics token.
        api_client(&app.token),
    ] {
        let response = refused.get(app.url("/metrics")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
    }
    let response = api_client(METRICS_TOKEN)
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; version=0.0.4"
    );
    let text = response.text().await.unwrap();
    assert!(
        text.contains("# TYPE kvartplata_http_requests_total counter"),
        "{text}"
    );
    assert_eq!(value(&text, "kvartplata_db_pool_max_connections"), 4.0);
    assert_eq!(value(&text, "kvartplata_db_pool_waiting"), 0.0);
    assert!(value(&text, r#"kvartplata_db_pool_connections{state="idle"}"#) >= 0.0);
    assert!(value(&text, r#"kvartplata_db_pool_connections{state="in_use"}"#) >= 0.0);
    assert_eq!(value(&text, "kvartplata_billing_queue_length"), 0.0);
    assert_eq!(value(&text, "kvartplata_billing_leases_expired"), 0.0);
}

#[tokio::test]
async fn requests_are_counted_by_route_pattern_never_by_raw_path() {
    let app = app_with_token().await;
    let house = HouseBuilder::new("7 Counter Lane")
        .apartments(1)
        .insert(&app)
        .id();
    for _ in 0..2 {
        let response = app.get(&format!("/api/v1/houses/{house}")).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let missing = app.get("/api/v1/houses/987654321").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    for path in ["/no/such/page-1", "/no/such/page-2"] {
        assert_eq!(app.get(path).await.status(), StatusCode::NOT_FOUND);
    }

    let text = scrape(&app).await;
    let route = r#"method="GET",route="/api/v1/houses/{id}""#;
    assert_eq!(
        value(
            &text,
            &format!("kvartplata_http_requests_total{{{route},status=\"200\"}}")
        ),
        2.0
    );
    assert_eq!(
        value(
            &text,
            &format!("kvartplata_http_requests_total{{{route},status=\"404\"}}")
        ),
        1.0
    );
    assert_eq!(
        value(
            &text,
            &format!("kvartplata_http_request_duration_seconds_count{{{route}}}")
        ),
        3.0
    );
    assert_eq!(
        value(
            &text,
            r#"kvartplata_http_requests_total{method="GET",route="unmatched",status="404"}"#
        ),
        2.0
    );
    for raw in [
        "987654321",
        "/no/such",
        &format!("/api/v1/houses/{house}\""),
    ] {
        assert!(!text.contains(raw), "raw path {raw} in a label:\n{text}");
    }
}

#[tokio::test]
async fn metrics_addr_serves_metrics_there_and_only_there() {
    let app = spawn_app_configured(|s| {
        s.metrics_addr = Some("127.0.0.1:0".into());
        // The separate address wins: the main one serves nothing.
        s.metrics_token = Some(METRICS_TOKEN.into());
    })
    .await;
    let metrics = app.metrics_address.clone().expect("a metrics port");
    assert_ne!(metrics, app.address);
    let main = api_client(METRICS_TOKEN)
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(main.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);

    // No credentials there: whoever reaches the address may scrape.
    let plain = reqwest::Client::new();
    let response = plain
        .get(format!("{metrics}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    // The main address's requests, counted in the same registry.
    assert!(
        value(
            &text,
            r#"kvartplata_http_requests_total{method="GET",route="/healthz",status="200"}"#
        ) >= 1.0
    );
    // The application itself is not served on the metrics address.
    let page = plain.get(format!("{metrics}/houses")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scrape_during_a_billing_run_sees_its_counters_move() {
    const APARTMENTS: usize = 600;
    let app = spawn_app_configured(|s| {
        s.metrics_token = Some(METRICS_TOKEN.into());
        // One apartment per batch: the run lasts long enough to be seen.
        s.billing_batch_size = 1;
        s.billing_workers = std::num::NonZeroUsize::new(1);
    })
    .await;
    let house = HouseBuilder::new("12 Gauge Street")
        .apartments(APARTMENTS)
        .insert(&app)
        .id();
    price_everything(&app);

    let before = scrape(&app).await;
    let billed = "kvartplata_billing_apartments_billed_total";
    let runs = |status: &str| format!("kvartplata_billing_runs{{status=\"{status}\"}}");
    assert_eq!(value(&before, billed), 0.0);
    assert_eq!(value(&before, &runs("completed")), 0.0);
    assert_eq!(value(&before, &runs("running")), 0.0);

    let path = format!("/api/v1/houses/{house}/billing-runs");
    let (status, run) = post(&app, &path, json!({ "period": "2026-10" })).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{run}");

    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen: Vec<f64> = Vec::new();
    let mut seen_mid_run = false;
    let last = loop {
        let text = scrape(&app).await;
        let now = value(&text, billed);
        seen.push(now);
        if value(&text, &runs("running")) == 1.0 && now > 0.0 && now < APARTMENTS as f64 {
            seen_mid_run = true;
        }
        if value(&text, &runs("completed")) == 1.0 {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "the run did not complete:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(seen_mid_run, "no scrape saw the run in progress: {seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "the counter went down: {seen:?}"
    );
    assert_eq!(value(&last, billed), APARTMENTS as f64);
    assert_eq!(value(&last, &runs("running")), 0.0);
    assert_eq!(value(&last, &runs("queued")), 0.0);
    assert_eq!(value(&last, "kvartplata_billing_queue_length"), 0.0);
}

#[test]
fn the_queue_figures_count_waiting_runs_and_expired_leases() {
    let db = TestDb::migrated();
    let mut conn = db.conn();
    let house = HouseBuilder::new("3 Queue Row").insert(&mut conn).id();
    // One run per month (one active run per house and month at most).
    diesel::sql_query(
        "INSERT INTO billing_runs (house_id, period, status, lease_owner, lease_expires_at) VALUES \
           ($1, '2026-01-01', 'queued', NULL, NULL), \
           ($1, '2026-02-01', 'running', 'dead:1/7', now() - interval '1 minute'), \
           ($1, '2026-03-01', 'running', 'live:1/8', now() + interval '1 minute'), \
           ($1, '2026-04-01', 'running', NULL, NULL), \
           ($1, '2026-05-01', 'completed', NULL, NULL), \
           ($1, '2026-06-01', 'completed', NULL, NULL)",
    )
    .bind::<BigInt, _>(house)
    .execute(&mut conn)
    .unwrap();

    assert_eq!(
        run_stats::queue_counts(&mut conn).unwrap(),
        // Queued, expired and handed back wait; the live lease does not.
        QueueCounts {
            waiting: 3,
            lease_expired: 1
        }
    );
    let by_status: Vec<(String, i64)> = run_stats::runs_by_status(&mut conn)
        .unwrap()
        .into_iter()
        .map(|c| (c.status, c.runs))
        .collect();
    assert_eq!(
        by_status,
        [
            ("completed".to_owned(), 2),
            ("queued".to_owned(), 1),
            ("running".to_owned(), 3)
        ]
    );
}
