//! The property manager's forms, filled in and submitted as a person would.

use std::path::Path;

use kvartplata::domain::Period;
use kvartplata::i18n::{Locale, format};

use crate::harness::Browser;
use crate::helpers::app::spawn_app;

/// Creates a house through «Новый дом»; returns its page's path.
async fn create_house(browser: &Browser, address: &str) -> String {
    browser.open("/houses").await;
    browser.click_link("Новый дом").await;
    assert_eq!(browser.path().await, "/houses/new");
    browser.fill("address", address).await;
    browser.submit("Создать дом").await;

    let path = browser.path().await;
    assert!(is_page_of(&path, "/houses/"), "after creating: {path}");
    let flash = browser
        .find(".flash.flash-success")
        .await
        .text()
        .await
        .unwrap();
    assert!(flash.contains("создан"), "flash {flash:?}");
    assert!(
        browser
            .find("h1")
            .await
            .text()
            .await
            .unwrap()
            .contains(address)
    );
    path
}

/// Adds an apartment through the house page's «Добавить квартиру» link.
async fn add_apartment(browser: &Browser, house: &str, number: &str, area: &str) {
    browser.open(house).await;
    browser.click_link("Добавить квартиру").await;
    assert_eq!(browser.path().await, format!("{house}/apartments/new"));
    browser.fill("number", number).await;
    browser.fill("area", area).await;
    browser.submit("Добавить квартиру").await;
    assert_eq!(browser.path().await, house, "{}", browser.body_text().await);
    browser.find(".flash.flash-success").await;
}

/// Opens an apartment's page from the house page's link on its number;
/// returns that page's path.
async fn open_apartment(browser: &Browser, house: &str, number: &str) -> String {
    browser.open(house).await;
    let link = browser
        .find_xpath(&format!(
            "//a[starts-with(@href, '/apartments/') and normalize-space()='{number}']"
        ))
        .await;
    let href = link.attr("href").await.unwrap().unwrap();
    browser.open(&href).await;
    assert!(is_page_of(&href, "/apartments/"), "apartment link {href}");
    href
}

/// The house page's table row of apartment `number`.
async fn apartment_row(browser: &Browser, number: &str) -> String {
    browser
        .find_xpath(&format!("//table//tr[td[1][normalize-space()='{number}']]"))
        .await
        .text()
        .await
        .unwrap()
}

