//! The apartment pages and forms over HTTP.

use kvartplata::db::models::{ApartmentId, HouseId};
use kvartplata::db::queries;
use kvartplata::domain::MeterKind;
use reqwest::StatusCode;

use crate::helpers::fixtures::{HouseBuilder, add_reading};
use crate::helpers::pages::{
    Visitor, apartment_rows, csrf_token, field_error, flash, input_value, listed_numbers, location,
};

/// The id of apartment `number` of `house`.
fn apartment_id(v: &Visitor, house: HouseId, number: &str) -> ApartmentId {
    queries::apartments::list_for_house(&mut v.app.db.conn(), house)
        .unwrap()
        .into_iter()
        .find(|a| a.number == number)
        .unwrap()
        .id
}

fn apartment_count(v: &Visitor, house: HouseId) -> usize {
    queries::apartments::list_for_house(&mut v.app.db.conn(), house)
        .unwrap()
        .len()
}

#[tokio::test]
async fn area_zero_is_refused_beside_the_field_keeping_the_other_input() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Мира, 7").insert(&v.app).id();
    let form = format!("/houses/{house}/apartments/new");
    let action = format!("/houses/{house}/apartments");

    let response = v
        .submit(&form, &action, &[("number", "3Б"), ("area", "0")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "area").unwrap(),
        "Площадь должна быть больше 0 м²."
    );
    assert_eq!(field_error(&html, "number"), None);
    assert_eq!(input_value(&html, "number"), "3Б");
    assert_eq!(input_value(&html, "area"), "0");
    // Still a whole page with a fresh form to submit again.
    assert!(html.contains("<h1>Новая квартира</h1>") && !csrf_token(&html).is_empty());

    // Every problem at once, text kept as typed.
    let response = v
        .submit(&form, &action, &[("number", " "), ("area", "12 м²")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "number").unwrap(),
        "Введите номер квартиры."
    );
    assert!(field_error(&html, "area").unwrap().contains("не число"));
    assert_eq!(input_value(&html, "area"), "12 м²");

    assert_eq!(apartment_count(&v, house), 0);
}

