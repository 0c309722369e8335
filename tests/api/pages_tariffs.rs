//! The tariffs pages, driven as a browser would: GET the form, take its CSRF
//! token, POST it, follow the redirect by hand.

use kvartplata::db::models::{House, Tariff, TariffId};
use kvartplata::db::queries;
use kvartplata::domain::{Period, Service};
use kvartplata::i18n::{Locale, format};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::helpers::app::TestApp;
use crate::helpers::fixtures::{
    ApartmentBuilder, ChargeBuilder, HouseBuilder, TariffBuilder, month,
};
use crate::helpers::pages::{Visitor, csrf_token, flash};

/// Submits the new-tariff form as a person would; returns the response.
async fn add_tariff(
    v: &Visitor,
    service: &str,
    price: &str,
    valid_from: Period,
    house_id: &str,
) -> reqwest::Response {
    let (status, form) = v.get("/tariffs/new").await;
    assert_eq!(status, StatusCode::OK);
    let token = csrf_token(&form);
    let valid_from = valid_from.to_string();
    v.post_raw(
        "/tariffs",
        &[
            ("csrf_token", &token),
            ("service", service),
            ("price", price),
            ("valid_from", &valid_from),
            ("house_id", house_id),
        ],
    )
    .await
}

fn add_house(v: &Visitor, address: &str) -> House {
    HouseBuilder::new(address).insert(&v.app).house
}

fn stored(app: &TestApp) -> Vec<Tariff> {
    queries::tariffs::list(&mut app.db.conn()).unwrap()
}

fn find(tariffs: &[Tariff], service: Service, price: &str) -> TariffId {
    let price: Decimal = price.parse().unwrap();
    tariffs
        .iter()
        .find(|t| t.service == service && t.price == price)
        .unwrap_or_else(|| panic!("no {service} tariff at {price} in {tariffs:?}"))
        .id
}

