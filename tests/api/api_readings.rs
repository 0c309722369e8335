//! JSON API: POST /readings, GET /houses/{id}/readings?period=,
//! GET /meters/{id}/readings — every reading rule through the API.

use kvartplata::domain::Period;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::api::{
    add_api_reading, assert_malformed_is_400, assert_not_found, create_house, field_names, get,
    post,
};
use crate::helpers::app::{TestApp, spawn_app};

/// Apartment 1 with ХВ-1 (cold, initial 0) and ГВ-1 (hot, initial 50.5);
/// apartment 2 with ХВ-2 (cold, initial 0). Returns the house body.
async fn seeded(app: &TestApp) -> Value {
    create_house(
        app,
        json!({"address": "ул. Ленина, 1", "apartments": [
            {"number": "2", "area": "40", "meters": [{"serial": "ХВ-2", "kind": "cold_water"}]},
            {"number": "1", "area": "50", "meters": [
                {"serial": "ХВ-1", "kind": "cold_water"},
                {"serial": "ГВ-1", "kind": "hot_water", "initial_reading": "50.5"}]}]}),
    )
    .await
}

/// The id of the meter with `serial` in a house body.
fn meter_id(house: &Value, serial: &str) -> i64 {
    house["apartments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["meters"].as_array().unwrap())
        .find(|m| m["serial"] == serial)
        .unwrap_or_else(|| panic!("no meter {serial} in {house}"))["id"]
        .as_i64()
        .unwrap()
}

async fn save(app: &TestApp, readings: Value) -> (StatusCode, Value) {
    post(app, "/api/v1/readings", json!({ "readings": readings })).await
}

/// Saves and asserts the 200 answer's counts (created, updated, unchanged).
async fn save_ok(app: &TestApp, readings: Value, counts: (usize, usize, usize)) {
    let (status, body) = save(app, readings).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (created, updated, unchanged) = counts;
    assert_eq!(
        body,
        json!({"saved": created + updated + unchanged, "created": created,
               "updated": updated, "unchanged": unchanged, "warnings": []})
    );
}

/// The 422 of a batch whose rows `errors` lists (`[index, field, code,
/// message]`).
fn refused(errors: &[(usize, &str, &str, &str)]) -> Value {
    let errors: Vec<Value> = errors
        .iter()
        .map(|(index, field, code, message)| {
            json!({"index": index, "field": field, "code": code, "message": message})
        })
        .collect();
    json!({
        "error": format!("{} of the readings are invalid; nothing was saved.", errors.len()),
        "code": "invalid_rows",
        "errors": errors,
    })
}

async fn assert_refused(app: &TestApp, readings: Value, errors: &[(usize, &str, &str, &str)]) {
    assert_eq!(
        save(app, readings).await,
        (StatusCode::UNPROCESSABLE_ENTITY, refused(errors))
    );
}

/// A meter's readings as `[(period, value)]`, oldest first.
async fn history(app: &TestApp, meter: i64) -> Vec<(String, String)> {
    let (status, body) = get(app, &format!("/api/v1/meters/{meter}/readings")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["source"], "api", "{r}");
            (
                r["period"].as_str().unwrap().to_owned(),
                r["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn months(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, v)| (p.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn readings_are_saved_by_meter_id_or_by_serial() {
    let app = spawn_app().await;
    let house = seeded(&app).await;
    let (cold, hot) = (meter_id(&house, "ХВ-1"), meter_id(&house, "ГВ-1"));
    save_ok(
        &app,
        json!([
            {"meter_id": cold, "period": "2026-09", "value": "12.5"},
            // a serial as typed (spaces trimmed), a JSON number, a null meter_id
            {"serial": " ГВ-1 ", "meter_id": null, "period": "2026-09", "value": 60.25},
            {"serial": "ГВ-1", "period": "2026-10", "value": "61,125"},
        ]),
        (3, 0, 0),
    )
    .await;
    assert_eq!(history(&app, cold).await, months(&[("2026-09", "12.500")]));
    assert_eq!(
        history(&app, hot).await,
        months(&[("2026-09", "60.250"), ("2026-10", "61.125")])
    );
}

#[tokio::test]
async fn a_value_below_the_initial_reading_is_refused() {
    let app = spawn_app().await;
    let house = seeded(&app).await;
    let hot = meter_id(&house, "ГВ-1");
    assert_refused(
        &app,
        json!([{"meter_id": hot, "period": "2026-09", "value": "49.999"}]),
        &[(
            0,
            "value",
            "below_initial_reading",
            "49.999 is lower than the meter's initial reading 50.500.",
        )],
    )
    .await;
    assert!(history(&app, hot).await.is_empty());
    // The initial reading itself is fine (no consumption yet).
    save_ok(
        &app,
        json!([{"meter_id": hot, "period": "2026-09", "value": "50.5"}]),
        (1, 0, 0),
    )
    .await;
}

#[tokio::test]
async fn a_value_below_an_earlier_months_is_refused() {
    let app = spawn_app().await;
    let house = seeded(&app).await;
    let cold = meter_id(&house, "ХВ-1");
    save_ok(
        &app,
        json!([{"serial": "ХВ-1", "period": "2026-09", "value": "130.5"}]),
        (1, 0, 0),
    )
    .await;
    assert_refused(
        &app,
        json!([{"serial": "ХВ-1", "period": "2026-10", "value": "123"}]),
        &[(
            0,
            "value",
            "below_earlier_reading",
            "123.000 is lower than 2026-09's reading 130.500.",
        )],
    )
    .await;
    assert_eq!(history(&app, cold).await, months(&[("2026-09", "130.500")]));
}

#[tokio::test]
async fn entered_out_of_order_an_earlier_month_may_not_exceed_a_later_one() {
    let app = spawn_app().await;
    let house = seeded(&app).await;
    let cold = meter_id(&house, "ХВ-1");
    // August first, then July.
    save_ok(
        &app,
        json!([{"meter_id": cold, "period": "2026-08", "value": "120"}]),
        (1, 0, 0),
    )
    .await;
    assert_refused(
        &app,
        json!([{"meter_id": cold, "period": "2026-07", "value": "121"}]),
        &[(
            0,
            "value",
            "above_later_reading",
            "121.000 is higher than 2026-08's reading 120.000.",
        )],
    )
    .await;
    save_ok(
        &app,
        json!([{"meter_id": cold, "period": "2026-07", "value": "110"}]),
        (1, 0, 0),
    )
    .await;
    assert_eq!(
        history(&app, cold).await,
        months(&[("2026-07", "110.000"), ("2026-08", "120.000")])
    );
}

#[tokio::test]
async fn saving_a_month_again_corrects_it() {
    let app = spawn_app().await;
    let house = seeded(&app).await;
    let cold = meter_id(&house, "ХВ-1");
    let two = meter_id(&house, "ХВ-2");
    save_ok(
        &app,
        json!([{"meter_id": cold, "period": "2026-09", "value": "100"},
               {"meter_id": two, "period": "2026-09", "value": "7"}]),
        (2, 0, 0),
    )
    .await;
    // A correction (even downwards), a month sent again as stored, a new month.
    save_ok(
        &app,
        json!([{"meter_id": cold, "period": "2026-09", "value": "95.5"},
               {"meter_id": two, "period": "2026-09", "value": "7.000"},
               {"meter_id": two, "period": "2026-10", "value": "8"}]),
        (1, 1, 1),
    )
    .await;
    assert_eq!(history(&app, cold).await, months(&[("2026-09", "95.500")]));
    assert_eq!(
        history(&app, two).await,
        months(&[("2026-09", "7.000"), ("2026-10", "8.000")])
    );
    // A correction still obeys the later months.
    assert_refused(
        &app,
        json!([{"meter_id": two, "period": "2026-09", "value": "8.001"}]),
        &[(
            0,
            "value",
            "above_later_reading",
            "8.001 is higher than 2026-10's reading 8.000.",
        )],
    )
    .await;
}

#[tokio::test]
async fn next_month_is_the_latest_month_accepted() {
    let app = spawn_app().await;
    let house = seeded(&app).await;
    let cold = meter_id(&house, "ХВ-1");
    let next = Period::current().next();
    let too_far = next.next();
    assert_refused(
        &app,
        json!([{"meter_id": cold, "period": too_far.to_string(), "value": "5"}]),
        &[(
            0,
            "period",
            "period_too_far_ahead",
            &format!("{too_far} is too far ahead: readings can be entered up to {next}."),
        )],
    )
    .await;
    save_ok(
        &app,
        json!([{"meter_id": cold, "period": next.to_string(), "value": "5"}]),
        (1, 0, 0),
    )
    .await;
    assert_eq!(
        history(&app, cold).await,
        [(next.to_string(), "5.000".to_owned())]
    );
}

#[tokio::test]
async fn unknown_meters_are_named_by_id_or_serial() {
    let app = spawn_app().await;
    let house = seeded(&app).await;
    let cold = meter_id(&house, "ХВ-1");
    assert_refused(
        &app,
        json!([{"meter_id": cold, "period": "2026-09", "value": "1"},
               {"meter_id": 987654, "period": "2026-09", "value": "1"},
               {"serial": "НЕТ-1", "period": "2026-09", "value": "1"}]),
        &[
            (1, "meter_id", "unknown_meter", "There is no meter 987654."),
            (
                2,
                "serial",
                "unknown_meter",
                "There is no meter with serial НЕТ-1.",
            ),
        ],
    )
    .await;
    assert!(history(&app, cold).await.is_empty());
}

/// Every meter of the house for `period`: `[(serial, previous, value)]`.
async fn month(app: &TestApp, house: &Value, period: &str) -> Vec<(String, Value, Value)> {
    let path = format!("/api/v1/houses/{}/readings?period={period}", house["id"]);
    let (status, body) = get(app, &path).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["serial"].as_str().unwrap().to_owned(),
                r["previous"].clone(),
                r["value"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn one_bad_row_in_a_batch_refuses_the_whole_batch() {
    let app = spawn_app().await;
    // 20 apartments with one meter each, 3 months of readings per meter.
    let apartments: Vec<Value> = (1..=20)
        .map(|n| {
            json!({"number": n.to_string(), "area": "40",
                        "meters": [{"serial": format!("S-{n}"), "kind": "cold_water"}]})
        })
        .collect();
    let house = create_house(
        &app,
        json!({"address": "ул. Мира, 5", "apartments": apartments}),
    )
    .await;
    let mut rows: Vec<Value> = (1..=20)
        .flat_map(|n| {
            ["2026-07", "2026-08", "2026-09"]
                .into_iter()
                .enumerate()
                .map(move |(i, p)| {
                    json!({"serial": format!("S-{n}"), "period": p,
                           "value": format!("{}", n * 10 + i)})
                })
        })
        .collect();
    assert_eq!(rows.len(), 60);
    // Row 37 is S-13's August (n = 13, i = 1); give it a meter that does
    // not exist. (A value out of line with its neighbours would blame them
    // too: each is checked against the others.)
    assert_eq!(rows[37]["serial"], "S-13");
    rows[37]["serial"] = json!("S-999");
    assert_refused(
        &app,
        Value::Array(rows),
        &[(
            37,
            "serial",
            "unknown_meter",
            "There is no meter with serial S-999.",
        )],
    )
    .await;
    // Nothing of the batch was saved.
    for period in ["2026-07", "2026-08", "2026-09"] {
        let rows = month(&app, &house, period).await;
        assert_eq!(rows.len(), 20);
        assert!(rows.iter().all(|(_, _, value)| value.is_null()), "{rows:?}");
    }
}

#[tokio::test]
async fn the_same_batch_twice_changes_nothing_the_second_time() {
    let app = spawn_app().await;
    let house = seeded(&app).await;
    let batch = json!([
        {"serial": "ХВ-1", "period": "2026-08", "value": "10"},
        {"serial": "ХВ-1", "period": "2026-09", "value": "12.5"},
        {"serial": "ГВ-1", "period": "2026-09", "value": "51"},
        {"serial": "ХВ-2", "period": "2026-09", "value": "3.333"},
    ]);
    save_ok(&app, batch.clone(), (4, 0, 0)).await;
    let before = month(&app, &house, "2026-09").await;
    save_ok(&app, batch, (0, 0, 4)).await;
    assert_eq!(month(&app, &house, "2026-09").await, before);
    assert_eq!(
        history(&app, meter_id(&house, "ХВ-1")).await,
        months(&[("2026-08", "10.000"), ("2026-09", "12.500")])
    );
}

#[tokio::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    assert_malformed_is_400(&app, Method::POST, "/api/v1/readings").await;
}

#[tokio::test]
async fn a_body_without_a_readings_list_is_422_naming_it() {
    let app = spawn_app().await;
    for body in [
        json!({}),
        json!({"readings": null}),
        json!({"readings": {"serial": "ХВ-1"}}),
        json!({"readings": "ХВ-1;2026-09;5"}),
    ] {
        let (status, json) = post(&app, "/api/v1/readings", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert_eq!(field_names(&json), ["readings"], "{body}");
    }
    let (status, json) = post(&app, "/api/v1/readings", json!([])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(json["error"], "The body must be a JSON object.");
    // An empty list is a batch of nothing.
    save_ok(&app, json!([]), (0, 0, 0)).await;
}

#[tokio::test]
async fn rows_that_cannot_be_read_are_listed_with_the_rule_errors() {
    let app = spawn_app().await;
    let house = seeded(&app).await;
    let cold = meter_id(&house, "ХВ-1");
    add_api_reading(&app, &json!({"id": cold}), "2026-08", "40");
    let rows = json!([
        {"meter_id": cold, "period": "2026-09", "value": "41"},
        {"period": "2026-09", "value": "1"},
        {"meter_id": cold, "serial": "ХВ-1", "period": "2026-09", "value": "1"},
        {"serial": "ХВ-2", "period": "2026-13", "value": "1"},
        {"serial": "ХВ-2", "period": "2026-09", "value": "abc"},
        {"serial": "ХВ-2", "period": "2026-09", "value": "-1"},
        {"serial": "ХВ-2", "period": "2026-09", "value": "1.2345"},
        {"meter_id": "7", "period": "2026-09", "value": "1"},
        {"serial": 7, "period": "2026-09", "value": "1"},
        {"serial": "ХВ-2", "period": 202609, "value": "1"},
        {"serial": "ХВ-2", "period": "2026-09", "value": true},
        {"serial": "ХВ-2", "period": "2026-09"},
        "ХВ-2;2026-09;1",
        // Readable, but below August's 40: the rules' error comes too.
        {"serial": "ХВ-1", "period": "2026-07", "value": "41"},
    ]);
    assert_refused(
        &app,
        rows,
        &[
            (
                1,
                "meter_id",
                "invalid_field",
                "Give the meter as meter_id or serial.",
            ),
            (
                2,
                "meter_id",
                "invalid_field",
                "Give meter_id or serial, not both.",
            ),
            (
                3,
                "period",
                "invalid_field",
                "\"2026-13\" is not a month: write it as YYYY-MM, e.g. 2026-09",
            ),
            (4, "value", "invalid_field", "\"abc\" is not a number."),
            (
                5,
                "value",
                "invalid_field",
                "A meter reading cannot be negative.",
            ),
            (
                6,
                "value",
                "invalid_field",
                "The reading has more than 3 decimal places.",
            ),
            (7, "meter_id", "invalid_field", "Must be an integer id."),
            (8, "serial", "invalid_field", "Must be a string."),
            (9, "period", "invalid_field", "Must be a string."),
            (
                10,
                "value",
                "invalid_field",
                "Must be a number or a decimal string such as \"54.30\".",
            ),
            (11, "value", "invalid_field", "This field is required."),
            (
                12,
                "reading",
                "invalid_field",
                "Must be an object: {meter_id or serial, period, value}.",
            ),
            (
                13,
                "value",
                "above_later_reading",
                "41.000 is higher than 2026-08's reading 40.000.",
            ),
        ],
    )
    .await;
    // Row 0 was fine, but nothing was saved.
    assert_eq!(history(&app, cold).await, months(&[("2026-08", "40.000")]));
}

#[tokio::test]
async fn ten_thousand_readings_are_saved_in_one_post() {
    let app = spawn_app().await;
    // 1,000 apartments with two meters each, five months per meter.
    let apartments: Vec<Value> = (1..=1000)
        .map(|n| {
            json!({"number": n.to_string(), "area": "50", "meters": [
                {"serial": format!("C-{n}"), "kind": "cold_water"},
                {"serial": format!("H-{n}"), "kind": "hot_water"}]})
        })
        .collect();
    let house = create_house(
        &app,
        json!({"address": "ул. Большая, 1", "apartments": apartments}),
    )
    .await;
    let periods = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"];
    let rows: Vec<Value> = (1..=1000)
        .flat_map(|n| {
            ["C", "H"].into_iter().flat_map(move |kind| {
                periods.into_iter().enumerate().map(move |(i, period)| {
                    json!({"serial": format!("{kind}-{n}"), "period": period,
                           "value": format!("{}.125", n + i)})
                })
            })
        })
        .collect();
    assert_eq!(rows.len(), 10_000);
    save_ok(&app, Value::Array(rows), (10_000, 0, 0)).await;
    let may = month(&app, &house, "2026-05").await;
    assert_eq!(may.len(), 2000);
    assert_eq!(
        may[0],
        (
            "C-1".to_owned(),
            json!({"period": "2026-04", "value": "4.125"}),
            json!("5.125")
        )
    );
    assert!(may.iter().all(|(_, _, value)| value.is_string()));
}

#[tokio::test]
async fn a_houses_month_shows_every_meter_with_its_previous_and_this_months_reading() {
    let app = spawn_app().await;
    let house = seeded(&app).await;
    let (cold, hot, two) = (
        meter_id(&house, "ХВ-1"),
        meter_id(&house, "ГВ-1"),
        meter_id(&house, "ХВ-2"),
    );
    save_ok(
        &app,
        json!([{"meter_id": cold, "period": "2026-07", "value": "10"},
               {"meter_id": cold, "period": "2026-09", "value": "15.5"},
               {"meter_id": cold, "period": "2026-10", "value": "16"},
               {"meter_id": hot, "period": "2026-09", "value": "52"}]),
        (4, 0, 0),
    )
    .await;
    let (status, body) = get(
        &app,
        &format!("/api/v1/houses/{}/readings?period=2026-09", house["id"]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let apartment = |number: &str| {
        house["apartments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["number"] == number)
            .unwrap()["id"]
            .clone()
    };
    // Apartment 1 before 2 (natural order), cold before hot; with no earlier
    // reading, previous is the initial reading with period null.
    assert_eq!(
        body,
        json!([
            {"meter_id": cold, "serial": "ХВ-1", "kind": "cold_water",
             "apartment_id": apartment("1"), "apartment_number": "1",
             "previous": {"period": "2026-07", "value": "10.000"}, "value": "15.500"},
            {"meter_id": hot, "serial": "ГВ-1", "kind": "hot_water",
             "apartment_id": apartment("1"), "apartment_number": "1",
             "previous": {"period": null, "value": "50.500"}, "value": "52.000"},
            {"meter_id": two, "serial": "ХВ-2", "kind": "cold_water",
             "apartment_id": apartment("2"), "apartment_number": "2",
             "previous": {"period": null, "value": "0.000"}, "value": null},
        ])
    );
    // A month with nothing entered yet still lists every meter.
    assert_eq!(
        month(&app, &house, "2026-11").await,
        [
            (
                "ХВ-1".to_owned(),
                json!({"period": "2026-10", "value": "16.000"}),
                Value::Null
            ),
            (
                "ГВ-1".to_owned(),
                json!({"period": "2026-09", "value": "52.000"}),
                Value::Null
            ),
            (
                "ХВ-2".to_owned(),
                json!({"period": null, "value": "0.000"}),
                Value::Null
            ),
        ]
    );
}

#[tokio::test]
async fn a_houses_month_needs_a_valid_period_and_a_known_house() {
    let app = spawn_app().await;
    let house = seeded(&app).await;
    let base = format!("/api/v1/houses/{}/readings", house["id"]);
    for query in [
        "",
        "?period=",
        "?period=2026-13",
        "?period=09.2026",
        "?month=2026-09",
    ] {
        let (status, json) = get(&app, &format!("{base}{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {json}");
        assert_eq!(field_names(&json), ["period"], "{query}");
    }
    let (_, json) = get(&app, &format!("{base}?period=2026-13")).await;
    assert_eq!(
        json["fields"]["period"],
        "\"2026-13\" is not a month: write it as YYYY-MM, e.g. 2026-09"
    );
    assert_not_found(get(&app, "/api/v1/houses/987654/readings?period=2026-09").await);
    assert_not_found(get(&app, "/api/v1/houses/abc/readings?period=2026-09").await);
}

#[tokio::test]
async fn a_meters_readings_are_listed_oldest_first() {
    let app = spawn_app().await;
    let house = seeded(&app).await;
    let cold = meter_id(&house, "ХВ-1");
    for (period, value) in [("2026-09", "30"), ("2026-06", "10"), ("2026-08", "20.05")] {
        save_ok(
            &app,
            json!([{"meter_id": cold, "period": period, "value": value}]),
            (1, 0, 0),
        )
        .await;
    }
    assert_eq!(
        get(&app, &format!("/api/v1/meters/{cold}/readings")).await,
        (
            StatusCode::OK,
            json!([
                {"period": "2026-06", "value": "10.000", "source": "api"},
                {"period": "2026-08", "value": "20.050", "source": "api"},
                {"period": "2026-09", "value": "30.000", "source": "api"},
            ])
        )
    );
    let other = meter_id(&house, "ХВ-2");
    assert_eq!(
        get(&app, &format!("/api/v1/meters/{other}/readings")).await,
        (StatusCode::OK, json!([]))
    );
    assert_not_found(get(&app, "/api/v1/meters/987654/readings").await);
}