#[tokio::test]
async fn a_taken_number_is_a_409_with_the_message_beside_the_number() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Мира, 9")
        .apartments(3)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    let form = format!("/houses/{house}/apartments/new");

    let response = v
        .submit(
            &form,
            &format!("/houses/{house}/apartments"),
            &[("number", "2"), ("area", "40.5")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "number").unwrap(),
        "В этом доме уже есть квартира с таким номером."
    );
    assert_eq!(input_value(&html, "area"), "40.5");
    assert_eq!(apartment_count(&v, house), 3);

    // Renaming apartment 3 to 1 clashes the same way.
    let three = apartment_id(&v, house, "3");
    let response = v
        .submit(
            &format!("/apartments/{three}/edit"),
            &format!("/apartments/{three}"),
            &[("number", "1"), ("area", "45.5")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(field_error(&response.text().await.unwrap(), "number").is_some());
}

#[tokio::test]
async fn an_apartment_is_edited_and_shows_its_meters() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Заречная, 4")
        .apartments(2)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    add_reading(&v.app, "C-2", "2026-04", "7.25");
    let two = apartment_id(&v, house, "2");
    let page = format!("/apartments/{two}");

    let html = v.page(&page).await;
    assert!(html.contains("<h1>Квартира 2</h1>"), "{html}");
    assert!(html.contains("<span>кв. 2</span>"), "{html}");
    assert!(
        html.contains(r#"45,50<span class="unit">м²</span>"#),
        "{html}"
    );
    assert!(html.contains("C-2") && html.contains(">ХВС</span>"));
    assert!(
        html.contains(r#"7,250<span class="unit">м³</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"<span class="period nowrap">апрель 2026</span>"#));
    // Its meter has a reading: no delete button.
    assert!(!html.contains("Удалить квартиру"), "{html}");
    // Breadcrumbs lead back to the house.
    assert!(html.contains(&format!(r#"<a href="/houses/{house}">ул. Заречная, 4</a>"#)));

    let edit = format!("{page}/edit");
    assert_eq!(input_value(&v.page(&edit).await, "area"), "45.50");
    let html = v
        .submit_ok(&edit, &page, &[("number", "2А"), ("area", "61")], &page)
        .await;
    assert_eq!(flash(&html).unwrap().1, "Квартира 2А сохранена.");
    assert!(
        html.contains(r#"61,00<span class="unit">м²</span>"#),
        "{html}"
    );
}

#[tokio::test]
async fn an_empty_apartment_is_deleted_one_with_a_reading_is_kept() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("пр. Победы, 15")
        .apartments(3)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    add_reading(&v.app, "C-3", "2026-05", "4.5");
    let house_page = format!("/houses/{house}");

    let one = apartment_id(&v, house, "1");
    let page = v.page(&format!("/apartments/{one}")).await;
    assert!(
        page.contains(&format!(
            r#"action="/apartments/{one}/delete" data-confirm="Удалить квартиру 1 вместе с её счётчиками?">"#
        )),
        "{page}"
    );
    let html = v
        .submit_ok(
            &format!("/apartments/{one}"),
            &format!("/apartments/{one}/delete"),
            &[],
            &house_page,
        )
        .await;
    assert_eq!(
        flash(&html).unwrap(),
        ("flash-success".into(), "Квартира 1 удалена.".into())
    );
    assert_eq!(listed_numbers(&html), ["2", "3"]);
    assert_eq!(
        v.get(&format!("/apartments/{one}")).await.0,
        StatusCode::NOT_FOUND
    );

    let three = apartment_id(&v, house, "3");
    let page = format!("/apartments/{three}");
    // With a reading it shows no delete button, and the server refuses anyway.
    assert!(!v.page(&page).await.contains("Удалить квартиру"));
    let response = v.submit(&page, &format!("{page}/delete"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), page);
    let html = v.page(&page).await;
    let (kind, message) = flash(&html).unwrap();
    assert_eq!(kind, "flash-error");
    assert_eq!(
        message, "У квартиры 3 есть 1 показание; историю начислений не удаляют.",
        "the refusal in the page's language"
    );
    assert_eq!(apartment_rows(&v.page(&house_page).await), 2);
}

#[tokio::test]
async fn unknown_apartments_get_the_styled_404_page() {
    let v = Visitor::start().await;
    for path in [
        "/apartments/424242",
        "/apartments/424242/edit",
        "/apartments/424242/meters/new",
        "/apartments/x1",
    ] {
        let (status, html) = v.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("Страница не найдена"), "{path}: {html}");
    }
    let token = csrf_token(&v.page("/houses/new").await);
    for action in [
        "/houses/424242/apartments",
        "/apartments/424242",
        "/apartments/424242/delete",
    ] {
        let response = v
            .post_raw(
                action,
                &[("csrf_token", &token), ("number", "1"), ("area", "40")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{action}");
    }
}

#[tokio::test]
async fn in_english_the_apartment_page_keeps_its_english_texts() {
    let v = Visitor::start_in_english().await;
    let house = HouseBuilder::new("ул. Заречная, 4")
        .apartments(1)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    add_reading(&v.app, "C-1", "2026-04", "7.25");
    let one = apartment_id(&v, house, "1");
    let html = v.page(&format!("/apartments/{one}")).await;
    assert!(html.contains("<h1>Apartment 1</h1>") && html.contains("<span>apt 1</span>"));
    assert!(
        html.contains(r#"45.50<span class="unit">m²</span>"#),
        "{html}"
    );
    assert!(html.contains(">Cold water</span>"), "{html}");
    assert!(html.contains(r#"<span class="period nowrap">2026-04</span>"#));
    assert!(html.contains("<th>Serial</th>") && html.contains("<dt>Last bill</dt>"));
}
