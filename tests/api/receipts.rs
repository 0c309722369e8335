//! Printable receipts (ЕПД): an account's receipt for a billed month and a
//! house's, one receipt an A4 page, always in Russian, with exactly the
//! ledger's figures: the lines as the charges API has them, the statement's
//! debt, payments, penalty and amount to pay, the meters' readings.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::api::{add_key_rate, bill, create_house, get, pay, post};
use crate::helpers::app::{TestApp, spawn_app};

const NB: char = '\u{a0}';

/// The page `path` as the admin's browser gets it, and its status.
async fn page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app
        .browser_client()
        .get(app.url(path))
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

/// An API amount as the receipt prints it: `1 234,56` (the columns say ₽).
fn printed(amount: &Value) -> String {
    let text = amount.as_str().unwrap_or_else(|| panic!("{amount}"));
    let (whole, kopecks) = text.split_once('.').unwrap();
    let (sign, digits) = match whole.strip_prefix('-') {
        Some(digits) => ("−", digits),
        None => ("", whole),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(NB);
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{kopecks}")
}

/// The text of the QR code drawn in `html` (the first): the SVG's dark
/// modules (`M{x} {y}h…` squares) laid back on a grid and decoded.
fn decoded_qr(html: &str) -> String {
    let start = html.find("<svg").expect("a QR code");
    let svg = &html[start..start + html[start..].find("</svg>").unwrap()];
    let size: usize = svg
        .split("width=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|width| width.parse().ok())
        .unwrap();
    let path = svg.split(" d=\"").nth(1).unwrap();
    let module: usize = path
        .split('h')
        .nth(1)
        .and_then(|rest| rest.split('v').next())
        .and_then(|side| side.parse().ok())
        .unwrap();
    let mut dark = vec![false; size * size];
    for square in path.split('M').skip(1) {
        let mut numbers = square
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse::<usize>().unwrap());
        let (x, y) = (numbers.next().unwrap(), numbers.next().unwrap());
        for dy in 0..module {
            for dx in 0..module {
                dark[(y + dy) * size + x + dx] = true;
            }
        }
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
        if dark[y * size + x] { 0 } else { 255 }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("a readable QR code").1
}

/// The part of the page inside the receipt of `account`.
fn receipt_of<'a>(html: &'a str, account: &str) -> &'a str {
    let start = html
        .find(&format!(
            r#"<article class="receipt" id="receipt-{account}">"#
        ))
        .unwrap_or_else(|| panic!("no receipt of {account}:\n{html}"));
    let end = html[start..].find("</article>").unwrap() + start;
    &html[start..end]
}

