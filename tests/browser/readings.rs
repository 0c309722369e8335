//! A month of readings entered for a house through its readings form, with
//! the keyboard, and the consumption seen on the meter page.

use fantoccini::key::Key;
use kvartplata::db::models::{HouseId, MeterId};
use kvartplata::domain::Period;
use kvartplata::i18n::{Locale, format};
use rust_decimal_macros::dec;

use crate::harness::Browser;
use crate::helpers::app::{TestApp, spawn_app};
use crate::helpers::fixtures::{ApartmentBuilder, HouseBuilder, MeterBuilder};

/// A house with apartments 1 and 2, a cold meter each (C-1 read 10.5 the
/// month before the billing period, C-2 never read); returns the house and
/// the meters.
fn seed(app: &TestApp) -> (HouseId, MeterId, MeterId) {
    let house = HouseBuilder::new("ул. Водная, 1")
        .apartment(ApartmentBuilder::new("1").area(dec!(45.50)).meter(
            MeterBuilder::cold("C-1").reading(Period::current().previous().previous(), dec!(10.5)),
        ))
        .apartment(
            ApartmentBuilder::new("2")
                .area(dec!(61.00))
                .meter(MeterBuilder::cold("C-2")),
        )
        .insert(app);
    (house.id(), house.meter("C-1").id, house.meter("C-2").id)
}

async fn focused_name(browser: &Browser) -> String {
    browser
        .client
        .execute(
            "return document.activeElement.name || document.activeElement.textContent",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

async fn consumption_shown(browser: &Browser, meter: MeterId) -> String {
    browser
        .find(&format!("#consumption-m{meter} .consumption-value"))
        .await
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_month_typed_into_the_readings_form_shows_as_consumption_on_the_meter_page() {
    let app = spawn_app().await;
    let (house, c1, c2) = seed(&app);
    let browser = Browser::start(&app.address).await;
    // The page opens on the house's billing period: the month just ended.
    let now = Period::current().previous();
    let month = format::month(now, Locale::Ru);

    browser.open(&format!("/houses/{house}")).await;
    browser.click_link("Внести показания").await;
    assert_eq!(browser.path().await, format!("/houses/{house}/readings"));
    let heading = browser.find("h1").await.text().await.unwrap();
    assert_eq!(heading, format!("Показания за {month}"));
    assert_eq!(browser.value_of("period").await, now.to_string());

    // Type the first reading and press Enter: the cursor moves down the
    // column instead of submitting, and the consumption follows the typing.
    let first = browser.find(&format!("input[name='m{c1}']")).await;
    first.click().await.unwrap();
    first
        .send_keys(&format!("12,75{}", Key::Enter))
        .await
        .unwrap();
    assert_eq!(
        browser.path().await,
        format!("/houses/{house}/readings"),
        "not submitted"
    );
    assert_eq!(focused_name(&browser).await, format!("m{c2}"));
    assert_eq!(consumption_shown(&browser, c1).await, "2,250");

    browser
        .find(&format!("input[name='m{c2}']"))
        .await
        .send_keys(&format!("3{}", Key::Enter))
        .await
        .unwrap();
    assert_eq!(
        focused_name(&browser).await,
        "Сохранить показания",
        "from the last input to the button"
    );
    assert_eq!(consumption_shown(&browser, c2).await, "3,000");

    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    browser.screenshot(&shots.join("readings.png")).await;
    browser.submit("Сохранить показания").await;
    let flash = browser
        .find(".flash.flash-success")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(flash, "Сохранено 2 показания (новых: 2, исправленных: 0).");
    assert_eq!(browser.value_of(&format!("m{c1}")).await, "12,750");
    assert_eq!(consumption_shown(&browser, c1).await, "2,250");

    // The meter page: the month's consumption in the table and the chart.
    browser.open(&format!("/meters/{c1}")).await;
    let row = browser
        .find_xpath(&format!("//table//tr[td[1][normalize-space()='{month}']]"))
        .await
        .text()
        .await
        .unwrap();
    assert!(row.contains("12,750") && row.contains("2,250"), "{row:?}");
    assert!(browser.has("svg.consumption-chart rect.chart-bar").await);
    let bars = browser
        .client
        .find_all(fantoccini::Locator::Css(
            "svg.consumption-chart rect.chart-bar",
        ))
        .await
        .unwrap();
    assert_eq!(bars.len(), 2, "last month and this month");
    browser.screenshot(&shots.join("meter.png")).await;
}
