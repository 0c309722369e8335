//! The organisation's requisites: GET/PUT /api/v1/organization and the
//! /organization page. Sberbank's own requisites are the valid data; each
//! refusal names its field, only an admin changes them, and every change
//! is in the audit log.

use diesel::prelude::*;
use kvartplata::domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::api::{assert_not_found, call_as, field_names, get, put};
use crate::helpers::app::{ADMIN_NAME, ADMIN_PASSWORD, TestApp, api_client, spawn_app};
use crate::helpers::fixtures::Database;
use crate::helpers::pages::{Visitor, field_error, flash, input_value};

const PATH: &str = "/api/v1/organization";

/// ПАО Сбербанк's requisites, with a settlement account keyed to its БИК.
fn sberbank() -> Value {
    json!({
        "name": "ООО «УК Пример»",
        "inn": "7707083893",
        "kpp": "773601001",
        "address": "420111, г. Казань, ул. Баумана, д. 12",
        "phone": "+7 (843) 200-00-00, диспетчерская 24/7",
        "email": "uk@example.ru",
        "bank_name": "ПАО Сбербанк",
        "bic": "044525225",
        "account": "40702810938000012345",
        "corr_account": "30101810400000000225"
    })
}

/// The same as form fields.
fn sberbank_form() -> Vec<(String, String)> {
    sberbank()
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

/// The organisation's audit entries: (actor, action, old, new).
fn audited(app: &TestApp) -> Vec<(Option<String>, String, Value, Value)> {
    use kvartplata::db::schema::audit_log;
    app.with_conn(|conn| {
        audit_log::table
            .filter(audit_log::entity.eq("organization"))
            .order_by(audit_log::id)
            .select((
                audit_log::actor,
                audit_log::action,
                audit_log::old,
                audit_log::new,
            ))
            .load::<(Option<String>, String, Option<Value>, Option<Value>)>(conn)
            .unwrap()
            .into_iter()
            .map(|(actor, action, old, new)| {
                (
                    actor,
                    action,
                    old.unwrap_or(Value::Null),
                    new.unwrap_or(Value::Null),
                )
            })
            .collect()
    })
}

/// The body without its timestamp.
fn without_time(mut body: Value) -> Value {
    let at = body.as_object_mut().unwrap().remove("updated_at");
    assert!(at.is_some_and(|at| at.is_string()), "{body}");
    body
}

#[tokio::test]
async fn the_requisites_round_trip_and_every_change_is_audited() {
    let app = spawn_app().await;
    // Nothing until an admin sets them.
    assert_not_found(get(&app, PATH).await);

    let (status, set) = put(&app, PATH, sberbank()).await;
    assert_eq!(status, StatusCode::OK, "{set}");
    assert_eq!(without_time(set.clone()), sberbank());
    let (status, read) = get(&app, PATH).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, set);

    // Values are kept trimmed; phone and e-mail may be left out.
    let mut changed = sberbank();
    changed["name"] = json!("  ООО «УК Пример-2»  ");
    changed["inn"] = json!(" 500100732259 ");
    let changed = {
        let mut body = changed.as_object().unwrap().clone();
        body.remove("phone");
        body.remove("email");
        Value::Object(body)
    };
    let (status, second) = put(&app, PATH, changed).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second["name"], "ООО «УК Пример-2»");
    assert_eq!(second["inn"], "500100732259");
    assert_eq!(
        (&second["phone"], &second["email"]),
        (&json!(""), &json!(""))
    );
    assert_eq!(get(&app, PATH).await.1, second);
    // The same again changes nothing the log would show.
    let (status, _) = put(&app, PATH, without_time(second.clone())).await;
    assert_eq!(status, StatusCode::OK);

    let entries = audited(&app);
    assert_eq!(entries.len(), 2, "{entries:?}");
    let (actor, action, old, new) = &entries[0];
    assert_eq!(
        (actor.as_deref(), action.as_str(), old),
        (Some(ADMIN_NAME), "create", &Value::Null)
    );
    assert_eq!(new["settlement_account"], "40702810938000012345");
    assert_eq!(new["corr_account"], "30101810400000000225");
    assert_eq!(new["inn"], "7707083893");
    let (_, action, old, new) = &entries[1];
    assert_eq!(action, "update");
    assert_eq!(
        (&old["inn"], &new["inn"]),
        (&json!("7707083893"), &json!("500100732259"))
    );
    assert_eq!(
        (&old["phone"], &new["phone"]),
        (&json!("+7 (843) 200-00-00, диспетчерская 24/7"), &json!(""))
    );
}

