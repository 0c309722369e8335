//! Apartment numbers and serials that differ only in case or in Latin and
//! Cyrillic look-alike letters (28А, 28A, 28а; ХВ-000201 with Latin X and B)
//! are one apartment, one meter: refused as duplicates, found by search and
//! by serial, shown as typed.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_migrations::MigrationHarness;
use kvartplata::db::migrations::{self, MIGRATIONS};
use kvartplata::domain::lookalike_key;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::helpers::api::{create_house, get, post};
use crate::helpers::app::spawn_app;
use crate::helpers::db::TestDb;
use crate::helpers::fixtures::{HouseBuilder, MeterBuilder, find_meter};
use crate::helpers::pages::{Visitor, csrf_token, listed_numbers};

/// Cyrillic А, Latin A, Cyrillic а.
const CYRILLIC_28A: &str = "28\u{410}";
const LATIN_28A: &str = "28A";
/// ХВ-000201 in Cyrillic, and with Latin X and B.
const CYRILLIC_SERIAL: &str = "\u{425}\u{412}-000201";
const LATIN_SERIAL: &str = "XB-000201";

#[derive(QueryableByName)]
struct Key {
    #[diesel(sql_type = Text)]
    key: String,
}

#[test]
fn the_database_and_the_domain_compute_the_same_key() {
    let db = TestDb::migrated();
    let mut conn = db.conn();
    let samples = [
        CYRILLIC_28A,
        LATIN_28A,
        "28а",
        CYRILLIC_SERIAL,
        LATIN_SERIAL,
        " хв-000201\t",
        "АВЕКМНОРСТХУавекмнорстху",
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        "12Ё/ё-Б №5",
        "ßÄä½",
    ];
    for sample in samples {
        let Key { key } = diesel::sql_query("SELECT lookalike_key($1) AS key")
            .bind::<Text, _>(sample)
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(key, lookalike_key(sample), "{sample:?}");
    }
}

#[tokio::test]
async fn searching_with_latin_letters_finds_cyrillic_numbers_and_serials() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Ленина, 28")
        .apartments(3)
        .meter_in(CYRILLIC_28A, MeterBuilder::cold(CYRILLIC_SERIAL))
        .insert(&v.app);
    let path = format!("/houses/{}", house.id());

    for term in [LATIN_28A, "28a", "28а", CYRILLIC_28A] {
        let page = v.page(&format!("{path}?q={term}")).await;
        // Shown as it was typed.
        assert_eq!(listed_numbers(&page), [CYRILLIC_28A], "?q={term}");
    }
    for term in ["xb-0002", LATIN_SERIAL, "хв-000201"] {
        let page = v.page(&format!("{path}?q={term}")).await;
        assert_eq!(listed_numbers(&page), [CYRILLIC_28A], "?q={term}");
        assert!(page.contains(CYRILLIC_SERIAL), "{page}");
    }
    // Only the start of a number matches, as before.
    let page = v.page(&format!("{path}?q=8A")).await;
    assert!(listed_numbers(&page).is_empty(), "{page}");
}

