//! JSON API: POST /houses/{id}/apartments, GET/PATCH/DELETE /apartments/{id}.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::api::{
    add_api_reading, answer, assert_malformed_is_400, assert_not_found, create_house, delete, get,
    patch, post,
};
use crate::helpers::app::{TestApp, spawn_app};

/// A house with apartment "1" (meter SN-1) and a second house; returns
/// (house, apartment, other house).
async fn seeded(app: &TestApp) -> (Value, Value, Value) {
    let house = create_house(
        app,
        json!({"address": "ул. Ленина, 1", "apartments": [{"number": "1", "area": "50",
            "meters": [{"serial": "SN-1", "kind": "cold_water"}]}]}),
    )
    .await;
    let other = create_house(app, json!({"address": "пр. Мира, 15"})).await;
    let id = house["apartments"][0]["id"].as_i64().unwrap();
    let (status, apartment) = get(app, &format!("/api/v1/apartments/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    (house, apartment, other)
}

#[tokio::test]
async fn an_apartment_with_meters_is_added_to_a_house() {
    let app = spawn_app().await;
    let (house, _, other) = seeded(&app).await;
    let response = app
        .client
        .post(app.url(&format!("/api/v1/houses/{}/apartments", house["id"])))
        .json(&json!({"number": " 12А ", "area": 54.3, "meters": [
            {"serial": "ХВ-12", "kind": "cold_water", "initial_reading": "100,5"},
            {"serial": "ГВ-12", "kind": "hot_water", "installed_on": "2026-01-15"}]}))
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (status, apartment) = answer(response).await;
    assert_eq!(status, StatusCode::CREATED, "{apartment}");
    let id = apartment["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/apartments/{id}"));
    let meters = &apartment["meters"];
    // Meters by kind: cold before hot.
    let expected = json!({
        "id": id, "house_id": house["id"], "number": "12А", "area": "54.30",
        "residents": [], "owners": 1, "meter_impossible": false, "account": null,
        "meters": [
            {"id": meters[0]["id"], "serial": "ХВ-12", "kind": "cold_water",
             "initial_reading": "100.500", "installed_on": null, "commissioned_on": null, "verified_until": null, "decommissioned_on": null, "last_reading": null},
            {"id": meters[1]["id"], "serial": "ГВ-12", "kind": "hot_water",
             "initial_reading": "0.000", "installed_on": "2026-01-15", "commissioned_on": null, "verified_until": null, "decommissioned_on": null, "last_reading": null}
        ]
    });
    assert_eq!(apartment, expected);
    assert_eq!(get(&app, &location).await, (StatusCode::OK, expected));

    // Without meters, and the same number in another house is fine.
    let (status, plain) = post(
        &app,
        &format!("/api/v1/houses/{}/apartments", other["id"]),
        json!({"number": "12А", "area": "7"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{plain}");
    assert_eq!(plain["area"], "7.00");
    assert_eq!(plain["meters"], json!([]));
    let (_, shown) = get(&app, &format!("/api/v1/houses/{}", house["id"])).await;
    assert_eq!(shown["apartments"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn invalid_apartments_are_422_naming_the_field_and_save_nothing() {
    let app = spawn_app().await;
    let (house, _, _) = seeded(&app).await;
    let path = format!("/api/v1/houses/{}/apartments", house["id"]);
    assert_malformed_is_400(&app, Method::POST, &path).await;

    for (body, fields) in [
        (
            json!({"number": "2", "area": 0}),
            json!({"area": "The area must be greater than 0 m²."}),
        ),
        (
            json!({"number": "2", "area": "abc"}),
            json!({"area": "\"abc\" is not a number."}),
        ),
        (
            json!({"number": "", "area": "-5"}),
            json!({"area": "The area must be greater than 0 m².",
                   "number": "Enter the apartment number."}),
        ),
        (
            json!({"number": 2, "area": [1]}),
            json!({"area": "Must be a number or a decimal string such as \"54.30\".",
                   "number": "Must be a string."}),
        ),
        (
            json!({"number": "2", "area": 40, "meters": [
                {"serial": "A", "kind": "cold_water"}, {"serial": "B", "kind": "gas"}]}),
            json!({"meters[1].kind": "Choose cold_water or hot_water."}),
        ),
        (
            json!({}),
            json!({"area": "This field is required.", "number": "This field is required."}),
        ),
    ] {
        let (status, json) = post(&app, &path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert_eq!(json["fields"], fields, "{body}");
    }
    let (_, shown) = get(&app, &format!("/api/v1/houses/{}", house["id"])).await;
    assert_eq!(shown, house, "nothing was saved");
    let (status, _) = get(&app, "/api/v1/meters/0").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn duplicate_numbers_and_serials_are_409() {
    let app = spawn_app().await;
    let (house, _, _) = seeded(&app).await;
    let path = format!("/api/v1/houses/{}/apartments", house["id"]);
    for (body, field, message) in [
        (
            json!({"number": "1", "area": 40}),
            "number",
            "This house already has an apartment with this number.",
        ),
        (
            json!({"number": "2", "area": 40, "meters": [{"serial": "SN-1", "kind": "hot_water"}]}),
            "meters[0].serial",
            "Serial SN-1 is already used by another meter.",
        ),
        (
            json!({"number": "2", "area": 40, "meters": [
                {"serial": "Z", "kind": "hot_water"}, {"serial": "Z", "kind": "cold_water"}]}),
            "meters[1].serial",
            "Serial Z is listed twice (also at meters[0]).",
        ),
    ] {
        let (status, json) = post(&app, &path, body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{json}");
        assert_eq!(
            json,
            json!({"error": message, "code": "conflict", "fields": { field: message }})
        );
    }
    let (_, shown) = get(&app, &format!("/api/v1/houses/{}", house["id"])).await;
    assert_eq!(shown, house, "nothing was saved");
}

#[tokio::test]
async fn unknown_houses_and_apartments_are_404() {
    let app = spawn_app().await;
    let body = json!({"number": "1", "area": 40});
    assert_not_found(post(&app, "/api/v1/houses/999999/apartments", body.clone()).await);
    assert_not_found(post(&app, "/api/v1/houses/abc/apartments", body.clone()).await);
    for path in ["/api/v1/apartments/999999", "/api/v1/apartments/x1"] {
        assert_not_found(get(&app, path).await);
        assert_not_found(patch(&app, path, json!({"area": 40})).await);
        assert_not_found(delete(&app, path).await);
    }
}

#[tokio::test]
async fn patch_changes_number_and_area_and_refuses_bad_values() {
    let app = spawn_app().await;
    let (house, apartment, other) = seeded(&app).await;
    let path = format!("/api/v1/apartments/{}", apartment["id"]);
    assert_malformed_is_400(&app, Method::PATCH, &path).await;

    let (status, changed) = patch(&app, &path, json!({"area": 61.5})).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["area"], "61.50");
    assert_eq!(changed["number"], "1");
    assert_eq!(changed["meters"], apartment["meters"]);

    let (status, changed) = patch(
        &app,
        &path,
        json!({"number": "1Б", "area": "62,25", "house_id": house["id"], "id": 5}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        (&changed["number"], &changed["area"]),
        (&json!("1Б"), &json!("62.25"))
    );
    assert_eq!(
        patch(&app, &path, json!({})).await,
        (StatusCode::OK, changed.clone())
    );

    for (body, fields) in [
        (
            json!({"area": 0}),
            json!({"area": "The area must be greater than 0 m²."}),
        ),
        (
            json!({"area": "abc", "number": " "}),
            json!({
            "area": "\"abc\" is not a number.", "number": "Enter the apartment number."}),
        ),
        (
            json!({"area": null}),
            json!({"area": "This field cannot be null; leave it out instead."}),
        ),
        (
            json!({"house_id": other["id"]}),
            json!({
            "house_id": "The house_id cannot be changed; create a new record instead."}),
        ),
    ] {
        let (status, json) = patch(&app, &path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert_eq!(json["fields"], fields);
    }

    // Another apartment of the house takes number 2; 1Б cannot become 2.
    post(
        &app,
        &format!("/api/v1/houses/{}/apartments", house["id"]),
        json!({"number": "2", "area": 40}),
    )
    .await;
    let (status, json) = patch(&app, &path, json!({"number": "2"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        json["fields"],
        json!({"number": "This house already has an apartment with this number."})
    );
    assert_eq!(get(&app, &path).await, (StatusCode::OK, changed));
}

#[tokio::test]
async fn deleting_an_apartment_with_readings_is_409_and_an_empty_one_goes() {
    let app = spawn_app().await;
    let (house, apartment, _) = seeded(&app).await;
    let path = format!("/api/v1/apartments/{}", apartment["id"]);
    add_api_reading(&app, &apartment["meters"][0], "2026-03", "12.5");
    let (status, json) = delete(&app, &path).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        json,
        json!({"error": "Apartment 1 has 1 reading; billing history is never deleted.", "code": "conflict"})
    );
    let (status, still) = get(&app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        still["meters"][0]["last_reading"],
        json!({"period": "2026-03", "value": "12.500"})
    );

    let (status, empty) = post(
        &app,
        &format!("/api/v1/houses/{}/apartments", house["id"]),
        json!({"number": "2", "area": 40, "meters": [{"serial": "E-1", "kind": "hot_water"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let path = format!("/api/v1/apartments/{}", empty["id"]);
    assert_eq!(
        delete(&app, &path).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_not_found(get(&app, &path).await);
    // Its meters went with it.
    assert_not_found(
        get(
            &app,
            &format!("/api/v1/meters/{}", empty["meters"][0]["id"]),
        )
        .await,
    );
}