#[tokio::test]
async fn every_refusal_names_its_field_and_nothing_is_saved() {
    let app = spawn_app().await;
    for (field, bad, message) in [
        (
            "inn",
            "7707083894",
            "The INN's check digits do not match: look for a typo.",
        ),
        (
            "inn",
            "77070838931",
            "An INN has 10 digits (an organisation) or 12 (an entrepreneur).",
        ),
        (
            "kpp",
            "77360100",
            "A KPP has 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits.",
        ),
        ("bic", "04452522", "A BIC has 9 digits."),
        (
            "account",
            "4070281093800001234",
            "An account number has 20 digits.",
        ),
        (
            "account",
            "40702810938000012346",
            "The settlement account's key digit does not match the BIC: check the account and the BIC.",
        ),
        (
            "corr_account",
            "30101810400000000226",
            "The correspondent account's key digit does not match the BIC: check the account and the BIC.",
        ),
        (
            "email",
            "uk@example",
            "Enter an e-mail such as name@example.ru, or leave it empty.",
        ),
        ("name", "  ", "Enter the organisation's name."),
        ("bank_name", "", "Enter the bank name."),
        ("address", "", "Enter the address."),
    ] {
        let mut body = sberbank();
        body[field] = json!(bad);
        let (status, json) = put(&app, PATH, body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} {bad}: {json}"
        );
        assert_eq!(json["code"], "invalid", "{json}");
        assert_eq!(field_names(&json), [field], "{field} {bad}: {json}");
        assert_eq!(json["fields"][field], message, "{field} {bad}");
    }
    // The accounts swapped: neither is keyed to the БИК.
    let mut swapped = sberbank();
    swapped["account"] = json!("30101810400000000225");
    swapped["corr_account"] = json!("40702810938000012345");
    let (status, json) = put(&app, PATH, swapped).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&json), ["account", "corr_account"]);

    // Every bad field at once: the shape's and the rules'.
    let (status, json) = put(
        &app,
        PATH,
        json!({
            "name": "ООО «УК Пример»",
            "inn": 7707083893_i64,
            "kpp": "77360100",
            "email": null,
            "bank_name": "ПАО Сбербанк",
            "bic": "044525225",
            "account": "40702810938000012346",
            "corr_account": "30101810400000000225"
        }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(
        field_names(&json),
        ["account", "address", "email", "inn", "kpp"]
    );
    assert_eq!(json["fields"]["address"], "This field is required.");
    assert_eq!(json["fields"]["inn"], "Must be a string.");
    let (status, _) = put(&app, PATH, json!(["not", "an", "object"])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    assert_not_found(get(&app, PATH).await);
    assert!(audited(&app).is_empty());
}

#[tokio::test]
async fn only_an_admin_sets_them_and_everyone_reads_them() {
    let app = spawn_app().await;
    let (status, set) = put(&app, PATH, sberbank()).await;
    assert_eq!(status, StatusCode::OK);
    let manager = api_client(&app.user_with_token("maria", Role::Manager));
    let viewer = api_client(&app.user_with_token("vera", Role::Viewer));
    let mut other = sberbank();
    other["name"] = json!("ООО «Чужая УК»");
    for (who, client, message) in [
        (
            "manager",
            &manager,
            "Only an admin can change the organisation's details.",
        ),
        (
            "viewer",
            &viewer,
            "Your account can only look: viewers change nothing.",
        ),
    ] {
        let (status, json) = call_as(&app, client, Method::PUT, PATH, Some(other.clone())).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {json}");
        assert_eq!(json["code"], "forbidden", "{who}");
        assert_eq!(json["error"], message, "{who}");
        let (status, json) = call_as(&app, client, Method::GET, PATH, None).await;
        assert_eq!((status, &json), (StatusCode::OK, &set), "{who}");
    }
    assert_eq!(audited(&app).len(), 1);
}

#[tokio::test]
async fn an_admin_sets_them_on_the_page_and_a_refused_form_keeps_what_was_typed() {
    let v = Visitor::start().await;
    let html = v.page("/organization").await;
    assert!(html.contains("Реквизиты ещё не заданы"), "{html}");
    assert!(
        html.contains(r#"<a href="/organization""#),
        "the menu links it"
    );
    for label in [
        "Наименование",
        "ИНН",
        "КПП",
        "Адрес",
        "Телефон",
        "E-mail",
        "Банк",
        "БИК",
        "Расчётный счёт",
        "Корреспондентский счёт",
    ] {
        assert!(html.contains(&format!(">{label}</label>")), "{label}");
    }

    // A wrong check digit, an account not keyed, a name left out.
    let mut typed = sberbank_form();
    for (field, value) in typed.iter_mut() {
        match field.as_str() {
            "inn" => *value = "7707083894".into(),
            "account" => *value = "40702810938000012346".into(),
            "name" => *value = " ".into(),
            _ => {}
        }
    }
    let fields: Vec<(&str, &str)> = typed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = v.submit("/organization", "/organization", &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "inn").as_deref(),
        Some("Контрольные цифры ИНН не сходятся: проверьте, нет ли опечатки.")
    );
    assert_eq!(
        field_error(&html, "account").as_deref(),
        Some("Расчётный счёт не сходится с БИК по контрольному ключу: проверьте счёт и БИК.")
    );
    assert_eq!(
        field_error(&html, "name").as_deref(),
        Some("Введите наименование организации.")
    );
    assert_eq!(field_error(&html, "bic"), None);
    assert_eq!(input_value(&html, "inn"), "7707083894");
    assert_eq!(input_value(&html, "account"), "40702810938000012346");
    assert_eq!(input_value(&html, "bic"), "044525225");
    assert_eq!(
        input_value(&html, "phone"),
        "+7 (843) 200-00-00, диспетчерская 24/7"
    );
    assert_not_found(get(&v.app, PATH).await);

    let fields: Vec<(String, String)> = sberbank_form();
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let html = v
        .submit_ok("/organization", "/organization", &fields, "/organization")
        .await;
    assert_eq!(
        flash(&html),
        Some((
            "flash-success".into(),
            "Реквизиты организации сохранены.".into()
        ))
    );
    assert!(!html.contains("Реквизиты ещё не заданы"));
    assert!(html.contains(r#"id="org-updated""#));
    assert_eq!(input_value(&html, "inn"), "7707083893");
    assert_eq!(input_value(&html, "corr_account"), "30101810400000000225");
    assert_eq!(input_value(&html, "name"), "ООО «УК Пример»");
    let (status, stored) = get(&v.app, PATH).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(without_time(stored), sberbank());

    // The audit page names the change and links the page.
    let html = v.page("/audit").await;
    assert!(
        html.contains(r#"<a href="/organization">Реквизиты организации</a>"#),
        "{html}"
    );
    assert!(html.contains("Расчётный счёт") && html.contains("40702810938000012345"));
}

#[tokio::test]
async fn managers_and_viewers_read_the_page_but_may_not_change_it() {
    let v = Visitor::start().await;
    let (status, _) = put(&v.app, PATH, sberbank()).await;
    assert_eq!(status, StatusCode::OK);
    for (name, role) in [("m2", Role::Manager), ("v2", Role::Viewer)] {
        v.app.with_conn(|conn| {
            kvartplata::services::logins::create_user(conn, name, ADMIN_PASSWORD, role).unwrap()
        });
        let client = v.app.signed_in_client(name, ADMIN_PASSWORD).await;
        let html = v.app.text_of(&client, "/organization").await;
        assert!(
            !html.contains(r#"action="/organization""#),
            "{name}: no form"
        );
        assert!(
            !html.contains(r#"<a href="/organization""#),
            "{name}: not in the menu"
        );
        assert!(html.contains("Реквизиты меняет только администратор."));
        let details = html.split(r#"id="org-details""#).nth(1).unwrap();
        assert!(
            details.contains("<dt>ИНН</dt><dd>7707083893</dd>")
                && details.contains("<dt>Расчётный счёт</dt><dd>40702810938000012345</dd>"),
            "{details}"
        );
        let token = crate::helpers::pages::csrf_token(&html);
        let mut form = vec![("csrf_token".to_owned(), token)];
        form.extend(sberbank_form());
        form.retain(|(k, _)| k != "name");
        form.push(("name".into(), "ООО «Чужая УК»".into()));
        let response = client
            .post(v.app.url("/organization"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{name}");
    }
    assert_eq!(get(&v.app, PATH).await.1["name"], "ООО «УК Пример»");
}
