//! The interface in each user's language, Russian figures and dates typed
//! as a Russian manager types them, the readings page on a phone, and the
//! readings upload reached by clicking.

use kvartplata::db::models::{HouseId, MeterId};
use kvartplata::db::queries;
use kvartplata::domain::{Period, ReadingSource, Role};
use kvartplata::i18n::{Locale, format};
use kvartplata::services::logins;
use rust_decimal_macros::dec;
use serde_json::json;

use crate::harness::Browser;
use crate::helpers::app::{ADMIN_PASSWORD, TestApp, spawn_app};
use crate::helpers::fixtures::{ApartmentBuilder, HouseBuilder, MeterBuilder};

/// The `<html lang>` of the page shown.
async fn lang(browser: &Browser) -> String {
    browser
        .find("html")
        .await
        .attr("lang")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// The element's text as the page has it (WebDriver's visible text turns
/// the no-break spaces between thousands into plain ones).
async fn content(browser: &Browser, css: &str) -> String {
    browser
        .find(css)
        .await
        .prop("textContent")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// The value of the field named `name` as the page has it.
async fn raw_value(browser: &Browser, name: &str) -> String {
    browser
        .find(&format!("[name='{name}']"))
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Whether the link or button with exactly `text` is on the page now.
async fn has_text(browser: &Browser, tag: &str, text: &str) -> bool {
    !browser
        .client
        .find_all(fantoccini::Locator::XPath(&format!(
            "//{tag}[normalize-space()='{text}']"
        )))
        .await
        .unwrap()
        .is_empty()
}

/// What a manager sees of the dashboard and of `house`, in `locale`.
async fn assert_pages_in(browser: &Browser, house: HouseId, locale: Locale) {
    let (dashboard, houses, sign_out, enter, upload, area) = match locale {
        Locale::Ru => (
            "Сводка",
            "Дома",
            "Выйти",
            "Внести показания",
            "Загрузить из Excel",
            "45,50",
        ),
        Locale::En => (
            "Dashboard",
            "Houses",
            "Sign out",
            "Enter readings",
            "Upload from Excel",
            "45.50",
        ),
    };
    browser.open("/").await;
    assert_eq!(lang(browser).await, locale.code(), "the dashboard's lang");
    assert_eq!(browser.find("h1").await.text().await.unwrap(), dashboard);
    assert!(has_text(browser, "a", houses).await, "no {houses:?} link");
    assert!(
        has_text(browser, "button", sign_out).await,
        "no {sign_out:?} button"
    );

    browser.open(&format!("/houses/{house}")).await;
    assert_eq!(lang(browser).await, locale.code(), "the house page's lang");
    assert_eq!(
        browser.find("h1").await.text().await.unwrap(),
        "ул. Языковая, 2"
    );
    for link in [houses, enter, upload] {
        assert!(
            has_text(browser, "a", link).await,
            "no {link:?} link on the house page:\n{}",
            browser.body_text().await
        );
    }
    assert!(has_text(browser, "button", sign_out).await);
    let row = browser
        .find("table.apartments tbody tr")
        .await
        .text()
        .await
        .unwrap();
    assert!(row.contains(area), "{area:?} in {row:?}");
}

#[tokio::test]
async fn each_manager_sees_the_pages_in_their_own_language() {
    let app = spawn_app().await;
    let house = HouseBuilder::new("ул. Языковая, 2")
        .apartment(ApartmentBuilder::new("1").meter(MeterBuilder::cold("Я-1")))
        .insert(&app)
        .id();
    {
        let mut conn = app.db.conn();
        for name in ["olga", "john"] {
            logins::create_user(&mut conn, name, ADMIN_PASSWORD, Role::Manager).unwrap();
        }
    }
    let browser = Browser::start_anonymous(&app.address).await;

    // John switches to English on his password page.
    browser.sign_in("john", ADMIN_PASSWORD).await;
    assert_pages_in(&browser, house, Locale::Ru).await;
    browser.open("/password").await;
    assert!(
        browser.body_text().await.contains("Язык интерфейса"),
        "{}",
        browser.body_text().await
    );
    browser.select("locale", "en").await;
    browser.submit("Сохранить язык").await;
    assert_eq!(browser.path().await, "/password");
    assert_eq!(lang(&browser).await, "en");
    assert_eq!(
        browser
            .find(".flash.flash-success")
            .await
            .text()
            .await
            .unwrap(),
        "The interface is in English now."
    );
    assert_eq!(browser.value_of("locale").await, "en");
    assert_pages_in(&browser, house, Locale::En).await;
    browser.submit("Sign out").await;

    // Olga, signing in in the same browser, keeps the default Russian.
    browser.sign_in("olga", ADMIN_PASSWORD).await;
    assert_pages_in(&browser, house, Locale::Ru).await;
    browser.submit("Выйти").await;

    // The setting is John's, not the browser's: it is there at his next visit.
    browser.sign_in("john", ADMIN_PASSWORD).await;
    assert_pages_in(&browser, house, Locale::En).await;
}

/// A house with one apartment and its cold meter В-100 (initial 1 200,000,
/// installed on no recorded day, read 1 200,500 the month before the
/// billing period, which the readings page opens on).
fn seed_one_meter(app: &TestApp) -> (HouseId, MeterId) {
    let house = HouseBuilder::new("ул. Запятая, 3")
        .apartment(
            ApartmentBuilder::new("7").meter(
                MeterBuilder::cold("В-100")
                    .initial(dec!(1200))
                    .reading(Period::current().previous().previous(), dec!(1200.5)),
            ),
        )
        .insert(app);
    (house.id(), house.meter("В-100").id)
}

#[tokio::test]
async fn a_reading_and_a_date_typed_the_russian_way_are_saved_and_shown_so() {
    let app = spawn_app().await;
    let (house, meter) = seed_one_meter(&app);
    let browser = Browser::start(&app.address).await;
    // The house's billing period: nothing is closed, so the month just ended.
    let now = Period::current().previous();
    let field = format!("m{meter}");

    // The reading, with a space between thousands and a decimal comma.
    browser.open(&format!("/houses/{house}/readings")).await;
    browser.fill(&field, "1 215,3").await;
    assert_eq!(
        content(
            &browser,
            &format!("#consumption-{field} .consumption-value")
        )
        .await,
        "14,800",
        "the consumption follows the typing"
    );
    browser.submit("Сохранить показания").await;
    assert_eq!(
        browser
            .find(".flash.flash-success")
            .await
            .text()
            .await
            .unwrap(),
        "Сохранено 1 показание (новых: 1, исправленных: 0)."
    );
    assert_eq!(raw_value(&browser, &field).await, "1\u{a0}215,300");
    assert_eq!(
        content(
            &browser,
            &format!("#consumption-{field} .consumption-value")
        )
        .await,
        "14,800"
    );
    let saved = queries::readings::list_for_meter(&mut app.db.conn(), meter).unwrap();
    let this_month = saved.iter().find(|r| r.period == now).expect("saved");
    assert_eq!(this_month.value, dec!(1215.3));

    browser.open(&format!("/meters/{meter}")).await;
    let month = format::month(now, Locale::Ru);
    let row = browser
        .find_xpath(&format!(
            "//table[contains(@class, 'readings')]//tr[td[1][normalize-space()='{month}']]"
        ))
        .await
        .prop("textContent")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        row.contains("1\u{a0}215,300") && row.contains("14,800"),
        "{row:?}"
    );

    // The installation date, as a Russian date.
    browser.open(&format!("/meters/{meter}/edit")).await;
    browser.fill("installed_on", "01.09.2026").await;
    browser.submit("Сохранить").await;
    assert_eq!(
        browser.path().await,
        format!("/meters/{meter}"),
        "{}",
        browser.body_text().await
    );
    browser.find(".flash.flash-success").await;
    let facts = browser.find("dl.facts").await.text().await.unwrap();
    assert!(facts.contains("Дата установки\n01.09.2026"), "{facts:?}");
    let stored = queries::meters::find(&mut app.db.conn(), meter).unwrap();
    assert_eq!(
        stored.installed_on,
        chrono::NaiveDate::from_ymd_opt(2026, 9, 1)
    );
}

/// The boxes of `css` as `[left, right]` pairs, and the window's and the
/// page's widths.
async fn boxes(browser: &Browser, css: &str) -> (Vec<(f64, f64)>, f64, f64) {
    let answer = browser
        .client
        .execute(
            "return {
               boxes: Array.from(document.querySelectorAll(arguments[0])).map(function (e) {
                 var r = e.getBoundingClientRect();
                 return [r.left, r.right];
               }),
               inner: window.innerWidth,
               scroll: document.documentElement.scrollWidth
             };",
            vec![json!(css)],
        )
        .await
        .unwrap();
    let boxes = answer["boxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b[0].as_f64().unwrap(), b[1].as_f64().unwrap()))
        .collect();
    (
        boxes,
        answer["inner"].as_f64().unwrap(),
        answer["scroll"].as_f64().unwrap(),
    )
}

/// The innermost elements that reach past the window's right edge, for a
/// failure's message.
async fn overflowing(browser: &Browser) -> String {
    browser
        .client
        .execute(
            "var w = window.innerWidth;
             return Array.from(document.querySelectorAll('body *'))
               .filter(function (e) {
                 return e.getBoundingClientRect().right > w
                   && !Array.from(e.children).some(function (c) {
                        return c.getBoundingClientRect().right > w;
                      });
               })
               .map(function (e) {
                 return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                   + (e.className && e.className.baseVal === undefined ? '.' + e.className.split(' ').join('.') : '')
                   + ' ' + Math.round(e.getBoundingClientRect().right)
                   + ' ' + JSON.stringify((e.textContent || '').trim().slice(0, 40));
               })
               .join('; ');",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn on_a_phone_every_reading_input_fits_the_window_and_the_menu_folds() {
    let app = spawn_app().await;
    let previous = Period::current().previous();
    let mut builder =
        HouseBuilder::new("Калининградская обл., г. Светлогорск, ул. Октябрьская, д. 114");
    for number in ["1", "2", "3", "104Б"] {
        builder = builder.apartment(
            ApartmentBuilder::new(number)
                .area(dec!(1234.56))
                .meter(
                    MeterBuilder::cold(&format!("ХВ-2026-000{number}"))
                        .reading(previous, dec!(123456.789)),
                )
                .meter(MeterBuilder::hot(&format!("ГВ-2026-000{number}"))),
        );
    }
    let house = builder.insert(&app).id();
    let browser = Browser::start(&app.address).await;
    browser.client.set_window_size(390, 844).await.unwrap();

    browser.open(&format!("/houses/{house}/readings")).await;
    let (inputs, inner, scroll) = boxes(&browser, "input.reading-input").await;
    assert!(
        inner <= 390.0,
        "the window is a phone's: innerWidth {inner}"
    );
    assert_eq!(inputs.len(), 8, "every meter's input");
    assert!(
        scroll <= inner,
        "the page scrolls sideways: scrollWidth {scroll} > innerWidth {inner}; wider: {}",
        overflowing(&browser).await
    );
    for (i, (left, right)) in inputs.iter().enumerate() {
        assert!(
            *left >= 0.0 && *right <= inner,
            "input {i} spans {left}..{right}, outside 0..{inner}"
        );
    }
    let shot = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/screenshots/readings-phone.png");
    browser.screenshot(&shot).await;

    // The top bar's menu is folded behind «Меню».
    let label = browser.find(".menu-button").await;
    assert!(label.is_displayed().await.unwrap());
    assert_eq!(label.text().await.unwrap(), "Меню");
    let sign_out = browser
        .find_xpath("//form[@action='/logout']//button[normalize-space()='Выйти']")
        .await;
    assert!(
        !sign_out.is_displayed().await.unwrap(),
        "the menu is folded"
    );
    assert!(
        !browser
            .find("#site-menu")
            .await
            .is_displayed()
            .await
            .unwrap()
    );

    // A tap on the label unfolds it, «Выйти» within the window.
    label.click().await.unwrap();
    assert_eq!(
        browser
            .find("#menu-toggle")
            .await
            .prop("checked")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    assert!(sign_out.is_displayed().await.unwrap(), "the menu unfolded");
    let (buttons, inner, scroll) =
        boxes(&browser, "form[action='/logout'] button[type='submit']").await;
    let (left, right) = buttons[0];
    assert!(
        left >= 0.0 && right <= inner,
        "«Выйти» spans {left}..{right}, outside 0..{inner}"
    );
    assert!(scroll <= inner, "scrollWidth {scroll} > innerWidth {inner}");
    let (links, _, _) = boxes(&browser, "#site-menu nav a").await;
    for (left, right) in links {
        assert!(
            left >= 0.0 && right <= inner,
            "a menu link at {left}..{right}"
        );
    }
}

#[tokio::test]
async fn readings_uploaded_from_the_house_page_are_saved() {
    let app = spawn_app().await;
    let previous = Period::current().previous();
    let seeded = HouseBuilder::new("ул. Файловая, 4")
        .apartment(
            ApartmentBuilder::new("1")
                .meter(MeterBuilder::cold("Ф-1").reading(previous, dec!(1200.5)))
                .meter(MeterBuilder::hot("Ф-2").reading(previous, dec!(10))),
        )
        .insert(&app);
    let (house, cold, hot) = (seeded.id(), seeded.meter("Ф-1").id, seeded.meter("Ф-2").id);
    let now = Period::current();
    let browser = Browser::start(&app.address).await;

    browser.open(&format!("/houses/{house}")).await;
    browser.click_link("Загрузить из Excel").await;
    assert_eq!(
        browser.path().await,
        format!("/houses/{house}/readings/upload")
    );
    assert_eq!(
        browser.find("h1").await.text().await.unwrap(),
        "Загрузка показаний"
    );

    // As Russian Excel saves it: semicolons, decimal commas, 11.2026.
    let month = format!("{:02}.{}", now.month(), now.year());
    let csv = format!("Счётчик;Период;Показание\nФ-1;{month};1 204,5\nФ-2;{month};12,25\n");
    let file = std::env::temp_dir().join(format!(
        "kvartplata-upload-{}.csv",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&file, csv).unwrap();
    browser
        .find("input[type='file'][name='file']")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    browser.submit("Загрузить показания").await;
    std::fs::remove_file(&file).unwrap();

    assert_eq!(
        browser.path().await,
        format!("/houses/{house}/readings"),
        "{}",
        browser.body_text().await
    );
    assert_eq!(
        browser
            .find(".flash.flash-success")
            .await
            .text()
            .await
            .unwrap(),
        "Сохранено 2 показания (новых: 2, исправленных: 0)."
    );
    assert_eq!(
        browser.find("h1").await.text().await.unwrap(),
        format!("Показания за {}", format::month(now, Locale::Ru))
    );
    assert_eq!(
        raw_value(&browser, &format!("m{cold}")).await,
        "1\u{a0}204,500"
    );
    assert_eq!(raw_value(&browser, &format!("m{hot}")).await, "12,250");

    let mut conn = app.db.conn();
    for (meter, value) in [(cold, dec!(1204.5)), (hot, dec!(12.25))] {
        let readings = queries::readings::list_for_meter(&mut conn, meter).unwrap();
        let saved = readings.iter().find(|r| r.period == now).expect("saved");
        assert_eq!(saved.value, value);
        assert_eq!(saved.source, ReadingSource::Csv);
    }
}
