use std::time::Duration;

use kvartplata::db::{self, DatabaseHealth};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::api::{answer, post};
use crate::helpers::app::{TestApp, eventually, spawn_app, spawn_app_configured, spawn_app_with};
use crate::helpers::db::TestDb;
use crate::helpers::fixtures::{HouseBuilder, price_everything};
use crate::helpers::proxy::DbProxy;

async fn health(app: &TestApp) -> (StatusCode, Value) {
    answer(app.get("/healthz").await).await
}

#[tokio::test]
async fn healthz_answers_200_while_the_database_answers() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_503_while_postgres_is_down_and_200_when_it_is_back() {
    let proxy = DbProxy::start().await;
    let db = TestDb::migrated();
    let url = proxy.url_for(&db.name);
    let app = spawn_app_with(db, &url);
    let status = || async { app.get("/healthz").await.status() };

    assert!(
        eventually(Duration::from_secs(10), || async {
            status().await == StatusCode::OK
        })
        .await,
        "healthy before the outage"
    );

    proxy.go_down();
    let (code, body) = health(&app).await;
    assert_eq!(code, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, json!({"status": "unavailable", "database": "down"}));
    // Pages that need the database answer 503 too, with a styled page.
    let page = app.get("/houses").await;
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    let html = page.text().await.unwrap();
    assert!(html.contains("База данных не отвечает"), "{html}");
    assert!(!html.contains("connection"), "no internal text: {html}");

    proxy.come_back();
    assert!(
        eventually(Duration::from_secs(20), || async {
            status().await == StatusCode::OK
        })
        .await,
        "healthy again without a restart"
    );
    assert_eq!(app.get("/houses").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn healthz_says_ok_and_up_when_the_pool_has_room() {
    let app = spawn_app().await;
    let (code, body) = health(&app).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(body, json!({"status": "ok", "database": "up"}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_200_busy_while_every_pooled_connection_is_in_use() {
    let app = spawn_app_configured(|s| s.db_pool_size = 2).await;
    // The pool's connections, held as long requests or billing would.
    let pool = app.pool.clone();
    let held = tokio::task::spawn_blocking(move || [pool.get().unwrap(), pool.get().unwrap()])
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let (code, body) = health(&app).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "busy", "{body}");
    assert_eq!(body["database"], "busy", "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "it did not wait for the pool: {:?}",
        started.elapsed()
    );
    drop(held);
    let (code, body) = health(&app).await;
    assert_eq!(
        (code, body["status"].clone()),
        (StatusCode::OK, json!("ok"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_stays_200_with_a_pool_of_two_while_billing_runs() {
    const APARTMENTS: i64 = 1000;
    let app = spawn_app_configured(|s| {
        s.db_pool_size = 2;
        s.billing_workers = std::num::NonZeroUsize::new(2);
        s.billing_batch_size = 1;
    })
    .await;
    price_everything(&app);
    let mut runs = Vec::new();
    for address in ["1 Busy Street", "2 Busy Street"] {
        let house = HouseBuilder::new(address)
            .apartments(APARTMENTS as usize)
            .insert(&app)
            .id();
        let path = format!("/api/v1/houses/{house}/billing-runs");
        let (code, run) = post(&app, &path, json!({ "period": "2026-10" })).await;
        assert_eq!(code, StatusCode::ACCEPTED, "{run}");
        runs.push(run["id"].as_i64().unwrap());
    }
    let mut answers = Vec::new();
    for _ in 0..17 {
        let (code, body) = health(&app).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        let status = body["status"].as_str().unwrap().to_owned();
        assert!(matches!(status.as_str(), "ok" | "busy"), "{body}");
        answers.push(status);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The probes ran while billing did.
    let (_, run) = answer(app.get(&format!("/api/v1/billing-runs/{}", runs[1])).await).await;
    assert_ne!(run["status"], "failed", "{run}");
    assert!(
        run["processed"].as_i64().unwrap() < APARTMENTS,
        "billing ended before the probes did: {run} {answers:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_probe_tells_a_busy_pool_from_a_database_that_does_not_answer() {
    let proxy = DbProxy::start().await;
    let db = TestDb::migrated();
    let url = proxy.url_for(&db.name);
    let pool = db::build_pool(&url, 2);
    let probe = || {
        let (pool, url) = (pool.clone(), url.clone());
        async move {
            tokio::task::spawn_blocking(move || db::probe(&pool, &url, Duration::from_secs(2)))
                .await
                .unwrap()
        }
    };

    let full = pool.clone();
    let held = tokio::task::spawn_blocking(move || [full.get().unwrap(), full.get().unwrap()])
        .await
        .unwrap();
    let found = probe().await;
    assert!(matches!(found, DatabaseHealth::Busy), "{found:?}");
    drop(held);
    let found = probe().await;
    assert!(matches!(found, DatabaseHealth::Up), "{found:?}");

    proxy.go_down();
    let found = probe().await;
    assert!(matches!(found, DatabaseHealth::Down(_)), "{found:?}");
}
