//! Input at the edges of what is accepted: years outside 1900–2200, NUL
//! bytes in query strings, bodies and files far larger than any real one.
//! Each is refused with a 4xx naming the field, never a 500.

use std::time::Duration;

use kvartplata::domain::{MeterKind, Role};
use kvartplata::services::logins;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::api::{field_names, get, post};
use crate::helpers::app::{api_client, browser_client_builder, free_port};
use crate::helpers::db::TestDb;
use crate::helpers::fixtures::HouseBuilder;
use crate::helpers::pages::{Visitor, csrf_token};
use crate::helpers::server::ServeProcess;

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
        assert!(html.contains(&format!("«{name}»")), "{path}: {html}");
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
/// from /proc, ready to answer.
fn start_server(db: &TestDb) -> ServeProcess {
    let mut server = ServeProcess::start(
        &db.url,
        free_port(),
        &[
            ("BILLING_WORKERS", Some("1")),
            ("DB_POOL_SIZE", Some("4")),
            ("RUST_LOG", Some("warn")),
        ],
    );
    server.wait_ready(Duration::from_secs(30));
    server
}

/// POSTs `body` as JSON with `token`: the status and the answer's bytes.
async fn post_json(
    server: &ServeProcess,
    token: &str,
    path: &str,
    body: String,
) -> (StatusCode, Vec<u8>) {
    let response = api_client(token)
        .post(server.url(path))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.bytes().await.unwrap().to_vec())
}

/// An admin of the server's own and an API token of theirs.
fn admin_token(conn: &mut diesel::PgConnection) -> String {
    logins::create_user(conn, "bulk", "bulk-password-1", Role::Admin).unwrap();
    logins::create_token(conn, "bulk", "bounds").unwrap()
}

/// `{"readings": [0,0,…]}` just under the 16 MiB body limit: 8.4 million
/// rows, each of them wrong.
fn zeros_body(key: &str, prefix: &str) -> String {
    zeros_body_under(16 * 1024 * 1024, key, prefix)
}

/// `{prefix "key": [0,0,…]}` of just under `limit` bytes.
fn zeros_body_under(limit: usize, key: &str, prefix: &str) -> String {
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
        admin_token(&mut conn)
    };
    let server = start_server(&db);
    let client = api_client(&token);
    let before = server.peak_rss_mib();

    let body = zeros_body("readings", "");
    let (status, answer) = post_json(&server, &token, "/api/v1/readings", body).await;
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

/// Sends the head of a request announcing a body of `length` bytes and
/// none of it: what the server answers from the announcement alone.
async fn announce(
    server: &ServeProcess,
    token: &str,
    method: &str,
    path: &str,
    length: usize,
) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket = tokio::net::TcpStream::connect(("127.0.0.1", server.port))
        .await
        .unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Authorization: Bearer {token}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n["
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = socket.read_to_end(&mut answer).await;
    String::from_utf8(answer).unwrap()
}

#[tokio::test]
async fn every_json_body_has_a_limit_and_a_house_at_the_limit_is_read_in_bounded_memory() {
    let db = TestDb::migrated();
    let (token, house, apartment, meter) = {
        let mut conn = db.conn();
        let token = admin_token(&mut conn);
        let house = HouseBuilder::new("ул. Тяжёлая, 1")
            .apartments(1)
            .meter_in_each(MeterKind::ColdWater, "T")
            .insert(&mut conn);
        let apartment = house.apartment("1").id.0;
        let meter = house.meter("T-1").id.0;
        (token, house.id().0, apartment, meter)
    };
    let server = start_server(&db);

    // 16.8 MB announced: refused from the announcement, on every body.
    let one_resource = [
        ("PATCH", format!("/api/v1/houses/{house}")),
        ("POST", format!("/api/v1/houses/{house}/apartments")),
        ("PATCH", format!("/api/v1/apartments/{apartment}")),
        ("POST", format!("/api/v1/apartments/{apartment}/meters")),
        ("PATCH", format!("/api/v1/meters/{meter}")),
        ("POST", "/api/v1/tariffs".to_owned()),
        ("POST", format!("/api/v1/houses/{house}/billing-runs")),
        ("POST", "/api/v1/billing-runs".to_owned()),
        ("POST", "/api/v1/houses".to_owned()),
    ];
    for (method, path) in &one_resource {
        for length in [16_800_000, 4 * 1024 * 1024 + 1] {
            let answer = announce(&server, &token, method, path, length).await;
            assert!(
                answer.starts_with("HTTP/1.1 413"),
                "{method} {path}: {answer}"
            );
            assert!(answer.len() < 1024, "{method} {path}: {answer}");
        }
    }
    // A tariff, an apartment, a meter: one resource is far below 64 KiB.
    let answer = announce(&server, &token, "POST", "/api/v1/tariffs", 64 * 1024 + 1).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    // A house body just under its 4 MiB, two million apartments, each wrong.
    let before = server.peak_rss_mib();
    let body = zeros_body_under(
        4 * 1024 * 1024,
        "apartments",
        r#""address": "ул. Новая, 2","#,
    );
    let rows = body.matches('0').count();
    let (status, answer) = post_json(&server, &token, "/api/v1/houses", body).await;
    let peak = server.peak_rss_mib();
    println!(
        "POST /api/v1/houses, 4 MiB of {rows} zeros: {status}, answer {} bytes, \
         peak RSS {before} MiB before, {peak} MiB after",
        answer.len()
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.len() < 1024 * 1024, "{} bytes", answer.len());
    let json: Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(json["fields"].as_object().unwrap().len(), 1_000);
    assert_eq!(json["fields"]["apartments[999]"], "Must be an object.");
    assert_eq!(json["more_errors"], rows - 1_000);
    assert!(peak < 300, "peak RSS {peak} MiB");
}

