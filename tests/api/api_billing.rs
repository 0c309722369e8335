//! JSON API: starting billing runs (POST /houses/{id}/billing-runs, POST
//! /billing-runs), their progress (GET /billing-runs, /billing-runs/{id})
//! and a house's charges (GET /houses/{id}/charges?period=), against a
//! hand-computed house billed by the app's own workers.

use std::cell::RefCell;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date};
use kvartplata::domain::Period;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::api::{
    answer, assert_malformed_is_400, assert_not_found, create_house, delete, field_names, get,
    post, send_raw,
};
use crate::helpers::app::{TestApp, eventually, spawn_app};

/// How long a run of a few apartments may take on a busy test machine.
const RUN_TIMEOUT: Duration = Duration::from_secs(30);

/// The keys every run body has, in any order.
const RUN_KEYS: [&str; 13] = [
    "amount",
    "created_at",
    "error",
    "finished_at",
    "house_id",
    "id",
    "percent",
    "period",
    "processed",
    "stale",
    "started_at",
    "status",
    "total",
];

fn keys(json: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {json}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn id(json: &Value) -> i64 {
    json["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {json}"))
}

/// A timestamp field: RFC 3339.
fn assert_timestamp(run: &Value, field: &str) {
    let text = run[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is not a timestamp in {run}"));
    assert!(
        chrono::DateTime::parse_from_rfc3339(text).is_ok(),
        "{field}: {text}"
    );
}

/// Creates a tariff; the price as a string or a JSON number.
async fn tariff(
    app: &TestApp,
    service: &str,
    price: impl Into<Value>,
    from: &str,
    house: Option<i64>,
) -> i64 {
    let price: Value = price.into();
    let (status, body) = post(
        app,
        "/api/v1/tariffs",
        json!({"service": service, "price": price, "valid_from": from, "house_id": house}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    id(&body)
}

async fn readings(app: &TestApp, readings: Value) {
    let (status, body) = post(app, "/api/v1/readings", json!({ "readings": readings })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// The ids the expectations below refer to.
struct Seeded {
    house: i64,
    /// apartments "1" and "2"
    apartments: [i64; 2],
    cold: i64,
    hot_own: i64,
    sewerage: i64,
    upkeep: i64,
}

/// Adds a default normative (m³ per person per month) from 2026-01.
async fn normative(app: &TestApp, service: &str, value: &str) {
    let (status, body) = post(
        app,
        "/api/v1/normatives",
        json!({"service": service, "value": value, "valid_from": "2026-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// House "ул. Ленина, 1" (all four services), billed for 2026-10 under
/// ПП 354 with normatives cold 4 and hot 3 m³ per person and the seeded
/// coefficients (cold 3, hot 1.5):
/// - apartment 1, 54.30 m², 2 residents: cold CW-1 (Sep 100.000, Oct
///   103.333) and CW-2 (initial 50.000, Oct 51.112): 3.333 + 1.112 = 4.445
///   m³ × 40.00 = 177.80; hot HW-1 (initial 20, Sep 22.500, no Oct reading
///   and no average: half of 2 × 3 m³ = 3 m³, no K) and HW-2 (initial 10,
///   Oct 12.500): 5.500 m³ × 214.76 (the house's own price; the default is
///   200.00) = 1181.18; sewerage 9.945 m³ × 30.00 = 298.35; maintenance
///   54.30 × 24.50 = 1330.35; total 2987.68
/// - apartment 2, 33.33 m², nobody registered, one owner, no meters: cold
///   4 m³ × 40.00 × 3 = 480.00 (160.00 of it plain); hot 3 m³ × 214.76 ×
///   1.5 = 966.42 (644.28 plain); sewerage 7 m³ × 30.00 = 210.00 (without
///   K); maintenance 33.33 × 24.50 = 816.585, half a kopeck rounded away
///   from zero: 816.59; total 2473.01
/// - house total 2987.68 + 2473.01 = 5460.69
async fn seed(app: &TestApp) -> Seeded {
    let house = create_house(
        app,
        json!({"address": "ул. Ленина, 1", "apartments": [
            {"number": "1", "area": "54.30", "residents": 2, "meters": [
                {"serial": "CW-1", "kind": "cold_water"},
                {"serial": "CW-2", "kind": "cold_water", "initial_reading": "50"},
                {"serial": "HW-1", "kind": "hot_water", "initial_reading": 20},
                {"serial": "HW-2", "kind": "hot_water", "initial_reading": "10.000"}]},
            {"number": "2", "area": 33.33}]}),
    )
    .await;
    let house_id = id(&house);
    let apartment = |n: usize| id(&house["apartments"][n]);
    let apartments = [apartment(0), apartment(1)];
    assert_eq!(house["apartments"][0]["number"], "1", "{house}");
    let cold = tariff(app, "cold_water", "40.00", "2026-01", None).await;
    tariff(app, "hot_water", "200.00", "2026-01", None).await;
    let hot_own = tariff(app, "hot_water", "214.76", "2026-01", Some(house_id)).await;
    let sewerage = tariff(app, "sewerage", "30", "2026-01", None).await;
    let upkeep = tariff(app, "maintenance", 24.5, "2026-01", None).await;
    normative(app, "cold_water", "4").await;
    normative(app, "hot_water", "3").await;
    readings(
        app,
        json!([
            {"serial": "CW-1", "period": "2026-09", "value": "100.000"},
            {"serial": "CW-1", "period": "2026-10", "value": "103.333"},
            {"serial": "CW-2", "period": "2026-10", "value": "51.112"},
            {"serial": "HW-1", "period": "2026-09", "value": "22.5"},
            {"serial": "HW-2", "period": "2026-10", "value": 12.5},
        ]),
    )
    .await;
    Seeded {
        house: house_id,
        apartments,
        cold,
        hot_own,
        sewerage,
        upkeep,
    }
}

/// Starts billing `house` for `period` and returns the 202's run body,
/// checking the Location header names it.
async fn start(app: &TestApp, house: i64, period: &str) -> Value {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/houses/{house}/billing-runs")))
        .json(&json!({ "period": period }))
        .send()
        .await
        .unwrap();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    let (status, run) = answer(response).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{run}");
    assert_eq!(
        location.as_deref(),
        Some(format!("/api/v1/billing-runs/{}", id(&run)).as_str())
    );
    run
}

/// Polls the run until the workers completed it; returns its last body.
async fn completed(app: &TestApp, run: i64) -> Value {
    let path = format!("/api/v1/billing-runs/{run}");
    let last = RefCell::new(Value::Null);
    let done = eventually(RUN_TIMEOUT, || async {
        let (status, body) = get(app, &path).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_ne!(body["status"], "failed", "{body}");
        let completed = body["status"] == "completed";
        *last.borrow_mut() = body;
        completed
    })
    .await;
    let last = last.into_inner();
    assert!(done, "run {run} did not complete: {last}");
    last
}

async fn charges(app: &TestApp, house: i64, period: &str) -> Value {
    let (status, body) = get(
        app,
        &format!("/api/v1/houses/{house}/charges?period={period}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Seeded's October as the charges API must answer it, worked out by hand.
fn october(s: &Seeded) -> Value {
    let actual = |serial: &str, base: Value, reading: &str, volume: &str| {
        json!({"serial": serial, "method": "actual", "volume": volume, "raised": false,
               "reading": reading, "base": base, "estimated": "0.000",
               "estimated_months": null, "average_from": null, "span": null})
    };
    let owner = |normative: &str, volume: &str, k: &str| {
        json!({"basis": "no_meter", "normative": {"residents": 0, "owners": 1,
               "normative": normative, "volume": volume, "meters": 0, "coefficient": k}})
    };
    let line = |service: &str, quantity: &str, unit: &str, price: &str, amount: &str| {
        json!({"service": service, "quantity": quantity, "unit": unit, "unit_price": price,
               "amount": amount, "missing_reading": false, "coefficient": null,
               "excess": "0.00", "tariff_valid_from": "2026-01"})
    };
    let with = |mut line: Value, extra: Value| {
        for (key, value) in extra.as_object().unwrap() {
            line[key] = value.clone();
        }
        line
    };
    json!({
        "house_id": s.house,
        "period": "2026-10",
        "total": "5460.69",
        "missing_readings": 1,
        "apartments": [
            {
                "apartment_id": s.apartments[0],
                "number": "1",
                "area": "54.30",
                "total": "2987.68",
                "lines": [
                    with(line("cold_water", "4.445", "m3", "40.0000", "177.80"), json!({
                        "note": "CW-1 by readings: 103.333 − 100.000 = 3.333 m³; \
                                 CW-2 by readings: 51.112 − 50.000 = 1.112 m³",
                        "method": "actual",
                        "tariff_id": s.cold,
                        "explanation": {"basis": "meters", "normative": null, "meters": [
                            actual("CW-1", json!({"period": "2026-09", "value": "100.000"}),
                                   "103.333", "3.333"),
                            actual("CW-2", json!({"period": null, "value": "50.000"}),
                                   "51.112", "1.112"),
                        ]},
                    })),
                    with(line("hot_water", "5.500", "m3", "214.7600", "1181.18"), json!({
                        "note": "HW-1 by normative: 2 residents × 3.00 m³ / 2 meters = 3.00 m³; \
                                 HW-2 by readings: 12.500 − 10.000 = 2.500 m³",
                        "method": "mixed",
                        "missing_reading": true,
                        "tariff_id": s.hot_own,
                        "explanation": {"basis": "meters", "meters": [
                            {"serial": "HW-1", "method": "normative", "volume": "3.000",
                             "raised": false, "reading": null, "base": null, "estimated": null,
                             "estimated_months": null, "average_from": null, "span": null},
                            actual("HW-2", json!({"period": null, "value": "10.000"}),
                                   "12.500", "2.500"),
                        ], "normative": {"residents": 2, "owners": 1, "normative": "3.0000",
                                         "volume": "6.000", "meters": 2, "coefficient": null}},
                    })),
                    with(line("sewerage", "9.945", "m3", "30.0000", "298.35"), json!({
                        "note": "cold 4.445 + hot 5.500 = 9.945 m³",
                        "method": "sum",
                        "tariff_id": s.sewerage,
                        "explanation": {"basis": "sum", "cold": "4.445", "hot": "5.500"},
                    })),
                    with(line("maintenance", "54.30", "m2", "24.5000", "1330.35"), json!({
                        "note": "area 54.30 m²",
                        "method": "area",
                        "tariff_id": s.upkeep,
                        "explanation": {"basis": "area", "area": "54.30"},
                    })),
                ],
            },
            {
                "apartment_id": s.apartments[1],
                "number": "2",
                "area": "33.33",
                "total": "2473.01",
                "lines": [
                    with(line("cold_water", "4.000", "m3", "40.0000", "480.00"), json!({
                        "note": "by normative: 1 owner × 4.00 m³ = 4.00 m³ × K 3",
                        "method": "normative",
                        "coefficient": "3.00",
                        "excess": "320.00",
                        "tariff_id": s.cold,
                        "explanation": owner("4.0000", "4.000", "3.00"),
                    })),
                    with(line("hot_water", "3.000", "m3", "214.7600", "966.42"), json!({
                        "note": "by normative: 1 owner × 3.00 m³ = 3.00 m³ × K 1.5",
                        "method": "normative",
                        "coefficient": "1.50",
                        "excess": "322.14",
                        "tariff_id": s.hot_own,
                        "explanation": owner("3.0000", "3.000", "1.50"),
                    })),
                    with(line("sewerage", "7.000", "m3", "30.0000", "210.00"), json!({
                        "note": "cold 4.000 + hot 3.000 = 7.000 m³",
                        "method": "sum",
                        "tariff_id": s.sewerage,
                        "explanation": {"basis": "sum", "cold": "4.000", "hot": "3.000"},
                    })),
                    with(line("maintenance", "33.33", "m2", "24.5000", "816.59"), json!({
                        "note": "area 33.33 m²",
                        "method": "area",
                        "tariff_id": s.upkeep,
                        "explanation": {"basis": "area", "area": "33.33"},
                    })),
                ],
            },
        ],
    })
}

/// A run of `house` and `period` that some other process holds under a
/// lease far in the future, so no worker here takes it: it stays active.
fn foreign_active_run(app: &TestApp, house: i64, period: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Inserted {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let period: Period = period.parse().unwrap();
    diesel::sql_query(
        "INSERT INTO billing_runs \
             (house_id, period, status, total, lease_owner, lease_expires_at, started_at) \
         VALUES ($1, $2, 'running', 1, 'elsewhere/1', now() + interval '1 day', now()) \
         RETURNING id",
    )
    .bind::<BigInt, _>(house)
    .bind::<Date, _>(period)
    .get_result::<Inserted>(&mut app.db.conn())
    .unwrap()
    .id
}

fn charge_rows(app: &TestApp) -> i64 {
    diesel::sql_query("SELECT count(*) AS n FROM charges")
        .get_result::<Count>(&mut app.db.conn())
        .unwrap()
        .n
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[tokio::test]
async fn a_completed_run_shows_stale_once_a_reading_of_its_month_is_corrected() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let run = start(&app, s.house, "2026-10").await;
    let done = completed(&app, id(&run)).await;
    assert_eq!(done["stale"], false, "{done}");

    readings(
        &app,
        json!([{"serial": "CW-1", "period": "2026-10", "value": "104.000"}]),
    )
    .await;
    let (status, after) = get(&app, &format!("/api/v1/billing-runs/{}", id(&run))).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["stale"], true, "{after}");

    // Billing again gives a fresh run; the list shows both as they are.
    let again = start(&app, s.house, "2026-10").await;
    let again = completed(&app, id(&again)).await;
    assert_eq!(again["stale"], false, "{again}");
    let (_, list) = get(&app, &format!("/api/v1/billing-runs?house_id={}", s.house)).await;
    let stale: Vec<(&Value, &Value)> = list
        .as_array()
        .unwrap_or_else(|| panic!("no runs in {list}"))
        .iter()
        .map(|r| (&r["id"], &r["stale"]))
        .collect();
    assert_eq!(
        stale,
        [(&again["id"], &json!(false)), (&run["id"], &json!(true))]
    );
}

#[tokio::test]
async fn a_started_run_completes_by_itself_with_hand_computed_charges() {
    let app = spawn_app().await;
    let s = seed(&app).await;

    let run = start(&app, s.house, "2026-10").await;
    assert_eq!(keys(&run), RUN_KEYS, "{run}");
    assert_eq!(run["house_id"], s.house);
    assert_eq!(run["period"], "2026-10");
    assert_eq!(run["status"], "queued");
    assert_eq!((&run["total"], &run["processed"]), (&json!(2), &json!(0)));
    assert_eq!(
        (&run["percent"], &run["amount"]),
        (&json!(0), &json!("0.00"))
    );
    assert_timestamp(&run, "created_at");
    assert_eq!(
        (&run["started_at"], &run["finished_at"], &run["error"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );

    let done = completed(&app, id(&run)).await;
    assert_eq!(keys(&done), RUN_KEYS, "{done}");
    assert_eq!(done["id"], run["id"]);
    assert_eq!((&done["total"], &done["processed"]), (&json!(2), &json!(2)));
    assert_eq!(done["percent"], 100);
    assert_eq!(
        done["amount"], "5460.69",
        "the run's amount is the house total"
    );
    assert_timestamp(&done, "started_at");
    assert_timestamp(&done, "finished_at");
    assert_eq!(done["error"], Value::Null);

    let bill = charges(&app, s.house, "2026-10").await;
    assert_eq!(bill, october(&s));
    // The house total is the sum of the apartment totals, and each of those
    // the sum of its lines (checked here by arithmetic, not only by text).
    let cents = |v: &Value| -> i64 { v.as_str().unwrap().replace('.', "").parse().unwrap() };
    let apartments = bill["apartments"].as_array().unwrap();
    for a in apartments {
        let lines: i64 = a["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| cents(&l["amount"]))
            .sum();
        assert_eq!(lines, cents(&a["total"]), "{a}");
    }
    let sum: i64 = apartments.iter().map(|a| cents(&a["total"])).sum();
    assert_eq!(sum, cents(&bill["total"]));
}

#[tokio::test]
async fn billing_a_month_again_gives_identical_lines_and_no_duplicates() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let first = start(&app, s.house, "2026-10").await;
    completed(&app, id(&first)).await;
    assert_eq!(charge_rows(&app), 8);

    let second = start(&app, s.house, "2026-10").await;
    assert_ne!(id(&second), id(&first), "a new run");
    let done = completed(&app, id(&second)).await;
    assert_eq!(done["amount"], "5460.69");
    assert_eq!(charges(&app, s.house, "2026-10").await, october(&s));
    assert_eq!(charge_rows(&app), 8, "lines replaced, not added");

    // Both runs are listed, newest first.
    let (status, runs) = get(&app, &format!("/api/v1/billing-runs?house_id={}", s.house)).await;
    assert_eq!(status, StatusCode::OK, "{runs}");
    let ids: Vec<i64> = runs.as_array().unwrap().iter().map(id).collect();
    assert_eq!(ids, [id(&second), id(&first)]);
}

#[tokio::test]
async fn a_start_while_a_run_is_active_is_409_naming_that_run() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let active = foreign_active_run(&app, s.house, "2026-10");

    let path = format!("/api/v1/houses/{}/billing-runs", s.house);
    let (status, body) = post(&app, &path, json!({"period": "2026-10"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(
        body,
        json!({
            "error": format!("Run {active} of this house and month is still in progress."),
            "code": "run_active",
            "run_id": active,
        })
    );
    // Another month of the same house is not held back.
    let september = start(&app, s.house, "2026-09").await;
    completed(&app, id(&september)).await;
    // The active run is untouched and nothing was billed for its month.
    let (_, still) = get(&app, &format!("/api/v1/billing-runs/{active}")).await;
    assert_eq!(still["status"], "running", "{still}");
    let bill = charges(&app, s.house, "2026-10").await;
    assert_eq!(bill["apartments"], json!([]));
}

#[tokio::test]
async fn a_missing_tariff_or_normative_is_422_naming_each_service() {
    let app = spawn_app().await;
    let house = create_house(
        &app,
        json!({"address": "ул. Мира, 5", "apartments": [{"number": "1", "area": "40",
            "meters": [{"serial": "C", "kind": "cold_water"}, {"serial": "H", "kind": "hot_water"}]}]}),
    )
    .await;
    let house = id(&house);
    tariff(&app, "maintenance", "20", "2026-01", None).await;
    // In effect only from the month after the one billed.
    tariff(&app, "hot_water", "200", "2026-11", None).await;

    let path = format!("/api/v1/houses/{house}/billing-runs");
    let (status, body) = post(&app, &path, json!({"period": "2026-10"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body,
        json!({
            "error": "No cold_water or hot_water or sewerage tariff is in effect for 2026-10: \
                      add one before billing.",
            "code": "invalid",
            "fields": {
                "cold_water": "No cold_water tariff is in effect for 2026-10.",
                "hot_water": "No hot_water tariff is in effect for 2026-10.",
                "sewerage": "No sewerage tariff is in effect for 2026-10.",
            },
        })
    );
    // Once cold water and sewerage are priced only hot water is named for
    // October...
    tariff(&app, "cold_water", "40", "2026-01", None).await;
    tariff(&app, "sewerage", "30", "2026-01", None).await;
    let (status, body) = post(&app, &path, json!({"period": "2026-10"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_names(&body), ["hot_water"]);
    // ...while November has every tariff but no normative: water without a
    // reading could not be billed.
    let (status, body) = post(&app, &path, json!({"period": "2026-11"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body,
        json!({
            "error": "No cold_water or hot_water normative is in effect for 2026-11: \
                      add one before billing.",
            "code": "invalid",
            "fields": {
                "cold_water": "No cold_water normative is in effect for 2026-11.",
                "hot_water": "No hot_water normative is in effect for 2026-11.",
            },
        })
    );
    // Nothing was started before.
    let (_, runs) = get(&app, &format!("/api/v1/billing-runs?house_id={house}")).await;
    assert_eq!(runs, json!([]));
    normative(&app, "cold_water", "4").await;
    normative(&app, "hot_water", "3").await;
    start(&app, house, "2026-11").await;
}

#[tokio::test]
async fn the_period_must_be_a_month_no_later_than_next_month() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let one = format!("/api/v1/houses/{}/billing-runs", s.house);
    let far = Period::current().next().next().to_string();
    for path in [one.as_str(), "/api/v1/billing-runs"] {
        for (body, message) in [
            (json!({}), "This field is required.".to_owned()),
            (
                json!({"period": null}),
                "This field is required.".to_owned(),
            ),
            (json!({"period": 202610}), "Must be a string.".to_owned()),
            (
                json!({"period": "2026-13"}),
                "\"2026-13\" is not a month: write it as YYYY-MM, e.g. 2026-09".to_owned(),
            ),
            (
                json!({"period": far}),
                format!("{far} is in the future: bill at most the month after this one."),
            ),
        ] {
            let (status, json) = post(&app, path, body.clone()).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path} {body}: {json}"
            );
            assert_eq!(
                json["fields"],
                json!({ "period": message }),
                "{path} {body}"
            );
        }
        let (status, json) = post(&app, path, json!(["2026-10"])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
        assert_malformed_is_400(&app, Method::POST, path).await;
        let (status, json) = send_raw(&app, Method::POST, path, r#"{"period": "2026-10"}"#).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{path} well-formed: {json}");
        // The house's run is active now: wait, so the next path may start.
        let run = json["started"].get(0).unwrap_or(&json);
        completed(&app, id(run)).await;
    }
    // Next month is allowed (readings may already be in).
    let next = Period::current().next().to_string();
    let run = start(&app, s.house, &next).await;
    assert_eq!(run["period"], next.as_str());
}

#[tokio::test]
async fn unknown_houses_and_runs_are_404() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let unknown = s.house + 1000;
    assert_not_found(
        post(
            &app,
            &format!("/api/v1/houses/{unknown}/billing-runs"),
            json!({"period": "2026-10"}),
        )
        .await,
    );
    assert_not_found(get(&app, "/api/v1/billing-runs/987654").await);
    assert_not_found(get(&app, "/api/v1/billing-runs/not-a-number").await);
    assert_not_found(
        get(
            &app,
            &format!("/api/v1/houses/{unknown}/charges?period=2026-10"),
        )
        .await,
    );
    assert_not_found(get(&app, &format!("/api/v1/billing-runs?house_id={unknown}")).await);
    // No run was created by any of them.
    let (status, runs) = get(&app, "/api/v1/billing-runs").await;
    assert_eq!((status, runs), (StatusCode::OK, json!([])));
}

#[tokio::test]
async fn charges_need_a_period_and_a_month_never_billed_is_empty() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let path = format!("/api/v1/houses/{}/charges", s.house);
    for query in [
        "",
        "?period=",
        "?period=2026-1",
        "?period=10.2026",
        "?other=1",
    ] {
        let (status, body) = get(&app, &format!("{path}{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(field_names(&body), ["period"], "{query}");
    }
    assert_eq!(
        charges(&app, s.house, "2026-08").await,
        json!({"house_id": s.house, "period": "2026-08", "total": "0.00",
               "missing_readings": 0, "apartments": []})
    );
}

#[tokio::test]
async fn a_house_without_apartments_completes_at_once() {
    let app = spawn_app().await;
    let house = id(&create_house(&app, json!({"address": "Пустой дом"})).await);
    // No tariff is needed where nothing is billed.
    let run = start(&app, house, "2026-10").await;
    assert_eq!(run["status"], "completed", "{run}");
    assert_eq!(
        (
            &run["total"],
            &run["processed"],
            &run["percent"],
            &run["amount"]
        ),
        (&json!(0), &json!(0), &json!(100), &json!("0.00"))
    );
    assert_timestamp(&run, "finished_at");
    let (status, shown) = get(&app, &format!("/api/v1/billing-runs/{}", id(&run))).await;
    assert_eq!((status, &shown), (StatusCode::OK, &run));
    assert_eq!(
        charges(&app, house, "2026-10").await,
        json!({"house_id": house, "period": "2026-10", "total": "0.00",
               "missing_readings": 0, "apartments": []})
    );
}

#[tokio::test]
async fn all_houses_start_together_and_each_refusal_says_why() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    // No hot tariff of its own and no default: Seeded's override is not B's.
    let hot_less = id(&create_house(
        &app,
        json!({"address": "B", "apartments": [{"number": "1", "area": "10",
            "meters": [{"serial": "B-H", "kind": "hot_water"}]}]}),
    )
    .await);
    let busy = id(&create_house(
        &app,
        json!({"address": "C", "apartments": [{"number": "1", "area": "20"}]}),
    )
    .await);
    let empty = id(&create_house(&app, json!({"address": "D"})).await);
    let active = foreign_active_run(&app, busy, "2026-10");
    // B is refused only for lack of a hot tariff: drop the default one.
    let (status, tariffs) = get(&app, "/api/v1/tariffs").await;
    assert_eq!(status, StatusCode::OK);
    let default_hot = tariffs
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["service"] == "hot_water" && t["house_id"].is_null())
        .map(id)
        .unwrap();
    let (status, _) = delete(&app, &format!("/api/v1/tariffs/{default_hot}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (status, body) = post(&app, "/api/v1/billing-runs", json!({"period": "2026-10"})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(keys(&body), ["refused", "started"], "{body}");
    let started = body["started"].as_array().unwrap();
    let mut houses: Vec<i64> = started
        .iter()
        .map(|r| r["house_id"].as_i64().unwrap())
        .collect();
    houses.sort_unstable();
    assert_eq!(houses, [s.house, empty], "{body}");
    for run in started {
        assert_eq!(keys(run), RUN_KEYS, "{run}");
        assert_eq!(run["period"], "2026-10");
    }
    let mut refused = body["refused"].as_array().unwrap().clone();
    refused.sort_by_key(|r| r["house_id"].as_i64());
    assert_eq!(
        refused,
        [
            json!({"house_id": hot_less, "address": "B",
                   "error": "No hot_water tariff is in effect for 2026-10: add one before billing.",
                   "code": "invalid",
                   "run_id": null,
                   "fields": {"hot_water": "No hot_water tariff is in effect for 2026-10."}}),
            json!({"house_id": busy, "address": "C",
                   "error": format!("Run {active} of this house and month is still in progress."),
            "code": "run_active",
                   "run_id": active, "fields": null}),
        ]
    );

    // The started runs complete by themselves: the empty house at once.
    for run in started {
        let done = completed(&app, id(run)).await;
        if run["house_id"] == empty {
            assert_eq!((&done["total"], &done["percent"]), (&json!(0), &json!(100)));
        } else {
            assert_eq!(done["amount"], "5460.69");
        }
    }
    assert_eq!(charges(&app, s.house, "2026-10").await, october(&s));
    assert_eq!(
        charges(&app, hot_less, "2026-10").await["apartments"],
        json!([])
    );
}

#[tokio::test]
async fn runs_are_listed_newest_first_by_house_and_month() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let other = id(&create_house(&app, json!({"address": "D"})).await);
    let mut ids = Vec::new();
    for (house, period) in [
        (s.house, "2026-09"),
        (s.house, "2026-10"),
        (other, "2026-10"),
    ] {
        let run = start(&app, house, period).await;
        ids.push(id(&run));
        completed(&app, id(&run)).await;
    }
    let listed = |query: String| {
        let app = &app;
        async move {
            let (status, body) = get(app, &format!("/api/v1/billing-runs{query}")).await;
            assert_eq!(status, StatusCode::OK, "{query}: {body}");
            for run in body.as_array().unwrap() {
                assert_eq!(keys(run), RUN_KEYS);
            }
            body.as_array()
                .unwrap()
                .iter()
                .map(id)
                .collect::<Vec<i64>>()
        }
    };
    assert_eq!(listed(String::new()).await, [ids[2], ids[1], ids[0]]);
    assert_eq!(listed("?limit=2".into()).await, [ids[2], ids[1]]);
    assert_eq!(listed("?period=2026-10".into()).await, [ids[2], ids[1]]);
    assert_eq!(
        listed(format!("?house_id={}&period=2026-10", s.house)).await,
        [ids[1]]
    );
    assert_eq!(listed(format!("?house_id={other}")).await, [ids[2]]);
    assert_eq!(listed("?house_id=&period=&limit=".into()).await.len(), 3);
    assert_eq!(listed("?period=2026-08".into()).await, Vec::<i64>::new());

    for (query, field) in [
        ("?house_id=abc", "house_id"),
        ("?house_id=-1", "house_id"),
        ("?period=2026-1", "period"),
        ("?limit=0", "limit"),
        ("?limit=501", "limit"),
        ("?limit=ten", "limit"),
    ] {
        let (status, body) = get(&app, &format!("/api/v1/billing-runs{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(field_names(&body), [field], "{query}");
    }
}
