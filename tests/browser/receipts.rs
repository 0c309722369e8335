//! A house's receipts printed from Chromium (WebDriver's Print Page, A4, as
//! «Печать» in the browser makes it): the print stylesheet puts one receipt
//! on each page and nothing of the interface.

use std::process::Command;

use fantoccini::wd::PrintConfiguration;
use kvartplata::domain::Period;
use kvartplata::services::accounts::SetAccount;
use rust_decimal_macros::dec;
use serde_json::json;

use crate::harness::Browser;
use crate::helpers::api::{bill, create_house, post};
use crate::helpers::app::spawn_app;

/// The text of page `page` (from 1) of `pdf`, as pdftotext reads it.
fn page_text(pdf: &std::path::Path, page: usize) -> String {
    let output = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils; ./scripts/test.sh installs it)");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Pages of `pdf`, as pdfinfo counts them.
fn pages(pdf: &std::path::Path) -> usize {
    let output = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8(output.stdout).unwrap();
    info.lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|count| count.trim().parse().ok())
        .unwrap_or_else(|| panic!("{info}"))
}

#[tokio::test]
async fn a_houses_receipts_print_one_a_page() {
    let app = spawn_app().await;
    let (status, json) = post(
        &app,
        "/api/v1/tariffs",
        json!({"service": "maintenance", "price": "30.00", "valid_from": "2020-01"}),
    )
    .await;
    assert!(status.is_success(), "{json}");
    let apartments: Vec<_> = (1..=3)
        .map(|i| json!({"number": i.to_string(), "area": format!("{}", 40 + i)}))
        .collect();
    let house = create_house(
        &app,
        json!({"address": "г. Псков, ул. Печатная, д. 3", "services": ["maintenance"],
               "apartments": apartments}),
    )
    .await;
    let period = Period::current().previous();
    for (i, apartment) in house["apartments"].as_array().unwrap().iter().enumerate() {
        let set = SetAccount {
            number: format!("700700{}", i + 1),
            holder: format!("Жилец квартиры {}", i + 1),
            opening_balance: dec!(100.00),
            opening_period: period,
        };
        let id = kvartplata::db::models::ApartmentId(apartment["id"].as_i64().unwrap());
        kvartplata::services::accounts::set(&mut app.db.conn(), id, &set).unwrap();
    }
    let id = house["id"].as_i64().unwrap();
    bill(&app, id, &period.to_string()).await;

    let browser = Browser::start(&app.address).await;
    browser
        .open(&format!("/houses/{id}/receipts?period={period}"))
        .await;
    let pdf = browser
        .client
        .print(PrintConfiguration::builder().build().unwrap())
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let file = std::env::temp_dir().join(format!("receipts-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&file, &pdf).unwrap();
    let counted = pages(&file);
    let texts: Vec<String> = (1..=counted).map(|page| page_text(&file, page)).collect();
    std::fs::remove_file(&file).unwrap();

    // Three receipts, three pages, each page one account's and whole.
    assert_eq!(counted, 3, "{texts:#?}");
    for (i, text) in texts.iter().enumerate() {
        let own = format!("700700{}", i + 1);
        assert!(text.contains(&own), "page {}: {text}", i + 1);
        for other in (1..=3).filter(|&n| n != i + 1) {
            assert!(
                !text.contains(&format!("700700{other}")),
                "page {}: {text}",
                i + 1
            );
        }
        assert!(text.contains("Итого к оплате"), "page {}: {text}", i + 1);
        assert!(text.contains("Раздел 5"), "page {}: {text}", i + 1);
        // No interface around it.
        assert!(!text.contains("Выйти") && !text.contains("Дома"), "{text}");
    }
}
