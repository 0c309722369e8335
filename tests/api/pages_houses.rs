//! The house pages and forms over HTTP, as a browser without JavaScript
//! uses them: GET the form, take its csrf_token, POST, follow the 303.

use chrono::TimeZone as _;
use kvartplata::db::queries;
use kvartplata::domain::{MeterKind, Period, TimeZone};
use reqwest::StatusCode;

use crate::helpers::app::TestApp;
use crate::helpers::fixtures::{HouseBuilder, RunBuilder, add_reading};
use crate::helpers::pages::{
    Visitor, apartment_rows, csrf_token, field_error, flash, input_value, listed_numbers, location,
};

fn house_count(app: &TestApp) -> usize {
    queries::houses::list_summaries(&mut app.db.conn())
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_house_apartment_and_meter_made_through_the_forms_show_on_the_house_page() {
    let v = Visitor::start().await;

    let new_house = v.page("/houses/new").await;
    assert!(new_house.contains(r#"<button type="submit" class="button">Создать дом</button>"#));
    let response = v
        .submit("/houses/new", "/houses", &[("address", "  ул. Ленина, 1 ")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let house = location(&response);
    assert!(house.starts_with("/houses/"), "{house}");
    let page = v.page(&house).await;
    assert_eq!(
        flash(&page),
        Some(("flash-success".into(), "Дом ул. Ленина, 1 создан.".into()))
    );
    assert!(page.contains("<h1>ул. Ленина, 1</h1>"), "{page}");
    // Shown once only.
    assert_eq!(flash(&v.page(&house).await), None);

    let form = format!("{house}/apartments/new");
    let page = v
        .submit_ok(
            &form,
            &format!("{house}/apartments"),
            &[("number", "12"), ("area", "54,3")],
            &house,
        )
        .await;
    assert_eq!(
        flash(&page).unwrap(),
        ("flash-success".into(), "Квартира 12 добавлена.".into())
    );
    assert_eq!(listed_numbers(&page), ["12"]);
    assert!(
        page.contains(r#"54,30<span class="unit">м²</span>"#),
        "{page}"
    );

    let apartment = page
        .split(r#"<a href="/apartments/"#)
        .nth(1)
        .map(|rest| format!("/apartments/{}", rest.split('"').next().unwrap()))
        .unwrap();
    let page = v
        .submit_ok(
            &format!("{apartment}/meters/new"),
            &format!("{apartment}/meters"),
            &[
                ("serial", "ГВ-0042"),
                ("kind", "hot_water"),
                ("initial_reading", "17.5"),
                ("installed_on", "2026-01-15"),
            ],
            &apartment,
        )
        .await;
    assert_eq!(flash(&page).unwrap().1, "Счётчик ГВ-0042 добавлен.");
    assert!(
        page.contains("ГВ-0042") && page.contains("17,500"),
        "{page}"
    );

    let page = v.page(&house).await;
    assert!(page.contains("ГВ-0042"), "{page}");
    assert!(page.contains(">ГВС</span>"), "{page}");
    assert!(page.contains("1 квартира"), "{page}");

    // And on the house list, with counts.
    let list = v.page("/houses").await;
    assert!(
        list.contains(&format!(r#"<a href="{house}">ул. Ленина, 1</a>"#)),
        "{list}"
    );
}

#[tokio::test]
async fn a_bad_or_taken_address_returns_the_form_with_the_message() {
    let v = Visitor::start().await;
    HouseBuilder::new("ул. Мира, 7").insert(&v.app);

    let response = v
        .submit("/houses/new", "/houses", &[("address", "   ")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(field_error(&html, "address").unwrap(), "Введите адрес.");
    assert!(html.contains(r#"class="field field-invalid""#), "{html}");

    // Case and spaces do not make another house.
    let response = v
        .submit("/houses/new", "/houses", &[("address", " УЛ. МИРА, 7")])
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "address").unwrap(),
        "Дом с таким адресом уже есть."
    );
    assert_eq!(input_value(&html, "address"), " УЛ. МИРА, 7");
    assert_eq!(house_count(&v.app), 1);
}

#[tokio::test]
async fn a_post_without_the_right_csrf_token_is_refused_and_saves_nothing() {
    let v = Visitor::start().await;
    // The visitor has a session (and a token) but does not send it.
    let real = csrf_token(&v.page("/houses/new").await);

    let missing = v.post_raw("/houses", &[("address", "ул. Новая, 1")]).await;
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let html = missing.text().await.unwrap();
    assert!(
        html.contains("Нет доступа")
            && html.contains("Эта форма устарела")
            && html.contains("/static/css/app.css")
    );

    let wrong = v
        .post_raw(
            "/houses",
            &[
                ("csrf_token", &"0".repeat(real.len())),
                ("address", "ул. Новая, 1"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);

    // Another browser's token does not fit this session either.
    let other = Visitor::start().await;
    let foreign = csrf_token(&other.page("/houses/new").await);
    let response = v
        .post_raw(
            "/houses",
            &[("csrf_token", &foreign), ("address", "ул. Новая, 1")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    assert_eq!(house_count(&v.app), 0);
}

#[tokio::test]
async fn the_house_page_pages_through_apartments_keeping_the_search() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Длинная, 120")
        .apartments(120)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    let path = format!("/houses/{house}");

    let first = v.page(&path).await;
    assert_eq!(apartment_rows(&first), 50);
    assert!(first.contains("120 квартир"), "{first}");
    // Natural order: 1, 2, … not 1, 10, 100.
    assert_eq!(listed_numbers(&first)[..3], ["1", "2", "3"]);
    assert!(
        first.contains(&format!(r#"href="{path}?page=3""#)),
        "{first}"
    );

    let third = v.page(&format!("{path}?page=3")).await;
    assert_eq!(apartment_rows(&third), 20);
    assert_eq!(listed_numbers(&third).first().unwrap(), "101");
    assert_eq!(listed_numbers(&third).last().unwrap(), "120");
    assert!(third.contains("показаны 101–120"), "{third}");
    assert!(third.contains(r#"<span class="current" aria-current="page">3</span>"#));

    // Past the end, or nonsense: a page, never an error.
    let beyond = v.page(&format!("{path}?page=9")).await;
    assert_eq!(apartment_rows(&beyond), 0);
    assert!(
        beyond.contains("Страницы 9 нет: в списке 3 страницы."),
        "{beyond}"
    );
    for odd in [
        "?page=abc",
        "?page=-1",
        "?page=99999999999999999999",
        "?q=%25_%5C",
    ] {
        let (status, _) = v.get(&format!("{path}{odd}")).await;
        assert_eq!(status, StatusCode::OK, "{odd}");
    }

    // A search every serial matches pages the same way, and the links keep it.
    let search = v.page(&format!("{path}?q=C-")).await;
    assert!(
        search.contains("По запросу «C-» найдено 120 квартир"),
        "{search}"
    );
    assert_eq!(apartment_rows(&search), 50);
    assert!(
        search.contains(&format!(r#"href="{path}?q=C-&#38;page=3""#)),
        "{search}"
    );
    let third = v.page(&format!("{path}?q=C-&page=3")).await;
    assert_eq!(apartment_rows(&third), 20);
    assert!(third.contains(r#"name="q" value="C-""#));
}

#[tokio::test]
async fn the_house_page_finds_apartments_by_number_or_meter_serial() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Садовая, 3")
        .apartments(30)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    add_reading(&v.app, "C-17", "2026-03", "12.5");
    let path = format!("/houses/{house}");

    let by_serial = v.page(&format!("{path}?q=c-17")).await;
    assert_eq!(listed_numbers(&by_serial), ["17"]);
    assert!(
        by_serial.contains("По запросу «c-17» найдена 1 квартира"),
        "{by_serial}"
    );
    // The meter with its last reading and month.
    assert!(
        by_serial.contains(r#"12,500<span class="unit">м³</span>"#),
        "{by_serial}"
    );
    assert!(by_serial.contains(r#"<span class="period nowrap">март 2026</span>"#));
    // The search is kept in the box.
    assert!(
        by_serial.contains(r#"name="q" value="c-17""#),
        "{by_serial}"
    );

    // Numbers starting with 2, and 12 for its serial C-12, in natural order.
    let by_number = v.page(&format!("{path}?q=2")).await;
    let expected: Vec<String> = [2, 12, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29]
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(listed_numbers(&by_number), expected);

    let nothing = v.page(&format!("{path}?q=nope")).await;
    assert_eq!(apartment_rows(&nothing), 0);
    assert!(
        nothing.contains("Ни один номер квартиры не начинается с «nope»"),
        "{nothing}"
    );
}

#[tokio::test]
async fn unknown_houses_get_the_styled_404_page() {
    let v = Visitor::start().await;
    for path in [
        "/houses/999999",
        "/houses/999999/edit",
        "/houses/abc",
        "/houses/999999/apartments/new",
    ] {
        let (status, html) = v.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            html.contains("Страница не найдена")
                && html.contains("<html lang=\"ru\">")
                && html.contains("/static/css/app.css"),
            "{path}: {html}"
        );
    }
    // In the user's language, with the user's navigation.
    let english = Visitor::start_in_english().await;
    let (status, html) = english.get("/houses/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        html.contains("Page not found")
            && html.contains("<html lang=\"en\">")
            && html.contains("The link may be mistyped"),
        "{html}"
    );
    let token = csrf_token(&v.page("/houses/new").await);
    for action in ["/houses/999999", "/houses/999999/delete"] {
        let response = v
            .post_raw(
                action,
                &[("csrf_token", &token), ("address", "ул. Ленина, 2")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{action}");
    }
}

#[tokio::test]
async fn a_house_is_renamed_through_its_edit_form() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Старая, 1")
        .apartments(1)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    HouseBuilder::new("ул. Занятая, 2").insert(&v.app);
    let edit = format!("/houses/{house}/edit");
    let action = format!("/houses/{house}");

    let form = v.page(&edit).await;
    assert_eq!(input_value(&form, "address"), "ул. Старая, 1");

    let response = v
        .submit(&edit, &action, &[("address", "ул. Занятая, 2")])
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.unwrap();
    assert!(field_error(&html, "address").is_some(), "{html}");
    assert_eq!(input_value(&html, "address"), "ул. Занятая, 2");

    let page = v
        .submit_ok(&edit, &action, &[("address", "ул. Новая, 1")], &action)
        .await;
    assert_eq!(flash(&page).unwrap().1, "Дом ул. Новая, 1 сохранён.");
    assert!(page.contains("<h1>ул. Новая, 1</h1>"));
}

#[tokio::test]
async fn a_house_shows_its_runs_times_in_the_time_zone_chosen_on_its_form() {
    let v = Visitor::start().await;
    let east = HouseBuilder::new("г. Екатеринбург, ул. Малышева, 1")
        .apartments(1)
        .insert(&v.app)
        .id();
    let moscow = HouseBuilder::new("г. Москва, ул. Тверская, 1")
        .apartments(1)
        .insert(&v.app)
        .id();
    let at = chrono::Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    let october = Period::new(2026, 10).unwrap();
    let [east_run, moscow_run] = [east, moscow].map(|house| {
        RunBuilder::new(house, october, 1)
            .processed(1)
            .completed_at(at)
            .insert(&v.app)
    });
    let edit = format!("/houses/{east}/edit");
    let action = format!("/houses/{east}");

    let form = v.page(&edit).await;
    assert!(
        form.contains(r#"<option value="Europe/Moscow" selected>МСК, Москва</option>"#),
        "a house starts in Moscow time: {form}"
    );
    let bad = v
        .submit(
            &edit,
            &action,
            &[
                ("address", "г. Екатеринбург, ул. Малышева, 1"),
                ("time_zone", "Europe/Berlin"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert_eq!(
        field_error(&html, "time_zone").as_deref(),
        Some("Выберите часовой пояс из списка."),
        "{html}"
    );

    v.submit_ok(
        &edit,
        &action,
        &[
            ("address", "г. Екатеринбург, ул. Малышева, 1"),
            ("time_zone", TimeZone::Yekaterinburg.as_str()),
        ],
        &action,
    )
    .await;
    let progress = v.page(&format!("/billing-runs/{east_run}")).await;
    assert!(
        progress.contains("25.11.2026 14:00") && progress.contains("25.11.2026 14:01"),
        "started 09:00 UTC, 14:00 in Yekaterinburg: {progress}"
    );
    let zone = || {
        queries::houses::find(&mut v.app.db.conn(), east)
            .unwrap()
            .time_zone
    };
    assert_eq!(zone(), TimeZone::Yekaterinburg);
    // A change of address alone keeps the zone.
    v.submit_ok(
        &edit,
        &action,
        &[("address", "г. Екатеринбург, ул. Малышева, 3")],
        &action,
    )
    .await;
    assert_eq!(zone(), TimeZone::Yekaterinburg);

    let progress = v.page(&format!("/billing-runs/{moscow_run}")).await;
    assert!(progress.contains("25.11.2026 12:01"), "{progress}");
    let runs = v.page("/billing-runs").await;
    assert!(
        runs.contains("25.11.2026 14:00"),
        "each run in its house's zone: {runs}"
    );
    assert!(runs.contains("25.11.2026 12:00"), "{runs}");
}

#[tokio::test]
async fn a_house_with_readings_is_not_deleted_an_empty_one_is() {
    let v = Visitor::start().await;
    let kept = HouseBuilder::new("ул. Историческая, 5")
        .apartments(2)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    add_reading(&v.app, "C-1", "2026-02", "3");
    let empty = HouseBuilder::new("ул. Пустая, 1")
        .apartments(2)
        .meter_in_each(MeterKind::ColdWater, "E")
        .insert(&v.app)
        .id();

    let page = format!("/houses/{kept}");
    // No delete button where the server would refuse; the refusal still holds.
    assert!(
        !v.page(&page)
            .await
            .contains(&format!(r#"action="{page}/delete""#))
    );
    let response = v.submit(&page, &format!("{page}/delete"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), page);
    let html = v.page(&page).await;
    let (kind, message) = flash(&html).unwrap();
    assert_eq!(kind, "flash-error");
    assert!(
        message == "У дома ул. Историческая, 5 есть 1 показание; историю начислений не удаляют.",
        "{message}"
    );
    assert_eq!(apartment_rows(&html), 2);

    let page = format!("/houses/{empty}");
    let html = v.page(&page).await;
    assert!(
        html.contains(&format!(
            r#"action="{page}/delete" data-confirm="Удалить дом «ул. Пустая, 1» со всеми квартирами и счётчиками?">"#
        )),
        "{html}"
    );
    let list = v
        .submit_ok(&page, &format!("{page}/delete"), &[], "/houses")
        .await;
    assert_eq!(flash(&list).unwrap().1, "Дом ул. Пустая, 1 удалён.");
    assert_eq!(v.get(&page).await.0, StatusCode::NOT_FOUND);
    assert_eq!(house_count(&v.app), 1);
}

#[tokio::test]
async fn in_english_the_house_pages_keep_their_english_texts_and_figures() {
    let v = Visitor::start_in_english().await;
    let response = v
        .submit("/houses/new", "/houses", &[("address", "ул. Ленина, 1")])
        .await;
    let path = location(&response);
    let house = v.page(&path).await;
    assert_eq!(flash(&house).unwrap().1, "House ул. Ленина, 1 created.");
    assert!(house.contains("Upload from Excel") && house.contains("Download template"));
    let page = v
        .submit_ok(
            &format!("{path}/apartments/new"),
            &format!("{path}/apartments"),
            &[("number", "12"), ("area", "1234,5")],
            &path,
        )
        .await;
    assert_eq!(flash(&page).unwrap().1, "Apartment 12 added.");
    assert!(
        page.contains(r#"1234.50<span class="unit">m²</span>"#),
        "{page}"
    );
    assert!(page.contains("1 apartment") && page.contains("<th>Apartment</th>"));
    assert!(page.contains(r#"<html lang="en">"#));
}

#[tokio::test]
async fn the_house_page_links_the_excel_upload_and_template_and_speaks_russian_figures() {
    let v = Visitor::start().await;
    let seeded = HouseBuilder::new("ул. Баумана, 12")
        .apartment(
            crate::helpers::fixtures::ApartmentBuilder::new("12А")
                .area(rust_decimal_macros::dec!(1234.56))
                .meter(crate::helpers::fixtures::MeterBuilder::cold("ХВ-01")),
        )
        .insert(&v.app);
    let house = seeded.id();
    add_reading(&v.app, "ХВ-01", "2026-11", "1215.3");
    let path = format!("/houses/{house}");
    let html = v.page(&path).await;
    assert!(html.contains(r#"<html lang="ru">"#));

    // The upload and the template of the house's current period (nothing
    // closed: the month just ended), reached from the house page.
    let upload = format!(r#"href="/houses/{house}/readings/upload">Загрузить из Excel</a>"#);
    assert!(html.contains(&upload), "{html}");
    let month = kvartplata::domain::Period::current().previous();
    let template = format!("/houses/{house}/readings/template.csv?period={month}");
    assert!(
        html.contains(&format!(r#"href="{template}" download>Скачать шаблон</a>"#)),
        "{html}"
    );
    assert_eq!(
        v.get(&format!("/houses/{house}/readings/upload")).await.0,
        StatusCode::OK
    );
    let csv = v.response(&template).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.text().await.unwrap().contains("ХВ-01"));

    // Figures and months as Russian writes them: a no-break space groups
    // thousands, a comma before the decimals, the month by name.
    assert!(
        html.contains("1\u{a0}234,56<span class=\"unit\">м²</span>"),
        "{html}"
    );
    assert!(html.contains("1\u{a0}215,300<span class=\"unit\">м³</span>"));
    assert!(html.contains(r#"<span class="period nowrap">ноябрь 2026</span>"#));
    assert!(html.contains(">ХВС</span>") && html.contains("<th>Квартира</th>"));
    assert!(html.contains(r#"<th class="num">Площадь</th>"#));
    // Readings exist: no delete button (the server would refuse).
    assert!(!html.contains("Удалить дом"), "{html}");
    for english in [
        "Apartment",
        "Meters",
        "Billing",
        "Search",
        "Delete",
        "Edit",
        "Results",
    ] {
        assert!(!html.contains(&format!(">{english}")), "{english}");
    }

    // Every text input has its limit.
    let form = v.page(&format!("{path}/edit")).await;
    assert!(
        input_tag(&form, "address").contains(r#" maxlength="300""#),
        "{form}"
    );
    let apartment = seeded.apartment("12А").id;
    let form = v.page(&format!("/apartments/{apartment}/edit")).await;
    assert!(
        input_tag(&form, "number").contains(r#" maxlength="20""#),
        "{form}"
    );
    assert!(
        input_tag(&form, "area").contains(r#" maxlength="30""#),
        "{form}"
    );
    let form = v.page(&format!("/apartments/{apartment}/meters/new")).await;
    assert!(
        input_tag(&form, "serial").contains(r#" maxlength="50""#),
        "{form}"
    );
    assert!(input_tag(&form, "initial_reading").contains(r#" maxlength="30""#));
    assert!(input_tag(&form, "installed_on").contains(r#" maxlength="20""#));
    // Labels kept.
    assert!(form.contains(r#"<label for="serial">Заводской номер</label>"#));

    // Delete forms ask first, through a script the CSP allows.
    assert!(html.contains(r#"<script src="/static/js/confirm.js" defer></script>"#));
    let script = v.response("/static/js/confirm.js").await;
    assert_eq!(script.status(), StatusCode::OK);
    assert!(script.text().await.unwrap().contains("data-confirm"));
}

/// The `<input …>` tag of the field `name`.
fn input_tag<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html
        .find(&format!(r#"name="{name}""#))
        .expect("the form has the field");
    let start = html[..at].rfind("<input").unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}
