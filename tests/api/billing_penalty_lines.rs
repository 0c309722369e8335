//! The penalty as a line of the billing results: stored apart from the
//! charges (`penalties`), listed after an apartment's lines wherever the
//! results are (the charges API, the results page, both CSV layouts, the
//! house and apartment pages' last bill) and counted in the apartment, house
//! and run totals, so that a month's house total is what the house's
//! balances (ОСВ) charged its accounts, penalties included.

use std::str::FromStr;

use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::helpers::api::{add_key_rate, bill, create_house, get, pay, post};
use crate::helpers::app::{TestApp, spawn_app};
use crate::helpers::pages::section;

const NB: char = '\u{a0}';

/// The page or file `path` as the admin's browser gets it (in Russian).
async fn text(app: &TestApp, path: &str) -> String {
    let response = app
        .browser_client()
        .get(app.url(path))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

/// A decimal string of the API.
fn money(value: &Value) -> Decimal {
    let text = value.as_str().unwrap_or_else(|| panic!("{value}"));
    Decimal::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Maintenance at 30.00 ₽/m², accounts opening in May 2026 with nothing
/// owed; the key rate 21 % from 28.10.2024, capped at 9.5 %:
/// - apartment 1 (60 m², 1800.00 a month, account 4004001) never pays;
/// - apartment 2 (40 m², 1200.00, account 4004002) pays each month on its
///   due date, the 15th of the next: never overdue.
///
/// May's charges are due 15.06 and overdue from day 31, 16.07; June's from
/// 15.08. Apartment 1's penalty: none in May and June; July 1800 × 9.5 ×
/// 16 / 30000 = 9.12; August May's 31 days and June's 17: 1800 × 9.5 × 48 /
/// 30000 = 27.36.
#[tokio::test]
async fn the_penalty_is_a_line_of_the_results_and_counts_in_every_total() {
    let app = spawn_app().await;
    add_key_rate(&app, "2024-10-28", "21").await;
    let (status, json) = post(
        &app,
        "/api/v1/tariffs",
        json!({"service": "maintenance", "price": "30.00", "valid_from": "2026-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let account = |number: &str| {
        json!({"number": number, "holder": "", "opening_balance": "0",
               "opening_period": "2026-05"})
    };
    let house = create_house(
        &app,
        json!({"address": "ул. Пеней, 7", "services": ["maintenance"], "apartments": [
            {"number": "1", "area": "60", "account": account("4004001")},
            {"number": "2", "area": "40", "account": account("4004002")}
        ]}),
    )
    .await;
    let id = house["id"].as_i64().unwrap();
    let first = house["apartments"][0]["id"].as_i64().unwrap();
    let second = house["apartments"][1]["id"].as_i64().unwrap();
    for paid_on in ["2026-06-15", "2026-07-15", "2026-08-15"] {
        pay(&app, "4004002", paid_on, "1200.00").await;
    }
    let months = ["2026-05", "2026-06", "2026-07", "2026-08"];
    let mut runs = Vec::new();
    for period in months {
        runs.push(bill(&app, id, period).await);
    }

    // Every month: the run's amount and the house total are the ОСВ's
    // charged + penalty over the house's accounts (every apartment has one).
    let penalties = ["0.00", "0.00", "9.12", "27.36"];
    for ((period, run), penalty) in months.iter().zip(&runs).zip(penalties) {
        let (status, charges) = get(
            &app,
            &format!("/api/v1/houses/{id}/charges?period={period}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{charges}");
        let (status, balances) = get(
            &app,
            &format!("/api/v1/houses/{id}/balances?period={period}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{balances}");
        let totals = &balances["totals"];
        assert_eq!(totals["penalty"], penalty, "{period}: {balances}");
        let billed = money(&totals["charged"]) + money(&totals["penalty"]);
        assert_eq!(money(&charges["total"]), billed, "{period}: {charges}");
        assert_eq!(money(&run["amount"]), billed, "{period}: {run}");
        // Each apartment's total is its lines', the penalty's included,
        // and its account's charged + penalty.
        for apartment in charges["apartments"].as_array().unwrap() {
            let lines: Decimal = apartment["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| money(&l["amount"]))
                .sum();
            assert_eq!(money(&apartment["total"]), lines, "{apartment}");
            let row = balances["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["apartment"] == apartment["number"])
                .unwrap_or_else(|| panic!("{period}: {balances}"));
            assert_eq!(
                lines,
                money(&row["charged"]) + money(&row["penalty"]),
                "{period}: {row}"
            );
        }
    }

    // August through the API: apartment 1's maintenance line, then its
    // penalty with the debts it accrued on; apartment 2 has none.
    let (_, august) = get(&app, &format!("/api/v1/houses/{id}/charges?period=2026-08")).await;
    assert_eq!(
        (&august["total"], &runs[3]["amount"]),
        (&json!("3027.36"), &json!("3027.36"))
    );
    let apartments = august["apartments"].as_array().unwrap();
    assert_eq!(
        (&apartments[0]["apartment_id"], &apartments[0]["total"]),
        (&json!(first), &json!("1827.36"))
    );
    let lines = apartments[0]["lines"].as_array().unwrap();
    assert_eq!(
        lines
            .iter()
            .map(|l| l["service"].clone())
            .collect::<Vec<_>>(),
        [json!("maintenance"), json!("penalty")]
    );
    assert_eq!(
        lines[1],
        json!({
            "service": "penalty", "quantity": null, "unit": null, "unit_price": null,
            "amount": "27.36",
            "note": "for 2026-05 (due 2026-06-15): 1800.00 ₽ × 31 days × 1/300 × 9.5 %; \
                     for 2026-06 (due 2026-07-15): 1800.00 ₽ × 17 days × 1/300 × 9.5 %",
            "missing_reading": false, "method": null, "coefficient": null,
            "excess": "0.00", "tariff_id": null, "tariff_valid_from": null,
            "explanation": {"basis": "penalty", "debts": [
                {"month": "2026-05", "due": "2026-06-15", "spans": [
                    {"from": "2026-08-01", "to": "2026-08-31", "days": 31,
                     "outstanding": "1800.00", "rate": "9.500", "fraction": "1/300",
                     "amount": "17.67"}]},
                {"month": "2026-06", "due": "2026-07-15", "spans": [
                    {"from": "2026-08-15", "to": "2026-08-31", "days": 17,
                     "outstanding": "1800.00", "rate": "9.500", "fraction": "1/300",
                     "amount": "9.69"}]}
            ]}
        })
    );
    assert_eq!(
        (&apartments[1]["apartment_id"], &apartments[1]["total"]),
        (&json!(second), &json!("1200.00"))
    );
    assert_eq!(apartments[1]["lines"].as_array().unwrap().len(), 1);
    // A tariff for the penalty is no service: refused.
    let (status, json) = post(
        &app,
        "/api/v1/tariffs",
        json!({"service": "penalty", "price": "1", "valid_from": "2026-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");

    // The results page: «Пени» after the lines, explained as on the
    // account page, in the apartment's and the house's totals.
    let page = text(&app, &format!("/houses/{id}/charges?period=2026-08")).await;
    assert!(
        page.contains(&format!(
            r#"id="house-total">3{NB}027,36<span class="unit">₽</span>"#
        )),
        "{page}"
    );
    let row = section(&page, &format!(r#"id="penalty-{first}""#), "</tr>");
    assert!(row.contains(">Пени</span>"), "{row}");
    assert!(row.contains(r#"href="/accounts/4004001""#), "{row}");
    assert!(
        row.contains(r#"<td class="num amount">27,36<span"#),
        "{row}"
    );
    for debt in [
        format!("за май 2026 (срок 15.06.2026): 1{NB}800,00 ₽ × 31 дн. × 1/300 × 9,5 %"),
        format!("за июнь 2026 (срок 15.07.2026): 1{NB}800,00 ₽ × 17 дн. × 1/300 × 9,5 %"),
    ] {
        assert!(row.contains(&format!("<li>{debt}</li>")), "{row}");
    }
    let own = section(&page, &format!(r#"id="apartment-{first}""#), "</tbody>");
    let total = section(own, r#"class="apartment-total""#, "</tr>");
    assert!(total.contains(&format!("1{NB}827,36")), "{total}");
    assert!(
        !page.contains(&format!(r#"id="penalty-{second}""#)),
        "{page}"
    );

    // The CSV: a line without quantity or price, in the total; by
    // apartment, a column of its own.
    let csv = text(&app, &format!("/houses/{id}/charges.csv?period=2026-08")).await;
    let rows: Vec<&str> = csv.split("\r\n").collect();
    assert!(
        rows[2].starts_with("1;Содержание жилого помещения;"),
        "{csv}"
    );
    assert!(
        rows[3].starts_with(&format!(
            "1;Пени;;;;;27,36;;;;;\"за май 2026 (срок 15.06.2026): 1{NB}800,00 ₽"
        )),
        "{csv}"
    );
    assert!(
        rows[4].starts_with("2;Содержание жилого помещения;"),
        "{csv}"
    );
    assert_eq!(rows[5], "Итого;;;;;;3027,36;;;;;", "{csv}");
    let csv = text(
        &app,
        &format!("/houses/{id}/charges.csv?period=2026-08&layout=apartments"),
    )
    .await;
    let rows: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        rows[1..5],
        [
            "Квартира;Площадь, м²;Содержание жилого помещения, ₽;Пени, ₽;Итого, ₽",
            "1;60,00;1800,00;27,36;1827,36",
            "2;40,00;1200,00;0,00;1200,00",
            "Итого;;3000,00;27,36;3027,36",
        ],
        "{csv}"
    );

    // The house page and the apartment page: the last bill with its penalty.
    let page = text(&app, &format!("/houses/{id}")).await;
    let row = section(&page, &format!(r#"<tr id="apartment-{first}">"#), "</tr>");
    assert!(row.contains(&format!("1{NB}827,36")), "{row}");
    let page = text(&app, &format!("/apartments/{first}")).await;
    assert!(page.contains(&format!("1{NB}827,36")), "{page}");
}
