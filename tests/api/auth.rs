//! Accounts and security: every page and endpoint needs a user, roles are
//! enforced for pages and API alike, tokens can be revoked, forms need
//! their CSRF token, sign-in attempts are limited, secrets stay out of the
//! logs and the database, and every answer carries the security headers.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::Text;
use kvartplata::domain::{Period, Role};
use kvartplata::services::logins;
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::app::{
    ADMIN_NAME, ADMIN_PASSWORD, TestApp, eventually, free_port, spawn_app, spawn_app_without_users,
};
use crate::helpers::db::TestDb;
use crate::helpers::pages::csrf_token;

/// Ids of one of everything, created through the API as the admin.
struct Seeded {
    house: i64,
    apartment: i64,
    meter: i64,
    tariff: i64,
    run: i64,
}

async fn seed(app: &TestApp) -> Seeded {
    let house: Value = app
        .client
        .post(app.url("/api/v1/houses"))
        .json(&json!({
            "address": "ул. Тестовая, 1",
            "services": ["cold_water", "maintenance"],
            "apartments": [{"number": "1", "area": "50.00",
                            "meters": [{"serial": "CW-1", "kind": "cold_water"}]}]
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let apartment = &house["apartments"][0];
    // The requisites, so that everyone's GET of them finds them.
    let organization = app
        .client
        .put(app.url("/api/v1/organization"))
        .json(&json!({
            "name": "ООО «УК Тестовая»", "inn": "7707083893", "kpp": "773601001",
            "address": "ул. Тестовая, 1", "bank_name": "ПАО Сбербанк", "bic": "044525225",
            "account": "40702810938000012345", "corr_account": "30101810400000000225"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(organization.status(), StatusCode::OK);
    let mut tariff = 0;
    for service in ["maintenance", "cold_water"] {
        let created: Value = app
            .client
            .post(app.url("/api/v1/tariffs"))
            .json(&json!({"service": service, "price": "10", "valid_from": "2020-01"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        tariff = created["id"].as_i64().unwrap();
    }
    crate::helpers::fixtures::add_normative(
        app,
        kvartplata::domain::MeterKind::ColdWater,
        rust_decimal::Decimal::new(4, 0),
        Period::new(2020, 1).unwrap(),
    );
    let period = Period::current().to_string();
    let response = app
        .client
        .post(app.url("/api/v1/readings"))
        .json(&json!({"readings": [{"serial": "CW-1", "period": period, "value": "5"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let house_id = house["id"].as_i64().unwrap();
    let run: Value = app
        .client
        .post(app.url(&format!("/api/v1/houses/{house_id}/billing-runs")))
        .json(&json!({ "period": period }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let run = run["id"].as_i64().expect("a billing run");
    // The workers bill it at once: wait for them, so that its lines are not
    // written while a test compares snapshots of the data.
    let path = format!("/api/v1/billing-runs/{run}");
    let billed = eventually(Duration::from_secs(30), || async {
        let body: Value = app.get(&path).await.json().await.unwrap();
        body["status"] == "completed"
    })
    .await;
    assert!(billed, "the seed's billing run did not complete");
    Seeded {
        house: house_id,
        apartment: apartment["id"].as_i64().unwrap(),
        meter: apartment["meters"][0]["id"].as_i64().unwrap(),
        tariff,
        run,
    }
}

/// Every route of the app but the public ones: method, path, and the body
/// a write would carry (a form for pages, JSON for the API).
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/houses"),
    ("POST", "/houses"),
    ("GET", "/houses/new"),
    ("GET", "/houses/{house}"),
    ("POST", "/houses/{house}"),
    ("GET", "/houses/{house}/edit"),
    ("POST", "/houses/{house}/delete"),
    ("GET", "/houses/{house}/apartments/new"),
    ("POST", "/houses/{house}/apartments"),
    ("GET", "/apartments/{apartment}"),
    ("POST", "/apartments/{apartment}"),
    ("GET", "/apartments/{apartment}/edit"),
    ("POST", "/apartments/{apartment}/delete"),
    ("GET", "/apartments/{apartment}/meters/new"),
    ("POST", "/apartments/{apartment}/meters"),
    ("GET", "/meters/{meter}"),
    ("POST", "/meters/{meter}"),
    ("GET", "/meters/{meter}/edit"),
    ("POST", "/meters/{meter}/delete"),
    ("GET", "/houses/{house}/readings"),
    ("POST", "/houses/{house}/readings"),
    ("GET", "/houses/{house}/readings/template.csv"),
    ("GET", "/houses/{house}/readings/upload"),
    ("POST", "/houses/{house}/readings/upload"),
    ("GET", "/tariffs"),
    ("POST", "/tariffs"),
    ("GET", "/tariffs/new"),
    ("GET", "/tariffs/{tariff}/edit"),
    ("POST", "/tariffs/{tariff}"),
    ("POST", "/tariffs/{tariff}/delete"),
    ("GET", "/billing-runs"),
    ("POST", "/billing-runs"),
    ("GET", "/billing-runs/{run}"),
    ("POST", "/houses/{house}/billing-runs"),
    ("GET", "/houses/{house}/charges?period=2026-01"),
    ("GET", "/houses/{house}/charges.csv?period=2026-01"),
    ("POST", "/apartments/{apartment}/account"),
    ("GET", "/accounts?account=1001"),
    ("GET", "/houses/{house}/balances"),
    ("GET", "/houses/{house}/balances.csv"),
    ("GET", "/debtors"),
    ("GET", "/payments/import"),
    ("POST", "/payments/import"),
    ("GET", "/payments/unmatched"),
    ("POST", "/payments/1/assign"),
    ("GET", "/key-rates"),
    ("POST", "/key-rates"),
    ("POST", "/key-rates/1/delete"),
    ("GET", "/organization"),
    ("POST", "/organization"),
    ("GET", "/audit"),
    ("GET", "/api/docs"),
    ("GET", "/tokens"),
    ("POST", "/tokens"),
    ("POST", "/tokens/1/revoke"),
    ("GET", "/users"),
    ("POST", "/users"),
    ("POST", "/users/1/role"),
    ("POST", "/logout"),
    ("GET", "/api/v1/houses"),
    ("POST", "/api/v1/houses"),
    ("GET", "/api/v1/houses/{house}"),
    ("PATCH", "/api/v1/houses/{house}"),
    ("DELETE", "/api/v1/houses/{house}"),
    ("POST", "/api/v1/houses/{house}/apartments"),
    ("GET", "/api/v1/apartments/{apartment}"),
    ("PATCH", "/api/v1/apartments/{apartment}"),
    ("DELETE", "/api/v1/apartments/{apartment}"),
    ("POST", "/api/v1/apartments/{apartment}/meters"),
    ("GET", "/api/v1/meters/{meter}"),
    ("PATCH", "/api/v1/meters/{meter}"),
    ("DELETE", "/api/v1/meters/{meter}"),
    ("GET", "/api/v1/meters/{meter}/readings"),
    ("GET", "/api/v1/houses/{house}/readings?period=2026-01"),
    ("POST", "/api/v1/readings"),
    ("GET", "/api/v1/tariffs"),
    ("POST", "/api/v1/tariffs"),
    ("GET", "/api/v1/tariffs/{tariff}"),
    ("PATCH", "/api/v1/tariffs/{tariff}"),
    ("DELETE", "/api/v1/tariffs/{tariff}"),
    ("POST", "/api/v1/houses/{house}/billing-runs"),
    ("GET", "/api/v1/billing-runs"),
    ("POST", "/api/v1/billing-runs"),
    ("GET", "/api/v1/billing-runs/{run}"),
    ("GET", "/api/v1/houses/{house}/charges?period=2026-01"),
    ("GET", "/api/v1/organization"),
    ("PUT", "/api/v1/organization"),
    ("GET", "/api/v1/openapi.json"),
];

fn path(template: &str, ids: &Seeded) -> String {
    template
        .replace("{house}", &ids.house.to_string())
        .replace("{apartment}", &ids.apartment.to_string())
        .replace("{meter}", &ids.meter.to_string())
        .replace("{tariff}", &ids.tariff.to_string())
        .replace("{run}", &ids.run.to_string())
}

/// Sends `method` to `path` with a body that would be accepted from an
/// admin: form fields (with `csrf`) for pages, JSON for the API.
async fn send(
    client: &Client,
    app: &TestApp,
    method: &str,
    path: &str,
    csrf: &str,
) -> reqwest::Response {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let request = client.request(method.clone(), app.url(path));
    let request = if method == reqwest::Method::GET {
        request
    } else if path.starts_with("/api/") {
        request.json(&json!({
            "address": "ул. Новая, 2", "number": "2", "area": "40", "serial": "HW-9",
            "kind": "hot_water", "service": "hot_water", "price": "20", "valid_from": "2021-01",
            "period": Period::current().to_string(),
            "readings": [{"serial": "CW-1", "period": Period::current().to_string(), "value": "7"}]
        }))
    } else {
        request.form(&[
            ("csrf_token", csrf),
            ("address", "ул. Новая, 2"),
            ("number", "2"),
            ("area", "40"),
            ("serial", "HW-9"),
            ("kind", "hot_water"),
            ("initial_reading", "0"),
            ("service", "hot_water"),
            ("price", "20"),
            ("valid_from", "2021-01"),
            ("house_id", ""),
            ("period", &Period::current().to_string()),
            ("name", "someone"),
            ("password", "a long enough password"),
            ("role", "admin"),
        ])
    };
    request.send().await.unwrap()
}

#[derive(QueryableByName)]
struct Digest {
    #[diesel(sql_type = Text)]
    digest: String,
}

/// A fingerprint of every row of the tables a request could change.
fn snapshot(app: &TestApp) -> Vec<String> {
    let mut conn = app.db.conn();
    let mut digests: Vec<String> = [
        "houses",
        "apartments",
        "meters",
        "readings",
        "tariffs",
        "billing_runs",
        "charges",
        "users",
        "organization",
    ]
    .iter()
    .map(|table| {
        diesel::sql_query(format!(
            "SELECT '{table}:' || count(*) || ':' || \
             coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS digest FROM {table} t"
        ))
        .get_result::<Digest>(&mut conn)
        .unwrap()
        .digest
    })
    .collect();
    // Using a token notes when it was used: count tokens and revocations only.
    digests.push(
        diesel::sql_query(
            "SELECT 'api_tokens:' || count(*) || ':' || count(revoked_at) AS digest FROM api_tokens",
        )
        .get_result::<Digest>(&mut conn)
        .unwrap()
        .digest,
    );
    digests
}

#[tokio::test]
async fn anonymous_requests_to_every_page_and_endpoint_are_refused() {
    let app = spawn_app().await;
    let ids = seed(&app).await;
    let before = snapshot(&app);
    // A fresh connection per request: the server refuses before reading the
    // body and then closes the connection, which a pooled client may already
    // be sending the next request on (a failed send, not a refusal).
    let anonymous = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    for (method, template) in ROUTES {
        let path = path(template, &ids);
        let response = send(&anonymous, &app, method, &path, "").await;
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|l| l.to_str().unwrap().to_owned());
        // The API answers 401; pages (the API docs page too) lead to /login.
        if path.starts_with("/api/v1") {
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
            assert_eq!(
                response.headers()[header::WWW_AUTHENTICATE],
                "Bearer",
                "{method} {path}"
            );
            let body: Value = response.json().await.unwrap();
            assert!(body["error"].is_string(), "{method} {path}: {body}");
        } else {
            assert_eq!(status, StatusCode::SEE_OTHER, "{method} {path}");
            let location = location.unwrap();
            assert!(
                location.starts_with("/login"),
                "{method} {path} -> {location}"
            );
            if *method == "GET" {
                let back =
                    url::form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>();
                assert_eq!(location, format!("/login?next={back}"), "{method} {path}");
            }
        }
    }
    assert_eq!(snapshot(&app), before, "an anonymous request changed data");

    // A made-up or malformed token is refused at once, pages included.
    for auth in ["Bearer kvp_0000", "Basic YWRtaW46cGFzcw==", "Bearer"] {
        for path in ["/api/v1/houses", "/houses"] {
            let response = anonymous
                .get(app.url(path))
                .header(header::AUTHORIZATION, auth)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{auth} {path}");
        }
    }
}

#[tokio::test]
async fn the_login_page_health_check_and_static_files_are_open() {
    let app = spawn_app().await;
    let anonymous = app.anonymous_client();
    for path in [
        "/login",
        "/healthz",
        "/static/css/app.css",
        "/static/js/progress.js",
    ] {
        let response = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    // The setup page closes once a user exists.
    let response = anonymous.get(app.url("/setup")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/login");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    let anonymous = app.anonymous_client();
    let answers = [
        anonymous.get(app.url("/login")).send().await.unwrap(),
        anonymous.get(app.url("/healthz")).send().await.unwrap(),
        anonymous
            .get(app.url("/static/css/app.css"))
            .send()
            .await
            .unwrap(),
        anonymous.get(app.url("/houses")).send().await.unwrap(),
        anonymous
            .get(app.url("/api/v1/houses"))
            .send()
            .await
            .unwrap(),
        app.get("/").await,
        app.get("/houses/999999").await,
        app.get("/api/v1/houses").await,
    ];
    for response in answers {
        let url = response.url().clone();
        let headers = response.headers();
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ] {
            assert!(csp.contains(directive), "{url}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{url}: {csp}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{url}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{url}");
        assert_eq!(headers[header::REFERRER_POLICY], "same-origin", "{url}");
    }
}

/// A browser-like client signed in with a password, holding a valid CSRF
/// token for its session.
async fn signed_in(app: &TestApp, name: &str) -> (Client, String) {
    let client = app.signed_in_client(name, ADMIN_PASSWORD).await;
    let page = client.get(app.url("/tokens")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csrf = csrf_token(&page.text().await.unwrap());
    (client, csrf)
}

#[tokio::test]
async fn a_viewer_reads_everything_and_changes_nothing() {
    let app = spawn_app().await;
    let ids = seed(&app).await;
    let token = app.user_with_token("vera", Role::Viewer);
    let (session, csrf) = signed_in(&app, "vera").await;
    let before = snapshot(&app);
    for (method, template) in ROUTES {
        let path = path(template, &ids);
        if path == "/logout" {
            continue;
        }
        for (how, client) in [("session", &session), ("token", &app.client)] {
            let response = if how == "token" {
                let request = client.request(
                    reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                    app.url(&path),
                );
                // app.client carries the admin's token: replace it.
                let request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
                let request = if *method == "GET" {
                    request
                } else {
                    request.json(&json!({"address": "x"}))
                };
                request.send().await.unwrap()
            } else {
                send(client, &app, method, &path, &csrf).await
            };
            let status = response.status();
            if *method == "GET" {
                let forbidden = path.starts_with("/users");
                assert_eq!(
                    status == StatusCode::FORBIDDEN,
                    forbidden,
                    "viewer ({how}) GET {path}: {status}"
                );
                if !forbidden {
                    assert!(status.is_success(), "viewer ({how}) GET {path}: {status}");
                }
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "viewer ({how}) {method} {path}"
                );
                let body = response.text().await.unwrap();
                if path.starts_with("/api/") {
                    let body: Value = serde_json::from_str(&body).unwrap();
                    assert!(body["error"].is_string(), "{body}");
                } else {
                    assert!(body.contains("Нет доступа"), "a styled page: {body}");
                }
            }
        }
    }
    assert_eq!(snapshot(&app), before, "a viewer changed data");
    // Signing out is the one thing a viewer may post.
    let response = send(&session, &app, "POST", "/logout", &csrf).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_manager_changes_houses_but_neither_tariffs_nor_users() {
    let app = spawn_app().await;
    let ids = seed(&app).await;
    app.user_with_token("maria", Role::Manager);
    let (manager, csrf) = signed_in(&app, "maria").await;
    let before = snapshot(&app);
    for (method, template) in [
        ("POST", "/tariffs"),
        ("POST", "/tariffs/{tariff}"),
        ("POST", "/tariffs/{tariff}/delete"),
        ("POST", "/api/v1/tariffs"),
        ("PATCH", "/api/v1/tariffs/{tariff}"),
        ("DELETE", "/api/v1/tariffs/{tariff}"),
        ("GET", "/users"),
        ("POST", "/users"),
        ("POST", "/users/1/role"),
        ("POST", "/organization"),
        ("PUT", "/api/v1/organization"),
    ] {
        let path = path(template, &ids);
        let response = send(&manager, &app, method, &path, &csrf).await;
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "manager {method} {path}"
        );
    }
    assert_eq!(
        snapshot(&app),
        before,
        "a manager changed tariffs, users or the requisites"
    );
    for (method, path) in [
        ("GET", "/tariffs"),
        ("GET", "/api/v1/tariffs"),
        ("GET", "/organization"),
        ("GET", "/api/v1/organization"),
    ] {
        let response = send(&manager, &app, method, path, &csrf).await;
        assert_eq!(response.status(), StatusCode::OK, "manager {method} {path}");
    }
    // Everything else is theirs: a house by form and by API (session cookie).
    let response = send(&manager, &app, "POST", "/houses", &csrf).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = manager
        .post(app.url("/api/v1/houses"))
        .json(&json!({"address": "ул. Менеджерская, 5"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn signing_in_checks_the_password_and_signing_out_ends_the_session() {
    let app = spawn_app().await;
    let client = app.anonymous_client();
    let response = client.get(app.url("/houses?q=1")).send().await.unwrap();
    assert_eq!(
        response.headers()[header::LOCATION],
        "/login?next=%2Fhouses%3Fq%3D1"
    );
    let csrf = app
        .csrf_from(&client, "/login?next=%2Fhouses%3Fq%3D1")
        .await;
    let login = async |name: &str, password: &str| {
        client
            .post(app.url("/login"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("name", name),
                ("password", password),
                ("next", "/houses?q=1"),
            ])
            .send()
            .await
            .unwrap()
    };
    // A wrong password and an unknown name get the same answer.
    let wrong_password = login(ADMIN_NAME, "not the password").await;
    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    let wrong_password = wrong_password.text().await.unwrap();
    let unknown = login("nobody", ADMIN_PASSWORD).await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let unknown = unknown.text().await.unwrap();
    for page in [&wrong_password, &unknown] {
        assert!(page.contains("Неверное имя пользователя или пароль."));
        assert!(!page.contains("not the password") && !page.contains(ADMIN_PASSWORD));
    }
    let response = client.get(app.url("/houses")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "still signed out");

    // Names are matched without regard to case; `next` is followed.
    let response = login("ADMIN", ADMIN_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/houses?q=1");
    let page = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains(ADMIN_NAME) && page.contains("Выйти"));
    // The session cookie works for the API too (the progress page polls it).
    let response = client.get(app.url("/api/v1/houses")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // A login form's CSRF token dies with the anonymous session.
    let response = client
        .post(app.url("/houses"))
        .form(&[("csrf_token", csrf.as_str()), ("address", "ул. Старая, 1")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "the CSRF token is renewed on sign-in"
    );

    let csrf = csrf_token(&page);
    let response = client
        .post(app.url("/logout"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/login");
    for path in ["/", "/api/v1/houses"] {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert!(
            matches!(
                response.status(),
                StatusCode::SEE_OTHER | StatusCode::UNAUTHORIZED
            ),
            "{path} after signing out: {}",
            response.status()
        );
    }
    // Off-site `next` values are ignored.
    let csrf = app.csrf_from(&client, "/login").await;
    let response = client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", ADMIN_NAME),
            ("password", ADMIN_PASSWORD),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::LOCATION], "/");
}

#[tokio::test]
async fn posts_without_a_valid_csrf_token_are_refused_login_included() {
    let app = spawn_app().await;
    let anonymous = app.anonymous_client();
    // The login form: no token, a wrong one, and a right one from another session.
    let good = app.csrf_from(&anonymous, "/login").await;
    let other = app.anonymous_client();
    let foreign = app.csrf_from(&other, "/login").await;
    assert_ne!(good, foreign);
    for token in [None, Some("0".repeat(64)), Some(foreign)] {
        let mut form = vec![
            ("name", ADMIN_NAME.to_owned()),
            ("password", ADMIN_PASSWORD.to_owned()),
        ];
        form.extend(token.map(|t| ("csrf_token", t)));
        let response = anonymous
            .post(app.url("/login"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    let response = anonymous.get(app.url("/houses")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "not signed in");

    // Signed in, a form without its token changes nothing.
    let (client, csrf) = signed_in(&app, ADMIN_NAME).await;
    let before = snapshot(&app);
    for token in ["", "forged"] {
        let response = client
            .post(app.url("/houses"))
            .form(&[("csrf_token", token), ("address", "ул. Подделка, 1")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = client
            .post(app.url("/users"))
            .form(&[
                ("csrf_token", token),
                ("name", "mallory"),
                ("password", "0123456789ab"),
                ("role", "admin"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    // Even with its token, a write the browser marks as cross-site is not
    // taken as signed in.
    let response = client
        .post(app.url("/houses"))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("address", "ул. Подделка, 2"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    assert_eq!(snapshot(&app), before);
    let response = client
        .post(app.url("/houses"))
        .header("Sec-Fetch-Site", "same-origin")
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("address", "ул. Настоящая, 1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "with its token the form works"
    );
}

#[tokio::test]
async fn five_failed_sign_ins_make_the_sixth_wait_even_with_the_right_password() {
    let app = spawn_app().await;
    let client = app.anonymous_client();
    let csrf = app.csrf_from(&client, "/login").await;
    let attempt = async |password: &str| {
        client
            .post(app.url("/login"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("name", ADMIN_NAME),
                ("password", password),
            ])
            .send()
            .await
            .unwrap()
    };
    for i in 0..5 {
        let response = attempt(&format!("guess number {i}")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let response = attempt(ADMIN_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = response.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((800..=900).contains(&retry), "{retry}");
    let page = response.text().await.unwrap();
    assert!(page.contains("Попробуйте снова через 15 минут."), "{page}");
    // Another name from the same address waits too (the address is limited).
    let other = client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "someone"),
            ("password", "whatever"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::TOO_MANY_REQUESTS);
    // API tokens are not sign-ins: they keep working.
    assert_eq!(app.get("/api/v1/houses").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_token_made_on_the_tokens_page_works_until_revoked_then_at_once_not() {
    let app = spawn_app().await;
    app.user_with_token("maria", Role::Manager);
    let (manager, csrf) = signed_in(&app, "maria").await;
    let response = manager
        .post(app.url("/tokens"))
        .form(&[("csrf_token", csrf.as_str()), ("name", "import script")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let page = response.text().await.unwrap();
    let start = page.find(r#"id="new-token">"#).unwrap() + r#"id="new-token">"#.len();
    let token = page[start..].split('<').next().unwrap().to_owned();
    assert!(token.starts_with("kvp_") && token.len() == 68, "{token}");

    let with_token = |path: &str| {
        app.anonymous_client()
            .get(app.url(path))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .send()
    };
    assert_eq!(
        with_token("/api/v1/houses").await.unwrap().status(),
        StatusCode::OK
    );
    // The page lists it (without the secret) and shows it was used.
    let list = app.text_of(&manager, "/tokens").await;
    assert!(list.contains("import script") && !list.contains(&token));
    assert!(list.contains(&token[..12]));

    // Another manager can neither see nor revoke it.
    app.user_with_token("boris", Role::Manager);
    let (boris, boris_csrf) = signed_in(&app, "boris").await;
    let list = app.text_of(&boris, "/tokens").await;
    assert!(!list.contains("import script"));
    let id: i64 = {
        use kvartplata::db::schema::api_tokens;
        api_tokens::table
            .filter(api_tokens::name.eq("import script"))
            .select(api_tokens::id)
            .first(&mut app.db.conn())
            .unwrap()
    };
    let response = boris
        .post(app.url(&format!("/tokens/{id}/revoke")))
        .form(&[("csrf_token", boris_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        with_token("/api/v1/houses").await.unwrap().status(),
        StatusCode::OK
    );

    let response = manager
        .post(app.url(&format!("/tokens/{id}/revoke")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let refused = with_token("/api/v1/houses").await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        refused.headers()[header::WWW_AUTHENTICATE],
        r#"Bearer error="invalid_token""#
    );
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "The API token is unknown or revoked.");
    assert_eq!(
        with_token("/houses").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );

    // The admin sees everyone's tokens, with their owners.
    let (admin, _) = signed_in(&app, ADMIN_NAME).await;
    let list = app.text_of(&admin, "/tokens").await;
    assert!(list.contains("import script") && list.contains("maria") && list.contains("отозван"));
}

#[tokio::test]
async fn a_viewer_sees_their_tokens_but_cannot_make_one() {
    let app = spawn_app().await;
    app.user_with_token("vera", Role::Viewer);
    let (viewer, csrf) = signed_in(&app, "vera").await;
    let page = app.text_of(&viewer, "/tokens").await;
    assert!(
        page.contains("Наблюдатели не могут создавать ключи.") && !page.contains("Создать ключ")
    );
    let response = viewer
        .post(app.url("/tokens"))
        .form(&[("csrf_token", csrf.as_str()), ("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("Ваша учётная запись только для просмотра: наблюдатель ничего не меняет."),
        "the refusal in the page's language: {page}"
    );
    let users = app.text_of(&viewer, "/users").await;
    assert!(
        users.contains("Пользователями управляет только администратор."),
        "{users}"
    );
}

#[tokio::test]
async fn the_admin_adds_users_and_changes_roles_but_never_demotes_the_last_admin() {
    let app = spawn_app().await;
    let (admin, csrf) = signed_in(&app, ADMIN_NAME).await;
    let add = async |name: &str, password: &str, role: &str| {
        admin
            .post(app.url("/users"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("name", name),
                ("password", password),
                ("role", role),
            ])
            .send()
            .await
            .unwrap()
    };
    let short = add("petr", "short", "manager").await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = short.text().await.unwrap();
    assert!(
        page.contains(r#"id="error-password""#)
            && page.contains("Пароль должен быть не короче 10 символов.")
    );
    assert!(page.contains(r#"value="petr""#), "the name is kept");
    assert!(!page.contains("short\""), "the password is not sent back");
    let bad_role = add("petr", "long enough pw", "root").await;
    assert_eq!(bad_role.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let created = add("petr", "long enough pw", "viewer").await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let taken = add("PETR", "long enough pw", "manager").await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);

    let petr = app.signed_in_client("petr", "long enough pw").await;
    let page = app.text_of(&petr, "/").await;
    assert!(page.contains(">наблюдатель<"));

    let ids: Vec<(i64, String)> = {
        use kvartplata::db::schema::users;
        users::table
            .select((users::id, users::name))
            .order_by(users::id)
            .load(&mut app.db.conn())
            .unwrap()
    };
    let (admin_id, petr_id) = (ids[0].0, ids[1].0);
    let set_role = async |id: i64, role: &str| {
        admin
            .post(app.url(&format!("/users/{id}/role")))
            .form(&[("csrf_token", csrf.as_str()), ("role", role)])
            .send()
            .await
            .unwrap()
    };
    assert_eq!(
        set_role(petr_id, "manager").await.status(),
        StatusCode::SEE_OTHER
    );
    // The new role applies to petr's next request, without signing in again.
    let response = app.text_of(&petr, "/").await;
    assert!(response.contains(">бухгалтер-оператор<"));
    // The only admin stays admin.
    assert_eq!(
        set_role(admin_id, "viewer").await.status(),
        StatusCode::SEE_OTHER
    );
    let page = app.text_of(&admin, "/users").await;
    assert!(page.contains("the only admin"), "{page}");
    let roles: Vec<String> = {
        use kvartplata::db::schema::users;
        users::table
            .select(users::role)
            .order_by(users::id)
            .load(&mut app.db.conn())
            .unwrap()
    };
    assert_eq!(roles, ["admin", "manager"]);
}

#[tokio::test]
async fn the_first_run_setup_creates_the_admin_once() {
    let app = spawn_app_without_users().await;
    let client = app.anonymous_client();
    for path in ["/", "/houses", "/login"] {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(response.headers()[header::LOCATION], "/setup", "{path}");
    }
    let response = client.get(app.url("/api/v1/houses")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    let page = client.get(app.url("/setup")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csrf = csrf_token(&page.text().await.unwrap());
    let setup = async |client: &Client, csrf: &str, confirm: &str| {
        client
            .post(app.url("/setup"))
            .form(&[
                ("csrf_token", csrf),
                ("name", "anna"),
                ("password", "anna's long password"),
                ("password_confirm", confirm),
            ])
            .send()
            .await
            .unwrap()
    };
    let mismatch = setup(&client, &csrf, "something else").await;
    assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        mismatch
            .text()
            .await
            .unwrap()
            .contains(r#"id="error-password_confirm""#)
    );
    let response = setup(&client, &csrf, "anna's long password").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/");
    let page = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "signed in as the new admin");
    assert!(page.text().await.unwrap().contains("anna"));

    // Once: another browser finds it closed, and posting is refused.
    let late = app.anonymous_client();
    let response = late.get(app.url("/setup")).send().await.unwrap();
    assert_eq!(response.headers()[header::LOCATION], "/login");
    let late_csrf = app.csrf_from(&late, "/login").await;
    let response = setup(&late, &late_csrf, "anna's long password").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let mut conn = app.db.conn();
    let users: Vec<(String, String)> = {
        use kvartplata::db::schema::users;
        users::table
            .select((users::name, users::role))
            .load(&mut conn)
            .unwrap()
    };
    assert_eq!(users, [("anna".to_owned(), "admin".to_owned())]);
    assert!(
        logins::authenticate(&mut conn, "anna", "anna's long password")
            .unwrap()
            .is_some()
    );
}

/// Every row of every table of the database as text.
fn whole_database(db: &TestDb) -> String {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        table_name: String,
    }
    let mut conn = db.conn();
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT table_name::text AS table_name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .load(&mut conn)
    .unwrap();
    assert!(tables.iter().any(|t| t.table_name == "users"));
    tables
        .iter()
        .map(|t| {
            diesel::sql_query(format!(
                r#"SELECT coalesce(string_agg(t::text, E'\n'), '') AS digest FROM "{}" t"#,
                t.table_name
            ))
            .get_result::<Digest>(&mut conn)
            .unwrap()
            .digest
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the real binary with debug logging, creates a user (password on
/// standard input) and a token with the CLI, signs in, fails a sign-in, uses
/// the token and the session: neither secret appears in any log line or
/// in any table.
#[tokio::test]
async fn passwords_and_tokens_appear_in_no_log_line_and_no_table() {
    let db = TestDb::migrated();
    let exe = env!("CARGO_BIN_EXE_kvartplata");
    let password = "Zebra-Password-4711";
    let wrong = "Wrong-Password-0815";

    let mut create = Command::new(exe)
        .args(["user", "create", "olga", "--admin"])
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(create.stdin.take().unwrap(), "{password}").unwrap();
    let created = create.wait_with_output().unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let mut log = String::from_utf8_lossy(&created.stdout).into_owned();
    log.push_str(&String::from_utf8_lossy(&created.stderr));
    assert!(log.contains("User olga created (admin)."), "{log}");

    let issued = Command::new(exe)
        .args(["token", "create", "olga"])
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    assert!(issued.status.success());
    let token = String::from_utf8(issued.stdout).unwrap().trim().to_owned();
    assert!(
        token.starts_with("kvp_"),
        "only the token is printed: {token}"
    );
    log.push_str(&String::from_utf8_lossy(&issued.stderr));

    let port = free_port();
    let mut server = Command::new(exe)
        .env("DATABASE_URL", &db.url)
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "debug")
        .env("BILLING_WORKERS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = Client::new();
    let mut up = false;
    for _ in 0..100 {
        if http.get(format!("{base}/healthz")).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server did not come up");

    let browser = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = browser
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_token(&page);
    for (attempt, expected) in [(wrong, 401), (password, 303)] {
        let response = browser
            .post(format!("{base}/login"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("name", "olga"),
                ("password", attempt),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), expected);
    }
    assert_eq!(
        browser
            .get(format!("{base}/houses"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    for auth in [format!("Bearer {token}"), format!("Bearer {token}x")] {
        let response = http
            .post(format!("{base}/api/v1/houses"))
            .header(header::AUTHORIZATION, auth)
            .json(&json!({"address": "ул. Логов, 1"}))
            .send()
            .await
            .unwrap();
        assert!(matches!(response.status().as_u16(), 201 | 401));
    }

    // SIGTERM would be kinder, but a kill is enough: the log is what counts.
    server.kill().unwrap();
    let out = server.wait_with_output().unwrap();
    log.push_str(&String::from_utf8_lossy(&out.stdout));
    log.push_str(&String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = BufReader::new(log.as_bytes())
        .lines()
        .map(|l| l.unwrap())
        .collect::<Vec<_>>()
        .leak()
        .iter()
        .map(String::as_str)
        .collect();
    assert!(
        lines.iter().any(|l| l.contains("POST /login")),
        "the request lines are logged: {log}"
    );
    assert!(lines.iter().any(|l| l.contains("POST /api/v1/houses")));
    for secret in [password, wrong, &token, &token[4..]] {
        let leaks: Vec<_> = lines.iter().filter(|l| l.contains(secret)).collect();
        assert!(leaks.is_empty(), "{secret} logged: {leaks:?}");
    }

    let stored = whole_database(&db);
    assert!(stored.contains("olga") && stored.contains("$argon2id$"));
    for secret in [password, wrong, &token, &token[4..]] {
        assert!(!stored.contains(secret), "{secret} stored in clear");
    }
}

/// Runs `kvartplata ARGS` with `stdin` as its standard input.
fn cli(db: &TestDb, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kvartplata"))
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_cli_creates_users_with_roles_and_tokens_and_says_why_it_cannot() {
    let db = TestDb::migrated();
    let out = cli(&db, &["user", "create", "ivan"], "short\n");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("at least 10 characters"), "{stderr}");

    for (name, flags, role) in [
        ("ivan", &[][..], "manager"),
        ("anna", &["--admin"][..], "admin"),
        ("vera", &["--role", "viewer"][..], "viewer"),
    ] {
        let mut args = vec!["user", "create", name];
        args.extend_from_slice(flags);
        // Only the first line counts; a Windows line ending is not part of it.
        let out = cli(&db, &args, "a long password\r\nignored\n");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let user = logins::authenticate(&mut db.conn(), name, "a long password")
            .unwrap()
            .expect("the password from stdin works");
        assert_eq!(user.role.as_str(), role);
    }
    let out = cli(&db, &["user", "create", "IVAN"], "a long password\n");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));

    let out = cli(&db, &["token", "create", "nobody"], "");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no user named \"nobody\""));
    let out = cli(&db, &["token", "create", "vera"], "");
    let token = String::from_utf8(out.stdout).unwrap();
    let user = logins::user_for_token(&mut db.conn(), token.trim())
        .unwrap()
        .expect("the printed token works");
    assert_eq!(user.name, "vera");
}

#[tokio::test]
async fn pages_offer_only_what_the_role_may_do() {
    let app = spawn_app().await;
    let ids = seed(&app).await;
    app.user_with_token("vera", Role::Viewer);
    app.user_with_token("mark", Role::Manager);
    let viewer = app.signed_in_client("vera", ADMIN_PASSWORD).await;
    let manager = app.signed_in_client("mark", ADMIN_PASSWORD).await;
    let admin = app.signed_in_client(ADMIN_NAME, ADMIN_PASSWORD).await;
    let page = async |client: &Client, path: &str| {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.text().await.unwrap()
    };
    let house = format!("/houses/{}", ids.house);

    let seen = page(&viewer, &house).await;
    for hidden in [
        "Добавить квартиру",
        "Изменить дом",
        "Удалить дом",
        "Рассчитать",
        "Загрузить из Excel",
    ] {
        assert!(!seen.contains(hidden), "a viewer is offered {hidden:?}");
    }
    assert!(!page(&viewer, "/tariffs").await.contains("New tariff"));
    assert!(!page(&viewer, "/").await.contains("Новый дом"));

    let seen = page(&manager, &house).await;
    for shown in [
        "Добавить квартиру",
        "Изменить дом",
        "Рассчитать",
        "Загрузить из Excel",
    ] {
        assert!(seen.contains(shown), "a manager is not offered {shown:?}");
    }
    // The house has a reading: deleting it is refused, so not offered.
    assert!(!seen.contains("Удалить дом"));
    let tariffs = page(&manager, "/tariffs").await;
    assert!(!tariffs.contains("Новый тариф") && !tariffs.contains("Удалить тариф"));

    let tariffs = page(&admin, "/tariffs").await;
    assert!(tariffs.contains("Новый тариф") && tariffs.contains("Удалить тариф"));
}

/// A sign-in attempt from `client` with `forwarded_for` as X-Forwarded-For.
async fn sign_in_from(
    app: &TestApp,
    client: &reqwest::Client,
    forwarded_for: &str,
    name: &str,
    password: &str,
) -> StatusCode {
    let csrf = app.csrf_from(client, "/login").await;
    client
        .post(app.url("/login"))
        .header("x-forwarded-for", forwarded_for)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", name),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn forty_parallel_wrong_passwords_are_nearly_all_refused_before_checking() {
    let app = spawn_app().await;
    let client = app.anonymous_client();
    let csrf = app.csrf_from(&client, "/login").await;
    let attempts = (0..40).map(|i| {
        let (client, csrf, url) = (client.clone(), csrf.clone(), app.url("/login"));
        tokio::spawn(async move {
            client
                .post(url)
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("name", ADMIN_NAME),
                    ("password", &format!("parallel guess {i}")),
                ])
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    let mut statuses = Vec::new();
    for attempt in attempts.collect::<Vec<_>>() {
        statuses.push(attempt.await.unwrap());
    }
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert!(
        refused >= 35,
        "{refused} × 429, {checked} × 401: {statuses:?}"
    );
    assert_eq!(refused + checked, 40, "{statuses:?}");
}

#[tokio::test]
async fn behind_a_trusted_proxy_one_clients_failures_do_not_lock_out_another() {
    let app = crate::helpers::app::spawn_app_configured(|settings| {
        settings.trusted_proxies = "127.0.0.1".parse().unwrap();
    })
    .await;
    let (mallory, anna) = (app.anonymous_client(), app.anonymous_client());
    for i in 0..6 {
        let name = format!("guess-{i}");
        sign_in_from(&app, &mallory, "203.0.113.66", &name, "wrong password").await;
    }
    let locked = sign_in_from(&app, &mallory, "203.0.113.66", "guess-x", "wrong password").await;
    assert_eq!(locked, StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy signs in.
    let other = sign_in_from(&app, &anna, "198.51.100.7", ADMIN_NAME, ADMIN_PASSWORD).await;
    assert_eq!(other, StatusCode::SEE_OTHER);
    // A client cannot step around its lock by writing its own header: the
    // proxy appends the real address last.
    let spoofed = sign_in_from(&app, &mallory, "198.51.100.7, 203.0.113.66", "guess-y", "x").await;
    assert_eq!(spoofed, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn from_an_untrusted_peer_x_forwarded_for_is_ignored() {
    let app = spawn_app().await;
    let client = app.anonymous_client();
    for i in 0..6 {
        let forwarded = format!("203.0.113.{i}");
        sign_in_from(
            &app,
            &client,
            &forwarded,
            &format!("guess-{i}"),
            "wrong password",
        )
        .await;
    }
    let fresh_header = sign_in_from(&app, &client, "198.51.100.7", "guess-z", "wrong").await;
    assert_eq!(
        fresh_header,
        StatusCode::TOO_MANY_REQUESTS,
        "the peer is what counts"
    );
}
