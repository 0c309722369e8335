//! User administration: blocking (sessions and tokens stop at once), the
//! last admin, password resets and changes, full names, and the audit
//! entries of account events.

use diesel::prelude::*;
use kvartplata::domain::Role;
use reqwest::StatusCode;

use crate::helpers::app::{ADMIN_PASSWORD, TestApp, api_client, spawn_app};
use crate::helpers::pages::{Visitor, csrf_token, flash};
use crate::sessions::user_id;

/// Posts `fields` (with the CSRF token of `page`) as the admin.
async fn admin_post(
    app: &TestApp,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let admin = app.browser_client();
    let csrf = app.csrf_from(&admin, page).await;
    let mut form = vec![("csrf_token", csrf.as_str())];
    form.extend_from_slice(fields);
    admin
        .post(app.url(action))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn sign_in_status(app: &TestApp, name: &str, password: &str) -> StatusCode {
    app.sign_in(&app.anonymous_client(), name, password)
        .await
        .status()
}

fn audit_actions(app: &TestApp) -> Vec<(Option<String>, String, String)> {
    use kvartplata::db::schema::audit_log::dsl::*;
    let mut conn = app.db.conn();
    audit_log
        .filter(entity.eq_any(["user", "api_token"]))
        .order_by(id)
        .select((actor, action, new.retrieve_as_text("name")))
        .load::<(Option<String>, String, Option<String>)>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|(who, what, name)| (who, what, name.unwrap_or_default()))
        .collect()
}

