//! JSON API: houses (GET/POST /api/v1/houses, GET/PATCH/DELETE /houses/{id}).

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::api::{
    add_api_reading, answer, assert_malformed_is_400, assert_not_found, create_house, delete,
    field_names, get, patch, post,
};
use crate::helpers::app::{TestApp, spawn_app};
use crate::helpers::fixtures::{ApartmentBuilder, HouseBuilder, MeterBuilder, month};
use kvartplata::domain::{MeterKind, Period};
use rust_decimal_macros::dec;

async fn house_count(app: &TestApp) -> usize {
    let (status, json) = get(app, "/api/v1/houses").await;
    assert_eq!(status, StatusCode::OK);
    json.as_array().unwrap().len()
}

#[tokio::test]
async fn a_nested_house_is_created_and_answered_as_get_shows_it() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/houses"))
        .json(&json!({
            "address": "  ул. Ленина, 1 ",
            "ignored": "unknown fields are fine",
            "apartments": [
                {"number": "10", "area": 61.5, "meters": []},
                {"number": "2", "area": "54,3", "meters": [
                    {"serial": "ХВ-1", "kind": "cold_water", "initial_reading": 12.5},
                    {"serial": "ГВ-1", "kind": "hot_water", "initial_reading": "3.25",
                     "installed_on": "2025-12-01"}
                ]},
                {"number": "2А", "area": 40}
            ]
        }))
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (status, house) = answer(response).await;
    assert_eq!(status, StatusCode::CREATED, "{house}");
    let id = house["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/houses/{id}"));

    let apartments = house["apartments"].as_array().unwrap();
    let meters = apartments[0]["meters"].as_array().unwrap();
    let expected = json!({
        "id": id,
        "address": "ул. Ленина, 1",
        "time_zone": "Europe/Moscow",
        "services": ["cold_water", "hot_water", "sewerage", "maintenance"],
        "closed_through": null,
        "current_period": Period::current().previous().to_string(),
        "apartments": [
            {"id": apartments[0]["id"], "number": "2", "area": "54.30", "residents": [], "owners": 1, "meter_impossible": false, "account": null, "meters": [
                {"id": meters[0]["id"], "serial": "ХВ-1", "kind": "cold_water",
                 "initial_reading": "12.500", "installed_on": null, "commissioned_on": null, "verified_until": null, "decommissioned_on": null, "last_reading": null},
                {"id": meters[1]["id"], "serial": "ГВ-1", "kind": "hot_water",
                 "initial_reading": "3.250", "installed_on": "2025-12-01", "commissioned_on": null, "verified_until": null, "decommissioned_on": null, "last_reading": null}
            ]},
            {"id": apartments[1]["id"], "number": "2А", "area": "40.00", "residents": [], "owners": 1, "meter_impossible": false, "account": null, "meters": []},
            {"id": apartments[2]["id"], "number": "10", "area": "61.50", "residents": [], "owners": 1, "meter_impossible": false, "account": null, "meters": []}
        ]
    });
    assert_eq!(house, expected);
    assert_eq!(get(&app, &location).await, (StatusCode::OK, expected));

    let (status, list) = get(&app, "/api/v1/houses").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list,
        json!([{"id": id, "address": "ул. Ленина, 1", "apartments": 3}])
    );
}

#[tokio::test]
async fn a_house_alone_is_created_and_shows_each_meters_last_reading() {
    let app = spawn_app().await;
    let empty = create_house(&app, json!({"address": "пр. Мира, 15"})).await;
    assert_eq!(empty["apartments"], json!([]));

    let house = create_house(
        &app,
        json!({"address": "ул. Гагарина, 7", "apartments": [{"number": "1", "area": "50",
            "meters": [{"serial": "M-1", "kind": "cold_water"}]}]}),
    )
    .await;
    let meter = &house["apartments"][0]["meters"][0];
    assert_eq!(meter["initial_reading"], "0.000");
    add_api_reading(&app, meter, "2026-01", "5.5");
    add_api_reading(&app, meter, "2026-02", "11.25");
    let (status, shown) = get(&app, &format!("/api/v1/houses/{}", house["id"])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        shown["apartments"][0]["meters"][0]["last_reading"],
        json!({"period": "2026-02", "value": "11.250"})
    );
}

