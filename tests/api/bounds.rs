//! Input at the edges of what is accepted: years outside 1900–2200, NUL
//! bytes in query strings, bodies and files far larger than any real one.
//! Each is refused with a 4xx naming the field, never a 500.

use std::fs::File;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kvartplata::domain::{MeterKind, Role};
use kvartplata::services::accounts;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::api::{field_names, get, post};
use crate::helpers::app::{api_client, free_port};
use crate::helpers::db::TestDb;
use crate::helpers::fixtures::HouseBuilder;
use crate::helpers::pages::{Visitor, csrf_token};

/// Years PostgreSQL refuses (0000), that are out of any bill's range, or
/// that `str::parse` would read with a sign.
const BAD_MONTHS: [&str; 5] = ["0000-01", "10000-01", "+202-11", "1899-12", "2201-01"];

#[tokio::test]
async fn years_outside_1900_to_2200_are_422_on_every_api_channel() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Годовая, 1")
        .apartments(1)
        .meter_in_each(MeterKind::ColdWater, "Y")
        .insert(&v.app);
    let id = house.id();
    let meter = house.meter("Y-1").id.0;
    for bad in BAD_MONTHS {
        // A readings batch names the row and the field.
        let (status, body) = post(
            &v.app,
            "/api/v1/readings",
            json!({"readings": [{"meter_id": meter, "period": bad, "value": "1"}]}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(body["errors"][0]["field"], "period", "{bad}: {body}");

        // Query strings.
        for path in [
            format!("/api/v1/houses/{id}/readings?period={bad}"),
            format!("/api/v1/houses/{id}/charges?period={bad}"),
        ] {
            let path = path.replace('+', "%2B");
            let (status, body) = get(&v.app, &path).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
            assert_eq!(field_names(&body), ["period"], "{path}");
        }

        // A tariff's first month and a billing run's month.
        let (status, body) = post(
            &v.app,
            "/api/v1/tariffs",
            json!({"service": "cold_water", "price": "40", "valid_from": bad}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(field_names(&body), ["valid_from"], "{bad}");
        let (status, body) = post(
            &v.app,
            &format!("/api/v1/houses/{id}/billing-runs"),
            json!({ "period": bad }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(field_names(&body), ["period"], "{bad}");
    }
    let (status, body) = get(&v.app, "/api/v1/tariffs").await;
    assert_eq!((status, body), (StatusCode::OK, Value::Array(vec![])));
}

#[tokio::test]
async fn years_outside_1900_to_2200_are_422_in_the_tariff_form() {
    let v = Visitor::start().await;
    for bad in BAD_MONTHS {
        let token = csrf_token(&v.page("/tariffs/new").await);
        let response = v
            .post_raw(
                "/tariffs",
                &[
                    ("csrf_token", &token),
                    ("service", "cold_water"),
                    ("price", "40"),
                    ("valid_from", bad),
                    ("house_id", ""),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let html = response.text().await.unwrap();
        assert!(html.contains(r#"id="error-valid_from""#), "{bad}: {html}");
    }
}

#[tokio::test]
async fn a_nul_byte_in_a_query_string_is_a_400_naming_the_parameter() {
    let v = Visitor::start().await;
    HouseBuilder::new("ул. Нулевая, 1")
        .apartments(1)
        .insert(&v.app);
    for (path, name) in [
        ("/houses?q=%00", "q"),
        ("/houses?q=28%00A&page=1", "q"),
        ("/audit?meter=%00", "meter"),
        ("/audit?meter=X%00&user=admin", "meter"),
    ] {
        let (status, html) = v.get(path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {html}");
        assert!(
            html.contains(&format!("&#34;{name}&#34;")),
            "{path}: {html}"
        );
    }
    let response = v.app.get("/api/v1/houses?q=%00").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("\"q\""), "{body}");
    // Without the NUL the same searches answer.
    assert_eq!(v.get("/houses?q=28A").await.0, StatusCode::OK);
    assert_eq!(v.get("/audit?user=admin").await.0, StatusCode::OK);
}

/// A `kvartplata serve` process of its own, so its peak memory can be read
/// from /proc; killed when dropped.
struct Server {
    child: Child,
    port: u16,
    log: std::path::PathBuf,
}

impl Server {
    fn start(db: &TestDb) -> Self {
        let port = free_port();
        let log = std::env::temp_dir().join(format!(
            "kvartplata-bounds-{}.log",
            uuid::Uuid::new_v4().simple()
        ));
        let out = File::create(&log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_kvartplata"))
            .arg("serve")
            .env("DATABASE_URL", &db.url)
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .env("BILLING_WORKERS", "1")
            .env("DB_POOL_SIZE", "4")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        Self { child, port, log }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    async fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = reqwest::Client::new();
        while client.get(self.url("/healthz")).send().await.is_err() {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the server exited with {status}:\n{}", self.log());
            }
            assert!(Instant::now() < deadline, "not serving:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The process's peak resident memory (VmHWM), in MiB.
    fn peak_rss_mib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kib: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.trim().strip_suffix("kB"))
            .map(|kib| kib.trim().parse().unwrap())
            .expect("VmHWM in /proc/PID/status");
        kib / 1024
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// `{"readings": [0,0,…]}` just under the 16 MiB body limit: 8.4 million
/// rows, each of them wrong.
fn zeros_body(key: &str, prefix: &str) -> String {
    let limit = 16 * 1024 * 1024;
    let head = format!("{{{prefix}\"{key}\":[");
    let rows = (limit - head.len() - 3) / 2;
    let mut body = String::with_capacity(limit);
    body.push_str(&head);
    for _ in 1..rows {
        body.push_str("0,");
    }
    body.push_str("0]}");
    assert!(body.len() <= limit && body.len() > limit - 16);
    body
}

#[tokio::test]
async fn a_16_mb_readings_body_answers_under_1_mb_in_bounded_memory() {
    let db = TestDb::migrated();
    let token = {
        let mut conn = db.conn();
        accounts::create_user(&mut conn, "bulk", "bulk-password-1", Role::Admin).unwrap();
        accounts::create_token(&mut conn, "bulk", "bounds").unwrap()
    };
    let mut server = Server::start(&db);
    server.wait_ready().await;
    let client = api_client(&token);
    let before = server.peak_rss_mib();

    let body = zeros_body("readings", "");
    let response = client
        .post(server.url("/api/v1/readings"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let answer = response.bytes().await.unwrap();
    let peak = server.peak_rss_mib();
    println!(
        "POST /api/v1/readings, 16 MiB of zeros: {status}, answer {} bytes, \
         peak RSS {before} MiB before, {peak} MiB after",
        answer.len()
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.len() < 1024 * 1024, "{} bytes", answer.len());
    let json: Value = serde_json::from_slice(&answer).unwrap();
    assert!(
        json["fields"]["readings"]
            .as_str()
            .unwrap()
            .contains("at most 50000 readings"),
        "{json}"
    );
    assert!(peak < 300, "peak RSS {peak} MiB");

    // Just under the row limit, every row wrong: the first 1,000 errors
    // listed, the rest counted.
    let rows: Vec<Value> = (0..kvartplata::services::readings::MAX_BATCH_ROWS)
        .map(|_| json!({"meter_id": 999_999, "period": "2026-01", "value": "1"}))
        .collect();
    let response = client
        .post(server.url("/api/v1/readings"))
        .json(&json!({ "readings": rows }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let answer = response.bytes().await.unwrap();
    assert!(answer.len() < 1024 * 1024, "{} bytes", answer.len());
    let json: Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(json["errors"].as_array().unwrap().len(), 1_000);
    assert_eq!(json["more_errors"], 49_000);
    assert_eq!(json["errors"][999]["index"], 999);
    let peak = server.peak_rss_mib();
    assert!(peak < 300, "peak RSS {peak} MiB");
}
