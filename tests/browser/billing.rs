//! A month billed from the house page in headless Chromium: the progress
//! page follows the run by polling the JSON API (static/js/progress.js)
//! until it completes and offers the results, whose lines explain
//! themselves.

use std::time::Duration;

use kvartplata::db::models::{BillingRunChangeset, BillingRunId, HouseId};
use kvartplata::db::queries;
use kvartplata::domain::{MeterKind, Period, RunStatus, Service};
use kvartplata::i18n::{Locale, format};
use rust_decimal_macros::dec;

use crate::harness::{Browser, STEP};
use crate::helpers::app::{TestApp, spawn_app};
use crate::helpers::fixtures::{
    ApartmentBuilder, HouseBuilder, MeterBuilder, RunBuilder, TariffBuilder, add_normative, month,
};

/// Apartment 1 (54.30 m², 2 residents, cold C-1 read 100.000 → 103.500 over
/// the month just ended, hot H-1 not read for it and billed by the
/// normative) and apartment 2 (33.33 m², no meters, one owner); cold 42.30,
/// hot 214.76, sewerage 30.00, maintenance 24.50, normatives 4 and 3 m³:
/// 3051.96 + 2500.61 = 5552.57 (worked out in tests/api/pages_billing.rs).
fn seed(app: &TestApp) -> HouseId {
    let billed = Period::current().previous();
    let house = HouseBuilder::new("ул. Садовая, 5")
        .apartment(
            ApartmentBuilder::new("1")
                .area(dec!(54.30))
                .residents(None, 2)
                .meter(
                    MeterBuilder::cold("C-1")
                        .readings_from(billed.previous(), [dec!(100.000), dec!(103.500)]),
                )
                .meter(
                    MeterBuilder::hot("H-1")
                        .initial(dec!(20.000))
                        .reading(billed.previous(), dec!(22.000)),
                ),
        )
        .apartment(ApartmentBuilder::new("2").area(dec!(33.33)))
        .insert(app);
    for (service, price) in [
        (Service::ColdWater, dec!(42.30)),
        (Service::HotWater, dec!(214.76)),
        (Service::Sewerage, dec!(30.00)),
        (Service::Maintenance, dec!(24.50)),
    ] {
        TariffBuilder::new(service, price, month("2020-01")).insert(app);
    }
    add_normative(app, MeterKind::ColdWater, dec!(4), month("2020-01"));
    add_normative(app, MeterKind::HotWater, dec!(3), month("2020-01"));
    house.id()
}

/// A queued run whose lease another process holds, so this app's workers
/// leave it until [`release`] hands it over.
fn held_run(app: &TestApp, house: HouseId, period: Period) -> BillingRunId {
    RunBuilder::new(house, period, 2)
        .leased_elsewhere()
        .insert(app)
}

fn release(app: &TestApp, run: BillingRunId) {
    let changes = BillingRunChangeset {
        lease_owner: Some(None),
        lease_expires_at: Some(None),
        ..Default::default()
    };
    queries::run_queue::update(&mut app.db.conn(), run, &changes).unwrap();
}

async fn text(browser: &Browser, css: &str) -> String {
    browser.find(css).await.text().await.unwrap()
}