/// The HTML of one service's section of /tariffs.
fn section<'a>(html: &'a str, service: &str) -> &'a str {
    let start = html
        .find(&format!(r#"id="service-{service}""#))
        .unwrap_or_else(|| panic!("no {service} section in {html}"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap()]
}

/// The `<tr>` of one tariff in the history table.
fn history_row(html: &str, id: TariffId) -> &str {
    let start = html
        .find(&format!(r#"<tr id="tariff-{id}""#))
        .unwrap_or_else(|| panic!("no row for tariff {id} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

#[tokio::test]
async fn default_and_override_tariffs_added_through_the_form_show_what_is_in_effect() {
    let v = Visitor::start().await;
    let house = add_house(&v, "ул. Ленина, 1");
    let now = Period::current();
    let house_id = house.id.to_string();

    for (price, from, house) in [
        ("35", now.previous().previous().previous(), ""),
        ("40,50", now.previous(), ""),
        ("50", now.next().next(), ""),
        ("30.25", now.previous().previous(), house_id.as_str()),
    ] {
        let response = add_tariff(&v, "cold_water", price, from, house).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "adding {price}");
        assert_eq!(response.headers()["location"], "/tariffs");
    }
    let tariffs = stored(&v.app);
    assert_eq!(tariffs.len(), 4);
    let (old, current, future, own) = (
        find(&tariffs, Service::ColdWater, "35"),
        find(&tariffs, Service::ColdWater, "40.5"),
        find(&tariffs, Service::ColdWater, "50"),
        find(&tariffs, Service::ColdWater, "30.25"),
    );

    let (status, html) = v.get("/tariffs").await;
    assert_eq!(status, StatusCode::OK);
    let ru_month = |p: Period| format::month(p, Locale::Ru);
    // The last addition's flash, once, in Russian figures and units.
    let (kind, flash_text) = flash(&html).unwrap();
    assert_eq!(kind, "flash-success");
    assert_eq!(
        flash_text,
        format!(
            "Холодное водоснабжение: тариф 30,25 ₽/м³ (начало действия — {}) для дома ул. Ленина, 1 — добавлен.",
            ru_month(now.previous().previous())
        )
    );
    assert!(
        html.contains(&format!("Действуют в {}", ru_month(now))),
        "{html}"
    );

    let cold = section(&html, "cold_water");
    let in_effect = &cold[..cold.find("История").unwrap()];
    let default_row = &in_effect[in_effect.find("Все дома (по умолчанию)").unwrap()..];
    assert!(
        default_row.starts_with("Все дома (по умолчанию)</td>")
            && default_row.contains("40,50")
            && default_row.contains(&ru_month(now.previous())),
        "{in_effect}"
    );
    let own_row = &in_effect[in_effect.find("ул. Ленина, 1").unwrap()..];
    assert!(
        own_row.contains("тариф дома") && own_row.contains("30,25"),
        "{in_effect}"
    );
    assert!(!in_effect.contains("35,00") && !in_effect.contains("50,00"));

    for (id, status) in [
        (old, "заменён"),
        (current, "действует"),
        (future, "будущий"),
        (own, "действует"),
    ] {
        let row = history_row(cold, id);
        assert!(row.contains(&format!(">{status}</span>")), "{id}: {row}");
    }
    assert!(history_row(cold, own).contains("ул. Ленина, 1"));
    assert!(history_row(cold, current).contains("Все дома"));

    // Services without tariffs say so.
    assert!(section(&html, "maintenance").contains("Тарифов на эту услугу пока нет."));
    // The flash was shown once.
    let (_, again) = v.get("/tariffs").await;
    assert!(!again.contains("flash-success"));
}

#[tokio::test]
async fn who_pays_what_answers_per_house_and_month() {
    let v = Visitor::start_in_english().await;
    let lenina = add_house(&v, "ул. Ленина, 1");
    let mira = add_house(&v, "пр. Мира, 15");
    for tariff in [
        TariffBuilder::new(Service::ColdWater, dec!(40), month("2026-01")),
        TariffBuilder::new(Service::ColdWater, dec!(45), month("2026-07")),
        TariffBuilder::new(Service::ColdWater, dec!(30), month("2026-07")).for_house(lenina.id),
        TariffBuilder::new(Service::HotWater, dec!(200), month("2026-01")),
    ] {
        tariff.insert(&v.app);
    }
    let answer = |html: &str, service: &str| {
        let start = html
            .find(&format!(r#"data-service="{service}""#))
            .unwrap_or_else(|| panic!("no {service} answer in {html}"));
        let rest = &html[start..];
        rest[..rest.find("</li>").unwrap()].to_owned()
    };

    let (status, html) = v
        .get(&format!("/tariffs?house_id={}&period=2026-09", lenina.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    let cold = answer(&html, "cold_water");
    assert!(
        cold.contains("ул. Ленина, 1")
            && cold.contains("30.00")
            && cold.contains("for cold water")
            && cold.contains("in 2026-09")
            && cold.contains("tariff from 2026-07")
            && cold.contains("house override"),
        "{cold}"
    );
    let hot = answer(&html, "hot_water");
    assert!(
        hot.contains("200.00") && hot.contains("tariff from 2026-01") && hot.contains("default"),
        "{hot}"
    );
    assert!(answer(&html, "maintenance").contains("no tariff"));
    // The question stays in the form.
    assert!(html.contains(&format!(r#"<option value="{}" selected>"#, lenina.id)));
    assert!(html.contains(r#"value="2026-09""#));

    // Another house pays the default; before July the older default.
    let (_, html) = v
        .get(&format!("/tariffs?house_id={}&period=2026-09", mira.id))
        .await;
    let cold = answer(&html, "cold_water");
    assert!(
        cold.contains("пр. Мира, 15") && cold.contains("45.00") && cold.contains("default"),
        "{cold}"
    );
    let (_, html) = v
        .get(&format!("/tariffs?house_id={}&period=2026-06", lenina.id))
        .await;
    let cold = answer(&html, "cold_water");
    assert!(
        cold.contains("40.00") && cold.contains("tariff from 2026-01") && cold.contains("default"),
        "{cold}"
    );

    // A bad question is answered with the messages, not an error page.
    let (status, html) = v.get("/tariffs?house_id=999999&period=13.2026").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains(r#"id="error-house_id""#) && html.contains(r#"id="error-period""#),
        "{html}"
    );
    assert!(html.contains(r#"value="13.2026""#));
    assert!(!html.contains("data-service="));

    // In Russian: the month by name, figures with a comma.
    v.submit_ok("/password", "/language", &[("locale", "ru")], "/password")
        .await;
    let (status, html) = v
        .get(&format!("/tariffs?house_id={}&period=2026-09", lenina.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    let cold = answer(&html, "cold_water");
    assert!(
        cold.contains("<strong>ул. Ленина, 1</strong>")
            && cold.contains("— холодное водоснабжение:")
            && cold.contains("30,00</span><span class=\"unit\">₽/м³")
            && cold.contains("за сентябрь 2026")
            && cold.contains("начало действия — июль 2026")
            && cold.contains("тариф дома"),
        "{cold}"
    );
    assert!(
        answer(&html, "maintenance")
            .contains("— содержание жилого помещения: нет тарифа за сентябрь 2026"),
        "{html}"
    );
}

#[tokio::test]
async fn a_zero_price_is_refused_beside_the_field_with_the_input_kept() {
    let v = Visitor::start().await;
    let house = add_house(&v, "ул. Гагарина, 7");
    let response = add_tariff(
        &v,
        "hot_water",
        "0",
        "2026-07".parse().unwrap(),
        &house.id.to_string(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(r#"<p class="field-error" id="error-price">Цена должна быть больше 0.</p>"#),
        "{html}"
    );
    assert!(html.contains(r#"name="price" value="0""#), "{html}");
    assert!(
        html.contains(r#"name="valid_from" value="2026-07""#),
        "{html}"
    );
    assert!(
        html.contains(r#"<option value="hot_water" selected>"#),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"<option value="{}" selected>"#, house.id)),
        "{html}"
    );
    assert!(!html.contains(r#"id="error-valid_from""#));
    assert!(stored(&v.app).is_empty());

    // Every bad field at once, each with its message.
    let (_, form) = v.get("/tariffs/new").await;
    let token = csrf_token(&form);
    let response = v
        .post_raw(
            "/tariffs",
            &[
                ("csrf_token", &token),
                ("service", "gas"),
                ("price", "дорого"),
                ("valid_from", "2026-13"),
                ("house_id", "not-a-house"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    for field in ["service", "price", "valid_from", "house_id"] {
        assert!(
            html.contains(&format!(r#"id="error-{field}""#)),
            "{field}: {html}"
        );
    }
    assert!(html.contains(r#"value="дорого""#));

    // A house that does not exist (any more) is named by the service.
    let response = add_tariff(&v, "hot_water", "10", "2026-07".parse().unwrap(), "999999").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains(r#"id="error-house_id""#)
    );
}

#[tokio::test]
async fn a_second_tariff_for_the_same_service_house_and_month_is_a_409() {
    let v = Visitor::start().await;
    let house = add_house(&v, "ул. Ленина, 1");
    let july: Period = "2026-07".parse().unwrap();
    for house_id in ["", &house.id.to_string()] {
        let first = add_tariff(&v, "maintenance", "25", july, house_id).await;
        assert_eq!(first.status(), StatusCode::SEE_OTHER);
        let again = add_tariff(&v, "maintenance", "26", july, house_id).await;
        assert_eq!(again.status(), StatusCode::CONFLICT, "house {house_id:?}");
        let html = again.text().await.unwrap();
        assert!(
            html.contains(r#"id="error-valid_from""#) && html.contains("уже есть"),
            "{html}"
        );
        assert!(html.contains(r#"name="price" value="26""#));
    }
    // The same month for another service is fine.
    let other = add_tariff(&v, "cold_water", "26", july, "").await;
    assert_eq!(other.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&v.app).len(), 3);
}

#[tokio::test]
async fn posts_without_the_csrf_token_are_refused() {
    let v = Visitor::start().await;
    // A session exists (a token was issued), but the form does not carry it.
    let (_, form) = v.get("/tariffs/new").await;
    let token = csrf_token(&form);
    let fields = [
        ("service", "cold_water"),
        ("price", "40"),
        ("valid_from", "2026-07"),
        ("house_id", ""),
    ];
    let response = v.post_raw("/tariffs", &fields).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let mut forged = fields.to_vec();
    forged.push(("csrf_token", "0123456789abcdef"));
    let response = v.post_raw("/tariffs", &forged).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Another client's (a fresh session's) token does not work either.
    let mut foreign = fields.to_vec();
    foreign.push(("csrf_token", &token));
    let response = v
        .app
        .browser_client()
        .post(v.app.url("/tariffs"))
        .form(&foreign)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(stored(&v.app).is_empty());

    let tariff = TariffBuilder::new(Service::ColdWater, dec!(40), month("2026-07")).insert(&v.app);
    let response = v
        .post_raw(&format!("/tariffs/{}/delete", tariff.id), &[])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = v
        .post_raw(
            &format!("/tariffs/{}", tariff.id),
            &[("price", "41"), ("valid_from", "2026-07")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(stored(&v.app), [tariff]);
}

#[tokio::test]
async fn a_tariff_is_edited_and_deleted_through_the_forms() {
    let v = Visitor::start().await;
    let house = add_house(&v, "ул. Ленина, 1");
    let july: Period = "2026-07".parse().unwrap();
    let response = add_tariff(&v, "hot_water", "200", july, &house.id.to_string()).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = stored(&v.app)[0].id;

    let (status, form) = v.get(&format!("/tariffs/{id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains(r#"name="price" value="200""#)
            && form.contains(r#"name="valid_from" value="2026-07""#)
            && form.contains("ул. Ленина, 1"),
        "{form}"
    );
    let token = csrf_token(&form);
    let bad = v
        .post_raw(
            &format!("/tariffs/{id}"),
            &[
                ("csrf_token", &token),
                ("price", "-1"),
                ("valid_from", "2026-08"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert!(html.contains(r#"id="error-price""#) && html.contains(r#"value="2026-08""#));

    let saved = v
        .post_raw(
            &format!("/tariffs/{id}"),
            &[
                ("csrf_token", &token),
                ("price", "210,5"),
                ("valid_from", "2026-08"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let tariff = &stored(&v.app)[0];
    assert_eq!(
        (tariff.price, tariff.valid_from.to_string()),
        (dec!(210.5), "2026-08".to_owned())
    );
    let (_, html) = v.get("/tariffs").await;
    assert!(
        html.contains("210,50") && html.contains("— сохранён."),
        "{html}"
    );

    let deleted = v
        .post_raw(&format!("/tariffs/{id}/delete"), &[("csrf_token", &token)])
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(deleted.headers()["location"], "/tariffs");
    let (_, html) = v.get("/tariffs").await;
    assert!(
        html.contains("flash-success") && html.contains("— удалён."),
        "{html}"
    );
    assert!(!html.contains(&format!("tariff-{id}")));
    assert!(stored(&v.app).is_empty());

    // Gone: its pages are 404s.
    let (status, _) = v.get(&format!("/tariffs/{id}/edit")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let response = v
        .post_raw(&format!("/tariffs/{id}/delete"), &[("csrf_token", &token)])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let (status, _) = v.get("/tariffs/abc/edit").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_tariff_charges_were_billed_at_is_neither_changed_nor_deleted() {
    let v = Visitor::start().await;
    let july = month("2026-07");
    let house = HouseBuilder::new("ул. Ленина, 1")
        .apartment(ApartmentBuilder::new("1").area(dec!(54.3)))
        .insert(&v.app);
    let tariff = TariffBuilder::new(Service::Maintenance, dec!(30), july).insert(&v.app);
    let flat = house.apartment("1");
    ChargeBuilder::maintenance(house.id(), flat.id, flat.area, &tariff, july).insert(&v.app);
    let (_, form) = v.get(&format!("/tariffs/{}/edit", tariff.id)).await;
    let token = csrf_token(&form);
    let response = v
        .post_raw(
            &format!("/tariffs/{}", tariff.id),
            &[
                ("csrf_token", &token),
                ("price", "31"),
                ("valid_from", "2026-07"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("used for 1 charge(s)") && html.contains(r#"name="price" value="31""#),
        "{html}"
    );

    let response = v
        .post_raw(
            &format!("/tariffs/{}/delete", tariff.id),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = v.get("/tariffs").await;
    assert!(
        html.contains("flash-error") && html.contains("cannot be deleted"),
        "{html}"
    );
    assert_eq!(stored(&v.app), [tariff]);
}