#[tokio::test]
async fn a_look_alike_number_or_serial_is_refused_as_already_existing() {
    let app = spawn_app().await;
    let house = create_house(
        &app,
        json!({"address": "ул. Ленина, 28", "apartments": [{"number": CYRILLIC_28A, "area": "50",
            "meters": [{"serial": CYRILLIC_SERIAL, "kind": "cold_water"}]}]}),
    )
    .await;
    let house_id = &house["id"];
    let apartment_id = &house["apartments"][0]["id"];
    let number_taken = "This house already has an apartment with this number.";

    for number in [LATIN_28A, "28а", " 28a "] {
        let (status, json) = post(
            &app,
            &format!("/api/v1/houses/{house_id}/apartments"),
            json!({"number": number, "area": 40}),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{number}: {json}");
        assert_eq!(json["fields"]["number"], number_taken);
    }

    let (status, json) = post(
        &app,
        &format!("/api/v1/apartments/{apartment_id}/meters"),
        json!({"serial": LATIN_SERIAL, "kind": "hot_water"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert_eq!(
        json["fields"]["serial"],
        format!("Serial {LATIN_SERIAL} is already used by another meter.")
    );

    // Twins inside one request are named too.
    let (status, json) = post(
        &app,
        "/api/v1/houses",
        json!({"address": "ул. Ленина, 30", "apartments": [
            {"number": CYRILLIC_28A, "area": "50",
             "meters": [{"serial": "ТК-1", "kind": "cold_water"}]},
            {"number": "28b", "area": "50", "meters": [{"serial": "tk-1", "kind": "cold_water"}]}]}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert!(
        json["fields"]
            .as_object()
            .unwrap()
            .contains_key("apartments[1].meters[0].serial"),
        "{json}"
    );
    let (status, json) = post(
        &app,
        "/api/v1/houses",
        json!({"address": "ул. Ленина, 30", "apartments": [
            {"number": CYRILLIC_28A, "area": "50"}, {"number": "28a", "area": "50"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert!(
        json["fields"]
            .as_object()
            .unwrap()
            .contains_key("apartments[1].number"),
        "{json}"
    );

    // Renaming another apartment to a twin is refused the same way.
    let (_, other) = post(
        &app,
        &format!("/api/v1/houses/{house_id}/apartments"),
        json!({"number": "29", "area": 40}),
    )
    .await;
    let (status, json) = crate::helpers::api::patch(
        &app,
        &format!("/api/v1/apartments/{}", other["id"]),
        json!({"number": LATIN_28A}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert_eq!(json["fields"]["number"], number_taken);

    // What was typed is what is shown.
    let (_, shown) = get(&app, &format!("/api/v1/houses/{house_id}")).await;
    assert_eq!(shown["apartments"][0]["number"], CYRILLIC_28A);
    assert_eq!(
        shown["apartments"][0]["meters"][0]["serial"],
        CYRILLIC_SERIAL
    );
}

#[tokio::test]
async fn a_reading_by_serial_typed_with_latin_letters_reaches_the_cyrillic_meter() {
    let app = spawn_app().await;
    HouseBuilder::new("ул. Ленина, 28")
        .meter_in(CYRILLIC_28A, MeterBuilder::cold(CYRILLIC_SERIAL))
        .insert(&app);
    let meter = find_meter(&app, CYRILLIC_SERIAL);

    let (status, json) = post(
        &app,
        "/api/v1/readings",
        json!({"readings": [{"serial": LATIN_SERIAL, "period": "2026-10", "value": "12.5"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["saved"], 1);
    let (status, readings) = get(&app, &format!("/api/v1/meters/{}/readings", meter.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(readings[0]["value"], "12.500");

    // Lower case, too; a serial with no twin is still unknown.
    let (status, json) = post(
        &app,
        "/api/v1/readings",
        json!({"readings": [
            {"serial": "xb-000201", "period": "2026-11", "value": "13"},
            {"serial": "XB-000202", "period": "2026-11", "value": "13"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(json["errors"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json["errors"][0]["index"], 1, "{json}");
}

/// Reverts the migrations back to and including the look-alike keys one.
fn revert_through_lookalike_keys(conn: &mut PgConnection) {
    loop {
        let version = conn.revert_last_migration(MIGRATIONS).unwrap().to_string();
        if version.replace('-', "").starts_with("20261201000003") {
            return;
        }
    }
}

#[test]
fn upgrading_a_database_with_look_alike_twins_keeps_them_and_guards_new_ones() {
    let db = TestDb::empty();
    let mut conn = db.conn();
    migrations::run_pending(&mut conn).unwrap();
    revert_through_lookalike_keys(&mut conn);
    conn.batch_execute(&format!(
        "INSERT INTO houses (id, address) VALUES (1, 'ул. Ленина, 28');
         INSERT INTO apartments (id, house_id, number, area) VALUES
             (1, 1, '{CYRILLIC_28A}', 50), (2, 1, '{LATIN_28A}', 50), (3, 1, '28а', 50), (4, 1, '5', 50);
         INSERT INTO meters (id, apartment_id, serial, kind) VALUES
             (1, 1, '{CYRILLIC_SERIAL}', 'cold_water'), (2, 2, '{LATIN_SERIAL}', 'cold_water');"
    ))
    .unwrap();

    // The upgrade goes through (it lists the twins in warnings).
    migrations::run_pending(&mut conn).unwrap();

    // Every row is kept as typed; the first of each group holds the key.
    let apartments = kvartplata::db::queries::apartments::list_for_house(
        &mut conn,
        kvartplata::db::models::HouseId(1),
    )
    .unwrap();
    let numbers: Vec<&str> = apartments.iter().map(|a| a.number.as_str()).collect();
    assert_eq!(numbers, [CYRILLIC_28A, LATIN_28A, "28а", "5"]);
    let meter = kvartplata::db::queries::meters::find_by_serial(&mut conn, "xb-000201").unwrap();
    assert_eq!(meter.serial, CYRILLIC_SERIAL);
    // The exact serial still finds its own meter.
    let meter = kvartplata::db::queries::meters::find_by_serial(&mut conn, LATIN_SERIAL).unwrap();
    assert_eq!(meter.serial, LATIN_SERIAL);

    // A new twin is refused; a twin left from before may be edited, and
    // renaming it away takes it out of the clash.
    let new_twin =
        conn.batch_execute("INSERT INTO apartments (house_id, number, area) VALUES (1, '28a', 1)");
    assert!(new_twin.is_err());
    conn.batch_execute("UPDATE apartments SET area = 60, number = number WHERE id = 2")
        .unwrap();
    conn.batch_execute("UPDATE apartments SET number = '28Б' WHERE id = 3")
        .unwrap();
    let renamed_twin = conn.batch_execute("UPDATE apartments SET number = '28б' WHERE id = 2");
    assert!(renamed_twin.is_err(), "28Б is taken now");
}

#[tokio::test]
async fn a_csv_upload_with_latin_letters_in_the_serial_reaches_the_cyrillic_meter() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Ленина, 28")
        .meter_in(CYRILLIC_28A, MeterBuilder::cold(CYRILLIC_SERIAL))
        .insert(&v.app);
    let path = format!("/houses/{}/readings/upload", house.id());
    let token = csrf_token(&v.page(&path).await);
    let file = format!("serial;period;value\r\n{LATIN_SERIAL};2026-10;12,5\r\n");
    let part = Part::bytes(file.into_bytes())
        .file_name("readings.csv")
        .mime_str("text/csv")
        .unwrap();
    let response = v
        .client
        .post(v.app.url(&path))
        .multipart(Form::new().text("csrf_token", token).part("file", part))
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "{}",
        response.text().await.unwrap()
    );

    let meter = find_meter(&v.app, CYRILLIC_SERIAL);
    let (_, readings) = get(&v.app, &format!("/api/v1/meters/{}/readings", meter.id)).await;
    assert_eq!(readings[0]["value"], "12.500", "{readings}");
    assert_eq!(readings[0]["source"], "csv", "{readings}");
}
