//! Sessions kept on the server: signing out ends the cookie for good, a
//! restarted server (or another process) keeps it, and a form posted after
//! the session ended is offered again after signing in.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header;

use crate::helpers::app::{ADMIN_NAME, ADMIN_PASSWORD, TestApp, free_port, spawn_app};
use crate::helpers::db::TestDb;
use crate::helpers::pages::csrf_token;
use crate::helpers::server::ServeProcess;

/// A client without a cookie store: it sends exactly the cookie it is given.
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Signs in through the form and returns the session cookie (`name=value`).
async fn sign_in_cookie(base: &str, name: &str, password: &str) -> String {
    let client = bare_client();
    let page = client.get(format!("{base}/login")).send().await.unwrap();
    let anonymous = session_cookie(&page).expect("the login page starts a session");
    let csrf = csrf_token(&page.text().await.unwrap());
    let response = client
        .post(format!("{base}/login"))
        .header(header::COOKIE, &anonymous)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", name),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    session_cookie(&response).expect("signing in sets a new session cookie")
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("kvartplata=") && !v.starts_with("kvartplata=;"))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

async fn get_with(base: &str, cookie: &str, path: &str) -> reqwest::Response {
    bare_client()
        .get(format!("{base}{path}"))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_logged_out_cookie_gets_the_sign_in_page() {
    let app = spawn_app().await;
    let cookie = sign_in_cookie(&app.address, ADMIN_NAME, ADMIN_PASSWORD).await;
    let houses = get_with(&app.address, &cookie, "/houses").await;
    assert_eq!(houses.status(), StatusCode::OK);
    let csrf = csrf_token(&houses.text().await.unwrap());

    let out = bare_client()
        .post(app.url("/logout"))
        .header(header::COOKIE, &cookie)
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);

    // The browser forgot it; a copy of it is worth nothing now.
    let replayed = get_with(&app.address, &cookie, "/houses").await;
    assert_eq!(replayed.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&replayed).starts_with("/login"),
        "{}",
        location(&replayed)
    );
    let created = bare_client()
        .post(app.url("/houses"))
        .header(header::COOKIE, &cookie)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("address", "ул. Повторная, 1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&created), "/login");
    let (_, houses) = crate::helpers::api::get(&app, "/api/v1/houses").await;
    assert!(
        !houses.to_string().contains("Повторная"),
        "a replayed cookie created a house: {houses}"
    );
}

#[tokio::test]
async fn the_session_row_keeps_only_a_hash_of_the_cookie() {
    use diesel::prelude::*;
    let app = spawn_app().await;
    let cookie = sign_in_cookie(&app.address, ADMIN_NAME, ADMIN_PASSWORD).await;
    let mut conn = app.db.conn();
    let rows: Vec<(String, Option<i64>)> = kvartplata::db::schema::sessions::table
        .select((
            kvartplata::db::schema::sessions::id_hash,
            kvartplata::db::schema::sessions::user_id,
        ))
        .load(&mut conn)
        .unwrap();
    assert!(rows.iter().any(|(_, user)| user.is_some()), "{rows:?}");
    let value = cookie.split_once('=').unwrap().1;
    assert!(rows.iter().all(|(hash, _)| !value.contains(hash.as_str())));
    assert!(cookie.len() < 200, "the cookie stays small: {cookie}");
}

/// A `kvartplata serve` process of its own on `port`, ready to answer.
fn start_server(db: &TestDb, port: u16) -> ServeProcess {
    let mut server = ServeProcess::start(
        &db.url,
        port,
        &[
            ("BILLING_WORKERS", Some("1")),
            ("DB_POOL_SIZE", Some("3")),
            ("RUST_LOG", Some("warn")),
            ("SESSION_KEY", None),
        ],
    );
    server.wait_ready(Duration::from_secs(20));
    server
}