#[tokio::test]
async fn a_blocked_users_token_gets_401_on_its_next_request_and_their_browser_the_sign_in_page() {
    let app = spawn_app().await;
    let token = app.user_with_token("olga", Role::Manager);
    let olga_api = api_client(&token);
    let olga_browser = app.signed_in_client("olga", ADMIN_PASSWORD).await;
    let houses = app.url("/api/v1/houses");
    assert_eq!(
        olga_api.get(&houses).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        olga_browser
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    let id = user_id(&app, "olga");
    let page = format!("/users/{id}");
    let blocked = admin_post(&app, &page, &format!("/users/{id}/block"), &[]).await;
    assert_eq!(blocked.status(), StatusCode::SEE_OTHER);

    assert_eq!(
        olga_api.get(&houses).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let page_after = olga_browser.get(app.url("/")).send().await.unwrap();
    assert_eq!(page_after.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        sign_in_status(&app, "olga", ADMIN_PASSWORD).await,
        StatusCode::FORBIDDEN
    );
    let shown = app.text_of(&app.browser_client(), &page).await;
    assert!(shown.contains("Заблокирован с "), "{shown}");

    let unblocked = admin_post(&app, &page, &format!("/users/{id}/unblock"), &[]).await;
    assert_eq!(unblocked.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        olga_api.get(&houses).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        sign_in_status(&app, "olga", ADMIN_PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_last_admin_cannot_be_blocked() {
    let app = spawn_app().await;
    let id = user_id(&app, "admin");
    let page = format!("/users/{id}");
    let admin = app.browser_client();
    let csrf = app.csrf_from(&admin, &page).await;
    let response = admin
        .post(app.url(&format!("/users/{id}/block")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // The refusal is flashed to the same browser.
    let shown = app.text_of(&admin, &page).await;
    assert!(shown.contains("is the only admin"), "{shown}");
    assert!(shown.contains("<dd id=\"status\">Активен</dd>"), "{shown}");
    assert_eq!(app.get("/api/v1/houses").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_admin_resets_a_password_and_users_change_their_own() {
    let app = spawn_app().await;
    app.user_with_token("olga", Role::Viewer);
    let id = user_id(&app, "olga");
    let other_browser = app.signed_in_client("olga", ADMIN_PASSWORD).await;

    let page = format!("/users/{id}");
    let short = admin_post(
        &app,
        &page,
        &format!("/users/{id}/password"),
        &[("password", "short")],
    )
    .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let reset = admin_post(
        &app,
        &page,
        &format!("/users/{id}/password"),
        &[("password", "a brand new password")],
    )
    .await;
    assert_eq!(reset.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        sign_in_status(&app, "olga", ADMIN_PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    let ended = other_browser.get(app.url("/")).send().await.unwrap();
    assert_eq!(
        ended.status(),
        StatusCode::SEE_OTHER,
        "the reset ended her session"
    );

    // A viewer changes her own password; her other session ends, this one stays.
    let here = app.signed_in_client("olga", "a brand new password").await;
    let there = app.signed_in_client("olga", "a brand new password").await;
    let change = async |current: &str, new: &str, again: &str| {
        let csrf = csrf_token(&app.text_of(&here, "/password").await);
        here.post(app.url("/password"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("current_password", current),
                ("password", new),
                ("password_confirm", again),
            ])
            .send()
            .await
            .unwrap()
    };
    let wrong = change(
        "not my password",
        "my own new password",
        "my own new password",
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("Текущий пароль введён неверно.")
    );
    let differ = change(
        "a brand new password",
        "my own new password",
        "my own new passwrd",
    )
    .await;
    assert_eq!(differ.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let changed = change(
        "a brand new password",
        "my own new password",
        "my own new password",
    )
    .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        here.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        there.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        sign_in_status(&app, "olga", "my own new password").await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn full_names_and_last_sign_in_show_and_account_events_are_audited() {
    let app = spawn_app().await;
    let created = admin_post(
        &app,
        "/users",
        "/users",
        &[
            ("name", "olga"),
            ("full_name", "Ольга Петрова"),
            ("password", ADMIN_PASSWORD),
            ("role", "manager"),
        ],
    )
    .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let list = app.text_of(&app.browser_client(), "/users").await;
    assert!(list.contains("Ольга Петрова"), "{list}");
    assert!(list.contains("ещё не входил"), "{list}");

    assert_eq!(
        sign_in_status(&app, "olga", "wrong password").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in_status(&app, "nobody", "wrong password").await,
        StatusCode::UNAUTHORIZED
    );
    let olga = app.signed_in_client("olga", ADMIN_PASSWORD).await;
    let home = app.text_of(&olga, "/").await;
    assert!(
        home.contains("Ольга Петрова"),
        "the header shows the full name"
    );
    let id = user_id(&app, "olga");
    let page = format!("/users/{id}");
    let shown = app.text_of(&app.browser_client(), &page).await;
    assert!(
        shown.contains(r#"<dd id="last-sign-in" class="time">"#)
            && !shown.contains(r#"<dd id="last-sign-in" class="time">ещё не входил"#),
        "{shown}"
    );

    admin_post(
        &app,
        "/users",
        &format!("/users/{id}/role"),
        &[("role", "viewer")],
    )
    .await;
    admin_post(
        &app,
        &page,
        &format!("/users/{id}/password"),
        &[("password", "a brand new password")],
    )
    .await;
    admin_post(&app, &page, &format!("/users/{id}/block"), &[]).await;
    admin_post(&app, &page, &format!("/users/{id}/unblock"), &[]).await;
    let token_page = app.browser_client();
    let csrf = app.csrf_from(&token_page, "/tokens").await;
    let made = token_page
        .post(app.url("/tokens"))
        .form(&[("csrf_token", csrf.as_str()), ("name", "ci")])
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), StatusCode::CREATED);
    let token_id: i64 = {
        use kvartplata::db::schema::api_tokens::dsl::*;
        api_tokens
            .filter(name.eq("ci"))
            .select(id)
            .first(&mut app.db.conn())
            .unwrap()
    };
    let csrf = app.csrf_from(&token_page, "/tokens").await;
    token_page
        .post(app.url(&format!("/tokens/{token_id}/revoke")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();

    let actions = audit_actions(&app);
    let admin = Some("admin".to_owned());
    let expected = [
        (None, "sign_in_failed", "olga"),
        (None, "sign_in_failed", "nobody"),
        (Some("olga".to_owned()), "sign_in", "olga"),
        (admin.clone(), "role_change", "olga"),
        (admin.clone(), "password_reset", "olga"),
        (admin.clone(), "block", "olga"),
        (admin.clone(), "unblock", "olga"),
        (admin.clone(), "token_create", ""),
        (admin.clone(), "token_revoke", ""),
    ];
    for (who, what, name) in expected {
        assert!(
            actions
                .iter()
                .any(|(w, a, n)| *w == who && a == what && n == name),
            "no {what} of {name:?} by {who:?} in {actions:?}"
        );
    }
    let audit_page = app.text_of(&app.browser_client(), "/audit").await;
    assert!(audit_page.contains("Неудачный вход"), "{audit_page}");
}

#[tokio::test]
async fn the_users_and_tokens_pages_and_their_messages_in_both_languages() {
    let v = Visitor::start().await;
    let list = v
        .submit_ok(
            "/users",
            "/users",
            &[
                ("name", "olga"),
                ("full_name", ""),
                ("password", ADMIN_PASSWORD),
                ("role", "manager"),
            ],
            "/users",
        )
        .await;
    assert_eq!(
        flash(&list),
        Some((
            "flash-success".into(),
            "Пользователь olga создан (бухгалтер-оператор).".into()
        ))
    );
    assert!(list.contains("<h1>Пользователи</h1>") && list.contains("Добавить пользователя"));
    let id = user_id(&v.app, "olga");
    let shown = v
        .submit_ok(
            &format!("/users/{id}"),
            &format!("/users/{id}/sign-out-everywhere"),
            &[],
            &format!("/users/{id}"),
        )
        .await;
    assert_eq!(
        flash(&shown).map(|(_, text)| text),
        Some("Завершено 0 сеансов.".into())
    );
    assert!(
        shown.contains("<dd id=\"sessions\">0 сеансов</dd>"),
        "{shown}"
    );

    let tokens = v.submit("/tokens", "/tokens", &[("name", "импорт")]).await;
    assert_eq!(tokens.status(), StatusCode::CREATED);
    let tokens = tokens.text().await.unwrap();
    assert!(tokens.contains("Ваш новый ключ") && tokens.contains("действует"));
    assert!(tokens.contains("ещё не использовался"), "{tokens}");

    // The same pages for a user whose setting is English.
    let v = Visitor::start_in_english().await;
    let list = v
        .submit_ok(
            "/users",
            "/users",
            &[
                ("name", "olga"),
                ("full_name", ""),
                ("password", ADMIN_PASSWORD),
                ("role", "viewer"),
            ],
            "/users",
        )
        .await;
    assert_eq!(
        flash(&list),
        Some(("flash-success".into(), "User olga created (viewer).".into()))
    );
    assert!(list.contains("<h1>Users</h1>") && list.contains("Add a user"));
    let id = user_id(&v.app, "olga");
    let shown = v
        .submit_ok(
            &format!("/users/{id}"),
            &format!("/users/{id}/sign-out-everywhere"),
            &[],
            &format!("/users/{id}"),
        )
        .await;
    assert_eq!(
        flash(&shown).map(|(_, text)| text),
        Some("0 sessions ended.".into())
    );
    assert!(
        shown.contains("<dd id=\"last-sign-in\" class=\"time\">never</dd>"),
        "{shown}"
    );
    let tokens = v.submit("/tokens", "/tokens", &[("name", "import")]).await;
    let tokens = tokens.text().await.unwrap();
    assert!(
        tokens.contains("Your new token") && tokens.contains(">never<"),
        "{tokens}"
    );
}