/// Maintenance at 30.00 ₽/m² and cold water at 50.00 ₽/m³ (normative
/// 4.85 m³); apartment 1 (60 m², account 5005001, owing 1 000.00 from
/// May) with a cold-water meter read 10 → 17 m³; apartment 2 (40 m²,
/// 5005002, an advance of 5 000.00) without one, billed by the normative raised by K = 3. A key rate, a payment.
#[tokio::test]
async fn a_receipt_prints_the_ledgers_figures_and_a_house_prints_one_a_page() {
    let app = spawn_app().await;
    add_key_rate(&app, "2024-10-28", "21").await;
    for (service, price) in [("maintenance", "30.00"), ("cold_water", "50.00")] {
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
        json!({"service": "cold_water", "value": "4.85", "valid_from": "2026-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let account = |number: &str, balance: &str| {
        json!({"number": number, "holder": format!("Жилец {number}"),
               "opening_balance": balance, "opening_period": "2026-05"})
    };
    let house = create_house(
        &app,
        json!({"address": "г. Тверь, ул. Советская, д. 5", "services": ["maintenance", "cold_water"],
               "apartments": [
            {"number": "1", "area": "60", "residents": 2, "account": account("5005001", "1000.00"),
             "meters": [{"serial": "ХВ-5-1", "kind": "cold_water", "initial_reading": "10"}]},
            {"number": "2", "area": "40", "residents": 3, "account": account("5005002", "-5000.00")}
        ]}),
    )
    .await;
    let id = house["id"].as_i64().unwrap();
    let meter = house["apartments"][0]["meters"][0]["id"].as_i64().unwrap();
    let (status, json) = post(
        &app,
        "/api/v1/readings",
        json!({"readings": [{"meter_id": meter, "period": "2026-05", "value": "17"}]}),
    )
    .await;
    assert!(status.is_success(), "{json}");
    pay(&app, "5005001", "2026-05-20", "400.00").await;

    // The executor: Sberbank's own requisites stand in for a company's.
    let (status, json) = crate::helpers::api::put(
        &app,
        "/api/v1/organization",
        json!({"name": "ООО «УК Тверь|Дом»", "inn": "7707083893", "kpp": "773601001",
               "address": "г. Тверь, ул. Новая, д. 1", "phone": "+7 4822 00-00-00",
               "email": "uk@example.ru", "bank_name": "ПАО Сбербанк", "bic": "044525225",
               "account": "40702810938000012345", "corr_account": "30101810400000000225"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");

    // Not billed yet: no receipt.
    let (status, html) = page(&app, "/accounts/5005001/receipts/2026-05").await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("За май 2026 дом ещё не рассчитан"), "{html}");

    bill(&app, id, "2026-05").await;
    let (_, charges) = get(&app, &format!("/api/v1/houses/{id}/charges?period=2026-05")).await;
    let (_, balances) = get(
        &app,
        &format!("/api/v1/houses/{id}/balances?period=2026-05"),
    )
    .await;
    let (status, html) = page(&app, "/accounts/5005001/receipts/2026-05").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.starts_with("<!doctype html>\n<html lang=\"ru\">"));
    // No interface chrome: no menu, no forms.
    assert!(!html.contains("class=\"topbar\"") && !html.contains("<form"));
    let receipt = receipt_of(&html, "5005001");
    assert!(receipt.contains("<strong>май 2026</strong>"), "{receipt}");
    assert!(receipt.contains("г. Тверь, ул. Советская, д. 5, кв. 1"));
    assert!(receipt.contains(r#"<dd class="holder">Жилец 5005001</dd>"#));

    // Every line's amount as billed, and the statement's figures.
    let first = &charges["apartments"][0];
    assert_eq!(first["number"], "1");
    for line in first["lines"].as_array().unwrap() {
        let amount = printed(&line["amount"]);
        assert!(
            receipt.contains(&format!(r#"<td class="num">{amount}</td></tr>"#))
                || receipt.contains(&format!(r#"<td class="num">{amount}</td>"#)),
            "{line} → {amount}:\n{receipt}"
        );
    }
    let row = balances["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["number"] == "5005001")
        .unwrap();
    // 1 000.00 owed, 400.00 paid; cold water 7 m³ × 50 = 350.00 and
    // maintenance 60 × 30 = 1 800.00: 2 150.00 charged, 2 750.00 to pay.
    assert_eq!(row["opening"], "1000.00");
    assert_eq!(row["paid"], "400.00");
    assert_eq!(row["charged"], "2150.00");
    assert_eq!(row["closing"], "2750.00");
    assert!(receipt.contains(&format!(
        r#"<td class="num due">{}</td>"#,
        printed(&row["closing"])
    )));
    assert!(receipt.contains(&format!(
        r#"<td class="num">{}</td>"#,
        printed(&row["paid"])
    )));
    // The executor, and the QR code a banking app reads: 2 750.00 owed.
    assert!(receipt.contains("<dd>ООО «УК Тверь|Дом»</dd>"), "{receipt}");
    assert!(receipt.contains("<dd>7707083893 / 773601001</dd>"));
    assert!(receipt.contains("<dd>40702810938000012345</dd>"));
    assert_eq!(
        decoded_qr(receipt),
        "ST00012|Name=ООО «УК Тверь Дом»|PersonalAcc=40702810938000012345\
         |BankName=ПАО Сбербанк|BIC=044525225|CorrespAcc=30101810400000000225\
         |PayeeINN=7707083893|KPP=773601001|Sum=275000\
         |Purpose=Оплата ЖКУ за 05.2026, л/с 5005001|PersAcc=5005001|PaymPeriod=052026\
         |PayerAddress=г. Тверь, ул. Советская, д. 5, кв. 1|TechCode=02"
    );
    // The meter: 10 → 17, 7 m³.
    assert!(
        receipt.contains(
            "<td>ХВ-5-1</td><td>ХВС</td><td class=\"num\">10,000</td><td class=\"num\">17,000</td><td class=\"num\">7,000</td>"
        ),
        "{receipt}"
    );

    // The advance: nothing to pay, the advance shown as such, and the
    // normative apartment 2 was billed by.
    let (_, html) = page(&app, "/accounts/5005002/receipts/2026-05").await;
    let receipt = receipt_of(&html, "5005002");
    assert!(
        receipt.contains(r#"<td class="num due">0,00</td>"#),
        "{receipt}"
    );
    let closing = balances["accounts"][1]["closing"]
        .as_str()
        .unwrap()
        .to_owned();
    let advance = printed(&json!(closing.trim_start_matches('-')));
    assert!(
        receipt.contains(&format!(r#"<td class="num advance">{advance}</td>"#)),
        "{receipt}"
    );
    assert!(
        receipt.contains("норматив 4,850 м³ на человека, 3 чел."),
        "{receipt}"
    );
    // An advance asks no sum.
    assert!(!decoded_qr(receipt).contains("|Sum="));

    // The account page links each billed month's receipt; the house's
    // month of results links the house's receipts.
    let (_, html) = page(&app, "/accounts/5005001").await;
    assert!(
        html.contains(r#"href="/accounts/5005001/receipts/2026-05">квитанция</a>"#),
        "{html}"
    );
    let (_, html) = page(&app, &format!("/houses/{id}/charges?period=2026-05")).await;
    assert!(html.contains(&format!(
        r#"href="/houses/{id}/receipts?period=2026-05">Квитанции</a>"#
    )));

    // The house: every account's receipt, one a page.
    let (status, html) = page(&app, &format!("/houses/{id}/receipts?period=2026-05")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches(r#"<article class="receipt""#).count(), 2);
    assert!(html.contains("receipt-5005001") && html.contains("receipt-5005002"));

    // A month that is no month, an unknown account, a month before the
    // account opened.
    for path in [
        "/accounts/5005001/receipts/2026-13",
        "/accounts/9999/receipts/2026-05",
        "/accounts/5005001/receipts/2026-04",
    ] {
        let (status, _) = page(&app, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
}
