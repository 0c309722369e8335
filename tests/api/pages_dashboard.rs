//! The dashboard at `/`: counts, billing runs, and the meters still missing
//! this month's reading.

use chrono::NaiveDate;
use kvartplata::db::models::{House, Meter, NewReading};
use kvartplata::db::queries;
use kvartplata::domain::{MeterKind, Period, ReadingSource, RunStatus};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::helpers::app::spawn_app;
use crate::helpers::fixtures::{
    ApartmentBuilder, HouseBuilder, MeterBuilder, RunBuilder, SeededHouse, add_normative, month,
    price_everything,
};

/// A house with one apartment per entry of `meters`, holding that many
/// meters with serials `{prefix}-{apartment}-{n}`, cold and hot in turn.
fn house_with_meters(address: &str, prefix: &str, meters: &[usize]) -> HouseBuilder {
    let mut house = HouseBuilder::new(address);
    for (i, &count) in meters.iter().enumerate() {
        let number = (i + 1).to_string();
        let mut apartment = ApartmentBuilder::new(&number).area(dec!(50));
        for n in 1..=count {
            let kind = if n % 2 == 1 {
                MeterKind::ColdWater
            } else {
                MeterKind::HotWater
            };
            apartment = apartment.meter(MeterBuilder::new(&format!("{prefix}-{number}-{n}"), kind));
        }
        house = house.apartment(apartment);
    }
    house
}

fn reading(meter: &Meter, period: Period, value: i64) -> NewReading {
    NewReading {
        meter_id: meter.id,
        period,
        value: Decimal::from(value),
        source: ReadingSource::Form,
    }
}