/// The element's text as the page has it: WebDriver's visible text turns
/// the no-break spaces between thousands into plain ones.
async fn figure(browser: &Browser, css: &str) -> String {
    browser
        .find(css)
        .await
        .prop("textContent")
        .await
        .unwrap()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

#[tokio::test]
async fn a_month_billed_from_the_house_page_is_followed_to_its_explained_results() {
    let app = spawn_app().await;
    let house = seed(&app);
    let month = Period::current().previous();
    let month_ru = format::month(month, Locale::Ru);
    let browser = Browser::start(&app.address).await;
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");

    // Start from the house page's form, which offers the month just ended.
    browser.open(&format!("/houses/{house}")).await;
    assert_eq!(browser.value_of("period").await, month.to_string());
    browser.submit("Рассчитать").await;
    assert!(
        browser.path().await.starts_with("/billing-runs/"),
        "{}",
        browser.path().await
    );
    assert_eq!(
        text(&browser, ".flash.flash-success").await,
        format!("Расчёт за {month_ru} запущен: 2 квартиры.")
    );
    // However fast the run was, the page ends up showing it completed.
    browser.find("#run-results").await;
    assert_eq!(text(&browser, "#run-status").await, "Завершён");
    assert_eq!(text(&browser, "#run-counts").await, "Рассчитано 2 из 2");
    assert_eq!(figure(&browser, "#run-amount").await, "5\u{a0}552,57");

    for (path, shot) in [
        (format!("/houses/{house}"), "billing-house.png"),
        ("/".to_owned(), "billing-dashboard.png"),
        ("/billing-runs".to_owned(), "billing-runs.png"),
    ] {
        browser.open(&path).await;
        browser.screenshot(&shots.join(shot)).await;
    }

    // The next run of the month is held elsewhere: the page shows it queued
    // and, without reloading, follows it to completion once it is handed over.
    let held = held_run(&app, house, month);
    browser.open(&format!("/billing-runs/{held}")).await;
    assert_eq!(text(&browser, "#run-status").await, "В очереди");
    assert_eq!(text(&browser, "#run-counts").await, "Рассчитано 0 из 2");
    assert!(!browser.has("#run-results").await);
    assert!(browser.has("#run-refresh").await);
    browser
        .client
        .execute("window.notReloaded = true;", vec![])
        .await
        .unwrap();
    release(&app, held);
    browser.find("#run-results").await;
    assert_eq!(text(&browser, "#run-status").await, "Завершён");
    assert_eq!(text(&browser, "#run-percent").await, "100%");
    assert_eq!(text(&browser, "#run-counts").await, "Рассчитано 2 из 2");
    assert_eq!(figure(&browser, "#run-amount").await, "5\u{a0}552,57");
    assert_eq!(text(&browser, "#run-amount-label").await, "Начислено");
    assert!(
        !browser.has("#run-refresh").await,
        "nothing left to refresh"
    );
    let progress = browser
        .client
        .execute(
            "var p = document.getElementById('run-progress'); return [p.value, p.max];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(progress, serde_json::json!([2, 2]));
    let same_page = browser
        .client
        .execute("return window.notReloaded === true;", vec![])
        .await
        .unwrap();
    assert_eq!(same_page, serde_json::json!(true), "updated by polling");
    assert_eq!(
        queries::run_queue::find(&mut app.db.conn(), held)
            .unwrap()
            .status,
        RunStatus::Completed
    );
    browser
        .screenshot(&shots.join("billing-progress.png"))
        .await;

    // The results: every line explains itself.
    browser.find("#run-results").await.click().await.unwrap();
    let deadline = std::time::Instant::now() + STEP;
    while browser.path().await != format!("/houses/{house}/charges") {
        assert!(std::time::Instant::now() < deadline, "not on the results");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        text(&browser, "h1").await,
        format!("Начислено за {month_ru}")
    );
    assert_eq!(figure(&browser, "#house-total").await, "5\u{a0}552,57₽");
    let cold = text(&browser, "tr.service-cold_water").await;
    assert!(cold.contains("148,05"), "{cold}");
    let explained = text(&browser, "tr.service-cold_water .explanation").await;
    for part in [
        "По показаниям",
        "C-1 по показаниям: 103,500 − 100,000 = 3,500 м³",
    ] {
        assert!(explained.contains(part), "{part:?} in {explained:?}");
    }
    let hot = browser.find("tr.service-hot_water .missing-reading").await;
    assert!(hot.is_displayed().await.unwrap());
    assert_eq!(hot.text().await.unwrap(), "нет показания");
    let missing = text(&browser, "tr.service-hot_water .explanation").await;
    assert!(
        missing.contains("H-1 по нормативу: 2 чел. × 3,00 м³ = 6,00 м³"),
        "{missing:?}"
    );
    assert_eq!(text(&browser, "#missing-count").await, "1");
    let area = text(
        &browser,
        "tbody.apartment-charges:last-of-type tr.service-maintenance .explanation",
    )
    .await;
    assert!(area.contains("площадь 33,33"), "{area:?}");
    let raised = text(
        &browser,
        "tbody.apartment-charges:last-of-type tr.service-cold_water .tag-coefficient",
    )
    .await;
    assert_eq!(raised, "К 3 · +338,40 ₽");
    browser.screenshot(&shots.join("billing-results.png")).await;
}
