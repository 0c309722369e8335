use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::app::{eventually, spawn_app, spawn_app_with};
use crate::helpers::db::TestDb;
use crate::helpers::proxy::DbProxy;

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
    assert_eq!(status().await, StatusCode::SERVICE_UNAVAILABLE);
    // Pages that need the database answer 503 too, with a styled page.
    let page = app.get("/houses").await;
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    let html = page.text().await.unwrap();
    assert!(html.contains("The database is not answering"), "{html}");
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
