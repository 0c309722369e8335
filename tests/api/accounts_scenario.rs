//! Accounts and money through the JSON API as a company keeps them: a
//! house whose accounts open in May 2026 with a debt, an advance and
//! nothing; six months billed and closed in order, payments by hand, the
//! bank's register of November imported (a copy with wrong totals refused
//! first, then the file in both encodings: the second time nothing
//! doubles), its unknown account's row kept unmatched and assigned once
//! the account exists; penalties on the debts older than 30 days after
//! their due date at the capped key rate; every statement row and the
//! house's balances compared with figures worked out by hand here.

use reqwest::StatusCode;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};

use crate::helpers::api::{
    add_key_rate, answer, bill, create_house, field_names, get, pay, post, put,
};
use crate::helpers::app::{TestApp, spawn_app};

const CP1251: &[u8] = include_bytes!("../fixtures/bank-register-sber-cp1251.txt");
const UTF8_BOM: &[u8] = include_bytes!("../fixtures/bank-register-sber-utf8-bom.txt");

async fn close(app: &TestApp, house: i64, period: &str) {
    let (status, json) = post(
        app,
        &format!("/api/v1/houses/{house}/periods/{period}/close"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "closing {period}: {json}");
    assert_eq!(json["closed_through"], period, "{json}");
}

async fn import(app: &TestApp, content_type: &str, bytes: &[u8]) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url("/api/v1/payments/import"))
        .header("content-type", content_type)
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    answer(response).await
}

async fn import_form(app: &TestApp, bytes: &[u8]) -> (StatusCode, Value) {
    use reqwest::multipart::{Form, Part};
    let part = Part::bytes(bytes.to_vec()).file_name("sber-2026-11.txt");
    let response = app
        .client
        .post(app.url("/api/v1/payments/import"))
        .multipart(Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    answer(response).await
}

/// A month of an account as the test works it out: what was charged (but
/// the penalty), the penalty, what was paid.
#[derive(Clone, Copy)]
struct Month {
    period: &'static str,
    charged: Decimal,
    penalty: Decimal,
    paid: Decimal,
}

const fn month(period: &'static str, charged: Decimal, penalty: Decimal, paid: Decimal) -> Month {
    Month {
        period,
        charged,
        penalty,
        paid,
    }
}

/// A statement row as the API writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Row {
    opening: Decimal,
    charged: Decimal,
    penalty: Decimal,
    paid: Decimal,
    closing: Decimal,
}

impl Row {
    fn json(&self) -> Value {
        let money = |d: Decimal| format!("{:.2}", d);
        json!({
            "opening": money(self.opening), "charged": money(self.charged),
            "penalty": money(self.penalty), "paid": money(self.paid),
            "closing": money(self.closing),
        })
    }

    fn add(&mut self, other: &Row) {
        self.opening += other.opening;
        self.charged += other.charged;
        self.penalty += other.penalty;
        self.paid += other.paid;
        self.closing += other.closing;
    }
}

/// The rows of an account opened with `opening` in its first month:
/// closing = opening + charged + penalty − paid, the next opening the
/// closing.
fn rows(opening: Decimal, months: &[Month]) -> Vec<(&'static str, Row)> {
    let mut balance = opening;
    months
        .iter()
        .map(|m| {
            let closing = balance + m.charged + m.penalty - m.paid;
            let row = Row {
                opening: balance,
                charged: m.charged,
                penalty: m.penalty,
                paid: m.paid,
                closing,
            };
            balance = closing;
            (m.period, row)
        })
        .collect()
}

fn statement_json(rows: &[(&str, Row)]) -> Value {
    rows.iter()
        .map(|(period, row)| {
            let mut json = row.json();
            json["period"] = json!(period);
            json
        })
        .collect()
}

const MONTHS: [&str; 6] = [
    "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
];