/// Stops `server` as a deployment does (SIGTERM), killing it after 15 s.
fn stop(mut server: ServeProcess) {
    server.signal_term();
    let deadline = Instant::now() + Duration::from_secs(15);
    while server.exited().is_none() {
        if Instant::now() > deadline {
            server.kill();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn a_restarted_server_keeps_a_signed_in_session_and_another_process_shares_it() {
    let db = TestDb::migrated();
    {
        let mut conn = db.conn();
        kvartplata::services::logins::create_user(
            &mut conn,
            ADMIN_NAME,
            ADMIN_PASSWORD,
            kvartplata::domain::Role::Admin,
        )
        .unwrap();
    }
    let port = free_port();
    let first = start_server(&db, port);
    let base = first.url("");
    let cookie = sign_in_cookie(&base, ADMIN_NAME, ADMIN_PASSWORD).await;
    assert_eq!(
        get_with(&base, &cookie, "/houses").await.status(),
        StatusCode::OK
    );
    stop(first);

    let restarted = start_server(&db, port);
    let after = get_with(&base, &cookie, "/houses").await;
    assert_eq!(after.status(), StatusCode::OK, "{}", location(&after));

    let other = start_server(&db, free_port());
    let there = get_with(&other.url(""), &cookie, "/houses").await;
    assert_eq!(there.status(), StatusCode::OK, "{}", location(&there));
    drop(restarted);
}

#[tokio::test]
async fn signing_out_everywhere_ends_the_users_sessions_at_once() {
    let app = spawn_app().await;
    app.user_with_token("olga", kvartplata::domain::Role::Manager);
    let olga = sign_in_cookie(&app.address, "olga", ADMIN_PASSWORD).await;
    assert_eq!(
        get_with(&app.address, &olga, "/").await.status(),
        StatusCode::OK
    );
    let id = user_id(&app, "olga");
    let admin = app.browser_client();
    let csrf = app.csrf_from(&admin, &format!("/users/{id}")).await;
    let page = app.text_of(&admin, &format!("/users/{id}")).await;
    assert!(page.contains("<dd id=\"sessions\">1 сеанс</dd>"), "{page}");
    let response = admin
        .post(app.url(&format!("/users/{id}/sign-out-everywhere")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let after = get_with(&app.address, &olga, "/").await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert!(location(&after).starts_with("/login"));
}

pub fn user_id(app: &TestApp, name: &str) -> i64 {
    let mut conn = app.db.conn();
    kvartplata::services::logins::find_by_name(&mut conn, name)
        .unwrap()
        .id
        .0
}

#[tokio::test]
async fn a_form_posted_after_the_session_ended_is_filled_in_again_after_signing_in() {
    let app = spawn_app().await;
    app.user_with_token("olga", kvartplata::domain::Role::Manager);
    let client = app.signed_in_client("olga", ADMIN_PASSWORD).await;
    let csrf = app.csrf_from(&client, "/houses/new").await;
    // Meanwhile the session ends (here: an admin signs olga out everywhere).
    let mut conn = app.db.conn();
    let id = kvartplata::db::models::UserId(user_id(&app, "olga"));
    kvartplata::services::logins::sign_out_everywhere(&mut conn, id).unwrap();

    let address = "ул. Сохранённая, 7 <b>";
    let posted = client
        .post(app.url("/houses"))
        .form(&[("csrf_token", csrf.as_str()), ("address", address)])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&posted), "/login");
    let login = app.text_of(&client, "/login").await;
    assert!(
        login.contains(
            "Сеанс завершился. Войдите снова — форма будет заполнена так, как вы её отправили."
        ),
        "{login}"
    );

    let csrf = csrf_token(&login);
    let signed_in = client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "olga"),
            ("password", ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&signed_in), "/login/resume");
    let resume = app.text_of(&client, "/login/resume").await;
    assert!(resume.contains(r#"action="/houses""#), "{resume}");
    assert!(
        resume.contains(r#"value="ул. Сохранённая, 7 &#60;b&#62;""#),
        "kept and escaped: {resume}"
    );
    assert!(
        !resume.contains(&format!(r#"value="{csrf}""#)),
        "the old token is not sent back"
    );

    let fresh = csrf_token(&resume);
    let saved = client
        .post(app.url("/houses"))
        .form(&[("csrf_token", fresh.as_str()), ("address", address)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        saved.status(),
        StatusCode::SEE_OTHER,
        "{}",
        location(&saved)
    );
    let (_, houses) = crate::helpers::api::get(&app, "/api/v1/houses").await;
    assert!(houses.to_string().contains("Сохранённая"), "{houses}");
    // Offered once.
    let again = client.get(app.url("/login/resume")).send().await.unwrap();
    assert_eq!(location(&again), "/");
}
