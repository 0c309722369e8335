//! The apartment register (реестр помещений и лицевых счетов) through the
//! API and the house's pages: a 300-apartment house with 600 meters and
//! accounts set up from one Excel file, the same file again changing
//! nothing, only what differs changed, and a file with errors saving
//! nothing while naming every bad line.

use std::time::Instant;

use chrono::NaiveDate;
use diesel::prelude::*;
use kvartplata::db::models::HouseId;
use kvartplata::db::schema::{accounts, apartments, audit_log, meters};
use kvartplata::domain::{MeterKind, Role};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};

use crate::helpers::api::{answer, create_house, field_names};
use crate::helpers::app::{ADMIN_PASSWORD, TestApp, spawn_app};
use crate::helpers::fixtures::{Database, HouseBuilder, MeterBuilder};
use crate::helpers::pages::{Visitor, csrf_token, field_error, flash, location};

const HEADER: &str = "Квартира;Площадь;Проживающих;Собственников;Лицевой счёт;ФИО;Сальдо;Месяц сальдо;Счётчик;Вид;Начальное показание;Дата ввода;Поверен до";

/// Apartment `i`'s two lines: its fields and cold-water meter, then its
/// hot-water meter with the apartment's cells left empty, as managers fill
/// registers in.
fn apartment_lines(i: usize) -> [String; 2] {
    let balance = match i % 3 {
        0 => "1 234,56",
        1 => "-100,00",
        _ => "0",
    };
    [
        format!(
            "{i};{},{};{};1;2000{i:06};Жилец Номер {i};{balance};05.2026;ХВ-{i:05};ХВС;12,345;15.01.2024;15.01.2030",
            30 + i % 50,
            i % 10,
            i % 4 + 1
        ),
        format!("{i};;;;;;;;ГВ-{i:05};ГВС;0;;"),
    ]
}

/// The register of apartments 1..=count, as Excel saves it: Windows-1251,
/// `;`, CRLF.
fn register(count: usize) -> Vec<u8> {
    let mut lines = vec![HEADER.to_owned()];
    for i in 1..=count {
        lines.extend(apartment_lines(i));
    }
    windows_1251(&lines.join("\r\n"))
}

fn windows_1251(text: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1251.encode(text).0.into_owned()
}

async fn upload(app: &TestApp, house: HouseId, query: &str, file: Vec<u8>) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/houses/{}/register{query}", house.0)))
        .header("content-type", "text/csv")
        .body(file)
        .send()
        .await
        .unwrap();
    answer(response).await
}

/// (apartments, meters, accounts) stored for the house.
fn stored(app: &TestApp, house: HouseId) -> (i64, i64, i64) {
    app.with_conn(|conn| {
        let ids = apartments::table
            .filter(apartments::house_id.eq(house))
            .select(apartments::id);
        (
            apartments::table
                .filter(apartments::house_id.eq(house))
                .count()
                .get_result(conn)
                .unwrap(),
            meters::table
                .filter(meters::apartment_id.eq_any(ids))
                .count()
                .get_result(conn)
                .unwrap(),
            accounts::table
                .filter(accounts::apartment_id.eq_any(ids))
                .count()
                .get_result(conn)
                .unwrap(),
        )
    })
}

/// The lines a 422 names, in order.
fn bad_lines(json: &Value) -> Vec<usize> {
    let mut lines: Vec<usize> = field_names(json)
        .iter()
        .map(|name| name.strip_prefix("line ").unwrap().parse().unwrap())
        .collect();
    lines.sort_unstable();
    lines
}

fn audit_entries(app: &TestApp) -> i64 {
    app.with_conn(|conn| audit_log::table.count().get_result(conn).unwrap())
}

async fn empty_house(app: &TestApp, address: &str) -> HouseId {
    let house = create_house(app, json!({"address": address})).await;
    HouseId(house["id"].as_i64().unwrap())
}

