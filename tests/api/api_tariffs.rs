//! JSON API: GET/POST /api/v1/tariffs, GET/PATCH/DELETE /tariffs/{id}.

use kvartplata::db::models::{ApartmentId, HouseId, TariffId};
use kvartplata::db::queries;
use reqwest::{Method, StatusCode};
use rust_decimal_macros::dec;
use serde_json::{Value, json};

use crate::helpers::api::{
    answer, assert_malformed_is_400, assert_not_found, create_house, delete, field_names, get,
    patch, post,
};
use crate::helpers::app::{TestApp, spawn_app};
use crate::helpers::fixtures::{ChargeBuilder, month};

/// Stores a maintenance charge of the house's first apartment, 50 m²
/// billed for 2026-01 at `tariff`, as a billing run will.
fn add_charge(app: &TestApp, house: &Value, tariff: &Value) {
    let id = |value: &Value| value["id"].as_i64().unwrap();
    let tariff = queries::tariffs::find(&mut app.db.conn(), TariffId(id(tariff))).unwrap();
    ChargeBuilder::maintenance(
        HouseId(id(house)),
        ApartmentId(id(&house["apartments"][0])),
        dec!(50),
        &tariff,
        month("2026-01"),
    )
    .explanation(json!({"area": "50.00"}))
    .insert(app);
}

async fn create_tariff(app: &TestApp, body: Value) -> Value {
    let (status, json) = post(app, "/api/v1/tariffs", body).await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    json
}

#[tokio::test]
async fn tariffs_are_created_listed_and_shown() {
    let app = spawn_app().await;
    let house = create_house(&app, json!({"address": "ул. Ленина, 1"})).await;
    let response = app
        .client
        .post(app.url("/api/v1/tariffs"))
        .json(&json!({"service": "cold_water", "price": 42.5, "valid_from": "2026-01"}))
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (status, default) = answer(response).await;
    assert_eq!(status, StatusCode::CREATED, "{default}");
    assert_eq!(location, format!("/api/v1/tariffs/{}", default["id"]));
    let expected = json!({"id": default["id"], "service": "cold_water", "price": "42.5000",
        "valid_from": "2026-01", "house_id": null});
    assert_eq!(default, expected);
    assert_eq!(get(&app, &location).await, (StatusCode::OK, expected));

    // The same service and month for one house is that house's override.
    let own = create_tariff(
        &app,
        json!({"service": "cold_water", "price": "45,1234", "valid_from": "2026-01",
            "house_id": house["id"]}),
    )
    .await;
    assert_eq!(
        (&own["price"], &own["house_id"]),
        (&json!("45.1234"), &house["id"])
    );
    let later = create_tariff(
        &app,
        json!({"service": "cold_water", "price": "44", "valid_from": "2026-07", "house_id": null}),
    )
    .await;
    let maintenance = create_tariff(
        &app,
        json!({"service": "maintenance", "price": 30, "valid_from": "2025-12"}),
    )
    .await;
    // By service, defaults before overrides, newest first.
    assert_eq!(
        get(&app, "/api/v1/tariffs").await,
        (StatusCode::OK, json!([later, default, own, maintenance]))
    );
}