/// Cold water at 50.00 ₽/m³ and maintenance at 30.00 ₽/m², a meter in each
/// apartment (from 0):
/// - 1 (50 m², account 1001001001, Иванов, owes 1520.40 when it opens):
///   5, 11, 16, 22, 27, 33, 38 m³ May … November: 5, 6, 5, 6, 5, 6, 5 m³,
///   so 1500.00 + 250.00 = 1750.00 and 1500.00 + 300.00 = 1800.00 by turns;
/// - 2 (40 m², 1001001002, Петрова, 300.00 paid in advance): 3 m³ a
///   month, 1200.00 + 150.00 = 1350.00;
/// - 3 (60 m², 1001001003, Сидоров, nothing): 8 m³ a month, 1800.00 +
///   400.00 = 2200.00;
/// - 99 (30 m², no account until November): 2 m³ a month, 900.00 +
///   100.00 = 1000.00.
///
/// The key rate is 21 % from 28.10.2024, capped at 9.5 % (the seeded cap
/// until 31.12.2026), and 9 % from 20.10.2026, below the cap. Charges of
/// May 2026 on are due on the 15th of the next month.
#[tokio::test]
async fn six_months_of_accounts_payments_registers_and_penalties() {
    let app = spawn_app().await;
    add_key_rate(&app, "2024-10-28", "21").await;
    add_key_rate(&app, "2026-10-20", "9").await;
    for (service, price) in [("cold_water", "50.00"), ("maintenance", "30.00")] {
        let (status, json) = post(
            &app,
            "/api/v1/tariffs",
            json!({"service": service, "price": price, "valid_from": "2026-01"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
    }
    let (status, json) = post(
        &app,
        "/api/v1/normatives",
        json!({"service": "cold_water", "value": "4", "valid_from": "2026-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");

    let account = |number: &str, holder: &str, balance: &str| {
        json!({"number": number, "holder": holder, "opening_balance": balance,
               "opening_period": "2026-05"})
    };
    let meter = |serial: &str| json!([{"serial": serial, "kind": "cold_water"}]);
    let house = create_house(
        &app,
        json!({"address": "г. Казань, ул. Баумана, д. 12",
               "services": ["cold_water", "maintenance"], "apartments": [
            {"number": "1", "area": "50", "meters": meter("ХВ-1"),
             "account": account("1001001001", "Иванов Иван Иванович", "1520.40")},
            {"number": "2", "area": "40", "meters": meter("ХВ-2"),
             "account": account("1001001002", "Петрова Анна Сергеевна", "-300")},
            {"number": "3", "area": "60", "meters": meter("ХВ-3"),
             "account": account("1001001003", "Сидоров П. А.", "0")},
            {"number": "99", "area": "30", "meters": meter("ХВ-99")}
        ]}),
    )
    .await;
    let id = house["id"].as_i64().unwrap();
    let apartment_99 = house["apartments"][3]["id"].as_i64().unwrap();
    let mut readings = Vec::new();
    for (i, period) in MONTHS.iter().chain(&["2026-11"]).enumerate() {
        let i = i as i64 + 1;
        // Apartment 1 reads 5, 11, 16, 22, 27, 33, 38: 5.5 m³ a month on
        // average, rounded down in odd months.
        let first = (11 * i) / 2;
        for (serial, value) in [
            ("ХВ-1", first),
            ("ХВ-2", 3 * i),
            ("ХВ-3", 8 * i),
            ("ХВ-99", 2 * i),
        ] {
            readings.push(json!({"serial": serial, "period": period, "value": value}));
        }
    }
    let (status, json) = post(&app, "/api/v1/readings", json!({ "readings": readings })).await;
    assert_eq!(
        (status, &json["saved"]),
        (StatusCode::OK, &json!(28)),
        "{json}"
    );

    // Payments by hand, each entered before its month is billed:
    // - Иванов pays the opening debt and May's charges on 10.06 (1520.40 +
    //   1750.00 = 3270.40) and June's on 14.07, then nothing until the
    //   bank's register;
    // - Петрова's advance pays 300.00 of May's 1350.00; she pays the rest
    //   (1050.00) on 15.06 and each month's 1350.00 on the 15th of the next,
    //   its due date (a payment counts from the day after: never overdue);
    // - Сидоров pays nothing until the register.
    let payments = [
        (
            "2026-06",
            vec![
                ("1001001001", "2026-06-10", "3270.40"),
                ("1001001002", "2026-06-15", "1050.00"),
            ],
        ),
        (
            "2026-07",
            vec![
                ("1001001001", "2026-07-14", "1800.00"),
                ("1001001002", "2026-07-15", "1350.00"),
            ],
        ),
        ("2026-08", vec![("1001001002", "2026-08-15", "1350.00")]),
        ("2026-09", vec![("1001001002", "2026-09-15", "1350.00")]),
    ];
    for period in MONTHS {
        for (_, list) in payments.iter().filter(|(month, _)| *month == period) {
            for (account, paid_on, amount) in list {
                pay(&app, account, paid_on, amount).await;
            }
        }
        let run = bill(&app, id, period).await;
        if period == "2026-10" {
            // Петрова's October payment is entered after October's run: the
            // run is stale, October cannot be closed until billed again.
            pay(&app, "1001001002", "2026-10-15", "1350.00").await;
            let path = format!("/api/v1/billing-runs/{}", run["id"]);
            let (_, stale) = get(&app, &path).await;
            assert_eq!(stale["stale"], true, "{stale}");
            let (status, json) = post(
                &app,
                &format!("/api/v1/houses/{id}/periods/2026-10/close"),
                json!({}),
            )
            .await;
            assert_eq!(status, StatusCode::CONFLICT, "{json}");
            bill(&app, id, period).await;
        }
        close(&app, id, period).await;
    }
    let (_, shown) = get(&app, &format!("/api/v1/houses/{id}")).await;
    assert_eq!(
        (&shown["closed_through"], &shown["current_period"]),
        (&json!("2026-10"), &json!("2026-11"))
    );

    // The bank's register of November: a copy whose totals line is a
    // kopeck off is refused whole, naming its line, and saves nothing.
    let text = encoding_rs::WINDOWS_1251.decode(CP1251).0.into_owned();
    assert!(text.contains("=5;8780,75;8692,95;87,80"));
    let wrong = text.replace("=5;8780,75;8692,95;87,80", "=5;8780,76;8692,95;87,80");
    let (wrong, _, _) = encoding_rs::WINDOWS_1251.encode(&wrong);
    let (status, json) = import(&app, "text/csv", &wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(field_names(&json), ["line 6"], "{json}");
    assert_eq!(get(&app, "/api/v1/payments/unmatched").await.1, json!([]));

    // The file itself: four rows of known accounts, and 1001009999's
    // 800.00, unknown, kept unmatched: 2367.95 + 1500.00 + 4012.30 +
    // 800.00 + 100.50 = 8780.75.
    let (status, first) = import(&app, "text/csv", CP1251).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(
        (
            &first["imported"],
            &first["duplicates"],
            &first["unmatched"],
            &first["amount"]
        ),
        (&json!(4), &json!(0), &json!(1), &json!("8780.75")),
        "{first}"
    );
    // The same payments in UTF-8 as a form's file: all five are there.
    let (status, again) = import_form(&app, UTF8_BOM).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(
        again,
        json!({"imported": 0, "duplicates": 5, "unmatched": 0, "amount": "0.00", "import_id": null})
    );
    let (_, unmatched) = get(&app, "/api/v1/payments/unmatched").await;
    let rows_waiting = unmatched.as_array().unwrap();
    assert_eq!(rows_waiting.len(), 1, "{unmatched}");
    let waiting = &rows_waiting[0];
    assert_eq!(
        (
            &waiting["account"],
            &waiting["amount"],
            &waiting["paid_on"],
            &waiting["matched"]
        ),
        (
            &json!("1001009999"),
            &json!("800.00"),
            &json!("2026-11-06"),
            &json!(false)
        )
    );
    let assign = format!("/api/v1/payments/{}/assign", waiting["id"]);
    let (status, json) = post(&app, &assign, json!({"account": "1001009999"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(field_names(&json), ["account"]);
    // Кузнецова moves into apartment 99 in November.
    let (status, json) = put(
        &app,
        &format!("/api/v1/apartments/{apartment_99}/account"),
        json!({"number": "1001009999", "holder": "Кузнецова Е. В.",
               "opening_balance": "0", "opening_period": "2026-11"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let (status, assigned) = post(&app, &assign, json!({"account": "1001009999"})).await;
    assert_eq!(status, StatusCode::OK, "{assigned}");
    assert_eq!(assigned["matched"], true);
    assert_eq!(get(&app, "/api/v1/payments/unmatched").await.1, json!([]));
    // Assigned, the row is still a duplicate when the register comes again.
    let (status, third) = import(&app, "text/plain", CP1251).await;
    assert_eq!(status, StatusCode::OK, "{third}");
    assert_eq!(
        (&third["duplicates"], &third["imported"]),
        (&json!(5), &json!(0))
    );

    // November, the current period, billed but not closed.
    bill(&app, id, "2026-11").await;

    // Penalties, each month's sum rounded once: debt × rate/100 × days /
    // 300 (days 31–90 after the due date) or / 130 (from day 91).
    //
    // Иванов: May and June were paid before their due dates; July's
    // 1750.00 (due 15.08) and August's 1800.00 (due 15.09) are not.
    // - September: July's debt from 15.09 (day 31) to 30.09, 16 days at
    //   9.5 %: 1750 × 9.5 × 16 / 30000 = 8.8666… → 8.87.
    // - October: July's days 47–77, 19 days at 9.5 % (to 19.10) and 12 at
    //   9 %: 1750 × (9.5 × 19 + 9 × 12) / 30000 = 1750 × 288.5 / 30000 =
    //   16.829166…; August's from 16.10 (day 31): 4 days at 9.5 %, 12 at
    //   9 %: 1800 × (38 + 108) / 30000 = 8.76; 25.589166… → 25.59.
    // - November (9 %): the register's 2367.95 of 03.11 pays July (1750.00)
    //   and 617.95 of August, its 100.50 of 07.11 more of August; each
    //   counts from the next day. July: days 78–80 (01–03.11) on 1750.00;
    //   August, days 47–76: 1800.00 for 3 days, 1182.05 for 4 (04–07.11),
    //   1081.55 for 23; September's 1750.00 (due 15.10) from 15.11 (day
    //   31), 16 days. 9 × (1750 × 3 + 1800 × 3 + 1182.05 × 4 + 1081.55 ×
    //   23 + 1750 × 16) / 30000 = 9 × 68253.85 / 30000 = 20.476155 → 20.48.
    let ivanov = rows(
        dec!(1520.40),
        &[
            month("2026-05", dec!(1750.00), dec!(0), dec!(0)),
            month("2026-06", dec!(1800.00), dec!(0), dec!(3270.40)),
            month("2026-07", dec!(1750.00), dec!(0), dec!(1800.00)),
            month("2026-08", dec!(1800.00), dec!(0), dec!(0)),
            month("2026-09", dec!(1750.00), dec!(8.87), dec!(0)),
            month("2026-10", dec!(1800.00), dec!(25.59), dec!(0)),
            // 2367.95 + 100.50 = 2468.45 from the register.
            month("2026-11", dec!(1750.00), dec!(20.48), dec!(2468.45)),
        ],
    );
    // Петрова: never overdue; November's register pays 1500.00.
    let mut petrova_months = vec![month("2026-05", dec!(1350.00), dec!(0), dec!(0))];
    for period in ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"] {
        let paid = if period == "2026-06" {
            dec!(1050.00)
        } else {
            dec!(1350.00)
        };
        petrova_months.push(month(period, dec!(1350.00), dec!(0), paid));
    }
    petrova_months.push(month("2026-11", dec!(1350.00), dec!(0), dec!(1500.00)));
    let petrova = rows(dec!(-300.00), &petrova_months);
    // Сидоров owes each month's 2200.00 (May's due 15.06, June's 15.07,
    // July's 15.08, August's 15.09, September's 15.10):
    // - July: May's from 16.07 (day 31), 16 days: 2200 × 9.5 × 16 / 30000
    //   = 11.146… → 11.15.
    // - August: May's 31 days (47–77), June's from 15.08, 17 days: 2200 ×
    //   9.5 × 48 / 30000 = 33.44.
    // - September: May's days 78–90 (01–13.09) at 1/300, 91–107 (17 days)
    //   at 1/130; June's 30 days at 1/300; July's from 15.09, 16 days:
    //   2200 × 9.5 × (13 + 30 + 16) / 30000 + 2200 × 9.5 × 17 / 13000 =
    //   41.103333… + 27.330769… = 68.434102… → 68.43.
    // - October (9.5 % to 19.10, 9 % from 20.10): May's 31 days at 1/130:
    //   2200 × (9.5 × 19 + 9 × 12) / 13000 = 48.823076…; June's days 78–90
    //   (01–13.10) at 1/300: 2200 × 9.5 × 13 / 30000 = 9.056666…, then 6
    //   days at 9.5 % and 12 at 9 % at 1/130: 2200 × (57 + 108) / 13000 =
    //   27.923076…; July's 31 days at 1/300: 2200 × 288.5 / 30000 =
    //   21.156666…; August's from 16.10: 2200 × (38 + 108) / 30000 =
    //   10.706666…; in all 117.666153… → 117.67.
    // - November (9 %): the register's 4012.30 of 05.11 pays May (2200.00)
    //   and 1812.30 of June, leaving 387.70 from 06.11. At 1/130: May's 5
    //   days on 2200, June's 5 on 2200 and 25 on 387.70, July's days 91–107
    //   (14–30.11) on 2200: 9 × (11000 + 11000 + 9692.50 + 37400) / 13000 =
    //   47.833269…; at 1/300: July's days 78–90 (13), August's 30,
    //   September's from 15.11 (16): 9 × 2200 × 59 / 30000 = 38.94; in all
    //   86.773269… → 86.77.
    let sidorov = rows(
        dec!(0),
        &[
            month("2026-05", dec!(2200.00), dec!(0), dec!(0)),
            month("2026-06", dec!(2200.00), dec!(0), dec!(0)),
            month("2026-07", dec!(2200.00), dec!(11.15), dec!(0)),
            month("2026-08", dec!(2200.00), dec!(33.44), dec!(0)),
            month("2026-09", dec!(2200.00), dec!(68.43), dec!(0)),
            month("2026-10", dec!(2200.00), dec!(117.67), dec!(0)),
            month("2026-11", dec!(2200.00), dec!(86.77), dec!(4012.30)),
        ],
    );
    // Кузнецова's account opens in November: apartment 99's earlier
    // charges are not hers; she paid 800.00 on 06.11.
    let kuznetsova = rows(
        dec!(0),
        &[month("2026-11", dec!(1000.00), dec!(0), dec!(800.00))],
    );
    // The hand arithmetic, line by line, as the comments say.
    assert_eq!(
        (dec!(9) * dec!(68253.85) / dec!(30000)).round_dp(2),
        dec!(20.48)
    );
    assert_eq!(
        (dec!(2200) * dec!(9.5) * dec!(59) / dec!(30000)
            + dec!(2200) * dec!(9.5) * dec!(17) / dec!(13000))
        .round_dp(2),
        dec!(68.43)
    );

    let accounts = [
        ("1001001001", "1", &ivanov),
        ("1001001002", "2", &petrova),
        ("1001001003", "3", &sidorov),
        ("1001009999", "99", &kuznetsova),
    ];
    for (number, _, rows) in &accounts {
        // From the opening month to the current period, November.
        let path = format!("/api/v1/accounts/{number}/statement");
        let (status, json) = get(&app, &path).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        let expected = statement_json(rows);
        for (got, want) in json
            .as_array()
            .unwrap()
            .iter()
            .zip(expected.as_array().unwrap())
        {
            assert_eq!(got, want, "{number}");
        }
        assert_eq!(json, expected, "{number}");
        let (_, one) = get(&app, &format!("{path}?from=2026-09&to=2026-09")).await;
        let september: Vec<_> = rows
            .iter()
            .filter(|(p, _)| *p == "2026-09")
            .copied()
            .collect();
        assert_eq!(one, statement_json(&september), "{number}");
    }

    // The house's balances (ОСВ) of each month: a row per account open
    // then, in the apartments' order, and their sums.
    for period in MONTHS.iter().chain(&["2026-11"]) {
        let mut totals = Row::default();
        let mut expected = Vec::new();
        for (number, apartment, rows) in &accounts {
            let Some((_, row)) = rows.iter().find(|(p, _)| p == period) else {
                continue;
            };
            totals.add(row);
            let mut json = row.json();
            json["number"] = json!(number);
            json["apartment"] = json!(apartment);
            expected.push(json);
        }
        let path = format!("/api/v1/houses/{id}/balances?period={period}");
        let (status, json) = get(&app, &path).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        assert_eq!(
            json,
            json!({"period": period, "totals": totals.json(), "accounts": expected}),
            "{period}"
        );
    }
    // October in words: openings 5308.87 + 1350.00 + 11113.02, charged
    // 1800 + 1350 + 2200, penalties 25.59 + 117.67, paid 1350.00.
    let (_, october) = get(
        &app,
        &format!("/api/v1/houses/{id}/balances?period=2026-10"),
    )
    .await;
    assert_eq!(
        october["totals"],
        json!({"opening": "17771.89", "charged": "5350.00", "penalty": "143.26",
               "paid": "1350.00", "closing": "21915.15"})
    );
}

/// Charges of the months before March 2026 are due on the 10th of the next
/// month; March's on the 15th. One apartment of 50 m², maintenance at
/// 30.00 ₽/m² (1500.00 a month), an account opened in January with
/// nothing owed, nothing paid, the key rate 21 % capped at 9.5 %.
#[tokio::test]
async fn debts_before_march_2026_fall_due_on_the_10th() {
    let app = spawn_app().await;
    add_key_rate(&app, "2024-10-28", "21").await;
    let (status, json) = post(
        &app,
        "/api/v1/tariffs",
        json!({"service": "maintenance", "price": "30", "valid_from": "2025-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let house = create_house(
        &app,
        json!({"address": "ул. Сроков, 10", "services": ["maintenance"], "apartments": [
            {"number": "1", "area": "50", "account": {"number": "2002", "opening_balance": 0,
             "opening_period": "2026-01"}}]}),
    )
    .await;
    let id = house["id"].as_i64().unwrap();
    let mut april = Value::Null;
    for period in ["2026-01", "2026-02", "2026-03", "2026-04"] {
        let run = bill(&app, id, period).await;
        if period == "2026-04" {
            april = run;
        } else {
            close(&app, id, period).await;
        }
    }
    // January's 1500.00 is due 10.02, so day 31 is 13.03 (February has 28
    // days); February's is due 10.03, day 31 is 10.04; March's is due
    // 15.04, not overdue in April.
    // - March: January's 19 days (13–31.03): 1500 × 9.5 × 19 / 30000 =
    //   9.025 → 9.03 (half away from zero).
    // - April: January's 30 days (days 50–79) and February's 21 (10–30.04):
    //   1500 × 9.5 × 51 / 30000 = 24.225 → 24.23.
    let statement = |penalty_april: Decimal, paid_april: Decimal| {
        statement_json(&rows(
            dec!(0),
            &[
                month("2026-01", dec!(1500.00), dec!(0), dec!(0)),
                month("2026-02", dec!(1500.00), dec!(0), dec!(0)),
                month("2026-03", dec!(1500.00), dec!(9.03), dec!(0)),
                month("2026-04", dec!(1500.00), penalty_april, paid_april),
            ],
        ))
    };
    let path = "/api/v1/accounts/2002/statement?to=2026-04";
    assert_eq!(get(&app, path).await.1, statement(dec!(24.23), dec!(0)));

    // A payment of January's 1500.00 on 20.04, entered after April's run:
    // the run is stale; billed again, January's debt runs only to 20.04
    // (the payment counts from the 21st): 1500 × 9.5 × (20 + 21) / 30000 =
    // 19.475 → 19.48.
    pay(&app, "2002", "2026-04-20", "1500").await;
    let (_, run) = get(&app, &format!("/api/v1/billing-runs/{}", april["id"])).await;
    assert_eq!(run["stale"], true, "{run}");
    assert_eq!(get(&app, path).await.1, statement(dec!(24.23), dec!(1500)));
    bill(&app, id, "2026-04").await;
    close(&app, id, "2026-04").await;
    assert_eq!(get(&app, path).await.1, statement(dec!(19.48), dec!(1500)));
}
