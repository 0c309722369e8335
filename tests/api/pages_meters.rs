//! The meter pages and forms over HTTP.

use kvartplata::db::models::HouseId;
use kvartplata::domain::MeterKind;
use reqwest::StatusCode;

use crate::helpers::fixtures::{HouseBuilder, add_reading, find_meter};
use crate::helpers::pages::{Visitor, csrf_token, field_error, flash, input_value, location};

/// The apartment page path of meter `serial`.
fn apartment_of(v: &Visitor, serial: &str) -> String {
    format!("/apartments/{}", find_meter(&v.app, serial).apartment_id)
}

fn seed(v: &Visitor) -> HouseId {
    HouseBuilder::new("ул. Водная, 1")
        .apartments(2)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id()
}

#[tokio::test]
async fn the_meter_page_lists_readings_with_consumption() {
    let v = Visitor::start().await;
    seed(&v);
    add_reading(&v.app, "C-1", "2026-01", "10.5");
    add_reading(&v.app, "C-1", "2026-02", "13.75");
    let page = format!("/meters/{}", find_meter(&v.app, "C-1").id);

    let html = v.page(&page).await;
    assert!(html.contains("<h1>Счётчик C-1</h1>"), "{html}");
    assert!(html.contains(">ХВС</span>"));
    assert!(
        html.contains(r#"0,000<span class="unit">м³</span>"#),
        "initial reading"
    );
    // Newest first: 2026-02 read 13.750, 3.250 used; 2026-01 read 10.500, all of it used.
    let table = &html[html.find(r#"<table class="table readings">"#).unwrap()..];
    let feb = table.find("февраль 2026").unwrap();
    let jan = table.find("январь 2026").unwrap();
    assert!(feb < jan);
    let rows: Vec<&str> = html.split("<tr>").skip(2).collect();
    assert!(
        rows[0].contains("13,750") && rows[0].contains("3,250"),
        "{}",
        rows[0]
    );
    assert!(rows[1].contains("10,500") && rows[1].matches("10,500").count() == 2);
    // Breadcrumbs: Дома › address › кв. 1 › счётчик.
    assert!(html.contains("ул. Водная, 1") && html.contains("кв. 1"));
    // The chart in Russian: months, values, its description.
    assert!(
        html.contains("<title>февраль 2026: 3,250 м³</title>"),
        "{html}"
    );
    assert!(html.contains(">02.2026</text>"), "{html}");
    assert!(
        html.contains("Наибольший — 10,500 м³ за январь 2026."),
        "{html}"
    );
    // Readings: no delete button.
    assert!(!html.contains("Удалить счётчик"), "{html}");
}

#[tokio::test]
async fn meter_form_errors_keep_the_input_and_a_taken_serial_is_a_409() {
    let v = Visitor::start().await;
    seed(&v);
    let apartment = apartment_of(&v, "C-1");
    let form = format!("{apartment}/meters/new");
    let action = format!("{apartment}/meters");

    let html = v.page(&form).await;
    assert_eq!(input_value(&html, "initial_reading"), "0");
    assert!(html.contains(r#"<option value="cold_water" selected>ХВС</option>"#));

    let response = v
        .submit(
            &form,
            &action,
            &[
                ("serial", "HW-1"),
                ("kind", "gas"),
                ("initial_reading", "-1"),
                ("installed_on", "2026-02-30"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(field_error(&html, "kind").unwrap(), "Выберите ХВС или ГВС.");
    assert_eq!(
        field_error(&html, "initial_reading").unwrap(),
        "Показание не может быть отрицательным."
    );
    assert_eq!(
        field_error(&html, "installed_on").unwrap(),
        "В феврале 2026 нет 30-го числа."
    );
    assert_eq!(field_error(&html, "serial"), None);
    assert_eq!(input_value(&html, "serial"), "HW-1");
    assert_eq!(input_value(&html, "installed_on"), "2026-02-30");

    // Serials are unique across all houses.
    let response = v
        .submit(
            &form,
            &action,
            &[
                ("serial", "C-2"),
                ("kind", "hot_water"),
                ("initial_reading", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "serial").unwrap(),
        "Заводской номер C-2 уже занят другим счётчиком."
    );
    assert!(html.contains(r#"<option value="hot_water" selected>ГВС</option>"#));

    // Left empty, the initial reading is 0 and the date is none.
    let html = v
        .submit_ok(
            &form,
            &action,
            &[
                ("serial", "HW-1"),
                ("kind", "hot_water"),
                ("initial_reading", ""),
            ],
            &apartment,
        )
        .await;
    assert_eq!(flash(&html).unwrap().1, "Счётчик HW-1 добавлен.");
    let added = find_meter(&v.app, "HW-1");
    assert_eq!(added.initial_reading, rust_decimal::Decimal::ZERO);
    assert_eq!(added.installed_on, None);
}

#[tokio::test]
async fn a_meter_is_edited_but_not_below_its_readings() {
    let v = Visitor::start().await;
    seed(&v);
    add_reading(&v.app, "C-1", "2026-03", "5");
    let page = format!("/meters/{}", find_meter(&v.app, "C-1").id);
    let edit = format!("{page}/edit");

    let form = v.page(&edit).await;
    assert_eq!(input_value(&form, "serial"), "C-1");
    assert_eq!(
        input_value(&form, "initial_reading"),
        "0,000",
        "the page's own figure form"
    );

    let response = v
        .submit(
            &edit,
            &page,
            &[
                ("serial", "C-1"),
                ("kind", "cold_water"),
                ("initial_reading", "6"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        field_error(&html, "initial_reading")
            .unwrap()
            .contains("март 2026"),
        "{html}"
    );

    let html = v
        .submit_ok(
            &edit,
            &page,
            &[
                ("serial", "C-1-new"),
                ("kind", "hot_water"),
                ("initial_reading", "1,5"),
                ("installed_on", "2025-12-01"),
            ],
            &page,
        )
        .await;
    assert_eq!(flash(&html).unwrap().1, "Счётчик C-1-new сохранён.");
    assert!(html.contains(">ГВС</span>") && html.contains("01.12.2025"));
    assert!(
        html.contains(r#"1,500<span class="unit">м³</span>"#),
        "{html}"
    );
}

#[tokio::test]
async fn a_meter_with_readings_is_kept_an_unread_one_is_deleted() {
    let v = Visitor::start().await;
    seed(&v);
    add_reading(&v.app, "C-1", "2026-03", "5");

    let read = format!("/meters/{}", find_meter(&v.app, "C-1").id);
    let response = v.submit(&read, &format!("{read}/delete"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), read);
    let (kind, message) = flash(&v.page(&read).await).unwrap();
    assert_eq!(kind, "flash-error");
    assert_eq!(
        message,
        "У счётчика C-1 есть 1 показание; историю начислений не удаляют."
    );

    let unread = find_meter(&v.app, "C-2");
    let page = format!("/meters/{}", unread.id);
    let apartment = format!("/apartments/{}", unread.apartment_id);
    assert!(v.page(&page).await.contains(&format!(
        r#"action="{page}/delete" data-confirm="Удалить счётчик C-2?">"#
    )));
    let html = v
        .submit_ok(&page, &format!("{page}/delete"), &[], &apartment)
        .await;
    assert_eq!(flash(&html).unwrap().1, "Счётчик C-2 удалён.");
    assert!(html.contains("Счётчиков пока нет."), "{html}");
    assert_eq!(v.get(&page).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_meters_get_the_styled_404_page() {
    let v = Visitor::start().await;
    for path in ["/meters/777777", "/meters/777777/edit", "/meters/zz"] {
        let (status, html) = v.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("Страница не найдена"), "{path}");
    }
    let token = csrf_token(&v.page("/houses/new").await);
    let fields = [
        ("csrf_token", token.as_str()),
        ("serial", "X-1"),
        ("kind", "cold_water"),
        ("initial_reading", "0"),
    ];
    for action in [
        "/apartments/777777/meters",
        "/meters/777777",
        "/meters/777777/delete",
    ] {
        let response = v.post_raw(action, &fields).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{action}");
    }
}

#[tokio::test]
async fn in_english_the_meter_page_keeps_its_english_texts_and_figures() {
    let v = Visitor::start_in_english().await;
    seed(&v);
    add_reading(&v.app, "C-1", "2026-01", "10.5");
    add_reading(&v.app, "C-1", "2026-02", "13.75");
    let html = v
        .page(&format!("/meters/{}", find_meter(&v.app, "C-1").id))
        .await;
    assert!(html.contains("<h1>Meter C-1</h1>") && html.contains(">Cold water</span>"));
    assert!(
        html.contains(r#"13.750<span class="unit">m³</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"<span class="period nowrap">2026-02</span>"#));
    assert!(html.contains("<title>2026-02: 3.250 m³</title>"), "{html}");
    assert!(
        html.contains("The highest was 10.500 m³ in 2026-01."),
        "{html}"
    );
    assert!(html.contains("apt 1") && html.contains(r#"<th class="num">Consumption</th>"#));
}