/// A month of readings padded to just under the upload limit (32 MiB, the
/// form's other field included): `lines` repeated after `header`.
fn padded_file(header: &str, line: &[u8]) -> Vec<u8> {
    let limit = 32 * 1024 * 1024 - 4 * 1024;
    let mut file = Vec::with_capacity(limit);
    file.extend_from_slice(header.as_bytes());
    while file.len() + line.len() <= limit {
        file.extend_from_slice(line);
    }
    file
}

/// Windows-1251, Cyrillic throughout (twice its size once decoded), every
/// line without a value, so every line is read: the costliest upload.
fn cyrillic_file() -> Vec<u8> {
    let (header, _, _) =
        encoding_rs::WINDOWS_1251.encode("Счётчик;Период;Показание;Примечание\r\n");
    let (line, _, _) =
        encoding_rs::WINDOWS_1251.encode("ХВ-000201;10.2026;;Показания не переданы\r\n");
    let mut file = header.into_owned();
    file.extend(padded_file("", &line));
    file
}

/// Uploads `file` to the readings form of `house` as a browser does, with
/// `client`'s session: the status and the page answered.
async fn upload_to(
    server: &ServeProcess,
    client: &reqwest::Client,
    house: i64,
    file: Vec<u8>,
) -> (StatusCode, String) {
    use reqwest::multipart::{Form, Part};
    let path = format!("/houses/{house}/readings/upload");
    let page = client.get(server.url(&path)).send().await.unwrap();
    let token = csrf_token(&page.text().await.unwrap());
    let part = Part::bytes(file)
        .file_name("readings.csv")
        .mime_str("text/csv")
        .unwrap();
    let response = client
        .post(server.url(&path))
        .multipart(Form::new().text("csrf_token", token).part("file", part))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn a_32_mib_upload_is_read_in_bounded_memory_and_answered_briefly() {
    let db = TestDb::migrated();
    let (token, house) = {
        let mut conn = db.conn();
        let token = admin_token(&mut conn);
        let house = HouseBuilder::new("ул. Объёмная, 1")
            .apartments(2)
            .meter_in_each(MeterKind::ColdWater, "ХВ")
            .insert(&mut conn);
        (token, house.id().0)
    };
    let server = start_server(&db);
    let client = browser_client_builder(Some(&token)).build().unwrap();
    let before = server.peak_rss_mib();

    // 2.3 million readings, far past the 50,000 one file may carry.
    let many = padded_file("Счётчик;Период;Показание\r\n", b"X-1;2026-10;1\r\n");
    // One line of 30 MiB.
    let mut long = b"serial;period;value\r\nA;2026-10;1\r\n".to_vec();
    long.extend(std::iter::repeat_n(b'7', 30 * 1024 * 1024));
    for (file, says) in [
        // The page speaks the signed-in user's language, Russian.
        (many, "В файле больше 50\u{a0}000 показаний"),
        (
            long,
            "Строку 3 не удаётся прочитать: строка длиннее 4096 байт",
        ),
        (cyrillic_file(), "В файле нет показаний"),
    ] {
        let size = file.len();
        let (status, html) = upload_to(&server, &client, house, file).await;
        let peak = server.peak_rss_mib();
        println!(
            "upload of {size} bytes: {status}, answer {} bytes, peak RSS {before} MiB before, \
             {peak} MiB after",
            html.len()
        );
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{says}");
        assert!(
            html.contains(says),
            "{says}: {}",
            html.chars().take(3000).collect::<String>()
        );
        assert!(html.len() < 64 * 1024, "{} bytes", html.len());
        assert!(peak - before < 200, "one upload took {} MiB", peak - before);
    }

    // Six at once: two are read at a time, so together they stay bounded.
    let file = cyrillic_file();
    let uploads = (0..6).map(|_| upload_to(&server, &client, house, file.clone()));
    for (status, html) in futures_util::future::join_all(uploads).await {
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("В файле нет показаний"));
    }
    let peak = server.peak_rss_mib();
    println!("six parallel uploads of 32 MiB: peak RSS {peak} MiB");
    assert!(peak < 300, "peak RSS {peak} MiB");
}