#[tokio::test]
async fn invalid_tariffs_are_422_naming_the_field() {
    let app = spawn_app().await;
    assert_malformed_is_400(&app, Method::POST, "/api/v1/tariffs").await;
    for (body, fields) in [
        (
            json!({"service": "cold_water", "price": 0, "valid_from": "2026-01"}),
            json!({"price": "The price must be greater than 0."}),
        ),
        (
            json!({"service": "gas", "price": "abc", "valid_from": "2026-13"}),
            json!({
                "price": "\"abc\" is not a number.",
                "service": "Choose cold_water, hot_water, sewerage or maintenance.",
                "valid_from": "\"2026-13\" is not a month: write it as YYYY-MM, e.g. 2026-09"}),
        ),
        (
            json!({"service": "hot_water", "price": "1.23456", "valid_from": "01.2026",
                "house_id": "1"}),
            json!({
                "house_id": "Must be an integer id.",
                "price": "The price has more than 4 decimal places.",
                "valid_from": "\"01.2026\" is not a month: write it as YYYY-MM, e.g. 2026-09"}),
        ),
        (
            json!({"service": 1, "price": false, "valid_from": 202601}),
            json!({
                "price": "Must be a number or a decimal string such as \"54.30\".",
                "service": "Must be a string.",
                "valid_from": "Must be a string."}),
        ),
        (
            json!({}),
            json!({
                "price": "This field is required.",
                "service": "This field is required.",
                "valid_from": "This field is required."}),
        ),
        (
            json!({"service": "maintenance", "price": 10, "valid_from": "2026-01",
                "house_id": 999999}),
            json!({"house_id": "There is no house 999999."}),
        ),
    ] {
        let (status, json) = post(&app, "/api/v1/tariffs", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert_eq!(json["fields"], fields, "{body}");
    }
    assert_eq!(
        get(&app, "/api/v1/tariffs").await,
        (StatusCode::OK, json!([]))
    );
}

#[tokio::test]
async fn a_second_tariff_for_the_same_service_house_and_month_is_409() {
    let app = spawn_app().await;
    let house = create_house(&app, json!({"address": "ул. Ленина, 1"})).await;
    let message = "A tariff for this service, house and month already exists; edit that one.";
    for body in [
        json!({"service": "hot_water", "price": 200, "valid_from": "2026-01"}),
        json!({"service": "hot_water", "price": 210, "valid_from": "2026-01",
            "house_id": house["id"]}),
    ] {
        create_tariff(&app, body.clone()).await;
        let (status, json) = post(&app, "/api/v1/tariffs", body).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(
            json,
            json!({"error": message, "code": "conflict", "fields": {"valid_from": message}})
        );
    }
    let (_, list) = get(&app, "/api/v1/tariffs").await;
    assert_eq!(list.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn unknown_tariffs_are_404() {
    let app = spawn_app().await;
    for path in ["/api/v1/tariffs/999999", "/api/v1/tariffs/cold_water"] {
        assert_not_found(get(&app, path).await);
        assert_not_found(patch(&app, path, json!({"price": 1})).await);
        assert_not_found(delete(&app, path).await);
    }
}

#[tokio::test]
async fn patch_changes_price_and_month_and_refuses_bad_values() {
    let app = spawn_app().await;
    let house = create_house(&app, json!({"address": "ул. Ленина, 1"})).await;
    let tariff = create_tariff(
        &app,
        json!({"service": "maintenance", "price": "25.5", "valid_from": "2026-01"}),
    )
    .await;
    create_tariff(
        &app,
        json!({"service": "maintenance", "price": "27", "valid_from": "2026-07"}),
    )
    .await;
    let path = format!("/api/v1/tariffs/{}", tariff["id"]);
    assert_malformed_is_400(&app, Method::PATCH, &path).await;

    // A GET body sent back with a new price works: unchanged fields pass.
    let mut edited = tariff.clone();
    edited["price"] = json!(26.75);
    edited["valid_from"] = json!("2026-02");
    let (status, changed) = patch(&app, &path, edited).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        changed,
        json!({"id": tariff["id"], "service": "maintenance", "price": "26.7500",
            "valid_from": "2026-02", "house_id": null})
    );
    assert_eq!(
        patch(&app, &path, json!({})).await,
        (StatusCode::OK, changed.clone())
    );

    for (body, fields) in [
        (
            json!({"price": 0}),
            json!({"price": "The price must be greater than 0."}),
        ),
        (
            json!({"valid_from": "2026-13"}),
            json!({
            "valid_from": "\"2026-13\" is not a month: write it as YYYY-MM, e.g. 2026-09"}),
        ),
        (
            json!({"service": "hot_water"}),
            json!({
            "service": "The service cannot be changed; create a new record instead."}),
        ),
        (
            json!({"house_id": house["id"]}),
            json!({
            "house_id": "The house_id cannot be changed; create a new record instead."}),
        ),
    ] {
        let (status, json) = patch(&app, &path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert_eq!(json["fields"], fields);
    }
    let (status, json) = patch(&app, &path, json!({"valid_from": "2026-07"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(field_names(&json), ["valid_from"]);
    assert_eq!(get(&app, &path).await, (StatusCode::OK, changed));
}

#[tokio::test]
async fn a_tariff_billed_at_is_kept_and_an_unused_one_is_deleted() {
    let app = spawn_app().await;
    let house = create_house(
        &app,
        json!({"address": "ул. Ленина, 1", "apartments": [{"number": "1", "area": 50}]}),
    )
    .await;
    let used = create_tariff(
        &app,
        json!({"service": "maintenance", "price": "25.5", "valid_from": "2026-01"}),
    )
    .await;
    add_charge(&app, &house, &used);
    let path = format!("/api/v1/tariffs/{}", used["id"]);
    let (status, json) = delete(&app, &path).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        json["error"]
            .as_str()
            .unwrap()
            .starts_with("This tariff was used for 1 charge(s)"),
        "{json}"
    );
    let (status, json) = patch(&app, &path, json!({"price": 30})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert_eq!(get(&app, &path).await, (StatusCode::OK, used));

    // Charges also keep the house and its apartment.
    let (status, json) = delete(&app, &format!("/api/v1/houses/{}", house["id"])).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        json["error"],
        "ул. Ленина, 1 has 1 charge; billing history is never deleted."
    );
    let apartment = format!("/api/v1/apartments/{}", house["apartments"][0]["id"]);
    assert_eq!(delete(&app, &apartment).await.0, StatusCode::CONFLICT);

    let unused = create_tariff(
        &app,
        json!({"service": "maintenance", "price": "27", "valid_from": "2026-07"}),
    )
    .await;
    let path = format!("/api/v1/tariffs/{}", unused["id"]);
    assert_eq!(
        delete(&app, &path).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_not_found(get(&app, &path).await);
}