#[tokio::test]
async fn a_300_apartment_house_is_set_up_from_one_register_and_the_same_file_again_changes_nothing()
{
    let app = spawn_app().await;
    let house = empty_house(&app, "г. Самара, ул. Ленинградская, д. 30").await;
    let file = register(300);

    // A dry run says what the file would do and saves nothing.
    let (status, json) = upload(&app, house, "?dry_run=true", file.clone()).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["applied"], false);
    assert_eq!(
        json["created"],
        json!({"apartments": 300, "accounts": 300, "meters": 600})
    );
    assert_eq!(
        (json["changed"].clone(), json["unchanged"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(stored(&app, house), (0, 0, 0));

    let started = Instant::now();
    let (status, json) = upload(&app, house, "", file.clone()).await;
    // Printed, not asserted: the bench `register_import` times it.
    eprintln!("300 apartments, 600 meters: {:?}", started.elapsed());
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["applied"], true);
    assert_eq!(json["created"]["meters"], 600);
    assert_eq!(json["changes"].as_array().unwrap().len(), 300 + 300 + 600);
    assert_eq!(
        json["changes"][0],
        json!({"line": 2, "apartment": "1", "field": "apartment", "serial": null, "from": null, "to": null})
    );
    assert_eq!(stored(&app, house), (300, 600, 300));

    // Apartment 17 as its lines give it.
    let (status, body) =
        crate::helpers::api::get(&app, &format!("/api/v1/houses/{}", house.0)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let seventeen = body["apartments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["number"] == "17")
        .cloned()
        .unwrap();
    assert_eq!(seventeen["area"], "47.70");
    assert_eq!(seventeen["owners"], 1);
    assert_eq!(seventeen["account"]["number"], "2000000017");
    assert_eq!(seventeen["account"]["holder"], "Жилец Номер 17");
    assert_eq!(seventeen["account"]["opening_balance"], "0.00");
    assert_eq!(seventeen["account"]["opening_period"], "2026-05");
    let meters = seventeen["meters"].as_array().unwrap();
    assert_eq!(meters.len(), 2);
    let cold = meters.iter().find(|m| m["serial"] == "ХВ-00017").unwrap();
    assert_eq!(cold["kind"], "cold_water");
    assert_eq!(cold["initial_reading"], "12.345");
    assert_eq!(cold["commissioned_on"], "2024-01-15");
    assert_eq!(cold["verified_until"], "2030-01-15");
    let (_, account) = crate::helpers::api::get(&app, "/api/v1/accounts/2000000018").await;
    assert_eq!(account["opening_balance"], "1234.56", "{account}");
    let (_, account) = crate::helpers::api::get(&app, "/api/v1/accounts/2000000019").await;
    assert_eq!(account["opening_balance"], "-100.00", "{account}");

    // The same file again: nothing written, not even an audit entry.
    let logged = audit_entries(&app);
    let (status, json) = upload(&app, house, "", file).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(
        (
            json["created"].clone(),
            json["changed"].clone(),
            json["unchanged"].clone()
        ),
        (
            json!({"apartments": 0, "accounts": 0, "meters": 0}),
            json!(0),
            json!(300)
        )
    );
    assert_eq!(json["changes"], json!([]));
    assert_eq!(audit_entries(&app), logged);
    assert_eq!(stored(&app, house), (300, 600, 300));

    // The house's register as the API gives it reads back unchanged.
    let response = app
        .client
        .get(app.url(&format!("/api/v1/houses/{}/register", house.0)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let downloaded = response.bytes().await.unwrap().to_vec();
    let (status, json) = upload(&app, house, "", downloaded).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["changes"], json!([]));
    assert_eq!(json["unchanged"], 300);
    assert_eq!(audit_entries(&app), logged);
}

#[tokio::test]
async fn a_register_with_errors_saves_nothing_and_names_every_bad_line() {
    let app = spawn_app().await;
    let other = HouseBuilder::new("г. Самара, ул. Гагарина, д. 1")
        .apartments(1)
        .insert(&app);
    let taken_serial = MeterBuilder::new("ГВ-СОСЕД-1", MeterKind::HotWater)
        .insert(other.apartments[0].id, &app)
        .serial;
    let house = empty_house(&app, "г. Самара, ул. Ленинградская, д. 30").await;

    // Faults the file shows by itself, on lines 5, 10 and 13 of 201:
    // apartment 2's second meter of no known kind, 5's area in words, 6's
    // second meter's initial reading not a number.
    let mut lines = vec![HEADER.to_owned()];
    for i in 1..=100 {
        lines.extend(apartment_lines(i));
    }
    lines[4] = "2;;;;;;;;ГВ-00002;газ;0;;".to_owned();
    lines[9] = lines[9].replacen("35,5", "сорок", 1);
    lines[12] = "6;;;;;;;;ГВ-00006;ГВС;много;;".to_owned();
    let (status, json) = upload(&app, house, "", windows_1251(&lines.join("\r\n"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(bad_lines(&json), [5, 10, 13]);
    assert_eq!(stored(&app, house), (0, 0, 0));

    // A file that reads, but names a meter of another house and an
    // apartment without its area: the lines are named, nothing is saved.
    let mut lines = vec![HEADER.to_owned()];
    for i in 1..=100 {
        lines.extend(apartment_lines(i));
    }
    lines[62] = format!("31;;;;;;;;{taken_serial};ГВС;0;;");
    lines.push("101;;2;1;;;;;;;;;".to_owned());
    let (status, json) = upload(
        &app,
        house,
        "?dry_run=true",
        windows_1251(&lines.join("\r\n")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(bad_lines(&json), [63, 202]);
    let (status, again) = upload(&app, house, "", windows_1251(&lines.join("\r\n"))).await;
    assert_eq!((status, &again), (StatusCode::UNPROCESSABLE_ENTITY, &json));
    assert_eq!(stored(&app, house), (0, 0, 0));

    // Not a register at all, a bad query and an unknown house.
    let (status, json) = upload(&app, house, "", b"area;owners\n1;2\n".to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&json), ["file"]);
    let (status, json) = upload(&app, house, "?dry_run=maybe", register(1)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&json), ["dry_run"]);
    let (status, _) = upload(&app, HouseId(house.0 + 1000), "", register(1)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = upload(&app, HouseId(house.0 + 1000), "", b"garbage".to_vec()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A viewer may download the register but not upload one.
    let token = app.user_with_token("vera", Role::Viewer);
    let viewer = crate::helpers::app::api_client(&token);
    let path = app.url(&format!("/api/v1/houses/{}/register", house.0));
    let response = viewer.get(&path).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let response = viewer.post(&path).body(register(1)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(stored(&app, house), (0, 0, 0));
}

#[tokio::test]
async fn a_register_changes_only_what_differs() {
    let app = spawn_app().await;
    let house = empty_house(&app, "г. Самара, ул. Ленинградская, д. 30").await;
    let (status, _) = upload(&app, house, "", register(10)).await;
    assert_eq!(status, StatusCode::OK);

    let mut lines = vec![HEADER.to_owned()];
    for i in 1..=10 {
        lines.extend(apartment_lines(i));
    }
    // Apartment 1 (lines 2–3) measured again, 2 has a new holder, 3 a
    // corrected balance, 4 a third meter, 5's cold meter verified anew, 6 one
    // resident more; the others are as stored.
    lines[1] = lines[1].replacen("31,1", "31,4", 1);
    lines[3] = lines[3].replace("Жилец Номер 2", "Петрова Анна Сергеевна");
    lines[5] = lines[5].replace("1 234,56", "1 200,00");
    lines.insert(
        9,
        "4;;;;;;;;ХВ-КУХНЯ-4;ХВС;3,5;01.11.2026;01.11.2032".to_owned(),
    );
    lines[10] = lines[10].replace("15.01.2030", "20.11.2032");
    lines[12] = lines[12].replacen(";3;1;", ";4;1;", 1);
    let file = windows_1251(&lines.join("\r\n"));

    let (status, json) = upload(&app, house, "?dry_run=true", file.clone()).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let changes: Vec<(String, String, String, String)> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            (
                text(&c["apartment"]),
                text(&c["field"]),
                text(&c["from"]),
                text(&c["to"]),
            )
        })
        .collect();
    let owned = |a: &str, f: &str, from: &str, to: &str| {
        (a.to_owned(), f.to_owned(), from.to_owned(), to.to_owned())
    };
    assert_eq!(
        changes,
        [
            owned("1", "area", "31.10", "31.40"),
            owned("2", "holder", "Жилец Номер 2", "Петрова Анна Сергеевна"),
            owned("3", "opening_balance", "1234.56", "1200.00"),
            owned("4", "meter", "", "cold_water"),
            owned("5", "verified_until", "2030-01-15", "2032-11-20"),
            owned("6", "residents", "3", "4"),
        ]
    );
    assert_eq!(
        (json["changed"].clone(), json["unchanged"].clone()),
        (json!(6), json!(4))
    );

    let (status, json) = upload(&app, house, "", file.clone()).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(stored(&app, house), (10, 21, 10));
    let (_, account) = crate::helpers::api::get(&app, "/api/v1/accounts/2000000003").await;
    assert_eq!(account["opening_balance"], "1200.00");
    let (_, account) = crate::helpers::api::get(&app, "/api/v1/accounts/2000000002").await;
    assert_eq!(account["holder"], "Петрова Анна Сергеевна");
    let verified: Option<NaiveDate> = app.with_conn(|conn| {
        meters::table
            .filter(meters::serial.eq("ХВ-00005"))
            .select(meters::verified_until)
            .first(conn)
            .unwrap()
    });
    assert_eq!(verified, NaiveDate::from_ymd_opt(2032, 11, 20));
    let area: Decimal = app.with_conn(|conn| {
        apartments::table
            .filter(
                apartments::house_id
                    .eq(house)
                    .and(apartments::number.eq("1")),
            )
            .select(apartments::area)
            .first(conn)
            .unwrap()
    });
    assert_eq!(area, dec!(31.40));

    // Applied, the file has nothing left to change.
    let (_, json) = upload(&app, house, "", file).await;
    assert_eq!(
        (json["changes"].clone(), json["unchanged"].clone()),
        (json!([]), json!(10))
    );
}

/// Posts `file` to a register page's form as its `file`, with the page's token.
async fn post_file(v: &Visitor, page: &str, action: &str, file: Part) -> reqwest::Response {
    let token = csrf_token(&v.page(page).await);
    v.client
        .post(v.app.url(action))
        .multipart(Form::new().text("csrf_token", token).part("file", file))
        .send()
        .await
        .unwrap()
}

/// The text of the preview's hidden `file` field, as a browser posts it.
fn posted_back(html: &str) -> String {
    let start = html.find(r#"<textarea name="file" hidden>"#).unwrap();
    let rest = &html[start..];
    let text = &rest[rest.find('>').unwrap() + 1..rest.find("</textarea>").unwrap()];
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
}

#[tokio::test]
async fn the_register_page_previews_a_file_then_applies_it() {
    let v = Visitor::start().await;
    let house = empty_house(&v.app, "г. Самара, ул. Ленинградская, д. 30").await;
    let page = format!("/houses/{}/register", house.0);
    let house_page = v.page(&format!("/houses/{}", house.0)).await;
    assert!(house_page.contains(&format!(r#"id="register-link" href="{page}""#)));
    let html = v.page(&page).await;
    assert!(
        html.contains("<h1>Реестр помещений и лицевых счетов</h1>"),
        "{html}"
    );
    assert!(html.contains(&format!(r#"href="/houses/{}/register.csv""#, house.0)));

    // The empty house's register is the template: Russian headers only.
    let response = v
        .response(&format!("/houses/{}/register.csv", house.0))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let template = response.text().await.unwrap();
    assert!(
        template
            .trim_start_matches('\u{feff}')
            .starts_with("Квартира;Площадь;"),
        "{template}"
    );
    assert_eq!(template.trim().lines().count(), 1);

    // No file chosen.
    let part = Part::bytes(Vec::new()).file_name("");
    let response = post_file(&v, &page, &format!("{page}/preview"), part).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&response.text().await.unwrap(), "file").is_some());

    // A bad line: listed, nothing saved.
    let mut lines = vec![HEADER.to_owned()];
    lines.extend(apartment_lines(1));
    lines.push("2;0;1;1;;;;;;;;;".to_owned());
    let bad = Part::bytes(windows_1251(&lines.join("\r\n"))).file_name("реестр.csv");
    let response = post_file(&v, &page, &format!("{page}/preview"), bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Реестр не применён: 1 строк с ошибками"),
        "{html}"
    );
    assert!(html.contains(r#"<tr id="line-4">"#), "{html}");
    assert_eq!(stored(&v.app, house), (0, 0, 0));

    // The preview: counts and the new apartments, nothing saved yet.
    let file = Part::bytes(register(3)).file_name("реестр.csv");
    let response = post_file(&v, &page, &format!("{page}/preview"), file).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(r#"<dd id="count-apartments">3</dd>"#),
        "{html}"
    );
    assert!(html.contains(r#"<dd id="count-meters">6</dd>"#), "{html}");
    assert!(
        html.contains("<td>2000000002</td><td>ХВ-00002 (ХВС), ГВ-00002 (ГВС)</td>"),
        "{html}"
    );
    assert_eq!(stored(&v.app, house), (0, 0, 0));

    // Confirmed: the text the preview carries is applied.
    let text = posted_back(&html);
    let token = csrf_token(&html);
    let response = v
        .client
        .post(v.app.url(&page))
        .multipart(Form::new().text("csrf_token", token).text("file", text))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/houses/{}", house.0));
    assert_eq!(stored(&v.app, house), (3, 6, 3));
    let html = v.page(&format!("/houses/{}", house.0)).await;
    let (_, message) = flash(&html).unwrap();
    assert_eq!(
        message,
        "Реестр применён: квартир создано 3, лицевых счетов 3, счётчиков 6; изменено квартир 0."
    );

    // The house's register uploaded back: nothing to change, no button.
    let response = v
        .response(&format!("/houses/{}/register.csv", house.0))
        .await;
    let downloaded = response.bytes().await.unwrap().to_vec();
    let file = Part::bytes(downloaded).file_name("register-house.csv");
    let response = post_file(&v, &page, &format!("{page}/preview"), file).await;
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"id="nothing-to-change""#), "{html}");
    assert!(!html.contains(r#"id="apply""#));

    // A viewer sees no form and may not post one.
    v.app.user_with_token("vera", Role::Viewer);
    let viewer = v.app.signed_in_client("vera", ADMIN_PASSWORD).await;
    let html = v.app.text_of(&viewer, &page).await;
    assert!(!html.contains(&format!(r#"action="{page}/preview""#)));
    let token = csrf_token(&html);
    let response = viewer
        .post(v.app.url(&page))
        .multipart(
            Form::new()
                .text("csrf_token", token)
                .text("file", "Квартира\r\n9"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(stored(&v.app, house), (3, 6, 3));
}

#[tokio::test]
async fn an_opening_balance_does_not_change_a_closed_month() {
    let app = spawn_app().await;
    let house = empty_house(&app, "г. Самара, ул. Ленинградская, д. 30").await;
    let (status, _) = upload(&app, house, "", register(3)).await;
    assert_eq!(status, StatusCode::OK);
    // May 2026, the accounts' opening month, is closed.
    app.with_conn(|conn| {
        kvartplata::db::queries::houses::set_closed_through(
            conn,
            house,
            Some(kvartplata::domain::Period::new(2026, 5).unwrap()),
        )
        .unwrap();
    });
    let apartment = app.with_conn(|conn| {
        apartments::table
            .filter(
                apartments::house_id
                    .eq(house)
                    .and(apartments::number.eq("3")),
            )
            .select(apartments::id)
            .first::<kvartplata::db::models::ApartmentId>(conn)
            .unwrap()
    });
    let path = format!("/api/v1/apartments/{}/account", apartment.0);
    let account = |balance: &str, period: &str| {
        json!({"number": "2000000003", "holder": "Жилец Номер 3",
               "opening_balance": balance, "opening_period": period})
    };
    let (status, json) = crate::helpers::api::put(&app, &path, account("1000.00", "2026-05")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(field_names(&json), ["opening_balance"]);
    let (status, json) = crate::helpers::api::put(&app, &path, account("1234.56", "2026-07")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(field_names(&json), ["opening_period"]);
    // What leaves the ledger as it is may change.
    let mut holder = account("1234.56", "2026-05");
    holder["holder"] = json!("Сидоров Пётр Ильич");
    let (status, json) = crate::helpers::api::put(&app, &path, holder).await;
    assert_eq!(status, StatusCode::OK, "{json}");

    // Through the register: the line is named, nothing of the file saved.
    let mut lines = vec![HEADER.to_owned()];
    for i in 1..=4 {
        lines.extend(apartment_lines(i));
    }
    lines[5] = lines[5].replace("1 234,56", "999,99");
    let (status, json) = upload(&app, house, "", windows_1251(&lines.join("\r\n"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(bad_lines(&json), [6]);
    assert_eq!(stored(&app, house), (3, 6, 3));
    let (_, account) = crate::helpers::api::get(&app, "/api/v1/accounts/2000000003").await;
    assert_eq!(account["opening_balance"], "1234.56");
}
