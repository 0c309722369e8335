//! The pages of the data ПП 354 bills by: a house's services on its form,
//! an apartment's residents by month and owners, the «Замена счётчика»
//! form, and the normatives and coefficients page (an admin's).

use diesel::prelude::*;
use kvartplata::db::models::{House, Meter};
use kvartplata::db::queries;
use kvartplata::db::schema::{meters, readings};
use kvartplata::domain::{MeterKind, Period, ReadingSource, Role, Service};
use reqwest::StatusCode;

use crate::helpers::fixtures::{Database, HouseBuilder};
use crate::helpers::pages::{Visitor, csrf_token, field_error, flash, input_value, location};

fn house(v: &Visitor, id: kvartplata::db::models::HouseId) -> House {
    v.app
        .with_conn(|conn| queries::houses::find(conn, id).unwrap())
}

#[tokio::test]
async fn a_house_form_ticks_the_services_the_house_bills() {
    let v = Visitor::start().await;
    let html = v.page("/houses/new").await;
    // A new house bills all four.
    for service in ["cold_water", "hot_water", "sewerage", "maintenance"] {
        assert!(
            html.contains(&format!(r#"name="service_{service}" checked"#)),
            "{service}"
        );
    }
    let response = v
        .submit(
            "/houses/new",
            "/houses",
            &[
                ("address", "ул. Услуг, 1"),
                ("services_listed", "1"),
                ("service_cold_water", "on"),
                ("service_maintenance", "on"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = v.app.with_conn(|conn| {
        queries::houses::list(conn)
            .unwrap()
            .into_iter()
            .find(|h| h.address == "ул. Услуг, 1")
            .unwrap()
            .id
    });
    assert_eq!(location(&response), format!("/houses/{id}"));
    assert_eq!(
        house(&v, id).services,
        [Service::ColdWater, Service::Maintenance]
    );

    let edit = format!("/houses/{id}/edit");
    let html = v.page(&edit).await;
    assert!(html.contains(r#"name="service_cold_water" checked"#));
    assert!(html.contains(r#"name="service_sewerage">"#), "unticked");

    // None ticked: the form comes back with the message and the address.
    let response = v
        .submit(
            &edit,
            &format!("/houses/{id}"),
            &[("address", "ул. Услуг, 1а"), ("services_listed", "1")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "services").unwrap(),
        "Отметьте хотя бы одну услугу, которую начисляет дом."
    );
    assert_eq!(input_value(&html, "address"), "ул. Услуг, 1а");
    assert_eq!(house(&v, id).services.len(), 2, "nothing saved");
}

#[tokio::test]
async fn an_apartment_page_keeps_residents_by_month_and_the_form_its_owners() {
    let v = Visitor::start().await;
    let seeded = HouseBuilder::new("ул. Жильцов, 2")
        .apartments(1)
        .insert(&v.app);
    let id = seeded.apartments[0].id;
    let page = format!("/apartments/{id}");
    let html = v.page(&page).await;
    assert!(html.contains("Проживающих не указано"), "{html}");
    let current = seeded.house.current_period();
    // The form opens on the house's current period.
    assert_eq!(input_value(&html, "valid_from"), current.to_string());

    let action = format!("{page}/residents");
    let html = v
        .submit_ok(&page, &action, &[("valid_from", ""), ("count", "2")], &page)
        .await;
    assert_eq!(flash(&html).unwrap().1, "Число проживающих сохранено.");
    let month = current.to_string();
    let html = v
        .submit_ok(
            &page,
            &action,
            &[("valid_from", &month), ("count", "3")],
            &page,
        )
        .await;
    assert!(
        html.contains(r#"<dd id="apartment-residents">3</dd>"#),
        "{html}"
    );
    assert!(html.contains("без даты начала"));

    let response = v
        .submit(
            &page,
            &action,
            &[("valid_from", "13.2026"), ("count", "много")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(field_error(&html, "valid_from").is_some(), "{html}");
    assert_eq!(
        field_error(&html, "count").unwrap(),
        "«много» — не число людей: введите целое число от 0 до 1000."
    );
    assert_eq!(input_value(&html, "count"), "много");

    // The edit form sets owners and the act; a bad count is shown beside it.
    let edit = format!("{page}/edit");
    let response = v
        .submit(
            &edit,
            &page,
            &[("number", "1"), ("area", "40"), ("owners", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&response.text().await.unwrap(), "owners").is_some());
    let html = v
        .submit_ok(
            &edit,
            &page,
            &[
                ("number", "1"),
                ("area", "40"),
                ("owners", "2"),
                ("meter_impossible", "on"),
            ],
            &page,
        )
        .await;
    assert!(html.contains(r#"<dd id="apartment-owners">2</dd>"#));
    assert!(html.contains(r#"id="apartment-meter-impossible""#));
}

#[tokio::test]
async fn a_meter_is_replaced_in_one_step_or_not_at_all() {
    let v = Visitor::start().await;
    let seeded = HouseBuilder::new("ул. Замены, 3")
        .apartments(1)
        .meter_in_each(MeterKind::HotWater, "ГВ")
        .insert(&v.app);
    let old = &seeded.meters[0];
    let earlier = Period::current().previous().previous();
    v.app.with_conn(|conn| {
        diesel::insert_into(readings::table)
            .values((
                readings::meter_id.eq(old.id),
                readings::period.eq(earlier),
                readings::value.eq(rust_decimal::Decimal::from(40)),
                readings::source.eq(ReadingSource::Form),
            ))
            .execute(conn)
            .unwrap();
    });
    let page = format!("/meters/{}/replace", old.id);
    let html = v.page(&format!("/meters/{}", old.id)).await;
    assert!(html.contains(&format!(r#"href="{page}""#)));

    // A final reading below the earlier one refuses both halves.
    let day = Period::current()
        .previous()
        .first_day()
        .format("%d.%m.%Y")
        .to_string();
    let fields = |final_reading: &'static str, serial: &'static str| {
        vec![
            ("on", day.clone()),
            ("final_reading", final_reading.to_owned()),
            ("serial", serial.to_owned()),
            ("initial_reading", "0,5".to_owned()),
            ("commissioned_on", day.clone()),
            ("verified_until", "01.01.2032".to_owned()),
        ]
    };
    let bad = fields("39", "ГВ-НОВЫЙ");
    let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = v.submit(&page, &page, &pairs).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(field_error(&html, "final_reading").is_some(), "{html}");
    assert_eq!(input_value(&html, "serial"), "ГВ-НОВЫЙ");
    let count = |v: &Visitor| {
        v.app
            .with_conn(|c| meters::table.count().get_result::<i64>(c).unwrap())
    };
    assert_eq!(count(&v), 1, "no new meter without the old one out");

    let good = fields("41,25", "ГВ-НОВЫЙ");
    let pairs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = v.submit(&page, &page, &pairs).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let all: Vec<Meter> = v.app.with_conn(|c| {
        meters::table
            .order_by(meters::id)
            .select(Meter::as_select())
            .load(c)
            .unwrap()
    });
    assert_eq!(all.len(), 2);
    let day = Period::current().previous().first_day();
    assert_eq!(all[0].decommissioned_on, Some(day));
    assert_eq!(
        (all[1].serial.as_str(), all[1].kind, all[1].commissioned_on),
        ("ГВ-НОВЫЙ", MeterKind::HotWater, Some(day))
    );
    assert_eq!(all[1].initial_reading, rust_decimal::Decimal::new(5, 1));
    let html = v.page(&format!("/meters/{}", all[0].id)).await;
    assert!(html.contains(r#"id="meter-decommissioned""#));
    assert!(
        !html.contains(&format!(r#"href="{page}""#)),
        "replaced once"
    );
}

#[tokio::test]
async fn an_admin_adds_normatives_and_coefficients_and_a_manager_only_reads_them() {
    let v = Visitor::start().await;
    let html = v.page("/normatives").await;
    // The legal coefficients are there from the start.
    assert_eq!(html.matches(r#"<tr id="coefficient-"#).count(), 3);
    assert!(html.contains("Нормативов пока нет"));

    let response = v
        .submit(
            "/normatives",
            "/normatives",
            &[
                ("service", "cold_water"),
                ("value", "0"),
                ("valid_from", "01.2026"),
                ("house_id", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "value").unwrap(),
        "Норматив должен быть больше 0."
    );
    assert_eq!(input_value(&html, "valid_from"), "01.2026");

    let html = v
        .submit_ok(
            "/normatives",
            "/normatives",
            &[
                ("service", "cold_water"),
                ("value", "3,16"),
                ("valid_from", "01.2026"),
                ("house_id", ""),
            ],
            "/normatives#normatives",
        )
        .await;
    assert_eq!(flash(&html).unwrap().1, "Норматив добавлен.");
    assert!(html.contains("3,16"), "{html}");
    // Edited from its row: the value and the first month, nothing else.
    let id = v
        .app
        .with_conn(|conn| queries::normatives::list(conn).unwrap()[0].id);
    let edit = format!("/normatives/{id}/edit");
    let action = format!("/normatives/{id}");
    assert!(html.contains(&format!(r#"href="{edit}""#)));
    let response = v
        .submit(
            &edit,
            &action,
            &[("value", "-1"), ("valid_from", "01.2026")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "value").unwrap(),
        "Норматив должен быть больше 0."
    );
    assert_eq!(input_value(&html, "value"), "-1");
    let html = v
        .submit_ok(
            &edit,
            &action,
            &[("value", "3,2"), ("valid_from", "02.2026")],
            "/normatives#normatives",
        )
        .await;
    assert_eq!(flash(&html).unwrap().1, "Сохранено.");
    let stored = v
        .app
        .with_conn(|conn| queries::normatives::find(conn, id).unwrap());
    assert_eq!(
        (stored.value, stored.valid_from.to_string(), stored.service),
        (
            rust_decimal::Decimal::new(32, 1),
            "2026-02".to_owned(),
            MeterKind::ColdWater
        )
    );
    let html = v
        .submit_ok(
            "/normatives",
            "/coefficients",
            &[
                ("service", "hot_water"),
                ("value", "3"),
                ("valid_from", "2027-01"),
            ],
            "/normatives#coefficients",
        )
        .await;
    assert_eq!(html.matches(r#"<tr id="coefficient-"#).count(), 4);
    let response = v
        .submit(
            "/normatives",
            "/coefficients",
            &[
                ("service", "hot_water"),
                ("value", "2"),
                ("valid_from", "2027-01"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    let password = "manager-password-1";
    v.app.with_conn(|conn| {
        kvartplata::services::logins::create_user(conn, "m2", password, Role::Manager).unwrap()
    });
    let client = v.app.signed_in_client("m2", password).await;
    let html = v.app.text_of(&client, "/normatives").await;
    assert!(html.contains("3,20") && !html.contains(r#"action="/normatives""#));
    let token = csrf_token(&html);
    let response = client
        .post(v.app.url("/normatives"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("service", "hot_water"),
            ("value", "2"),
            ("valid_from", "2026-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