/// Whether `path` is `prefix` followed by an id.
fn is_page_of(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

#[tokio::test]
async fn house_apartment_meter_and_tariff_made_through_the_forms_show_on_their_pages() {
    let app = spawn_app().await;
    let browser = Browser::start(&app.address).await;

    let house = create_house(&browser, "ул. Ленина, 1").await;
    add_apartment(&browser, &house, "12", "54.3").await;

    let apartment = open_apartment(&browser, &house, "12").await;
    browser.click_link("Добавить счётчик").await;
    assert_eq!(browser.path().await, format!("{apartment}/meters/new"));
    browser.fill("serial", "HW-0042").await;
    browser.select("kind", "hot_water").await;
    browser.fill("initial_reading", "17.5").await;
    browser.submit("Добавить счётчик").await;
    assert_eq!(
        browser.path().await,
        apartment,
        "{}",
        browser.body_text().await
    );
    browser.find(".flash.flash-success").await;

    browser.open(&house).await;
    let row = apartment_row(&browser, "12").await;
    assert!(row.contains("54,30"), "area missing from {row:?}");
    assert!(row.contains("HW-0042"), "meter serial missing from {row:?}");
    assert!(row.contains("ГВС"), "meter kind missing from {row:?}");
    // For the README: the house page as a person sees it.
    let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/house.png");
    browser.screenshot(&shot).await;
    assert!(std::fs::metadata(&shot).unwrap().len() > 0);

    let now = Period::current();
    let month = now.to_string();
    browser.open("/tariffs").await;
    browser.click_link("Новый тариф").await;
    assert_eq!(browser.path().await, "/tariffs/new");
    browser.select("service", "hot_water").await;
    browser.fill("price", "215.37").await;
    browser.fill("valid_from", &month).await;
    browser.select("house_id", "").await;
    browser.submit("Добавить тариф").await;
    assert_eq!(
        browser.path().await,
        "/tariffs",
        "{}",
        browser.body_text().await
    );
    let flash = browser
        .find(".flash.flash-success")
        .await
        .text()
        .await
        .unwrap();
    assert!(!flash.is_empty());
    // In effect this month for hot water, as the default for every house.
    let row = browser
        .find_xpath(
            "//section[h2[contains(., 'Горячее водоснабжение')]]//tr[contains(., '215,37')]",
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        row.contains(&format::month(now, Locale::Ru)),
        "valid_from missing from {row:?}"
    );
    assert!(row.contains("по умолчанию"), "not the default: {row:?}");
}

#[tokio::test]
async fn area_zero_shows_the_error_beside_the_field_and_keeps_the_input() {
    let app = spawn_app().await;
    let browser = Browser::start(&app.address).await;
    let house = create_house(&browser, "ул. Мира, 7").await;

    browser.open(&format!("{house}/apartments/new")).await;
    browser.fill("number", "3Б").await;
    browser.fill("area", "0").await;
    browser.submit("Добавить квартиру").await;

    let error = browser.find("#error-area").await;
    assert_eq!(
        error.attr("class").await.unwrap().as_deref(),
        Some("field-error")
    );
    let message = error.text().await.unwrap();
    assert!(message.contains("больше 0"), "message {message:?}");
    assert_eq!(browser.value_of("area").await, "0");
    assert_eq!(browser.value_of("number").await, "3Б");
    // The number was fine, so only the area is marked.
    assert!(!browser.has("#error-number").await);

    // Nothing was saved.
    browser.open(&house).await;
    assert!(
        !browser.has("a[href^='/apartments/']").await,
        "{}",
        browser.body_text().await
    );
}

#[tokio::test]
async fn an_empty_apartment_is_deleted_with_its_button() {
    let app = spawn_app().await;
    let browser = Browser::start(&app.address).await;
    let house = create_house(&browser, "пр. Победы, 15").await;
    add_apartment(&browser, &house, "5", "40").await;
    add_apartment(&browser, &house, "6", "41").await;
    let apartment = open_apartment(&browser, &house, "5").await;

    // confirm.js asks first, in the page's language.
    let question = browser.submit_confirming("Удалить квартиру").await;
    assert_eq!(question, "Удалить квартиру 5 вместе с её счётчиками?");

    assert_eq!(browser.path().await, house);
    let flash = browser
        .find(".flash.flash-success")
        .await
        .text()
        .await
        .unwrap();
    assert!(flash.contains("Квартира 5 удалена."), "flash {flash:?}");
    assert!(
        !browser.has(&format!("a[href='{apartment}']")).await,
        "apartment 5 still listed:\n{}",
        browser.body_text().await
    );
    // Its neighbour stays.
    apartment_row(&browser, "6").await;
}

#[tokio::test]
async fn a_meter_is_replaced_from_its_page_old_out_new_in() {
    use kvartplata::db::queries;
    use kvartplata::domain::MeterKind;

    use crate::helpers::fixtures::HouseBuilder;
    let app = spawn_app().await;
    let seeded = HouseBuilder::new("ул. Замены, 5")
        .apartments(1)
        .meter_in_each(MeterKind::HotWater, "ГВ")
        .insert(&app);
    let old = seeded.meters[0].id;
    let browser = Browser::start(&app.address).await;

    browser.open(&format!("/meters/{old}")).await;
    browser.click_link("Замена счётчика").await;
    assert_eq!(browser.path().await, format!("/meters/{old}/replace"));
    let day = format::date(Period::current().first_day(), Locale::Ru);
    browser.fill("on", &day).await;
    browser.fill("final_reading", "12,5").await;
    browser.fill("serial", "ГВ-НОВЫЙ-1").await;
    browser.fill("initial_reading", "0").await;
    browser.fill("commissioned_on", &day).await;
    browser.submit("Заменить счётчик").await;

    let meters =
        queries::meters::list_for_apartments(&mut app.db.conn(), &[seeded.apartments[0].id])
            .unwrap();
    let new = meters
        .iter()
        .find(|m| m.serial == "ГВ-НОВЫЙ-1")
        .expect("the new meter");
    assert_eq!(
        browser.path().await,
        format!("/meters/{}", new.id),
        "{}",
        browser.body_text().await
    );
    let flash = browser
        .find(".flash.flash-success")
        .await
        .text()
        .await
        .unwrap();
    assert!(flash.contains("ГВ-НОВЫЙ-1"), "{flash}");
    assert_eq!(
        new.kind,
        MeterKind::HotWater,
        "the same kind as the old one"
    );
    let facts = browser.find("dl.facts").await.text().await.unwrap();
    assert!(
        facts.contains(&format!("Введён в эксплуатацию\n{day}")),
        "{facts:?}"
    );

    browser.open(&format!("/meters/{old}")).await;
    let facts = browser.find("dl.facts").await.text().await.unwrap();
    assert!(facts.contains(&format!("Снят\n{day}")), "{facts:?}");
    assert!(!browser.has("a[href$='/replace']").await, "replaced once");
}