/// The attention table's row of a house.
fn attention_row(html: &str, house: &House) -> Option<String> {
    let table = &html[html.find(r#"<table class="table attention">"#)?..];
    let table = &table[..table.find("</table>").unwrap()];
    let start = table.find(&format!(r#"<tr data-house="{}">"#, house.id))?;
    let rest = &table[start..];
    Some(rest[..rest.find("</tr>").unwrap()].to_owned())
}

#[tokio::test]
async fn an_empty_dashboard_invites_to_start() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("Домов пока нет."), "{html}");
    assert!(html.contains("Расчётов пока нет."), "{html}");
    assert!(
        html.contains("У каждого дома всё готово к расчёту"),
        "{html}"
    );
    assert!(html.contains("<h1>Сводка</h1>"), "{html}");
}

#[tokio::test]
async fn the_dashboard_counts_houses_and_lists_meters_missing_the_billed_months_reading() {
    let app = spawn_app().await;
    price_everything(&app);
    // The month being billed: the one just ended, not the one under way.
    let now = Period::current().previous();
    // Lenina: apartments 1 (2 meters) and 2 (1 meter).
    let SeededHouse {
        house: lenina,
        apartments: lenina_flats,
        meters: lenina_meters,
    } = house_with_meters("ул. Ленина, 1", "ЛН", &[2, 1])
        // The month before's readings do not count for it.
        .reading_on_every_meter(now.previous(), dec!(5))
        .insert(&app);
    // Mira: 7 meters, all missing: 5 are named, 2 counted.
    let mira = house_with_meters("пр. Мира, 15", "МР", &[1, 1, 1, 1, 1, 1, 1])
        .insert(&app)
        .house;
    // Gagarina: no meters, nothing to read.
    let gagarina = house_with_meters("ул. Гагарина, 7", "ГГ", &[0])
        .insert(&app)
        .house;
    // A meter installed after the month needs no reading for it.
    let next_month: NaiveDate = now.next().first_day();
    MeterBuilder::hot("ЛН-новый")
        .installed_on(next_month)
        .insert(lenina_flats[1].id, &app);

    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    // Houses with their counts, linking to their pages.
    let houses = &html[html.find(r#"id="houses""#).unwrap()..];
    let lenina_row = &houses[houses.find("ул. Ленина, 1").unwrap()..];
    let cells: Vec<&str> = lenina_row
        .split(r#"<td class="num">"#)
        .skip(1)
        .take(2)
        .map(|cell| cell.split('<').next().unwrap())
        .collect();
    assert_eq!(cells, ["2", "4"], "apartments and meters of Lenina");
    assert!(html.contains(&format!(
        r#"<a href="/houses/{}">ул. Ленина, 1</a>"#,
        lenina.id
    )));
    // Totals: 3 houses, 2 + 7 + 1 apartments, 4 + 7 meters, 3 + 7 missing.
    for (value, label) in [
        ("3", "дома"),
        ("10", "квартир"),
        ("11", "счётчиков"),
        ("10", "счётчиков без показаний за"),
    ] {
        assert!(
            html.contains(&format!(
                r#"<span class="stat-value num">{value}</span> <span class="stat-label">{label}"#
            )),
            "{value} {label}: {html}"
        );
    }

    let row = attention_row(&html, &lenina).expect("Lenina needs attention");
    assert!(row.contains(">3</a> <span"), "{row}");
    for serial in ["ЛН-1-1", "ЛН-1-2", "ЛН-2-1"] {
        assert!(row.contains(serial), "{serial}: {row}");
    }
    assert!(!row.contains("ЛН-новый"), "{row}");
    assert!(row.contains(&format!("/houses/{}", lenina.id)));

    let row = attention_row(&html, &mira).expect("Mira needs attention");
    assert!(row.contains(">7</a> <span"), "{row}");
    assert_eq!(row.matches("<li>").count(), 5, "{row}");
    // Natural apartment order: 1..5 named, 6 and 7 counted.
    assert!(row.contains("МР-1-1") && row.contains("МР-5-1") && !row.contains("МР-6-1"));
    assert!(row.contains("и ещё 2 на странице дома"), "{row}");
    assert!(row.contains(">кв. 1</a>"), "{row}");
    assert!(attention_row(&html, &gagarina).is_none());

    // Saving this month's reading of one meter takes it off the list.
    queries::readings::upsert(&mut app.db.conn(), &[reading(&lenina_meters[0], now, 7)]).unwrap();
    let html = app.get("/").await.text().await.unwrap();
    let row = attention_row(&html, &lenina).unwrap();
    assert!(
        row.contains(">2</a> <span") && !row.contains("ЛН-1-1"),
        "{row}"
    );
    assert!(row.contains("ЛН-1-2") && row.contains("ЛН-2-1"), "{row}");

    // Once all of a house's meters are read, the house leaves the list.
    queries::readings::upsert(
        &mut app.db.conn(),
        &lenina_meters[1..]
            .iter()
            .map(|m| reading(m, now, 7))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let html = app.get("/").await.text().await.unwrap();
    assert!(attention_row(&html, &lenina).is_none(), "{html}");
    assert!(attention_row(&html, &mira).is_some());
}

#[tokio::test]
async fn the_latest_billing_runs_show_house_month_status_and_progress() {
    let app = spawn_app().await;
    let house = house_with_meters("ул. Ленина, 1", "ЛН", &[1, 1, 1, 1])
        .insert(&app)
        .house;
    RunBuilder::new(house.id, month("2026-09"), 4)
        .status(RunStatus::Running)
        .processed(1)
        .insert(&app);

    let html = app.get("/").await.text().await.unwrap();
    let runs = &html[html.find(r#"id="billing-runs""#).unwrap()..];
    assert!(!runs.contains("Расчётов пока нет."), "{runs}");
    assert!(
        runs.contains("ул. Ленина, 1")
            && runs.contains("сентябрь 2026")
            && runs.contains("Идёт расчёт")
            && runs.contains("1 / 4")
            && runs.contains("25%"),
        "{runs}"
    );
}

#[tokio::test]
async fn in_english_the_dashboard_keeps_its_english_texts() {
    let v = crate::helpers::pages::Visitor::start_in_english().await;
    let house = house_with_meters("ул. Ленина, 1", "ЛН", &[1, 1])
        .insert(&v.app)
        .house;
    RunBuilder::new(house.id, month("2026-09"), 2)
        .status(RunStatus::Running)
        .processed(1)
        .insert(&v.app);
    let html = v.page("/").await;
    assert!(html.contains("<h1>Dashboard</h1>"), "{html}");
    for (value, label) in [
        ("1", "houses"),
        ("2", "apartments"),
        ("2", "meters without their current period"),
    ] {
        assert!(
            html.contains(&format!(
                r#"<span class="stat-value num">{value}</span> <span class="stat-label">{label}"#
            )),
            "{value} {label}: {html}"
        );
    }
    assert!(html.contains(">apt 1</a>") && html.contains("Needs attention"));
    let runs = &html[html.find(r#"id="billing-runs""#).unwrap()..];
    assert!(
        runs.contains("2026-09") && runs.contains("Running"),
        "{runs}"
    );
}

#[tokio::test]
async fn each_house_is_shown_in_its_current_period_with_what_weakens_its_bill() {
    use diesel::prelude::*;
    use kvartplata::db::schema::{houses, meters};
    use kvartplata::domain::Service;

    use crate::helpers::fixtures::Database;
    let app = spawn_app().await;
    let last = Period::current().previous();
    // Only cold water has a normative, and sewerage no tariff.
    for service in [Service::ColdWater, Service::HotWater, Service::Maintenance] {
        crate::helpers::fixtures::TariffBuilder::new(service, dec!(40), month("2000-01"))
            .insert(&app);
    }
    add_normative(&app, MeterKind::ColdWater, dec!(4.85), month("2000-01"));
    let open = house_with_meters("ул. Открытая, 1", "ОТ", &[2])
        .reading_on_every_meter(last, dec!(5))
        .insert(&app);
    // Closed through last month: its current period is this month's.
    let closed = house_with_meters("ул. Закрытая, 2", "ЗК", &[1])
        .reading_on_every_meter(last, dec!(5))
        .insert(&app);
    (&app).with_conn(|conn| {
        diesel::update(houses::table.find(closed.house.id))
            .set(houses::closed_through.eq(Some(last)))
            .execute(conn)
            .unwrap();
        // The open house's cold meter ran out of verification two months ago.
        diesel::update(meters::table.find(open.meters[0].id))
            .set(meters::verified_until.eq(Some(last.previous().first_day())))
            .execute(conn)
            .unwrap();
    });
    RunBuilder::new(open.house.id, last, 1)
        .processed(1)
        .completed_at(chrono::Utc::now())
        .insert(&app);

    let html = app.get("/").await.text().await.unwrap();
    let row = attention_row(&html, &open.house).expect("the open house");
    let named = |p: Period| kvartplata::i18n::format::month(p, kvartplata::i18n::Locale::Ru);
    assert!(row.contains(&named(last)), "{row}");
    assert!(
        row.contains(r#"<td class="num">1</td>"#),
        "one faulty meter: {row}"
    );
    assert!(
        row.contains(r#"href="/tariffs">Водоотведение: нет тарифа</a>"#),
        "{row}"
    );
    assert!(
        row.contains(r#"href="/normatives">Горячее водоснабжение: нет норматива</a>"#),
        "{row}"
    );
    assert!(
        !row.contains("Холодное водоснабжение: нет норматива"),
        "{row}"
    );
    assert!(
        row.contains(&format!(
            r#"href="/houses/{}/charges?period={last}""#,
            open.house.id
        )),
        "{row}"
    );
    assert!(row.contains("0,00 ₽"), "its month is billed: {row}");

    let row = attention_row(&html, &closed.house).expect("the closed house");
    let current = Period::current();
    assert!(row.contains(&named(current)), "{row}");
    // Last month's reading was there; this month's is not yet.
    assert!(
        row.contains(&format!("readings?period={current}&amp;missing=1")),
        "{row}"
    );
    assert!(
        row.contains("ЗК-1-1") && row.contains("не рассчитан"),
        "{row}"
    );
}

#[tokio::test]
async fn one_button_bills_every_house_for_its_own_current_period() {
    use diesel::prelude::*;
    use kvartplata::db::schema::{billing_runs, houses};

    use crate::helpers::fixtures::Database;
    let v = crate::helpers::pages::Visitor::start().await;
    price_everything(&v.app);
    let last = Period::current().previous();
    let open = house_with_meters("ул. Первая, 1", "ПР", &[1])
        .insert(&v.app)
        .house;
    let closed = house_with_meters("ул. Вторая, 2", "ВТ", &[1])
        .insert(&v.app)
        .house;
    (&v.app).with_conn(|conn| {
        diesel::update(houses::table.find(closed.id))
            .set(houses::closed_through.eq(Some(last)))
            .execute(conn)
            .unwrap();
    });
    let html = v
        .submit_ok("/", "/billing-runs/current", &[], "/billing-runs")
        .await;
    assert!(html.contains("flash-success"), "{html}");
    let mut runs: Vec<(i64, Period)> = (&v.app).with_conn(|conn| {
        billing_runs::table
            .select((billing_runs::house_id, billing_runs::period))
            .load::<(kvartplata::db::models::HouseId, Period)>(conn)
            .unwrap()
            .into_iter()
            .map(|(h, p)| (h.0, p))
            .collect()
    });
    runs.sort();
    let mut expected = vec![(open.id.0, last), (closed.id.0, Period::current())];
    expected.sort();
    assert_eq!(runs, expected);

    // Once they finish the dashboard gives their total.
    let finished = crate::helpers::app::eventually(std::time::Duration::from_secs(20), || async {
        (&v.app).with_conn(|conn| {
            billing_runs::table
                .filter(billing_runs::status.eq(RunStatus::Completed))
                .count()
                .get_result::<i64>(conn)
                .unwrap()
        }) == 2
    })
    .await;
    assert!(finished, "the runs did not complete");
    let total: Decimal = (&v.app).with_conn(|conn| {
        billing_runs::table
            .select(billing_runs::amount)
            .load::<Decimal>(conn)
            .unwrap()
            .into_iter()
            .sum()
    });
    assert!(total > Decimal::ZERO);
    let html = v.page("/").await;
    let money = kvartplata::i18n::format::money(total, kvartplata::i18n::Locale::Ru);
    assert!(
        html.contains(&format!(
            "Начислено за расчётные периоды: {money} ₽ — рассчитано 2 из 2 домов"
        )),
        "{html}"
    );
}

#[tokio::test]
async fn meters_that_do_not_count_in_the_month_are_not_missing_its_reading() {
    use kvartplata::services::meters::{self, Replacement};

    use crate::helpers::fixtures::Database;
    let app = spawn_app().await;
    price_everything(&app);
    let last = Period::current().previous();
    let before = last.previous();
    // ЗМ-1 was replaced two months ago by ЗМ-2, which was read last month;
    // НВ-1 was commissioned last month and counts from this one.
    let seeded = HouseBuilder::new("ул. Заменная, 3")
        .apartment(
            ApartmentBuilder::new("1")
                .meter(MeterBuilder::cold("ЗМ-1").reading(before.previous(), dec!(5)))
                .meter(MeterBuilder::hot("НВ-1").commissioned_on(&last.first_day().to_string())),
        )
        .insert(&app);
    (&app).with_conn(|conn| {
        let replacement = Replacement {
            on: before.first_day(),
            final_reading: dec!(7),
            serial: "ЗМ-2".into(),
            initial_reading: dec!(0),
            commissioned_on: Some(before.first_day()),
            verified_until: None,
        };
        let new = meters::replace(conn, seeded.meter("ЗМ-1").id, &replacement).unwrap();
        queries::readings::upsert(conn, &[reading(&new, last, 2)]).unwrap();
    });

    let html = app.get("/").await.text().await.unwrap();
    assert!(
        attention_row(&html, &seeded.house).is_none(),
        "every meter that counts was read: {html}"
    );
    // The month's entry form no longer offers the meter taken out.
    let form = app
        .get(&format!(
            "/houses/{}/readings?period={last}",
            seeded.house.id
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("ЗМ-2") && form.contains("НВ-1"), "{form}");
    assert!(!form.contains("ЗМ-1"), "{form}");
}

#[tokio::test]
async fn a_reading_saved_with_a_warning_is_listed_until_it_is_corrected() {
    use crate::helpers::api::post;

    let app = spawn_app().await;
    price_everything(&app);
    let last = Period::current().previous();
    let first = (0..4).fold(last, |p, _| p.previous());
    // 2 m³ a month for four months: the average is 2.
    let seeded = HouseBuilder::new("ул. Сомнительная, 9")
        .apartment(
            ApartmentBuilder::new("1").meter(
                MeterBuilder::cold("СМ-1")
                    .readings_from(first, [dec!(10), dec!(12), dec!(14), dec!(16)]),
            ),
        )
        .insert(&app);
    let save = |value: &str| {
        serde_json::json!({"readings": [
            {"serial": "СМ-1", "period": last.to_string(), "value": value}]})
    };
    let (status, body) = post(&app, "/api/v1/readings", save("30")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["warnings"].as_array().map(Vec::len), Some(1), "{body}");

    let html = app.get("/").await.text().await.unwrap();
    let row = attention_row(&html, &seeded.house).expect("the house needs attention");
    assert!(row.contains("1 показание"), "{row}");
    assert!(row.contains("СМ-1") && row.contains("30,000"), "{row}");

    // 16 → 18: as usual, and the house is in order again.
    let (status, body) = post(&app, "/api/v1/readings", save("18")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["warnings"], serde_json::json!([]), "{body}");
    let html = app.get("/").await.text().await.unwrap();
    assert!(attention_row(&html, &seeded.house).is_none(), "{html}");
}