#[tokio::test]
async fn malformed_json_is_400_and_a_body_that_is_no_object_is_422() {
    let app = spawn_app().await;
    assert_malformed_is_400(&app, Method::POST, "/api/v1/houses").await;
    let house = create_house(&app, json!({"address": "ул. Ленина, 1"})).await;
    let path = format!("/api/v1/houses/{}", house["id"]);
    assert_malformed_is_400(&app, Method::PATCH, &path).await;

    for body in [json!([]), json!("ул. Ленина, 2"), json!(null)] {
        let (status, json) = post(&app, "/api/v1/houses", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            json,
            json!({"error": "The body must be a JSON object.", "code": "invalid"})
        );
    }
    // JSON sent as something else is refused with a hint.
    let response = app
        .client
        .post(app.url("/api/v1/houses"))
        .header("content-type", "text/plain")
        .body(r#"{"address": "x"}"#)
        .send()
        .await
        .unwrap();
    let (status, json) = answer(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json["error"].as_str().unwrap().contains("application/json"));
    assert_eq!(house_count(&app).await, 1);
}

#[tokio::test]
async fn every_invalid_field_is_named_and_nothing_is_saved() {
    let app = spawn_app().await;
    let (status, json) = post(
        &app,
        "/api/v1/houses",
        json!({
            "address": "",
            "apartments": [
                {"number": "1", "area": "abc"},
                {"number": "2", "area": 0},
                {"number": "", "area": true, "meters": [
                    {"serial": "ok-1", "kind": "cold_water"},
                    {"serial": 7, "kind": "gas", "initial_reading": "-1",
                     "installed_on": "2026-02-30"}
                ]},
                "flat 4",
                {"area": 10001}
            ]
        }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(
        json["fields"],
        json!({
            "address": "Enter the address.",
            "apartments[0].area": "\"abc\" is not a number.",
            "apartments[1].area": "The area must be greater than 0 m².",
            "apartments[2].area": "Must be a number or a decimal string such as \"54.30\".",
            "apartments[2].meters[1].initial_reading": "A meter reading cannot be negative.",
            "apartments[2].meters[1].installed_on":
                "\"2026-02-30\" is not a date: write it as YYYY-MM-DD.",
            "apartments[2].meters[1].kind": "Choose cold_water or hot_water.",
            "apartments[2].meters[1].serial": "Must be a string.",
            "apartments[2].number": "Enter the apartment number.",
            "apartments[3]": "Must be an object.",
            "apartments[4].area": "The area must be at most 10000 m².",
            "apartments[4].number": "This field is required.",
        })
    );
    assert_eq!(json["error"], "address: Enter the address.");
    assert_eq!(house_count(&app).await, 0);

    for (body, field, message) in [
        (json!({}), "address", "This field is required."),
        (json!({"address": 5}), "address", "Must be a string."),
        (
            json!({"address": "x", "apartments": "many"}),
            "apartments",
            "Must be a list.",
        ),
        (
            json!({"address": "x", "apartments": [{"number": "1", "area": "1.005"}]}),
            "apartments[0].area",
            "The area has more than 2 decimal places.",
        ),
        (
            json!({"address": "x".repeat(301)}),
            "address",
            "The address is longer than 300 characters.",
        ),
    ] {
        let (status, json) = post(&app, "/api/v1/houses", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
        assert_eq!(json["fields"], json!({ field: message }));
    }
    assert_eq!(house_count(&app).await, 0);
}

#[tokio::test]
async fn a_nested_post_with_one_bad_meter_saves_nothing() {
    let app = spawn_app().await;
    let apartments: Vec<Value> = (1..=20)
        .map(|n| {
            json!({"number": n.to_string(), "area": "45.5", "meters": [
                {"serial": format!("C-{n}"), "kind": "cold_water"},
                {"serial": format!("H-{n}"), "kind": if n == 17 { "gas" } else { "hot_water" }}
            ]})
        })
        .collect();
    let (status, json) = post(
        &app,
        "/api/v1/houses",
        json!({"address": "ул. Ленина, 1", "apartments": apartments}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json["fields"],
        json!({"apartments[16].meters[1].kind": "Choose cold_water or hot_water."})
    );
    assert_eq!(
        get(&app, "/api/v1/houses").await,
        (StatusCode::OK, json!([]))
    );
}

#[tokio::test]
async fn duplicates_are_409_naming_the_field_and_save_nothing() {
    let app = spawn_app().await;
    create_house(
        &app,
        json!({"address": "ул. Ленина, 1", "apartments": [{"number": "1", "area": 50,
            "meters": [{"serial": "SN-1", "kind": "cold_water"}]}]}),
    )
    .await;

    let cases = [
        (
            json!({"address": "  УЛ. ЛЕНИНА, 1 "}),
            "address",
            "A house with this address already exists.",
        ),
        (
            json!({"address": "ул. Ленина, 2", "apartments": [
                {"number": "1", "area": 50, "meters": [{"serial": "new", "kind": "cold_water"}]},
                {"number": "2", "area": 50, "meters": [{"serial": "SN-1", "kind": "hot_water"}]}]}),
            "apartments[1].meters[0].serial",
            "Serial SN-1 is already used by another meter.",
        ),
        (
            json!({"address": "ул. Ленина, 2", "apartments": [
                {"number": "1", "area": 50, "meters": [{"serial": "X", "kind": "cold_water"}]},
                {"number": "2", "area": 50, "meters": [{"serial": "X", "kind": "hot_water"}]}]}),
            "apartments[1].meters[0].serial",
            "Serial X is listed twice (also at apartments[0].meters[0]).",
        ),
        (
            json!({"address": "ул. Ленина, 2", "apartments": [
                {"number": "5", "area": 50}, {"number": "6", "area": 50},
                {"number": "5", "area": 60}]}),
            "apartments[2].number",
            "Apartment 5 is listed twice (also at apartments[0]).",
        ),
    ];
    for (body, field, message) in cases {
        let (status, json) = post(&app, "/api/v1/houses", body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{json}");
        assert_eq!(
            json,
            json!({"error": message, "code": "conflict", "fields": { field: message }})
        );
    }
    assert_eq!(house_count(&app).await, 1);
}

#[tokio::test]
async fn unknown_and_non_numeric_house_ids_are_404() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/houses/999999",
        "/api/v1/houses/abc",
        "/api/v1/houses/-1",
        "/api/v1/houses/99999999999999999999999",
    ] {
        assert_not_found(get(&app, path).await);
        assert_not_found(patch(&app, path, json!({"address": "x"})).await);
        assert_not_found(delete(&app, path).await);
    }
}

#[tokio::test]
async fn patch_renames_and_refuses_invalid_or_taken_addresses() {
    let app = spawn_app().await;
    create_house(&app, json!({"address": "пр. Мира, 15"})).await;
    let house = create_house(
        &app,
        json!({"address": "ул. Ленина, 1", "apartments": [{"number": "1", "area": 50}]}),
    )
    .await;
    let path = format!("/api/v1/houses/{}", house["id"]);

    let (status, renamed) = patch(&app, &path, json!({"address": " ул. Ленина, 1А "})).await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["address"], "ул. Ленина, 1А");
    assert_eq!(renamed["apartments"], house["apartments"]);

    // Leaving the address out changes nothing.
    assert_eq!(
        patch(&app, &path, json!({})).await,
        (StatusCode::OK, renamed.clone())
    );

    for (body, message) in [
        (json!({"address": ""}), "Enter the address."),
        (json!({"address": 5}), "Must be a string."),
        (
            json!({"address": null}),
            "This field cannot be null; leave it out instead.",
        ),
    ] {
        let (status, json) = patch(&app, &path, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json["fields"], json!({ "address": message }));
    }

    let (status, json) = patch(&app, &path, json!({"address": "ПР. МИРА, 15"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(field_names(&json), ["address"]);
    assert_eq!(get(&app, &path).await, (StatusCode::OK, renamed));
}

#[tokio::test]
async fn deleting_a_house_with_readings_is_409_and_an_empty_one_goes() {
    let app = spawn_app().await;
    let house = create_house(
        &app,
        json!({"address": "ул. Ленина, 1", "apartments": [{"number": "1", "area": 50,
            "meters": [{"serial": "M-1", "kind": "cold_water"}]}]}),
    )
    .await;
    add_api_reading(&app, &house["apartments"][0]["meters"][0], "2026-01", "1");
    let path = format!("/api/v1/houses/{}", house["id"]);
    let (status, json) = delete(&app, &path).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        json,
        json!({"error": "ул. Ленина, 1 has 1 reading; billing history is never deleted.", "code": "conflict"})
    );
    let (status, still) = get(&app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(still["apartments"][0]["id"], house["apartments"][0]["id"]);

    let empty = create_house(
        &app,
        json!({"address": "пр. Мира, 15", "apartments": [{"number": "1", "area": 50,
            "meters": [{"serial": "M-2", "kind": "cold_water"}]}]}),
    )
    .await;
    let path = format!("/api/v1/houses/{}", empty["id"]);
    assert_eq!(
        delete(&app, &path).await,
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert_not_found(get(&app, &path).await);
    let apartment = format!("/api/v1/apartments/{}", empty["apartments"][0]["id"]);
    assert_not_found(get(&app, &apartment).await);
    assert_eq!(house_count(&app).await, 1);
}

#[tokio::test]
async fn a_house_of_1000_apartments_with_2000_meters_fits_one_request() {
    let app = spawn_app().await;
    let apartments: Vec<Value> = (1..=1000)
        .map(|n| {
            json!({"number": n.to_string(), "area": format!("{}.{:02}", 30 + n % 70, n % 100),
            "meters": [
                {"serial": format!("ХВ-{n:06}"), "kind": "cold_water", "initial_reading": n},
                {"serial": format!("ГВ-{n:06}"), "kind": "hot_water",
                 "installed_on": "2025-06-01"}
            ]})
        })
        .collect();
    let started = Instant::now();
    let (status, house) = post(
        &app,
        "/api/v1/houses",
        json!({"address": "ул. Большая, 1000", "apartments": apartments}),
    )
    .await;
    let elapsed = started.elapsed();
    assert_eq!(status, StatusCode::CREATED, "{house}");
    // Multi-row inserts: a few seconds at most even in a debug build.
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");

    // Above 500 apartments GET answers by pages; two of 500 show the house
    // as POST answered it.
    let mut shown = Vec::new();
    for page in 1..=2 {
        let path = format!("/api/v1/houses/{}?page={page}&per_page=500", house["id"]);
        let (status, json) = get(&app, &path).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (&json["id"], &json["address"]),
            (&house["id"], &house["address"])
        );
        shown.extend(json["apartments"].as_array().unwrap().iter().cloned());
    }
    assert_eq!(&shown, house["apartments"].as_array().unwrap());
    let apartments = &shown;
    assert_eq!(apartments.len(), 1000);
    // Natural number order: 1, 2, …, 10, …
    assert_eq!(apartments[9]["number"], "10");
    assert_eq!(apartments[999]["number"], "1000");
    assert_eq!(apartments[999]["area"], "50.00");
    let meters: usize = apartments
        .iter()
        .map(|a| a["meters"].as_array().unwrap().len())
        .sum();
    assert_eq!(meters, 2000);
    assert_eq!(apartments[41]["meters"][0]["serial"], "ХВ-000042");
    assert_eq!(apartments[41]["meters"][0]["initial_reading"], "42.000");
    assert_eq!(apartments[41]["meters"][1]["installed_on"], "2025-06-01");
}

#[tokio::test]
async fn a_house_body_over_4_mb_is_413_with_a_json_error() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let app = spawn_app().await;
    // The server answers as soon as it reads Content-Length and closes the
    // connection, so an HTTP client still writing the body would see a broken
    // pipe: announce 4 MiB + 1 over a raw socket and read the answer.
    let mut socket = tokio::net::TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .unwrap();
    let head = format!(
        "POST /api/v1/houses HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Authorization: Bearer {}\r\nContent-Length: {}\r\n\r\n{{\"address\": \"",
        app.token,
        4 * 1024 * 1024 + 1
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = socket.read_to_end(&mut answer).await;
    let answer = String::from_utf8(answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let body = answer.split("\r\n\r\n").nth(1).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(body).unwrap(),
        json!({"error": "The request body is too large.", "code": "payload_too_large"})
    );
    assert_eq!(house_count(&app).await, 0);
}

#[tokio::test]
async fn text_the_database_cannot_store_is_422_not_500() {
    let app = spawn_app().await;
    let (status, json) = post(
        &app,
        "/api/v1/houses",
        json!({"address": "ул. Ленина,\u{0} 1", "apartments": [{"number": "1", "area": 50,
            "meters": [{"serial": "M-1", "kind": "cold_water", "installed_on": "-5000-01-01"},
                       {"serial": "M-2", "kind": "cold_water", "installed_on": "+99999-01-01"}]}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(
        field_names(&json),
        [
            "address",
            "apartments[0].meters[0].installed_on",
            "apartments[0].meters[1].installed_on"
        ]
    );
    assert_eq!(house_count(&app).await, 0);
}

/// The apartment numbers of a house answer, in order.
fn numbers(house: &Value) -> Vec<String> {
    house["apartments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["number"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_large_house_is_answered_by_pages_with_links() {
    let app = spawn_app().await;
    let house = HouseBuilder::new("ул. Длинная, 1200")
        .apartments(1200)
        .meter_in_each(MeterKind::ColdWater, "C")
        .reading_on_every_meter(month("2026-10"), dec!(7.5))
        .insert(&app);
    let path = format!("/api/v1/houses/{}", house.id());

    // Without ?page: the first page of 100, with links.
    let response = app.get(&path).await;
    let link = response.headers()["link"].to_str().unwrap().to_owned();
    let (status, first) = answer(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["total"], 1200);
    assert_eq!(first["page"], 1);
    assert_eq!(first["per_page"], 100);
    let next = format!("{path}?page=2&per_page=100");
    assert_eq!(first["links"], json!({"next": next, "prev": null}));
    assert_eq!(link, format!("<{next}>; rel=\"next\""));
    assert_eq!(
        numbers(&first),
        (1..=100).map(|n| n.to_string()).collect::<Vec<_>>()
    );
    let meter = &first["apartments"][9]["meters"][0];
    assert_eq!(meter["serial"], "C-10");
    assert_eq!(
        meter["last_reading"],
        json!({"period": "2026-10", "value": "7.500"})
    );

    // The pages of 500 together hold every apartment once, in number order.
    let mut all = Vec::new();
    let mut next = Some(format!("{path}?per_page=500"));
    while let Some(url) = next {
        let (status, page) = get(&app, &url).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        all.extend(numbers(&page));
        next = page["links"]["next"].as_str().map(str::to_owned);
    }
    assert_eq!(all, (1..=1200).map(|n| n.to_string()).collect::<Vec<_>>());

    let (status, last) = get(&app, &format!("{path}?page=3&per_page=500")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(numbers(&last).len(), 200);
    assert_eq!(
        last["links"],
        json!({"next": null, "prev": format!("{path}?page=2&per_page=500")})
    );
    // Past the end: no apartments, a way back.
    let (status, beyond) = get(&app, &format!("{path}?page=13")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(beyond["apartments"], json!([]));
    assert_eq!(beyond["total"], 1200);
}

#[tokio::test]
async fn a_small_house_is_answered_whole_unless_a_page_is_asked_for() {
    let app = spawn_app().await;
    let house = HouseBuilder::new("ул. Короткая, 3")
        .apartments(3)
        .apartment(ApartmentBuilder::new("2А"))
        .meter_in_each(MeterKind::HotWater, "H")
        .insert(&app);
    let path = format!("/api/v1/houses/{}", house.id());

    let response = app.get(&path).await;
    assert!(response.headers().get("link").is_none());
    let (status, whole) = answer(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(numbers(&whole), ["1", "2", "2А", "3"]);
    let keys: Vec<&String> = whole.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "address",
            "apartments",
            "closed_through",
            "current_period",
            "id",
            "services",
            "time_zone",
        ],
        "as before paging"
    );

    let (status, second) = get(&app, &format!("{path}?page=2&per_page=2")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(numbers(&second), ["2А", "3"]);
    assert_eq!(second["total"], 4);
    assert_eq!(
        second["apartments"],
        json!(whole["apartments"].as_array().unwrap()[2..])
    );
}

#[tokio::test]
async fn invalid_paging_values_are_422_naming_the_field() {
    let app = spawn_app().await;
    let house = HouseBuilder::new("ул. Короткая, 3")
        .apartments(1)
        .insert(&app);
    let path = format!("/api/v1/houses/{}", house.id());
    for (query, field) in [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page=-2", "page"),
        ("page=99999999999999999999", "page"),
        ("per_page=501", "per_page"),
        ("per_page=0", "per_page"),
        ("page=1&per_page=1.5", "per_page"),
    ] {
        let (status, json) = get(&app, &format!("{path}?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {json}");
        assert_eq!(field_names(&json), [field], "{query}: {json}");
    }
    assert_not_found(get(&app, "/api/v1/houses/999999?page=1").await);
}

#[test]
fn the_page_query_lists_what_the_house_page_query_lists() {
    use kvartplata::db::queries::house_listing;
    let db = crate::helpers::db::TestDb::migrated();
    let mut conn = db.conn();
    let house = HouseBuilder::new("ул. Сверка, 1")
        .apartments(30)
        .apartment(ApartmentBuilder::new("12А"))
        .apartment(ApartmentBuilder::new("Офис"))
        .meter_in_each(MeterKind::ColdWater, "C")
        .meter_in_each(MeterKind::HotWater, "H")
        .meter_in(
            "5",
            MeterBuilder::cold("C-5b").reading(month("2026-09"), dec!(3)),
        )
        .reading_on_every_meter(month("2026-10"), dec!(9))
        .insert(&mut conn);
    let all = house_listing::ApartmentQuery {
        limit: None,
        ..Default::default()
    };
    let (_, mut expected) = house_listing::apartments(&mut conn, house.id(), &all).unwrap();
    for row in &mut expected {
        row.last_bill = None;
    }
    let whole = house_listing::apartments_page(&mut conn, house.id(), 0, None).unwrap();
    assert_eq!(whole, expected);
    let page = house_listing::apartments_page(&mut conn, house.id(), 10, Some(5)).unwrap();
    assert_eq!(page, expected[10..15]);
}
