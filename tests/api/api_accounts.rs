//! JSON API of personal accounts and money: PUT /apartments/{id}/account
//! and the account in apartment bodies, GET /accounts/{number} and its
//! statement, payments by hand (POST, GET, DELETE with a reason), bank
//! registers imported as the body or a multipart `file`, unmatched rows
//! assigned, key rates; who may write what. Every refusal is a 4xx naming
//! its field, never a 500.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use kvartplata::domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::api::{
    answer, assert_not_found, call_as, create_house, delete, field_names, get, post, put,
};
use crate::helpers::app::{TestApp, api_client, spawn_app};
use crate::helpers::fixtures::{Database, HouseBuilder, SeededHouse};

const CP1251: &[u8] = include_bytes!("../fixtures/bank-register-sber-cp1251.txt");
const UTF8_BOM: &[u8] = include_bytes!("../fixtures/bank-register-sber-utf8-bom.txt");

/// Today in Moscow (the houses' default time zone, UTC+3 all year).
fn moscow_today() -> NaiveDate {
    (Utc::now() + Duration::hours(3)).date_naive()
}

/// The month before today's, YYYY-MM: a house's current period while
/// nothing is closed.
fn month_before_today() -> String {
    let first = moscow_today().with_day(1).unwrap();
    let last_month = first - Duration::days(1);
    format!("{:04}-{:02}", last_month.year(), last_month.month())
}

/// A house of three apartments ("1", "2", "3") without accounts.
fn house(app: &TestApp) -> SeededHouse {
    HouseBuilder::new("г. Казань, ул. Баумана, д. 12")
        .apartments(3)
        .insert(app)
}

fn account_path(house: &SeededHouse, number: &str) -> String {
    format!(
        "/api/v1/apartments/{}/account",
        house.apartment(number).id.0
    )
}

