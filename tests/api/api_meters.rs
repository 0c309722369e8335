//! JSON API: POST /apartments/{id}/meters, GET/PATCH/DELETE /meters/{id}.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::api::{
    add_api_reading, answer, assert_malformed_is_400, assert_not_found, create_house, delete, get,
    patch, post,
};
use crate::helpers::app::{TestApp, spawn_app};

/// An apartment (with meter SN-1) and its meters path.
async fn seeded(app: &TestApp) -> (Value, String) {
    let house = create_house(
        app,
        json!({"address": "ул. Ленина, 1", "apartments": [{"number": "1", "area": "50",
            "meters": [{"serial": "SN-1", "kind": "cold_water"}]}]}),
    )
    .await;
    let apartment = house["apartments"][0].clone();
    let path = format!("/api/v1/apartments/{}/meters", apartment["id"]);
    (apartment, path)
}

#[tokio::test]
async fn a_meter_is_added_and_shown_with_its_last_reading() {
    let app = spawn_app().await;
    let (apartment, path) = seeded(&app).await;
    let response = app
        .client
        .post(app.url(&path))
        .json(
            &json!({"serial": " ГВ-77 ", "kind": "hot_water", "initial_reading": 12.5,
            "installed_on": "2026-01-15", "note": "ignored"}),
        )
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (status, meter) = answer(response).await;
    assert_eq!(status, StatusCode::CREATED, "{meter}");
    let id = meter["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/meters/{id}"));
    let expected = json!({
        "id": id, "apartment_id": apartment["id"], "serial": "ГВ-77", "kind": "hot_water",
        "initial_reading": "12.500", "installed_on": "2026-01-15", "commissioned_on": null,
        "verified_until": null, "decommissioned_on": null, "last_reading": null
    });
    assert_eq!(meter, expected);
    assert_eq!(get(&app, &location).await, (StatusCode::OK, expected));

    add_api_reading(&app, &meter, "2026-01", "13");
    add_api_reading(&app, &meter, "2026-02", "14.125");
    let (_, shown) = get(&app, &location).await;
    assert_eq!(
        shown["last_reading"],
        json!({"period": "2026-02", "value": "14.125"})
    );

    // Defaults: initial reading 0, no installation date.
    let (status, plain) = post(
        &app,
        &path,
        json!({"serial": "ХВ-78", "kind": "cold_water",
        "initial_reading": null, "installed_on": null}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{plain}");
    assert_eq!(
        (&plain["initial_reading"], &plain["installed_on"]),
        (&json!("0.000"), &Value::Null)
    );
    let (_, apartment) = get(&app, &format!("/api/v1/apartments/{}", apartment["id"])).await;
    assert_eq!(apartment["meters"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn invalid_meters_are_422_naming_the_field_and_save_nothing() {
    let app = spawn_app().await;
    let (apartment, path) = seeded(&app).await;
    assert_malformed_is_400(&app, Method::POST, &path).await;
    for (body, fields) in [
        (
            json!({"serial": "X", "kind": "gas"}),
            json!({"kind": "Choose cold_water or hot_water."}),
        ),
        (
            json!({"serial": "", "kind": "cold_water", "initial_reading": "-1",
                "installed_on": "15.01.2026"}),
            json!({
                "initial_reading": "A meter reading cannot be negative.",
                "installed_on": "\"15.01.2026\" is not a date: write it as YYYY-MM-DD.",
                "serial": "Enter the serial number."}),
        ),
        (
            json!({"serial": 12345, "kind": true, "initial_reading": "1.2345"}),
            json!({
                "initial_reading": "The reading has more than 3 decimal places.",
                "kind": "Must be a string.",
                "serial": "Must be a string."}),
        ),
        (
            json!({"serial": "S".repeat(51), "kind": "cold_water", "installed_on": 20260115}),
            json!({
                "installed_on": "Must be a string.",
                "serial": "The serial number is longer than 50 characters."}),
        ),
        (
            json!({"kind": "cold_water"}),
            json!({"serial": "This field is required."}),
        ),
    ] {
        let (status, json) = post(&app, &path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert_eq!(json["fields"], fields, "{body}");
    }
    let (_, shown) = get(&app, &format!("/api/v1/apartments/{}", apartment["id"])).await;
    assert_eq!(
        shown["meters"].as_array().unwrap().len(),
        1,
        "nothing was saved"
    );
}

#[tokio::test]
async fn a_serial_already_in_use_is_409() {
    let app = spawn_app().await;
    let (_, path) = seeded(&app).await;
    let (status, json) = post(&app, &path, json!({"serial": "SN-1", "kind": "hot_water"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        json,
        json!({"error": "Serial SN-1 is already used by another meter.", "code": "conflict",
               "fields": {"serial": "Serial SN-1 is already used by another meter."}})
    );
}

#[tokio::test]
async fn unknown_apartments_and_meters_are_404() {
    let app = spawn_app().await;
    let body = json!({"serial": "X", "kind": "cold_water"});
    assert_not_found(post(&app, "/api/v1/apartments/999999/meters", body.clone()).await);
    assert_not_found(post(&app, "/api/v1/apartments/one/meters", body).await);
    for path in ["/api/v1/meters/999999", "/api/v1/meters/1.5"] {
        assert_not_found(get(&app, path).await);
        assert_not_found(patch(&app, path, json!({"serial": "Y"})).await);
        assert_not_found(delete(&app, path).await);
    }
}

#[tokio::test]
async fn patch_changes_a_meter_and_refuses_bad_values() {
    let app = spawn_app().await;
    let (apartment, path) = seeded(&app).await;
    let (_, meter) = post(
        &app,
        &path,
        json!({"serial": "M-2", "kind": "cold_water",
        "installed_on": "2026-01-01"}),
    )
    .await;
    let path = format!("/api/v1/meters/{}", meter["id"]);
    assert_malformed_is_400(&app, Method::PATCH, &path).await;

    let (status, changed) = patch(
        &app,
        &path,
        json!({"serial": "M-2b", "kind": "hot_water",
        "initial_reading": "5", "apartment_id": apartment["id"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        changed,
        json!({"id": meter["id"], "apartment_id": apartment["id"], "serial": "M-2b",
            "kind": "hot_water", "initial_reading": "5.000", "installed_on": "2026-01-01",
            "commissioned_on": null, "verified_until": null, "decommissioned_on": null,
            "last_reading": null})
    );
    // null clears the installation date; {} changes nothing.
    let (status, cleared) = patch(&app, &path, json!({"installed_on": null})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cleared["installed_on"], Value::Null);
    assert_eq!(
        patch(&app, &path, json!({})).await,
        (StatusCode::OK, cleared.clone())
    );

    for (body, fields) in [
        (
            json!({"kind": "gas"}),
            json!({"kind": "Choose cold_water or hot_water."}),
        ),
        (
            json!({"serial": ""}),
            json!({"serial": "Enter the serial number."}),
        ),
        (
            json!({"initial_reading": "abc"}),
            json!({"initial_reading": "\"abc\" is not a number."}),
        ),
        (
            json!({"apartment_id": 999999}),
            json!({
            "apartment_id": "The apartment_id cannot be changed; create a new record instead."}),
        ),
    ] {
        let (status, json) = patch(&app, &path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert_eq!(json["fields"], fields);
    }
    let (status, json) = patch(&app, &path, json!({"serial": "SN-1"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        json["fields"],
        json!({"serial": "Another meter already has this serial number."})
    );

    // The initial reading may not rise above a stored reading.
    add_api_reading(&app, &meter, "2026-02", "7");
    let (status, json) = patch(&app, &path, json!({"initial_reading": 8})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json["fields"],
        json!({"initial_reading": "8.000 is higher than 2026-02's reading 7.000."})
    );
    let (_, now) = get(&app, &path).await;
    assert_eq!(now["serial"], "M-2b");
    assert_eq!(now["initial_reading"], "5.000");
}

#[tokio::test]
async fn deleting_a_meter_with_readings_is_409_and_an_unread_one_goes() {
    let app = spawn_app().await;
    let (apartment, path) = seeded(&app).await;
    let read = &apartment["meters"][0];
    add_api_reading(&app, read, "2026-01", "3");
    let read_path = format!("/api/v1/meters/{}", read["id"]);
    let (status, json) = delete(&app, &read_path).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        json,
        json!({"error": "Meter SN-1 has 1 reading; billing history is never deleted.", "code": "conflict"})
    );
    assert_eq!(get(&app, &read_path).await.0, StatusCode::OK);

    let (_, unread) = post(&app, &path, json!({"serial": "M-2", "kind": "hot_water"})).await;
    let unread_path = format!("/api/v1/meters/{}", unread["id"]);
    assert_eq!(
        delete(&app, &unread_path).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_not_found(get(&app, &unread_path).await);
}
