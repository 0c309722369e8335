//! The month's readings form of a house and the meter page's consumption,
//! over HTTP as a browser without JavaScript uses them.

use kvartplata::db::models::{HouseId, MeterId};
use kvartplata::db::queries;
use kvartplata::domain::{MeterKind, Period, ReadingSource};
use kvartplata::i18n::{Locale, format};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::helpers::fixtures::{HouseBuilder, add_reading, find_meter};
use crate::helpers::pages::{Visitor, csrf_token, field_error, flash, input_value, location};

/// The form field of meter `serial`: `m{id}`.
fn field(v: &Visitor, serial: &str) -> String {
    format!("m{}", find_meter(&v.app, serial).id)
}

/// Stored readings of meter `serial`: (month, value, source), oldest first.
fn stored(v: &Visitor, serial: &str) -> Vec<(String, Decimal, ReadingSource)> {
    let id: MeterId = find_meter(&v.app, serial).id;
    queries::readings::list_for_meter(&mut v.app.db.conn(), id)
        .unwrap()
        .into_iter()
        .map(|r| (r.period.to_string(), r.value, r.source))
        .collect()
}

/// The text of the consumption cell of meter field `field`.
fn consumption(html: &str, field: &str) -> String {
    let marker = format!(r#"id="consumption-{field}"><span class="consumption-value">"#);
    let start = html.find(&marker).expect("the row has a consumption cell") + marker.len();
    html[start..].split("</span>").next().unwrap().to_owned()
}

/// Opens the month's form, fills `values` (field, text) and posts it with
/// every other meter's field as the form shows it, as a browser would.
async fn submit_month(
    v: &Visitor,
    house: HouseId,
    period: Period,
    values: &[(&str, &str)],
) -> reqwest::Response {
    submit_page(v, house, &format!("?period={period}"), values).await
}

/// Opens the form at `query` (a month, a page, the filter), fills `values`
/// and posts it with its hidden fields and every other meter's field as
/// the page shows it.
async fn submit_page(
    v: &Visitor,
    house: HouseId,
    query: &str,
    values: &[(&str, &str)],
) -> reqwest::Response {
    let html = v.page(&format!("/houses/{house}/readings{query}")).await;
    let mut fields: Vec<(String, String)> = vec![("csrf_token".into(), csrf_token(&html))];
    for hidden in ["period", "page", "missing"] {
        if html.contains(&format!(r#"<input type="hidden" name="{hidden}""#)) {
            fields.push((hidden.into(), input_value(&html, hidden)));
        }
    }
    for name in input_names(&html) {
        let value = values
            .iter()
            .find(|(f, _)| *f == name)
            .map_or_else(|| input_value(&html, &name), |(_, v)| (*v).to_owned());
        fields.push((name, value));
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    v.post_raw(&format!("/houses/{house}/readings"), &fields)
        .await
}

/// The names of the reading inputs, in page order.
fn input_names(html: &str) -> Vec<String> {
    html.split(r#"class="reading-input" id=""#)
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_month_entered_through_the_form_is_saved_and_shown_with_its_consumption() {
    let v = Visitor::start_in_english().await;
    let house = HouseBuilder::new("ул. Водная, 5")
        .apartments(3)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    // The page opens on the house's current period: the month just ended.
    let now = Period::current().previous();
    let last = now.previous();
    add_reading(&v.app, "C-1", &last.to_string(), "10.5");
    let (c1, c2, c3) = (field(&v, "C-1"), field(&v, "C-2"), field(&v, "C-3"));

    let html = v.page(&format!("/houses/{house}/readings")).await;
    assert_eq!(input_names(&html), [c1.clone(), c2.clone(), c3.clone()]);
    assert!(
        html.contains(&format!("<h1>Readings for {now}</h1>")),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            r#"10.500<span class="unit">m³</span><br><span class="period">{last}</span>"#
        )),
        "previous reading and its month: {html}"
    );
    assert!(
        html.contains(
            r#"0.000<span class="unit">m³</span><br><span class="period">initial</span>"#
        ),
        "{html}"
    );
    assert!(html.contains(r#"inputmode="decimal""#));
    assert!(html.contains(&format!(
        r#"name="{c1}" value="" inputmode="decimal" autocomplete="off" tabindex="1" maxlength="20""#
    )));
    assert!(html.contains(r#"<script src="/static/js/readings.js" defer></script>"#));
    assert!(!html.contains("<script>"), "no inline script");
    assert_eq!(consumption(&html, &c1), "—");

    let response = submit_month(&v, house, now, &[(&c1, "12,75"), (&c2, " 3 ")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    assert_eq!(to, format!("/houses/{house}/readings?period={now}"));
    let html = v.page(&to).await;
    assert_eq!(
        flash(&html),
        Some((
            "flash-success".into(),
            "Saved 2 readings (2 new, 0 corrected).".into()
        ))
    );
    assert_eq!(input_value(&html, &c1), "12.750");
    assert_eq!(input_value(&html, &c2), "3.000");
    assert_eq!(input_value(&html, &c3), "", "an empty field is skipped");
    assert_eq!(consumption(&html, &c1), "2.250");
    assert_eq!(
        consumption(&html, &c2),
        "3.000",
        "against the initial reading"
    );

    assert_eq!(
        stored(&v, "C-1").last().unwrap(),
        &(now.to_string(), dec!(12.75), ReadingSource::Form)
    );
    assert_eq!(stored(&v, "C-3"), []);

    // The meter page: each reading with its consumption, and the chart.
    let meter_page = v
        .page(&format!("/meters/{}", find_meter(&v.app, "C-1").id))
        .await;
    assert!(
        meter_page.contains(r#"2.250<span class="unit">m³</span>"#),
        "{meter_page}"
    );
    assert!(
        meter_page.contains(r#"<svg class="consumption-chart""#),
        "{meter_page}"
    );
    assert!(meter_page.contains(r#"role="img" aria-labelledby="chart-title chart-desc""#));
    assert!(
        meter_page.contains(&format!("<title>{now}: 2.250 m³</title>")),
        "{meter_page}"
    );
    assert!(meter_page.contains(&format!("<title>{last}: 10.500 m³</title>")));
    assert_eq!(meter_page.matches(r#"<rect class="chart-bar""#).count(), 2);
}

#[tokio::test]
async fn a_value_below_last_months_is_refused_on_its_row_and_nothing_is_saved() {
    let v = Visitor::start_in_english().await;
    let house = HouseBuilder::new("ул. Водная, 6")
        .apartments(3)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    let now = Period::current();
    let last = now.previous();
    add_reading(&v.app, "C-1", &last.to_string(), "130.5");
    let (c1, c2, c3) = (field(&v, "C-1"), field(&v, "C-2"), field(&v, "C-3"));

    let response = submit_month(&v, house, now, &[(&c1, "123"), (&c2, "5,5"), (&c3, "abc")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, &c1).unwrap(),
        format!("123.000 is lower than {last}&#39;s reading 130.500.")
    );
    assert_eq!(
        field_error(&html, &c3).unwrap(),
        "&#34;abc&#34; is not a number."
    );
    assert_eq!(field_error(&html, &c2), None, "the good row has no message");
    // Everything typed is still there.
    assert_eq!(input_value(&html, &c1), "123");
    assert_eq!(input_value(&html, &c2), "5,5");
    assert_eq!(input_value(&html, &c3), "abc");
    assert_eq!(consumption(&html, &c1), "-7.500");
    assert!(
        html.contains("2 readings could not be saved: nothing was saved."),
        "{html}"
    );
    assert!(html.contains(&format!(r#"aria-describedby="error-{c1}""#)));
    // Nothing of the batch was saved, not even the good row.
    assert_eq!(stored(&v, "C-1").len(), 1);
    assert_eq!(stored(&v, "C-2"), []);

    // Corrected, the same month saves.
    let response = submit_month(&v, house, now, &[(&c1, "131"), (&c2, "5,5")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        stored(&v, "C-2"),
        [(now.to_string(), dec!(5.5), ReadingSource::Form)]
    );
}

#[tokio::test]
async fn a_stored_month_is_corrected_and_sending_it_again_changes_nothing() {
    let v = Visitor::start_in_english().await;
    let house = HouseBuilder::new("ул. Водная, 7")
        .apartments(2)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    let now = Period::current();
    let last = now.previous();
    add_reading(&v.app, "C-1", &last.previous().to_string(), "10");
    add_reading(&v.app, "C-1", &last.to_string(), "20");
    add_reading(&v.app, "C-1", &now.to_string(), "30");
    let (c1, c2) = (field(&v, "C-1"), field(&v, "C-2"));

    // Last month, between its neighbours: opened from the selector's link.
    let html = v
        .page(&format!("/houses/{house}/readings?period={last}"))
        .await;
    assert_eq!(input_value(&html, &c1), "20.000");
    assert_eq!(consumption(&html, &c1), "10.000");
    let response = submit_month(&v, house, last, &[(&c1, "25,5")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = v.page(&location(&response)).await;
    assert_eq!(
        flash(&html).unwrap().1,
        "Saved 1 reading (0 new, 1 corrected)."
    );
    assert_eq!(input_value(&html, &c1), "25.500");
    assert_eq!(
        stored(&v, "C-1")[1],
        (last.to_string(), dec!(25.5), ReadingSource::Form)
    );

    // Above the month after it: refused, naming that month.
    let response = submit_month(&v, house, last, &[(&c1, "30.001")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, &c1).unwrap(),
        format!("30.001 is higher than {now}&#39;s reading 30.000.")
    );

    // The form as shown, sent again: the unchanged value is counted apart,
    // not as saved.
    let response = submit_month(&v, house, last, &[(&c2, "1")]).await;
    let html = v.page(&location(&response)).await;
    assert_eq!(
        flash(&html).unwrap().1,
        "Saved 1 reading (1 new, 0 corrected); 1 unchanged."
    );
    // Nothing changed at all: nothing to save.
    let response = submit_month(&v, house, last, &[]).await;
    let html = v.page(&location(&response)).await;
    assert_eq!(
        flash(&html),
        Some((
            "flash-success".into(),
            "Nothing to save: 2 readings unchanged.".into()
        ))
    );
}

#[tokio::test]
async fn the_month_selector_defaults_to_the_houses_billing_period() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Водная, 8")
        .apartments(1)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    // Nothing closed: the billing period is the month just ended.
    let now = Period::current().previous();
    let path = format!("/houses/{house}/readings");

    let html = v.page(&path).await;
    let ru = |p: Period| format::month(p, Locale::Ru);
    assert!(
        html.contains(&format!(
            r#"<option value="{now}" selected>{} (расчётный период)</option>"#,
            ru(now)
        )),
        "{html}"
    );
    assert!(html.contains(&format!(
        r#"<option value="{}">{} (текущий)</option>"#,
        now.next(),
        ru(now.next())
    )));
    assert!(html.contains(&format!(
        r#"<option value="{}">{} (следующий)</option>"#,
        now.next().next(),
        ru(now.next().next())
    )));
    assert_eq!(html.matches(" selected>").count(), 1);
    assert!(html.contains(&format!(r#"<option value="{}">"#, now.next())));
    let year_ago = (0..12).fold(now.next(), |p, _| p.previous());
    assert!(html.contains(&format!(r#"<option value="{year_ago}">"#)));
    assert!(html.contains(r#"<input type="hidden" name="period" value=""#));
    assert_eq!(input_value(&html, "period"), now.to_string());
    assert!(html.contains(&format!(
        r#"href="{path}?period={}" rel="prev""#,
        now.previous()
    )));
    assert!(html.contains(&format!(
        r#"href="{path}?period={}" rel="next""#,
        now.next()
    )));

    // Next month is the last one that takes readings: no link beyond.
    let html = v
        .page(&format!("{path}?period={}", now.next().next()))
        .await;
    assert!(!html.contains(r#"rel="next""#), "{html}");
    // An old month is offered in the selector too, and selected.
    let html = v.page(&format!("{path}?period=2019-03")).await;
    assert!(html.contains(r#"<option value="2019-03" selected>"#));

    // The house page links here (in English, as the house page words it).
    v.submit_ok("/password", "/language", &[("locale", "en")], "/password")
        .await;
    let house_page = v.page(&format!("/houses/{house}")).await;
    assert!(house_page.contains(&format!(r#"href="{path}">Enter readings</a>"#)));
    let html = v.page(&path).await;
    assert!(
        html.contains(&format!(
            r#"<option value="{now}" selected>{now} (billing period)</option>"#
        )),
        "{html}"
    );

    for (query, status) in [
        ("?period=2026-13", StatusCode::BAD_REQUEST),
        ("?period=%00", StatusCode::BAD_REQUEST),
        ("?period=", StatusCode::OK),
    ] {
        assert_eq!(v.get(&format!("{path}{query}")).await.0, status, "{query}");
    }
    assert_eq!(
        v.get("/houses/999999/readings").await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn forged_or_empty_submits_save_nothing() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Водная, 9")
        .apartments(1)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    HouseBuilder::new("ул. Другая, 1")
        .apartments(1)
        .meter_in_each(MeterKind::ColdWater, "D")
        .insert(&v.app);
    let now = Period::current().to_string();
    let action = format!("/houses/{house}/readings");
    let c1 = field(&v, "C-1");
    let d1 = field(&v, "D-1");

    // Without the token: 403.
    let response = v.post_raw(&action, &[("period", &now), (&c1, "1")]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let token = csrf_token(&v.page(&action).await);
    // A meter of another house is not this form's to save.
    let response = v
        .post_raw(
            &action,
            &[
                ("csrf_token", &token),
                ("period", &now),
                (&c1, "1"),
                (&d1, "2"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!(
            "1 показание не удалось сохранить, а в форме есть счётчики, которых в этом доме \
             больше нет (id {}); обновите страницу.",
            &d1[1..]
        )),
        "{html}"
    );
    assert_eq!(input_value(&html, &c1), "1");
    assert_eq!(stored(&v, "C-1"), []);
    assert_eq!(stored(&v, "D-1"), []);

    // A bad month in the hidden field, or a year out of range: 422, not
    // a 500 (PostgreSQL refuses the year 0 when the readings are copied in).
    for bad in ["2026-99", "0000-01", "10000-01", "+202-11", "1899-12"] {
        let response = v
            .post_raw(
                &action,
                &[("csrf_token", &token), ("period", bad), (&c1, "1")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    assert_eq!(stored(&v, "C-1"), []);

    // Nothing typed: back to the month with a note.
    let response = v
        .post_raw(
            &action,
            &[("csrf_token", &token), ("period", &now), (&c1, " ")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = v.page(&location(&response)).await;
    assert_eq!(
        flash(&html),
        Some((
            "flash-error".into(),
            "Показания не введены; ничего не сохранено.".into()
        ))
    );
}

#[tokio::test]
async fn the_form_is_in_russian_with_russian_figures_and_counts_what_changed() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Водная, 10")
        .apartments(3)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    // The page opens on the house's current period: the month just ended.
    let now = Period::current().previous();
    let last = now.previous();
    let ru = |p: Period| format::month(p, Locale::Ru);
    add_reading(&v.app, "C-1", &last.to_string(), "1210.5");
    let (c1, c2, c3) = (field(&v, "C-1"), field(&v, "C-2"), field(&v, "C-3"));

    let html = v.page(&format!("/houses/{house}/readings")).await;
    assert!(html.contains(r#"<html lang="ru""#), "{html}");
    assert!(
        html.contains(&format!("<h1>Показания за {}</h1>", ru(now))),
        "{html}"
    );
    assert!(
        html.contains(&format!("3 счётчика, с показанием за {} — 0.", ru(now))),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "1\u{a0}210,500<span class=\"unit\">м³</span><br><span class=\"period\">{}</span>",
            ru(last)
        )),
        "the previous reading in Russian figures: {html}"
    );
    assert!(html.contains(r#"<span class="period">начальное</span>"#));
    assert!(html.contains(r#"<span class="kind kind-cold_water">ХВС</span>"#));
    assert!(html.contains(&format!(
        "<th scope=\"col\">Показание за {}, м³</th>",
        ru(now)
    )));
    assert!(html.contains(">Расход</th>"));
    assert!(html.contains("data-decimal=\",\" data-thousands=\"\u{a0}\""));
    assert!(html.contains(r#"<div class="form-actions readings-save-bar">"#));
    assert!(html.contains(">Сохранить показания</button>"));
    let form = &html[html.find(r#"<div class="readings-tools">"#).unwrap()
        ..html.find("<script src=\"/static/js/readings.js\"").unwrap()];
    for english in [
        "Readings",
        "Apartment",
        "Meter",
        "Previous",
        "Consumption",
        "Save",
        "Cancel",
        "initial",
        "Upload",
        "Download",
        "m³",
    ] {
        assert!(!form.contains(english), "{english} on the Russian page");
    }

    // A value typed as a Russian writes it.
    let response = submit_month(&v, house, now, &[(&c1, "1 215,3"), (&c2, "3")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = v.page(&location(&response)).await;
    assert_eq!(
        flash(&html),
        Some((
            "flash-success".into(),
            "Сохранено 2 показания (новых: 2, исправленных: 0).".into()
        ))
    );
    assert_eq!(input_value(&html, &c1), "1\u{a0}215,300");
    assert_eq!(consumption(&html, &c1), "4,800");
    assert_eq!(
        stored(&v, "C-1")[1],
        (now.to_string(), dec!(1215.3), ReadingSource::Form)
    );

    // Sent again as shown with one more: only the new one is saved, the
    // others are counted apart.
    let response = submit_month(&v, house, now, &[(&c3, "7")]).await;
    let html = v.page(&location(&response)).await;
    assert_eq!(
        flash(&html).unwrap().1,
        "Сохранено 1 показание (новых: 1, исправленных: 0); без изменений: 2."
    );
    let response = submit_month(&v, house, now, &[]).await;
    let html = v.page(&location(&response)).await;
    assert_eq!(
        flash(&html).unwrap().1,
        "Сохранять нечего: 3 показания без изменений."
    );

    // A refused submit says so in Russian.
    let response = submit_month(&v, house, now, &[(&c2, "abc"), (&c3, "x")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(
            "2 показания не удалось сохранить, поэтому ничего не сохранено. \
             Ошибки указаны в строках."
        ),
        "{html}"
    );
}

#[tokio::test]
async fn the_excel_buttons_lead_to_the_upload_and_the_template() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Водная, 11")
        .apartments(1)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    let now = Period::current();
    let page = format!("/houses/{house}/readings?period={now}");
    let html = v.page(&page).await;
    let upload = format!("/houses/{house}/readings/upload");
    assert!(
        html.contains(&format!(
            r#"<a class="button button-secondary" id="upload-link" href="{upload}">Загрузить из Excel</a>"#
        )),
        "{html}"
    );
    let template = format!("/houses/{house}/readings/template.csv?period={now}");
    assert!(
        html.contains(&format!(
            r#"<a class="button button-secondary" id="template-link" href="{template}">Скачать шаблон</a>"#
        )),
        "{html}"
    );
    // Both lead somewhere.
    assert!(
        v.page(&upload)
            .await
            .contains("<h1>Загрузка показаний</h1>")
    );
    let response = v.response(&template).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("C-1"));

    // In English.
    v.submit_ok("/password", "/language", &[("locale", "en")], "/password")
        .await;
    let html = v.page(&page).await;
    assert!(html.contains(">Upload from Excel</a>"), "{html}");
    assert!(html.contains(">Download template</a>"), "{html}");
    assert!(html.contains(&format!("<h1>Readings for {now}</h1>")));
}

/// A link to the month's page at `query`, as the page writes it (`&#38;`).
fn page_href(house: HouseId, query: &str) -> String {
    format!(
        r#"href="/houses/{house}/readings?{}""#,
        query.replace('&', "&#38;")
    )
}

#[tokio::test]
async fn a_house_of_more_than_100_meters_is_entered_a_page_at_a_time() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Длинная, 1")
        .apartments(150)
        .meter_in_each(MeterKind::ColdWater, "L")
        .insert(&v.app)
        .id();
    // The page opens on the house's current period: the month just ended.
    let now = Period::current().previous();
    let first = v.page(&format!("/houses/{house}/readings")).await;
    let page_one = input_names(&first);
    assert_eq!(page_one.len(), 100);
    assert_eq!(page_one[0], field(&v, "L-1"));
    assert!(first.contains("Счётчики 1–100 из 150"), "{first}");
    assert!(
        first.contains(&page_href(house, &format!("period={now}&page=2"))),
        "{first}"
    );
    assert!(
        first.contains(r#"tabindex="100""#)
            && first.contains(r#"tabindex="101">Сохранить показания"#)
    );

    let second = v
        .page(&format!("/houses/{house}/readings?period={now}&page=2"))
        .await;
    let page_two = input_names(&second);
    assert_eq!(page_two.len(), 50, "the rest");
    assert!(
        page_two.iter().all(|name| !page_one.contains(name)),
        "no meter twice"
    );
    assert!(second.contains("Счётчики 101–150 из 150"));
    assert_eq!(input_value(&second, "page"), "2");
    // A page past the last shows the last.
    let past = v
        .page(&format!("/houses/{house}/readings?period={now}&page=9"))
        .await;
    assert_eq!(input_names(&past), page_two);

    // Page one saved, then page two: page two's form sends only its own
    // meters, and leaves page one as it was.
    let response = submit_page(&v, house, &format!("?period={now}"), &[(&page_one[0], "5")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&response),
        format!("/houses/{house}/readings?period={now}")
    );
    let on_page_two: Vec<(&str, &str)> = page_two.iter().map(|name| (name.as_str(), "2")).collect();
    let response = submit_page(&v, house, &format!("?period={now}&page=2"), &on_page_two).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    assert_eq!(to, format!("/houses/{house}/readings?period={now}&page=2"));
    let html = v.page(&to).await;
    assert_eq!(
        flash(&html).unwrap().1,
        "Сохранено 50 показаний (новых: 50, исправленных: 0)."
    );
    assert_eq!(
        stored(&v, "L-1"),
        [(now.to_string(), dec!(5), ReadingSource::Form)]
    );
    assert_eq!(
        stored(&v, "L-2"),
        [],
        "page one's other meters are untouched"
    );
    assert_eq!(stored(&v, "L-150").len(), 1);

    // A refused page two comes back as page two.
    let response = submit_page(
        &v,
        house,
        &format!("?period={now}&page=2"),
        &[(&page_two[0], "x")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(input_names(&html), page_two);
    assert_eq!(input_value(&html, "page"), "2");
    assert!(html.contains("Счётчики 101–150 из 150"), "{html}");
}

#[tokio::test]
async fn only_the_meters_without_a_reading_are_shown_when_asked() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Водная, 12")
        .apartments(3)
        .meter_in_each(MeterKind::ColdWater, "C")
        .insert(&v.app)
        .id();
    let now = Period::current();
    add_reading(&v.app, "C-2", &now.to_string(), "4");
    let (c1, c2, c3) = (field(&v, "C-1"), field(&v, "C-2"), field(&v, "C-3"));

    let all = v
        .page(&format!("/houses/{house}/readings?period={now}"))
        .await;
    assert_eq!(input_names(&all), [c1.clone(), c2.clone(), c3.clone()]);
    assert!(
        all.contains(r#"<span class="current" aria-current="page" id="filter-all">Все (3)</span>"#),
        "{all}"
    );
    let filtered = format!("/houses/{house}/readings?period={now}&missing=1");
    assert!(
        all.contains(&format!(
            r#"<a {} id="filter-missing">Только без показаний (2)</a>"#,
            page_href(house, &format!("period={now}&missing=1"))
        )),
        "{all}"
    );

    let html = v.page(&filtered).await;
    assert_eq!(input_names(&html), [c1.clone(), c3.clone()]);
    assert_eq!(input_value(&html, "missing"), "1");
    assert!(
        html.contains(r#"aria-current="page" id="filter-missing">Только без показаний (2)</span>"#)
    );

    // Saved with the filter on: back to the filter, the saved meter gone.
    let query = format!("?period={now}&missing=1");
    let response = submit_page(&v, house, &query, &[(&c1, "3")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    assert_eq!(to, filtered);
    let html = v.page(&to).await;
    assert_eq!(
        flash(&html).unwrap().1,
        "Сохранено 1 показание (новых: 1, исправленных: 0)."
    );
    assert_eq!(input_names(&html), [c3.as_str()]);
    assert_eq!(stored(&v, "C-2").len(), 1, "not on the page, not sent");

    // Once every meter has one, the filter says so.
    submit_page(&v, house, &query, &[(&c3, "1")]).await;
    let html = v.page(&filtered).await;
    assert!(
        html.contains("У всех счётчиков уже есть показания за этот месяц."),
        "{html}"
    );
    assert!(input_names(&html).is_empty());

    // In English.
    v.submit_ok("/password", "/language", &[("locale", "en")], "/password")
        .await;
    let html = v
        .page(&format!("/houses/{house}/readings?period={now}"))
        .await;
    assert!(html.contains(">All (3)</span>"), "{html}");
    assert!(html.contains(">Only without a reading (0)</a>"), "{html}");
}

#[tokio::test]
async fn a_house_of_4000_meters_shows_a_page_of_100() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Большая, 1")
        .apartments(4000)
        .meter_in_each(MeterKind::ColdWater, "B")
        .insert(&v.app)
        .id();
    let now = Period::current();
    let started = std::time::Instant::now();
    let html = v
        .page(&format!("/houses/{house}/readings?period={now}&page=40"))
        .await;
    let took = started.elapsed();
    assert_eq!(input_names(&html).len(), 100);
    assert!(
        html.contains("Счётчики 3\u{a0}901–4\u{a0}000 из 4\u{a0}000"),
        "{html}"
    );
    assert!(html.contains("Все (4\u{a0}000)"));
    assert!(html.len() < 200_000, "{} bytes", html.len());
    assert!(took.as_secs() < 5, "the page took {took:?}");
}

#[tokio::test]
async fn the_js_for_the_form_is_served_from_static() {
    let v = Visitor::start().await;
    let response = v.app.get("/static/js/readings.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.contains("javascript"), "{kind}");
    assert!(response.text().await.unwrap().contains("readings-form"));
}