/// Sets apartment `apartment`'s account `number`, opened in 2026-05 with
/// `balance`.
async fn open(app: &TestApp, house: &SeededHouse, apartment: &str, number: &str, balance: &str) {
    let (status, json) = put(
        app,
        &account_path(house, apartment),
        json!({"number": number, "opening_balance": balance, "opening_period": "2026-05"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
}

/// The audit entries of `entity`, oldest first: (action, old, new).
fn audited(app: &TestApp, entity: &str) -> Vec<(String, Value, Value)> {
    use kvartplata::db::schema::audit_log;
    app.with_conn(|conn| {
        audit_log::table
            .filter(audit_log::entity.eq(entity))
            .order_by(audit_log::id)
            .select((audit_log::action, audit_log::old, audit_log::new))
            .load::<(String, Option<Value>, Option<Value>)>(conn)
            .unwrap()
            .into_iter()
            .map(|(action, old, new)| {
                (
                    action,
                    old.unwrap_or(Value::Null),
                    new.unwrap_or(Value::Null),
                )
            })
            .collect()
    })
}

/// Payments stored, deleted ones too.
fn stored_payments(app: &TestApp) -> i64 {
    use kvartplata::db::schema::payments;
    app.with_conn(|conn| payments::table.count().get_result(conn).unwrap())
}

/// POSTs `bytes` to the import as the body, of `content_type`.
async fn import_body(app: &TestApp, content_type: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url("/api/v1/payments/import"))
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap();
    answer(response).await
}

/// POSTs `bytes` to the import as a multipart form's `file`.
async fn import_form(app: &TestApp, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    use reqwest::multipart::{Form, Part};
    let part = Part::bytes(bytes)
        .file_name(name.to_owned())
        .mime_str("text/plain")
        .unwrap();
    let response = app
        .client
        .post(app.url("/api/v1/payments/import"))
        .multipart(Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    answer(response).await
}

#[tokio::test]
async fn an_apartments_account_is_created_then_changed_by_put() {
    let app = spawn_app().await;
    let h = house(&app);
    let path = account_path(&h, "1");
    let (status, created) = put(
        &app,
        &path,
        json!({"number": " 1001001001 ", "holder": " Иванов Иван Иванович ",
               "opening_balance": "1520,4", "opening_period": "2026-05"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let apartment = h.apartment("1").id.0;
    let expected = json!({
        "number": "1001001001", "holder": "Иванов Иван Иванович",
        "opening_balance": "1520.40", "opening_period": "2026-05",
        "apartment_id": apartment, "house_id": h.id().0,
    });
    assert_eq!(created, expected);
    assert_eq!(
        get(&app, "/api/v1/accounts/1001001001").await,
        (StatusCode::OK, expected)
    );
    // The apartment's body shows it.
    let (_, body) = get(&app, &format!("/api/v1/apartments/{apartment}")).await;
    assert_eq!(
        body["account"],
        json!({"number": "1001001001", "holder": "Иванов Иван Иванович",
               "opening_balance": "1520.40", "opening_period": "2026-05"})
    );

    // PUT again changes it (a JSON number, the holder left out: unknown).
    let (status, changed) = put(
        &app,
        &path,
        json!({"number": "ЛС42", "opening_balance": -300, "opening_period": "2026-06"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        changed,
        json!({"number": "ЛС42", "holder": "", "opening_balance": "-300.00",
               "opening_period": "2026-06", "apartment_id": apartment, "house_id": h.id().0})
    );
    assert_not_found(get(&app, "/api/v1/accounts/1001001001").await);
    assert_eq!(get(&app, "/api/v1/accounts/ЛС42").await.1, changed);
    // One account per apartment, both changes audited.
    let actions: Vec<String> = audited(&app, "account")
        .into_iter()
        .map(|(action, ..)| action)
        .collect();
    assert_eq!(actions, ["create", "update"]);
}

#[tokio::test]
async fn a_bad_account_body_is_422_naming_each_field() {
    let app = spawn_app().await;
    let h = house(&app);
    let path = account_path(&h, "1");
    let good = json!({"number": "1001", "opening_balance": "0", "opening_period": "2026-05"});
    for (field, bad) in [
        ("number", json!("12-3")),
        ("number", json!("12 3")),
        ("number", json!("")),
        ("number", json!("1".repeat(21))),
        ("number", json!(1001)),
        // Letters of other alphabets than the ones the column takes.
        ("number", json!("Ä1")),
        ("number", json!("١٢٣")),
        ("opening_balance", json!("1.005")),
        ("opening_balance", json!(1.005)),
        ("opening_balance", json!("much")),
        ("opening_balance", json!("1000000000000")),
        ("opening_period", json!("2026-13")),
        ("opening_period", json!("05.2026")),
        ("opening_period", json!("2026-5")),
        ("opening_period", json!("1899-12")),
        ("opening_period", json!(202605)),
        ("holder", json!("x".repeat(201))),
        ("holder", json!("Иванов\u{0}")),
    ] {
        let mut body = good.clone();
        body[field] = bad.clone();
        let (status, json) = put(&app, &path, body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} {bad}: {json}"
        );
        assert_eq!(field_names(&json), [field], "{field} {bad}: {json}");
    }
    let (status, json) = put(&app, &path, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    let mut names = field_names(&json);
    names.sort();
    assert_eq!(names, ["number", "opening_balance", "opening_period"]);
    let (status, json) = put(&app, &path, json!([good])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    // Nothing was saved.
    assert_eq!(
        get(
            &app,
            &format!("/api/v1/apartments/{}", h.apartment("1").id.0)
        )
        .await
        .1["account"],
        Value::Null
    );
}

#[tokio::test]
async fn a_number_another_account_has_is_409_whatever_its_case() {
    let app = spawn_app().await;
    let h = house(&app);
    open(&app, &h, "1", "1001001001", "0").await;
    open(&app, &h, "2", "ab1", "0").await;
    for number in ["1001001001", "AB1", "Ab1"] {
        let (status, json) = put(
            &app,
            &account_path(&h, "3"),
            json!({"number": number, "opening_balance": "0", "opening_period": "2026-05"}),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{number}: {json}");
        assert_eq!(field_names(&json), ["number"], "{number}");
    }
    // An account keeps its own number in another case.
    let (status, json) = put(
        &app,
        &account_path(&h, "2"),
        json!({"number": "AB1", "opening_balance": "0", "opening_period": "2026-05"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["number"], "AB1");
    // An apartment that does not exist.
    assert_not_found(
        put(
            &app,
            "/api/v1/apartments/999999/account",
            json!({"number": "7", "opening_balance": "0", "opening_period": "2026-05"}),
        )
        .await,
    );
}

#[tokio::test]
async fn an_account_comes_with_the_apartment_bodies_that_name_one() {
    let app = spawn_app().await;
    let house = create_house(
        &app,
        json!({"address": "ул. Счётная, 1", "apartments": [
            {"number": "1", "area": "40", "account": {"number": "5001", "holder": "Петров П. П.",
             "opening_balance": "250.5", "opening_period": "2026-01"}},
            {"number": "2", "area": "50"}
        ]}),
    )
    .await;
    let apartments = house["apartments"].as_array().unwrap();
    assert_eq!(
        apartments[0]["account"],
        json!({"number": "5001", "holder": "Петров П. П.", "opening_balance": "250.50",
               "opening_period": "2026-01"})
    );
    assert_eq!(apartments[1]["account"], Value::Null);
    assert_eq!(
        get(&app, "/api/v1/accounts/5001").await.1["apartment_id"],
        apartments[0]["id"]
    );

    // One apartment added with its account.
    let path = format!("/api/v1/houses/{}/apartments", house["id"]);
    let (status, apartment) = post(
        &app,
        &path,
        json!({"number": "3", "area": "60", "account": {"number": "5003",
               "opening_balance": 0, "opening_period": "2026-02"}}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{apartment}");
    assert_eq!(apartment["account"]["number"], "5003");
    assert_eq!(apartment["account"]["opening_balance"], "0.00");
    // Its account's errors are named under `account`; nothing is saved.
    for (account, status, field) in [
        (
            json!({"number": "12-3", "opening_balance": 0, "opening_period": "2026-02"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "account.number",
        ),
        (
            json!({"number": "77", "opening_balance": "1.001", "opening_period": "2026-02"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "account.opening_balance",
        ),
        (
            json!({"number": "77", "opening_balance": 0, "opening_period": "02.2026"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "account.opening_period",
        ),
        (json!("5004"), StatusCode::UNPROCESSABLE_ENTITY, "account"),
        (
            json!({"number": "5001", "opening_balance": 0, "opening_period": "2026-02"}),
            StatusCode::CONFLICT,
            "account.number",
        ),
    ] {
        let (got, json) = post(
            &app,
            &path,
            json!({"number": "4", "area": "30", "account": account}),
        )
        .await;
        assert_eq!(got, status, "{account}: {json}");
        assert_eq!(field_names(&json), [field], "{account}: {json}");
    }
    let (_, shown) = get(&app, &format!("/api/v1/houses/{}", house["id"])).await;
    assert_eq!(shown["apartments"].as_array().unwrap().len(), 3, "{shown}");

    // A bulk house: the errors name the apartment, and nothing is saved.
    for (apartments, status, field) in [
        (
            json!([{"number": "1", "area": "40", "account": {"number": "6001",
                    "opening_balance": 0, "opening_period": "2026-01"}},
                   {"number": "2", "area": "40", "account": {"number": "60-02",
                    "opening_balance": 0, "opening_period": "2026-01"}}]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "apartments[1].account.number",
        ),
        (
            json!([{"number": "1", "area": "40"},
                   {"number": "2", "area": "40", "account": {"number": "6002",
                    "opening_balance": 0, "opening_period": "2026-1"}}]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "apartments[1].account.opening_period",
        ),
        // Two apartments of the request with one number (in other cases).
        (
            json!([{"number": "1", "area": "40", "account": {"number": "ab7",
                    "opening_balance": 0, "opening_period": "2026-01"}},
                   {"number": "2", "area": "40", "account": {"number": "AB7",
                    "opening_balance": 0, "opening_period": "2026-01"}}]),
            StatusCode::CONFLICT,
            "apartments[1].account.number",
        ),
        // A number an account of another house has.
        (
            json!([{"number": "1", "area": "40"},
                   {"number": "2", "area": "40", "account": {"number": "5003",
                    "opening_balance": 0, "opening_period": "2026-01"}}]),
            StatusCode::CONFLICT,
            "apartments[1].account.number",
        ),
    ] {
        let (got, json) = post(
            &app,
            "/api/v1/houses",
            json!({"address": "ул. Оптовая, 2", "apartments": apartments}),
        )
        .await;
        assert_eq!(got, status, "{json}");
        assert_eq!(field_names(&json), [field], "{json}");
    }
    let (_, houses) = get(&app, "/api/v1/houses").await;
    assert_eq!(houses.as_array().unwrap().len(), 1, "{houses}");
    assert_not_found(get(&app, "/api/v1/accounts/6001").await);
    assert_not_found(get(&app, "/api/v1/accounts/ab7").await);
}

#[tokio::test]
async fn an_account_is_found_by_its_number_in_any_case() {
    let app = spawn_app().await;
    let h = house(&app);
    open(&app, &h, "1", "Ab12", "0").await;
    open(&app, &h, "2", "ЛС42ё", "0").await;
    for number in ["Ab12", "AB12", "ab12", "%20ab12"] {
        let (status, json) = get(&app, &format!("/api/v1/accounts/{number}")).await;
        if number.starts_with('%') {
            // Not trimmed: a path names an account exactly.
            assert_not_found((status, json));
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{number}: {json}");
        assert_eq!(json["number"], "Ab12");
    }
    for number in ["ЛС42Ё", "лс42ё"] {
        let (status, json) = get(&app, &format!("/api/v1/accounts/{number}")).await;
        assert_eq!(status, StatusCode::OK, "{number}: {json}");
        assert_eq!(json["number"], "ЛС42ё");
    }
    for unknown in ["1001009999", "12-3", "%00", &"9".repeat(300)] {
        assert_not_found(get(&app, &format!("/api/v1/accounts/{unknown}")).await);
        assert_not_found(get(&app, &format!("/api/v1/accounts/{unknown}/statement")).await);
    }
}

#[tokio::test]
async fn a_statement_runs_from_the_opening_month_to_the_current_period_by_default() {
    let app = spawn_app().await;
    let h = house(&app);
    let (status, json) = put(
        &app,
        &account_path(&h, "1"),
        json!({"number": "1001", "opening_balance": "-150.25", "opening_period": "2026-09"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let (status, json) = post(
        &app,
        "/api/v1/payments",
        json!({"account": "1001", "paid_on": "2026-10-05", "amount": "1000"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    // Nothing billed: each month carries the opening balance less what was
    // paid: −150.25 in September, −150.25 − 1000 = −1150.25 from October.
    let row = |period: &str, opening: &str, paid: &str, closing: &str| {
        json!({"period": period, "opening": opening, "charged": "0.00",
               "penalty": "0.00", "paid": paid, "closing": closing})
    };
    let september = row("2026-09", "-150.25", "0.00", "-150.25");
    let october = row("2026-10", "-150.25", "1000.00", "-1150.25");
    let november = row("2026-11", "-1150.25", "0.00", "-1150.25");
    let (status, json) = get(&app, "/api/v1/accounts/1001/statement").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    // To the month before today's (nothing is closed).
    let rows = json.as_array().unwrap();
    assert_eq!(rows[0], september);
    assert_eq!(
        rows.last().unwrap()["period"],
        month_before_today(),
        "{json}"
    );
    if month_before_today() == "2026-11" {
        assert_eq!(json, json!([september, october, november]));
    }
    for (query, expected) in [
        ("?from=2026-10&to=2026-11", json!([october, november])),
        ("?to=2026-10", json!([september, october])),
        // Before the opening month: from it.
        ("?from=2025-01&to=2026-09", json!([september])),
        ("?from=2026-11&to=2026-10", json!([])),
        ("?from=2026-08&to=2026-08", json!([])),
    ] {
        let path = format!("/api/v1/accounts/1001/statement{query}");
        assert_eq!(
            get(&app, &path).await,
            (StatusCode::OK, expected),
            "{query}"
        );
    }
    for (query, field) in [
        ("?from=2026-13", "from"),
        ("?from=10.2026", "from"),
        ("?to=2026-1", "to"),
        ("?to=", "to"),
        ("?to=2201-01", "to"),
    ] {
        let path = format!("/api/v1/accounts/1001/statement{query}");
        let (status, json) = get(&app, &path).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {json}");
        assert_eq!(field_names(&json), [field], "{query}");
    }
    // A NUL is refused before any parameter is read.
    let (status, json) = get(&app, "/api/v1/accounts/1001/statement?from=%00").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{json}");
}

#[tokio::test]
async fn a_payment_by_hand_is_refused_for_each_bad_field() {
    let app = spawn_app().await;
    let h = house(&app);
    open(&app, &h, "1", "1001001001", "0").await;
    let today = moscow_today();
    let response = app
        .client
        .post(app.url("/api/v1/payments"))
        .json(
            &json!({"account": "1001001001", "paid_on": today.to_string(),
                      "amount": "2 367,95", "period": "2026-10"}),
        )
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (status, payment) = answer(response).await;
    assert_eq!(status, StatusCode::CREATED, "{payment}");
    let id = payment["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/payments/{id}"));
    let expected = json!({
        "id": id, "account": "1001001001", "matched": true, "paid_on": today.to_string(),
        "amount": "2367.95", "period": "2026-10", "source": "manual", "operation": null,
        "payer": "", "address": "", "import_id": null,
    });
    assert_eq!(payment, expected);
    assert_eq!(get(&app, &location).await, (StatusCode::OK, expected));
    // The number in another case names the same account.
    let (status, json) = post(
        &app,
        "/api/v1/payments",
        json!({"account": "1001001001", "paid_on": "2026-05-01", "amount": 0.01}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");

    let good = json!({"account": "1001001001", "paid_on": "2026-11-03", "amount": "100"});
    let tomorrow = (today + Duration::days(1)).to_string();
    for (field, bad) in [
        ("account", json!("1001009999")),
        ("account", json!("")),
        ("account", json!("12-3")),
        ("account", json!(1001001001)),
        ("amount", json!(0)),
        ("amount", json!("0")),
        ("amount", json!("0,00")),
        ("amount", json!(-5)),
        ("amount", json!("-5")),
        ("amount", json!("1.005")),
        ("amount", json!(1.005)),
        ("amount", json!("1000000000000")),
        ("amount", json!(null)),
        ("paid_on", json!(tomorrow)),
        ("paid_on", json!("2030-01-01")),
        // The account's ledger starts in May 2026.
        ("paid_on", json!("2026-04-30")),
        ("paid_on", json!("03.11.2026")),
        ("paid_on", json!("2026-02-30")),
        ("paid_on", json!("1899-12-31")),
        ("period", json!("2026-13")),
        ("period", json!("10.2026")),
    ] {
        let mut body = good.clone();
        body[field] = bad.clone();
        let (status, json) = post(&app, "/api/v1/payments", body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} {bad}: {json}"
        );
        assert_eq!(field_names(&json), [field], "{field} {bad}: {json}");
    }
    let (status, json) = post(&app, "/api/v1/payments", json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    let mut names = field_names(&json);
    names.sort();
    assert_eq!(names, ["account", "amount", "paid_on"]);
    assert_eq!(stored_payments(&app), 2);
}

#[tokio::test]
async fn a_payment_is_deleted_only_with_a_reason_which_the_audit_keeps() {
    let app = spawn_app().await;
    let h = house(&app);
    open(&app, &h, "1", "1001001001", "0").await;
    let (_, payment) = post(
        &app,
        "/api/v1/payments",
        json!({"account": "1001001001", "paid_on": "2026-11-02", "amount": "500"}),
    )
    .await;
    let path = format!("/api/v1/payments/{}", payment["id"]);
    for query in ["", "?reason=", "?reason=%20%20", "?other=1"] {
        let (status, json) = delete(&app, &format!("{path}{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {json}");
        assert_eq!(field_names(&json), ["reason"], "{query}");
    }
    let long = "x".repeat(501);
    let (status, json) = delete(&app, &format!("{path}?reason={long}")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(get(&app, &path).await.0, StatusCode::OK);

    let reason = "Ошибочно внесён: платёж другого дома";
    let query = format!("?reason={}", urlencoding(reason));
    let (status, json) = delete(&app, &format!("{path}{query}")).await;
    assert_eq!((status, json), (StatusCode::NO_CONTENT, Value::Null));
    assert_not_found(get(&app, &path).await);
    assert_not_found(delete(&app, &format!("{path}{query}")).await);
    assert_not_found(delete(&app, "/api/v1/payments/999999?reason=x").await);
    // Deleted, it counts nowhere.
    let (_, rows) = get(
        &app,
        "/api/v1/accounts/1001001001/statement?from=2026-11&to=2026-11",
    )
    .await;
    assert_eq!(rows[0]["paid"], "0.00", "{rows}");

    let entries = audited(&app, "payment");
    let actions: Vec<&str> = entries.iter().map(|(a, ..)| a.as_str()).collect();
    assert_eq!(actions, ["create", "delete"]);
    let (_, old, new) = &entries[1];
    assert_eq!(old["deleted_reason"], Value::Null);
    assert_eq!(new["deleted_reason"], reason);
    assert_eq!(new["amount"], "500.00");
    // The audit page shows the reason.
    let page = app.text_of(&app.browser_client(), "/audit").await;
    assert!(page.contains(reason), "{page}");
}

/// Percent-encodes `text` for a query string.
fn urlencoding(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn a_register_is_imported_as_the_body_or_a_form_file_once() {
    let app = spawn_app().await;
    let h = house(&app);
    open(&app, &h, "1", "1001001001", "0").await;
    open(&app, &h, "2", "1001001002", "0").await;
    open(&app, &h, "3", "1001001003", "0").await;

    let (status, first) = import_body(&app, "text/csv", CP1251.to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    // Four rows of known accounts; 1001009999's 800.00 waits unmatched:
    // 2367.95 + 1500.00 + 4012.30 + 800.00 + 100.50 = 8780.75.
    assert_eq!(
        first,
        json!({"imported": 4, "duplicates": 0, "unmatched": 1, "amount": "8780.75",
               "import_id": first["import_id"]})
    );
    assert!(first["import_id"].is_i64(), "{first}");
    let (status, again) = import_form(&app, "реестр.txt", UTF8_BOM.to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(
        again,
        json!({"imported": 0, "duplicates": 5, "unmatched": 0, "amount": "0.00",
               "import_id": null})
    );
    // The same file under any content type.
    let (status, third) = import_body(&app, "application/octet-stream", UTF8_BOM.to_vec()).await;
    assert_eq!((status, &third["duplicates"]), (StatusCode::OK, &json!(5)));
    assert_eq!(stored_payments(&app), 5);
    let imports = audited(&app, "payment_import");
    assert_eq!(
        imports.len(),
        1,
        "one entry for the file, none for its rows"
    );
    assert_eq!(imports[0].2["imported"], 4);

    // Bodies that are no register: nothing saved.
    let garbage = b"\x00\xff garbage;;;\nmore".to_vec();
    for (bytes, field) in [
        (Vec::new(), "file"),
        (b"\r\n  \r\n".to_vec(), "file"),
        (garbage.clone(), "line 1"),
        (b"=0;0,00;0,00;0,00\n".to_vec(), "file"),
    ] {
        for (status, json) in [
            import_body(&app, "text/csv", bytes.clone()).await,
            import_form(&app, "x.txt", bytes.clone()).await,
        ] {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
            assert!(
                field_names(&json).contains(&field.to_owned()),
                "{field}: {json}"
            );
        }
    }
    // A form without a file, and one that is no multipart at all.
    let response = app
        .client
        .post(app.url("/api/v1/payments/import"))
        .multipart(reqwest::multipart::Form::new().text("other", "1"))
        .send()
        .await
        .unwrap();
    let (status, json) = answer(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    let (status, json) = import_body(&app, "multipart/form-data; boundary=x", garbage).await;
    assert!(
        status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY,
        "{status}: {json}"
    );
    // A body cut off before its announced length is refused whole: it has
    // no totals line.
    let answer = cut_off(&app, CP1251.len(), &CP1251[..CP1251.len() - 30]).await;
    assert!(answer.starts_with("HTTP/1.1 422"), "{answer}");
    assert_eq!(stored_payments(&app), 5);
}

/// Sends a register announced as `length` bytes, then only `sent` of them
/// and the end of the stream, and reads the answer.
async fn cut_off(app: &TestApp, length: usize, sent: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = app.address.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/v1/payments/import HTTP/1.1\r\nHost: localhost\r\n\
         Content-Type: text/csv\r\nAuthorization: Bearer {}\r\n\
         Content-Length: {length}\r\nConnection: close\r\n\r\n",
        app.token
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    socket.write_all(sent).await.unwrap();
    socket.shutdown().await.unwrap();
    let mut answer = Vec::new();
    let read = socket.read_to_end(&mut answer);
    tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .expect("answered")
        .ok();
    String::from_utf8_lossy(&answer).into_owned()
}

/// Sends a request head announcing `length` bytes of body and the first
/// byte of it, then reads the answer: a limit is applied to what is
/// announced, without waiting for (or reading) the rest.
async fn announce(app: &TestApp, content_type: &str, length: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = app.address.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/v1/payments/import HTTP/1.1\r\nHost: localhost\r\n\
         Content-Type: {content_type}\r\nAuthorization: Bearer {}\r\n\
         Content-Length: {length}\r\nConnection: close\r\n\r\n0",
        app.token
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read = socket.read_to_end(&mut answer);
    tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .expect("answered without the rest of the body")
        .ok();
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_register_larger_than_32_mib_is_413_from_its_announcement() {
    let app = spawn_app().await;
    let length = 33 * 1024 * 1024;
    for content_type in ["text/csv", "multipart/form-data; boundary=xyz"] {
        let answer = announce(&app, content_type, length).await;
        assert!(
            answer.starts_with("HTTP/1.1 413"),
            "{content_type}: {answer}"
        );
        assert!(answer.len() < 4096, "{content_type}: {answer}");
    }
    // Sent whole, as the body and as a form's file.
    let body = app
        .client
        .post(app.url("/api/v1/payments/import"))
        .header("content-type", "text/csv")
        .body(vec![b'1'; length]);
    let part = reqwest::multipart::Part::bytes(vec![b'1'; length]).file_name("big.txt");
    let form = app
        .client
        .post(app.url("/api/v1/payments/import"))
        .multipart(reqwest::multipart::Form::new().part("file", part));
    for request in [body, form] {
        // The server may close the connection before the client reads.
        if let Ok(response) = request.send().await {
            assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        }
    }
    assert_eq!(stored_payments(&app), 0);
    // It still answers.
    assert_eq!(
        get(&app, "/api/v1/payments/unmatched").await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_unmatched_payment_is_assigned_once_to_an_account_that_exists() {
    let app = spawn_app().await;
    let h = house(&app);
    open(&app, &h, "1", "1001001001", "0").await;
    let (status, json) = import_body(&app, "text/csv", CP1251.to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    // Only 1001001001 is known: its two rows.
    assert_eq!(
        (&json["imported"], &json["unmatched"]),
        (&json!(2), &json!(3))
    );
    let (status, unmatched) = get(&app, "/api/v1/payments/unmatched").await;
    assert_eq!(status, StatusCode::OK);
    let rows = unmatched.as_array().unwrap();
    assert_eq!(
        rows.iter()
            .map(|r| r["account"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["1001001002", "1001001003", "1001009999"]
    );
    let kuznetsova = &rows[2];
    let id = kuznetsova["id"].as_i64().unwrap();
    assert_eq!(
        kuznetsova,
        &json!({"id": id, "account": "1001009999", "matched": false, "paid_on": "2026-11-06",
                "amount": "800.00", "period": "2026-10", "source": "bank",
                "operation": "100252020", "payer": "Кузнецова Е. В.",
                "address": "г. Казань, ул. Баумана, д. 12, кв. 99",
                "import_id": json["import_id"]})
    );
    assert_eq!(
        get(&app, "/api/v1/payments/unmatched?page=2").await.1,
        json!([])
    );
    let (status, json) = get(&app, "/api/v1/payments/unmatched?page=0").await;
    assert!(
        status == StatusCode::OK || status.is_client_error(),
        "{json}"
    );

    let assign = format!("/api/v1/payments/{id}/assign");
    for (body, field) in [
        (json!({"account": "1001009999"}), "account"),
        (json!({"account": "12-3"}), "account"),
        (json!({}), "account"),
    ] {
        let (status, json) = post(&app, &assign, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert_eq!(field_names(&json), [field], "{body}");
    }
    open(&app, &h, "3", "1001009999", "0").await;
    let (status, assigned) = post(&app, &assign, json!({"account": "1001009999"})).await;
    assert_eq!(status, StatusCode::OK, "{assigned}");
    let mut expected = kuznetsova.clone();
    expected["matched"] = json!(true);
    assert_eq!(assigned, expected);
    let (status, json) = post(&app, &assign, json!({"account": "1001001001"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert_not_found(
        post(
            &app,
            "/api/v1/payments/999999/assign",
            json!({"account": "1001001001"}),
        )
        .await,
    );
    // A payment by hand has its account already.
    let (_, manual) = post(
        &app,
        "/api/v1/payments",
        json!({"account": "1001001001", "paid_on": "2026-11-02", "amount": "5"}),
    )
    .await;
    let (status, json) = post(
        &app,
        &format!("/api/v1/payments/{}/assign", manual["id"]),
        json!({"account": "1001009999"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    let (_, left) = get(&app, "/api/v1/payments/unmatched").await;
    assert_eq!(left.as_array().unwrap().len(), 2, "{left}");
    // The account's November: 800.00 paid on 06.11.
    let (_, rows) = get(
        &app,
        "/api/v1/accounts/1001009999/statement?from=2026-11&to=2026-11",
    )
    .await;
    assert_eq!(rows[0]["paid"], "800.00", "{rows}");
    let actions: Vec<String> = audited(&app, "payment")
        .into_iter()
        .map(|(action, ..)| action)
        .collect();
    // The register's rows are its import's entry; the assignment and the
    // payment by hand have their own.
    assert_eq!(actions, ["update", "create"]);
}

#[tokio::test]
async fn key_rates_are_added_and_deleted_by_an_admin() {
    let app = spawn_app().await;
    assert_eq!(
        get(&app, "/api/v1/key-rates").await,
        (StatusCode::OK, json!([]))
    );
    let (status, first) = post(
        &app,
        "/api/v1/key-rates",
        json!({"valid_from": "2024-10-28", "rate": "21"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(
        first,
        json!({"id": first["id"], "valid_from": "2024-10-28", "rate": "21.000"})
    );
    let (status, second) = post(
        &app,
        "/api/v1/key-rates",
        json!({"valid_from": "2026-10-20", "rate": 16.5}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    // Newest first.
    assert_eq!(
        get(&app, "/api/v1/key-rates").await.1,
        json!([second, first])
    );
    let (status, json) = post(
        &app,
        "/api/v1/key-rates",
        json!({"valid_from": "2026-10-20", "rate": "17"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert_eq!(field_names(&json), ["valid_from"]);
    for (field, bad) in [
        ("rate", json!("100.001")),
        ("rate", json!(101)),
        ("rate", json!(-1)),
        ("rate", json!("1.0005")),
        ("rate", json!("")),
        ("valid_from", json!("2026-13-01")),
        ("valid_from", json!("20.10.2026")),
        ("valid_from", json!(null)),
    ] {
        let mut body = json!({"valid_from": "2027-01-01", "rate": "16"});
        body[field] = bad.clone();
        let (status, json) = post(&app, "/api/v1/key-rates", body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} {bad}: {json}"
        );
        assert_eq!(field_names(&json), [field], "{field} {bad}");
    }
    let path = format!("/api/v1/key-rates/{}", second["id"]);
    assert_eq!(delete(&app, &path).await.0, StatusCode::NO_CONTENT);
    assert_not_found(delete(&app, &path).await);
    assert_eq!(get(&app, "/api/v1/key-rates").await.1, json!([first]));
    let actions: Vec<String> = audited(&app, "key_rate")
        .into_iter()
        .map(|(action, ..)| action)
        .collect();
    assert_eq!(actions, ["create", "create", "delete"]);
}

#[tokio::test]
async fn viewers_write_nothing_and_only_admins_write_key_rates() {
    let app = spawn_app().await;
    let h = house(&app);
    open(&app, &h, "1", "1001001001", "0").await;
    let (_, payment) = post(
        &app,
        "/api/v1/payments",
        json!({"account": "1001001001", "paid_on": "2026-11-02", "amount": "5"}),
    )
    .await;
    let (_, rate) = post(
        &app,
        "/api/v1/key-rates",
        json!({"valid_from": "2024-10-28", "rate": "21"}),
    )
    .await;
    let viewer = api_client(&app.user_with_token("vera", Role::Viewer));
    let manager = api_client(&app.user_with_token("maria", Role::Manager));
    let payment = payment["id"].as_i64().unwrap();
    let rate = rate["id"].as_i64().unwrap();
    let account = json!({"number": "7", "opening_balance": "0", "opening_period": "2026-05"});
    let writes = [
        (Method::PUT, account_path(&h, "2"), Some(account)),
        (
            Method::POST,
            "/api/v1/payments".to_owned(),
            Some(json!({"account": "1001001001", "paid_on": "2026-11-02", "amount": "5"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/payments/{payment}?reason=x"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/payments/{payment}/assign"),
            Some(json!({"account": "1001001001"})),
        ),
        (
            Method::POST,
            "/api/v1/payments/import".to_owned(),
            Some(json!("x")),
        ),
        (
            Method::POST,
            "/api/v1/key-rates".to_owned(),
            Some(json!({"valid_from": "2026-10-20", "rate": "16.5"})),
        ),
        (Method::DELETE, format!("/api/v1/key-rates/{rate}"), None),
    ];
    for (method, path, body) in &writes {
        let (status, json) = call_as(&app, &viewer, method.clone(), path, body.clone()).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "viewer {method} {path}: {json}"
        );
    }
    for (method, path, body) in writes.iter().filter(|(_, p, _)| p.contains("key-rates")) {
        let (status, json) = call_as(&app, &manager, method.clone(), path, body.clone()).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "manager {method} {path}: {json}"
        );
    }
    // Nothing changed; everyone reads.
    for client in [&viewer, &manager] {
        for path in [
            "/api/v1/accounts/1001001001",
            "/api/v1/accounts/1001001001/statement",
            "/api/v1/payments/unmatched",
            "/api/v1/key-rates",
            &format!("/api/v1/payments/{payment}"),
            &format!("/api/v1/houses/{}/balances?period=2026-11", h.id().0),
        ] {
            let (status, json) = call_as(&app, client, Method::GET, path, None).await;
            assert_eq!(status, StatusCode::OK, "{path}: {json}");
        }
    }
    assert_eq!(stored_payments(&app), 1);
    assert_eq!(
        get(&app, "/api/v1/key-rates")
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_not_found(get(&app, "/api/v1/accounts/7").await);
    // A manager takes payments and sets accounts.
    let (status, json) = call_as(
        &app,
        &manager,
        Method::POST,
        "/api/v1/payments",
        Some(json!({"account": "1001001001", "paid_on": "2026-11-02", "amount": "5"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let (status, json) = call_as(
        &app,
        &manager,
        Method::PUT,
        &account_path(&h, "2"),
        Some(json!({"number": "7", "opening_balance": "0", "opening_period": "2026-05"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
}

#[tokio::test]
async fn a_houses_balances_need_a_month_and_a_house() {
    let app = spawn_app().await;
    let h = house(&app);
    open(&app, &h, "2", "1001001002", "-300").await;
    let path = format!("/api/v1/houses/{}/balances", h.id().0);
    let (status, json) = get(&app, &format!("{path}?period=2026-06")).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let row = json!({"opening": "-300.00", "charged": "0.00", "penalty": "0.00",
                     "paid": "0.00", "closing": "-300.00"});
    let mut account = row.clone();
    account["number"] = json!("1001001002");
    account["apartment"] = json!("2");
    assert_eq!(
        json,
        json!({"period": "2026-06", "totals": row, "accounts": [account]})
    );
    // Before the account was opened: no row.
    let (_, json) = get(&app, &format!("{path}?period=2026-04")).await;
    assert_eq!(json["accounts"], json!([]));
    assert_eq!(json["totals"]["closing"], "0.00");
    for query in ["", "?period=", "?period=2026-13", "?period=06.2026"] {
        let (status, json) = get(&app, &format!("{path}{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {json}");
        assert_eq!(field_names(&json), ["period"], "{query}");
    }
    assert_not_found(get(&app, "/api/v1/houses/999999/balances?period=2026-06").await);
}
