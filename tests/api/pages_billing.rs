//! The billing pages over HTTP, as a browser without JavaScript uses them:
//! the start forms on the house page and the dashboard, the runs list, a
//! run's progress page, the results of a month and their CSV export.

use std::time::Duration;

use kvartplata::db::models::{BillingRun, BillingRunId, HouseId};
use kvartplata::db::queries;
use kvartplata::domain::{MeterKind, Period, RunFailure, RunStatus, Service};
use kvartplata::i18n::{Locale, format};
use reqwest::StatusCode;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::helpers::app::eventually;
use crate::helpers::fixtures::{
    ApartmentBuilder, HouseBuilder, MeterBuilder, RunBuilder, TariffBuilder, add_normative,
    find_meter, month,
};
use crate::helpers::pages::{Visitor, csrf_token, flash, input_value, location, section};

/// The month the pages offer to bill: the one just ended.
fn billed() -> Period {
    Period::current().previous()
}

/// A price of `service` in effect for every month the tests bill.
fn tariff(service: Service, price: Decimal) -> TariffBuilder {
    TariffBuilder::new(service, price, month("2020-01"))
}

/// "ул. Садовая, 5", billed for the month P just ended, with normatives
/// of 4 m³ (cold) and 3 m³ (hot) per person and the seeded coefficients
/// (cold 3, hot 1.5):
/// - apartment 1, 54.30 m², 2 residents: cold C-1 read 100.000 in P−1 and
///   103.500 in P (3.500 m³ × 42.30 = 148.05); hot H-1 read 22.000 in P−1
///   and not in P, with no average: the normative, 2 × 3 = 6 m³ × 214.76 =
///   1288.56 (a missing reading, no K); sewerage 9.5 m³ × 30.00 = 285.00;
///   maintenance 54.30 × 24.50 = 1330.35; total 3051.96
/// - apartment 2, 33.33 m², no meters, one owner: cold 4 m³ × 42.30 × 3 =
///   507.60; hot 3 m³ × 214.76 × 1.5 = 966.42; sewerage 7 m³ × 30.00 =
///   210.00; maintenance 33.33 × 24.50 = 816.585, rounded half away from
///   zero to 816.59; total 2500.61
///
/// House total 5552.57. Cold, sewerage and maintenance are default
/// tariffs; hot is this house's own, so another house cannot be billed.
fn seed(v: &Visitor) -> HouseId {
    let p = billed();
    let id = HouseBuilder::new("ул. Садовая, 5")
        .apartment(
            ApartmentBuilder::new("1")
                .area(dec!(54.30))
                .residents(None, 2)
                .meter(
                    MeterBuilder::cold("C-1")
                        .readings_from(p.previous(), [dec!(100.000), dec!(103.500)]),
                )
                .meter(
                    MeterBuilder::hot("H-1")
                        .initial(dec!(20.000))
                        .reading(p.previous(), dec!(22.000)),
                ),
        )
        .apartment(ApartmentBuilder::new("2").area(dec!(33.33)))
        .insert(&v.app)
        .id();
    tariff(Service::ColdWater, dec!(42.30)).insert(&v.app);
    tariff(Service::HotWater, dec!(214.76))
        .for_house(id)
        .insert(&v.app);
    tariff(Service::Sewerage, dec!(30.00)).insert(&v.app);
    tariff(Service::Maintenance, dec!(24.50)).insert(&v.app);
    add_normative(&v.app, MeterKind::ColdWater, dec!(4), month("2020-01"));
    add_normative(&v.app, MeterKind::HotWater, dec!(3), month("2020-01"));
    id
}

fn run(v: &Visitor, id: BillingRunId) -> BillingRun {
    queries::run_queue::find(&mut v.app.db.conn(), id).unwrap()
}

fn runs(v: &Visitor) -> Vec<BillingRun> {
    queries::run_listing::list(&mut v.app.db.conn(), None, None, 100).unwrap()
}

/// The run id at the end of a `/billing-runs/{id}` location.
fn run_id(location: &str) -> BillingRunId {
    let id = location
        .strip_prefix("/billing-runs/")
        .unwrap_or_else(|| panic!("not a run page: {location}"));
    BillingRunId(id.parse().unwrap())
}

async fn wait_completed(v: &Visitor, id: BillingRunId) -> BillingRun {
    let done = eventually(Duration::from_secs(20), || async {
        run(v, id).status == RunStatus::Completed
    })
    .await;
    let found = run(v, id);
    assert!(done, "run {id} did not complete: {found:?}");
    found
}

/// A run that stays running: another process holds its lease for an hour,
/// so this app's workers leave it alone. Inserted and leased in one
/// transaction, so no worker claims it in between.
fn active_run(v: &Visitor, house: HouseId, period: Period) -> BillingRunId {
    RunBuilder::new(house, period, 2)
        .status(RunStatus::Running)
        .processed(1)
        .amount(dec!(1478.40))
        .leased_elsewhere()
        .started_now()
        .insert(&v.app)
}

/// Starts billing `period` through the house page's form.
async fn bill_from_house_page(v: &Visitor, house: HouseId, period: &str) -> reqwest::Response {
    v.submit(
        &format!("/houses/{house}"),
        &format!("/houses/{house}/billing-runs"),
        &[("period", period)],
    )
    .await
}

#[tokio::test]
async fn a_month_billed_from_the_house_page_shows_progress_then_explained_results() {
    let v = Visitor::start_in_english().await;
    let house = seed(&v);
    let p = billed();

    let page = v.page(&format!("/houses/{house}")).await;
    assert!(
        page.contains(&format!(r#"action="/houses/{house}/billing-runs""#)),
        "{page}"
    );
    assert_eq!(
        input_value(&page, "period"),
        p.to_string(),
        "the month just ended"
    );

    let response = bill_from_house_page(&v, house, &p.to_string()).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = location(&response);
    let id = run_id(&to);
    let progress = v.page(&to).await;
    assert_eq!(
        flash(&progress),
        Some((
            "flash-success".into(),
            format!("Billing {p} started: 2 apartments.")
        ))
    );
    for id_attr in ["run-progress", "run-counts", "run-status", "run-amount"] {
        assert!(
            progress.contains(&format!(r#"id="{id_attr}""#)),
            "{id_attr}"
        );
    }
    assert!(progress.contains(r#"<script src="/static/js/progress.js" defer></script>"#));
    assert_eq!(
        progress.matches("<script").count(),
        1,
        "no inline script: the page's only script is the external one"
    );
    assert!(!progress.contains(" onclick=") && !progress.contains(" onload="));

    let finished = wait_completed(&v, id).await;
    assert_eq!((finished.processed, finished.total), (2, 2));
    assert_eq!(finished.amount, dec!(5552.57));

    // Once completed the server's page has the results link itself.
    let progress = v.page(&to).await;
    let results_href = format!("/houses/{house}/charges?period={p}&#38;run={id}");
    assert!(
        progress.contains(&format!(
            r#"id="run-results" class="button" href="{results_href}""#
        )),
        "{progress}"
    );
    assert!(progress.contains(r#"<progress id="run-progress" max="2" value="2" aria-label="Apartments billed">100%</progress>"#));
    assert!(progress.contains(r#"<span id="run-counts">2 of 2 apartments</span>"#));
    assert!(progress.contains(r#"<span id="run-amount" class="num">5552.57</span>"#));
    assert!(progress.contains(
        r#"class="tag tag-large tag-run-completed" aria-live="polite">Completed</span>"#
    ));
    assert!(!progress.contains("run-refresh") && !progress.contains("http-equiv"));

    let results = v.page(&results_href).await;
    assert!(results.contains(&format!("<h1>Results for {p}</h1>")));
    assert!(results.contains(r#"id="house-total">5552.57<span class="unit">₽</span>"#));
    assert!(results.contains(r#"<span class="stat-value num" id="missing-count">1</span>"#));
    assert_eq!(
        results.matches(r#"<span class="missing-reading""#).count(),
        1,
        "the hot water line is marked, no other"
    );

    let a1 = section(&results, "Apartment <a", "</tbody>");
    let cold = section(a1, "charge-line service-cold_water", "</tr>");
    assert!(
        cold.contains("3.500<span class=\"unit\">m³</span>"),
        "{cold}"
    );
    assert!(
        cold.contains("42.30<span class=\"unit\">₽/m³</span>"),
        "{cold}"
    );
    assert!(cold.contains("from 2020-01"), "{cold}");
    assert!(
        cold.contains("148.05<span class=\"unit\">₽</span>"),
        "{cold}"
    );
    assert!(cold.contains(">By readings</span>"), "{cold}");
    assert!(
        cold.contains("<li>C-1 by readings: 103.500 − 100.000 = 3.500 m³</li>"),
        "{cold}"
    );
    assert!(!cold.contains("missing-reading"));

    let hot = section(a1, "charge-line service-hot_water line-missing", "</tr>");
    assert!(hot.contains(">missing reading</span>"), "{hot}");
    assert!(hot.contains(">By normative</span>"), "{hot}");
    assert!(hot.contains("6.000<span class=\"unit\">m³</span>"), "{hot}");
    assert!(
        hot.contains("1288.56<span class=\"unit\">₽</span>"),
        "{hot}"
    );
    assert!(
        hot.contains("<li>H-1 by normative: 2 residents × 3.00 m³ = 6.00 m³</li>"),
        "{hot}"
    );
    assert!(
        !hot.contains("tag-coefficient"),
        "a missing reading gets no K"
    );

    let sewerage = section(a1, "charge-line service-sewerage", "</tr>");
    assert!(
        sewerage.contains("<li>cold 3.500 + hot 6.000 = 9.500 m³</li>"),
        "{sewerage}"
    );
    assert!(sewerage.contains("285.00<span class=\"unit\">₽</span>"));

    let upkeep = section(a1, "charge-line service-maintenance", "</tr>");
    assert!(
        upkeep.contains("1330.35<span class=\"unit\">₽</span>"),
        "{upkeep}"
    );
    assert!(upkeep.contains("<li>area 54.30 m²</li>"), "{upkeep}");
    assert!(a1.contains("<strong>3051.96</strong>"), "{a1}");

    let a2 = section(&results, "Apartment <a", "</table>");
    let a2 = &a2[a2.find("Total for apartment 1").unwrap()..];
    assert!(a2.contains("816.59<span class=\"unit\">₽</span>"), "{a2}");
    // No meter: the normative raised by K, and what K added.
    let cold = section(a2, "charge-line service-cold_water", "</tr>");
    assert!(
        cold.contains("<li>by normative: 1 owner × 4.00 m³ = 4.00 m³ × K 3</li>"),
        "{cold}"
    );
    assert!(cold.contains("K 3 · +338.40 ₽</span>"), "{cold}");
    assert!(a2.contains("<strong>2500.61</strong>"), "{a2}");
    assert!(a2.contains("Total for apartment 2"), "{a2}");
    assert!(results.contains(&format!(r#"href="/houses/{house}/charges.csv?period={p}""#)));
    let by_apartment = format!("/houses/{house}/charges.csv?period={p}&#38;layout=apartments");
    assert!(
        results.contains(&format!(r#"href="{by_apartment}""#)),
        "{results}"
    );

    // The house page lists the run with its amount and a link to the results.
    let page = v.page(&format!("/houses/{house}")).await;
    let billing = section(&page, r#"id="billing""#, "</section>");
    assert!(billing.contains("5552.57"), "{billing}");
    assert!(billing.contains(&results_href), "{billing}");
}

#[tokio::test]
async fn refused_starts_go_back_with_the_reason_and_an_active_run_leads_to_its_page() {
    let v = Visitor::start_in_english().await;
    let house = seed(&v);
    let back = format!("/houses/{house}");

    for (typed, message) in [
        (
            "13/2026",
            "\"13/2026\" is not a month: write it as YYYY-MM, e.g. 2026-09",
        ),
        ("  ", "Enter the month to bill as YYYY-MM."),
    ] {
        let response = bill_from_house_page(&v, house, typed).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{typed}");
        assert_eq!(location(&response), back);
        let page = v.page(&back).await;
        assert_eq!(
            flash(&page).map(|(_, text)| text),
            Some(message.replace('"', "&#34;"))
        );
    }

    let far = Period::current().next().next();
    let response = bill_from_house_page(&v, house, &far.to_string()).await;
    assert_eq!(location(&response), back);
    let page = v.page(&back).await;
    let (kind, text) = flash(&page).unwrap();
    assert_eq!(kind, "flash-error");
    assert!(text.contains("is in the future"), "{text}");

    // No maintenance tariff before 2020-01: the message names the service.
    let response = bill_from_house_page(&v, house, "2019-12").await;
    assert_eq!(location(&response), back);
    let page = v.page(&back).await;
    assert_eq!(
        flash(&page),
        Some((
            "flash-error".into(),
            "No cold_water or hot_water or sewerage or maintenance tariff is in effect for 2019-12: \
             add one before billing. — <a href=\"/tariffs/new?service=cold_water&#38;valid_from=2019-12\">\
             add the tariff</a>"
                .into()
        ))
    );
    assert!(runs(&v).is_empty(), "nothing started");

    // A run of the month still in progress: its page, with the reason.
    let active = active_run(&v, house, billed());
    let response = bill_from_house_page(&v, house, &billed().to_string()).await;
    assert_eq!(location(&response), format!("/billing-runs/{active}"));
    let progress = v.page(&format!("/billing-runs/{active}")).await;
    assert_eq!(
        flash(&progress),
        Some((
            "flash-error".into(),
            format!("Run {active} of this house and month is still in progress.")
        ))
    );
    // Still running: the page refreshes itself without JS and offers a link.
    assert!(progress.contains(r#"<noscript><meta http-equiv="refresh" content="2"></noscript>"#));
    assert!(progress.contains(&format!(
        r#"id="run-refresh" class="button button-secondary" href="/billing-runs/{active}">Refresh</a>"#
    )));
    assert!(progress.contains(r#"<progress id="run-progress" max="2" value="1" aria-label="Apartments billed">50%</progress>"#));
    assert!(progress.contains(r#"<span id="run-counts">1 of 2 apartments</span>"#));
    assert!(progress.contains("Amount so far"));
    assert!(
        !progress.contains("run-results"),
        "no results before completion"
    );
    assert_eq!(runs(&v).len(), 1);

    // In Russian the same refusal is Russian.
    v.submit_ok("/password", "/language", &[("locale", "ru")], "/password")
        .await;
    bill_from_house_page(&v, house, "13/2026").await;
    let page = v.page(&back).await;
    assert_eq!(
        flash(&page).map(|(_, text)| text),
        Some("«13/2026» — не месяц: напишите, например, 11.2026 или ноябрь 2026.".to_owned())
    );
}

#[tokio::test]
async fn start_forms_without_the_csrf_token_are_refused() {
    let v = Visitor::start_in_english().await;
    let house = seed(&v);
    let _ = v.page("/").await; // a session, so only the token is missing
    let period = billed().to_string();
    for (action, fields) in [
        (
            format!("/houses/{house}/billing-runs"),
            vec![("period", period.as_str())],
        ),
        (
            "/billing-runs".to_owned(),
            vec![("period", period.as_str()), ("house_id", "")],
        ),
    ] {
        let response = v.post_raw(&action, &fields).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{action}");
        let mut forged = fields.clone();
        forged.push(("csrf_token", "forged"));
        let response = v.post_raw(&action, &forged).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{action}");
    }
    assert!(runs(&v).is_empty());
}

#[tokio::test]
async fn the_dashboard_bills_all_houses_naming_each_refused_one() {
    let v = Visitor::start_in_english().await;
    let sadovaya = seed(&v);
    // A house with a hot meter but no hot tariff of its own.
    let lesnaya = HouseBuilder::new("ул. Лесная, 2")
        .apartment(
            ApartmentBuilder::new("7")
                .area(dec!(40.00))
                .meter(MeterBuilder::hot("H-7")),
        )
        .insert(&v.app)
        .id();
    let p = billed();

    let dashboard = v.page("/").await;
    let form = section(&dashboard, r#"id="bill""#, "</section>");
    assert!(form.contains(r#"action="/billing-runs""#), "{form}");
    assert!(
        form.contains(r#"<option value="">All houses</option>"#),
        "{form}"
    );
    assert!(form.contains(&format!(
        r#"<option value="{lesnaya}">ул. Лесная, 2</option>"#
    )));
    assert_eq!(input_value(form, "period"), p.to_string());

    let token = csrf_token(&dashboard);
    let period = p.to_string();
    let response = v
        .post_raw(
            "/billing-runs",
            &[
                ("csrf_token", &token),
                ("period", &period),
                ("house_id", ""),
            ],
        )
        .await;
    // A refusal answers with a page listing the started run and the
    // refused house with why, rather than a flash.
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    let started = runs(&v);
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].house_id, sadovaya);
    assert!(
        page.contains("Started 1 run; 1 house could not be billed."),
        "{page}"
    );
    let refused = section(&page, &format!(r#"<tr id="refused-{lesnaya}">"#), "</tr>");
    assert!(refused.contains(&format!(r#"<a href="/houses/{lesnaya}">ул. Лесная, 2</a>"#)));
    assert!(
        refused.contains(&format!(
            "No hot_water tariff is in effect for {p}: add one before billing."
        )),
        "{refused}"
    );
    let row = section(
        &page,
        &format!(r#"<tr id="started-{}">"#, started[0].id),
        "</tr>",
    );
    assert!(row.contains(&format!(
        r#"<a href="/billing-runs/{0}">#{0}</a>"#,
        started[0].id
    )));
    assert!(row.contains(&format!(
        r#"<a href="/houses/{sadovaya}">ул. Садовая, 5</a>"#
    )));
    assert!(page.contains(r#"href="/#bill">Back to the dashboard</a>"#));
    wait_completed(&v, started[0].id).await;

    // The runs page: house, month, status, counts, amount and links.
    let page = v.page("/billing-runs").await;
    let row = section(
        &page,
        &format!(r#"<tr id="run-{}">"#, started[0].id),
        "</tr>",
    );
    assert!(row.contains(&format!(
        r#"<a href="/houses/{sadovaya}">ул. Садовая, 5</a>"#
    )));
    assert!(
        row.contains(&format!(r#"<span class="month">{p}</span>"#)),
        "{row}"
    );
    assert!(row.contains(r#"<span class="tag tag-run-completed">Completed</span>"#));
    assert!(row.contains("2 / 2"), "{row}");
    assert!(
        row.contains("5552.57<span class=\"unit\">₽</span>"),
        "{row}"
    );
    assert!(row.contains(&format!(
        r#"<a href="/houses/{sadovaya}/charges?period={p}&#38;run={}">Results</a>"#,
        started[0].id
    )));
    assert!(row.contains(&format!(
        r#"<a href="/billing-runs/{}">Progress</a>"#,
        started[0].id
    )));

    // One house through the dashboard: like the house page's form, while
    // the same month's run of the other house is refused back to the dashboard.
    let response = v
        .post_raw(
            "/billing-runs",
            &[
                ("csrf_token", &token),
                ("period", &period),
                ("house_id", &lesnaya.to_string()),
            ],
        )
        .await;
    assert_eq!(location(&response), "/");
    let (kind, text) = flash(&v.page("/").await).unwrap();
    assert_eq!(kind, "flash-error");
    assert!(text.starts_with("No hot_water tariff"), "{text}");

    let response = v
        .post_raw(
            "/billing-runs",
            &[
                ("csrf_token", &token),
                ("period", &period),
                ("house_id", &sadovaya.to_string()),
            ],
        )
        .await;
    let again = run_id(&location(&response));
    assert_ne!(again, started[0].id, "billing a month again is a new run");
    let done = wait_completed(&v, again).await;
    assert_eq!(
        done.amount,
        dec!(5552.57),
        "the same lines, not twice as many"
    );

    let response = v
        .post_raw(
            "/billing-runs",
            &[
                ("csrf_token", &token),
                ("period", &period),
                ("house_id", "x"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = v
        .post_raw(
            "/billing-runs",
            &[
                ("csrf_token", &token),
                ("period", &period),
                ("house_id", "999999"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

/// Posts the dashboard's form for every house and `period`.
async fn bill_all(v: &Visitor, period: &str) -> reqwest::Response {
    let token = csrf_token(&v.page("/").await);
    v.post_raw(
        "/billing-runs",
        &[("csrf_token", &token), ("period", period), ("house_id", "")],
    )
    .await
}

#[tokio::test]
async fn billing_all_houses_when_every_one_started_redirects_with_a_short_flash() {
    let v = Visitor::start_in_english().await;
    seed(&v);
    HouseBuilder::new("ул. Пустая, 1").insert(&v.app); // no apartments: nothing to price
    let response = bill_all(&v, &billed().to_string()).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/billing-runs");
    let page = v.page("/billing-runs").await;
    assert_eq!(
        flash(&page),
        Some(("flash-success".into(), "Started 2 runs.".into()))
    );
    assert_eq!(runs(&v).len(), 2);
}

#[tokio::test]
async fn billing_all_houses_with_many_refused_answers_a_page_not_a_500() {
    const REFUSED: usize = 61;
    let v = Visitor::start_in_english().await;
    // Long addresses so the reasons together dwarf any cookie or flash.
    let mut refused = Vec::new();
    for n in 0..REFUSED {
        let address = format!("ул. Очень-очень длинная улица имени кого-то, дом {n:03}");
        let id = HouseBuilder::new(&address)
            .services(&[Service::Maintenance])
            .apartment(ApartmentBuilder::new("1").area(dec!(30.00)))
            .insert(&v.app)
            .id();
        refused.push((id, address));
    }
    let p = billed();
    let response = bill_all(&v, &p.to_string()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let csp = response
        .headers()
        .get(reqwest::header::CONTENT_SECURITY_POLICY)
        .expect("the page carries the security headers");
    assert!(csp.to_str().unwrap().contains("default-src 'self'"));
    let page = response.text().await.unwrap();
    assert!(
        page.contains(&format!(
            "Started 0 runs; {REFUSED} houses could not be billed."
        )),
        "{page}"
    );
    assert!(page.contains("No run started."));
    for (id, address) in &refused {
        let row = section(&page, &format!(r#"<tr id="refused-{id}">"#), "</tr>");
        assert!(row.contains(address.as_str()), "{row}");
        assert!(
            row.contains(&format!("No maintenance tariff is in effect for {p}")),
            "{row}"
        );
    }
    assert!(runs(&v).is_empty());
    // Nothing waits in the session to show on the next page.
    assert_eq!(flash(&v.page("/billing-runs").await), None);
}

#[tokio::test]
async fn the_csv_export_has_one_row_per_line_and_the_total() {
    let v = Visitor::start().await;
    let house = seed(&v);
    let p = billed();
    let response = bill_from_house_page(&v, house, &p.to_string()).await;
    wait_completed(&v, run_id(&location(&response))).await;

    let response = v
        .app
        .get(&format!("/houses/{house}/charges.csv?period={p}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"kvartplata-house-{house}-{p}.csv\"").as_str()
    );
    let bytes = response.bytes().await.unwrap();
    // In the user's language: Russian, then (below) English.
    let month = |p: Period| format::month(p, Locale::Ru);
    let rp = month(p);
    let expected = format!(
        "\u{feff}ул. Садовая, 5;{rp};;;;;;;;;;\r\n\
         Квартира;Услуга;Объём;Ед. изм.;Тариф, ₽;Тариф с;Начислено, ₽;Способ расчёта;\
         Повышающий коэффициент;В т. ч. повышение, ₽;Нет показания;Пояснение\r\n\
         1;Холодное водоснабжение;3,500;м³;42,30;январь 2020;148,05;По показаниям;;;;\
         C-1 по показаниям: 103,500 − 100,000 = 3,500 м³\r\n\
         1;Горячее водоснабжение;6,000;м³;214,76;январь 2020;1288,56;По нормативу;;;да;\
         H-1 по нормативу: 2 чел. × 3,00 м³ = 6,00 м³\r\n\
         1;Водоотведение;9,500;м³;30,00;январь 2020;285,00;Сумма ХВС и ГВС;;;;\
         ХВС 3,500 + ГВС 6,000 = 9,500 м³\r\n\
         1;Содержание жилого помещения;54,30;м²;24,50;январь 2020;1330,35;По площади;;;;\
         площадь 54,30 м²\r\n\
         2;Холодное водоснабжение;4,000;м³;42,30;январь 2020;507,60;По нормативу;3;338,40;;\
         по нормативу: 1 собств. × 4,00 м³ = 4,00 м³ × К 3\r\n\
         2;Горячее водоснабжение;3,000;м³;214,76;январь 2020;966,42;По нормативу;1,5;322,14;;\
         по нормативу: 1 собств. × 3,00 м³ = 3,00 м³ × К 1,5\r\n\
         2;Водоотведение;7,000;м³;30,00;январь 2020;210,00;Сумма ХВС и ГВС;;;;\
         ХВС 4,000 + ГВС 3,000 = 7,000 м³\r\n\
         2;Содержание жилого помещения;33,33;м²;24,50;январь 2020;816,59;По площади;;;;\
         площадь 33,33 м²\r\n\
         Итого;;;;;;5552,57;;;;;\r\n"
    );
    assert_eq!(String::from_utf8(bytes.to_vec()).unwrap(), expected);

    // The accountants' layout: a row per apartment, a column per service.
    let response = v
        .app
        .get(&format!(
            "/houses/{house}/charges.csv?period={p}&layout=apartments"
        ))
        .await;
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"kvartplata-house-{house}-{p}-apartments.csv\"").as_str()
    );
    assert_eq!(
        response.text().await.unwrap(),
        format!(
            "\u{feff}ул. Садовая, 5;{rp};;;;;\r\n\
             Квартира;Площадь, м²;Холодное водоснабжение, ₽;Горячее водоснабжение, ₽;\
             Водоотведение, ₽;Содержание жилого помещения, ₽;Итого, ₽\r\n\
             1;54,30;148,05;1288,56;285,00;1330,35;3051,96\r\n\
             2;33,33;507,60;966,42;210,00;816,59;2500,61\r\n\
             Итого;;655,65;2254,98;495,00;2146,94;5552,57\r\n"
        )
    );

    v.submit_ok("/password", "/language", &[("locale", "en")], "/password")
        .await;
    let response = v
        .app
        .get(&format!("/houses/{house}/charges.csv?period={p}"))
        .await;
    let text = response.text().await.unwrap();
    let mut rows = text.split("\r\n");
    assert_eq!(
        rows.next(),
        Some(format!("\u{feff}ул. Садовая, 5;{p};;;;;;;;;;").as_str())
    );
    assert_eq!(
        rows.next(),
        Some(
            "apartment;service;quantity;unit;price;tariff from;amount;method;coefficient;\
             of it raised by the coefficient;missing reading;explanation"
        )
    );
    assert_eq!(
        rows.next(),
        Some(
            "1;Cold water;3,500;m³;42,30;2020-01;148,05;By readings;;;;C-1 by readings: 103.500 − 100.000 = 3.500 m³"
        )
    );
    assert_eq!(
        rows.nth(3),
        Some(
            "2;Cold water;4,000;m³;42,30;2020-01;507,60;By normative;3;338,40;;by normative: 1 owner × 4.00 m³ = 4.00 m³ × K 3"
        )
    );
    assert_eq!(rows.nth(3), Some("Total;;;;;;5552,57;;;;;"));

    let response = v.app.get(&format!("/houses/{house}/charges.csv")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = v.app.get("/houses/999999/charges.csv?period=2026-01").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_month_not_billed_says_so_and_offers_to_bill_it() {
    let v = Visitor::start_in_english().await;
    let house = seed(&v);
    let p = billed();

    // No month asked and none billed: the month just ended.
    let page = v.page(&format!("/houses/{house}/charges")).await;
    assert!(
        page.contains(&format!("<h1>Results for {p}</h1>")),
        "{page}"
    );
    let block = section(&page, r#"id="not-billed""#, "</div>");
    assert!(block.contains(&format!("No charges for {p}")), "{block}");
    assert!(block.contains(&format!(r#"action="/houses/{house}/billing-runs""#)));
    assert!(block.contains(&format!(
        r#"<input type="hidden" name="period" value="{p}">"#
    )));
    assert!(block.contains(&format!(
        r#"<button type="submit" class="button">Bill {p}</button>"#
    )));
    assert!(!page.contains("Download CSV"));

    // The offered form bills it.
    let response = v
        .submit(
            &format!("/houses/{house}/charges?period={p}"),
            &format!("/houses/{house}/billing-runs"),
            &[("period", &p.to_string())],
        )
        .await;
    wait_completed(&v, run_id(&location(&response))).await;
    // Without a month the page now shows the latest billed one.
    let page = v.page(&format!("/houses/{house}/charges")).await;
    assert!(page.contains(r#"id="house-total">5552.57"#), "{page}");
    assert!(page.contains(&format!(r#"<option value="{p}" selected>{p}</option>"#)));
    let earlier = v
        .page(&format!("/houses/{house}/charges?period={}", p.previous()))
        .await;
    assert!(earlier.contains(&format!(
        r#"<option value="{0}" selected>{0} (not billed)</option>"#,
        p.previous()
    )));

    for bad in ["2026-13", "abc", "2026-1"] {
        let (status, _) = v
            .get(&format!("/houses/{house}/charges?period={bad}"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let (status, html) = v.get("/houses/999999/charges?period=2026-01").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
}

#[tokio::test]
async fn results_page_100_apartments_at_a_time() {
    let v = Visitor::start_in_english().await;
    let id = HouseBuilder::new("пр. Мира, 101")
        .services(&[Service::Maintenance])
        .apartments(101)
        .area(dec!(50.00))
        .insert(&v.app)
        .id();
    tariff(Service::Maintenance, dec!(10.00)).insert(&v.app);
    let p = billed();
    let response = bill_from_house_page(&v, id, &p.to_string()).await;
    wait_completed(&v, run_id(&location(&response))).await;

    let first = v.page(&format!("/houses/{id}/charges?period={p}")).await;
    assert_eq!(
        first.matches(r#"<tbody class="apartment-charges""#).count(),
        100
    );
    assert!(
        first.contains(r#"id="house-total">50500.00"#),
        "the whole house"
    );
    assert!(first.contains(r#"id="billed-count">101<"#));
    assert!(first.contains(&format!(
        r#"<a href="/houses/{id}/charges?period={p}&#38;page=2" rel="next">"#
    )));
    let second = v
        .page(&format!("/houses/{id}/charges?period={p}&page=2"))
        .await;
    assert_eq!(
        second
            .matches(r#"<tbody class="apartment-charges""#)
            .count(),
        1
    );
    assert!(second.contains("Total for apartment 101"));
}

#[tokio::test]
async fn a_failed_run_shows_its_error_and_unknown_runs_are_404() {
    let v = Visitor::start_in_english().await;
    let house = seed(&v);
    let failed = RunBuilder::new(house, billed(), 2)
        .started_now()
        .failed(
            RunFailure::MissingTariff,
            "no hot_water tariff is in effect for the month",
        )
        .insert(&v.app);
    let page = v.page(&format!("/billing-runs/{failed}")).await;
    assert!(page.contains(
        r#"<p id="run-error" class="form-summary" role="alert">The run failed: a service with no tariff or normative kept with the run turned up during it (added to the house after it started). Start the run again.</p>"#
    ), "{page}");
    assert!(page.contains(&format!(
        r#"<button type="submit" class="button">Bill {} again</button>"#,
        billed()
    )));
    assert!(!page.contains("run-results") && !page.contains("http-equiv"));

    let runs_page = v.page("/billing-runs").await;
    assert!(runs_page.contains(r#"<span class="tag tag-run-failed">Failed</span>"#));
    assert!(
        !runs_page.contains(">Results</a>"),
        "a failed run has no results"
    );

    for path in ["/billing-runs/999999", "/billing-runs/abc"] {
        let (status, html) = v.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("Page not found"), "{path}");
    }

    v.submit_ok("/password", "/language", &[("locale", "ru")], "/password")
        .await;
    let page = v.page(&format!("/billing-runs/{failed}")).await;
    assert!(page.contains(
        r#"<p id="run-error" class="form-summary" role="alert">Расчёт завершился ошибкой: во время расчёта появилась услуга без тарифа или норматива"#
    ), "{page}");
}

#[tokio::test]
async fn the_runs_page_is_empty_at_first_and_the_progress_script_is_served() {
    let v = Visitor::start_in_english().await;
    let page = v.page("/billing-runs").await;
    assert!(page.contains("No billing runs yet."), "{page}");
    assert!(
        page.contains(r#"href="/billing-runs" class="current" aria-current="page">Billing</a>"#)
    );

    let response = v.app.get("/static/js/progress.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    let js = response.text().await.unwrap();
    assert!(js.contains("/api/v1/billing-runs") || js.contains("data-api"));
    assert!(js.contains("run-results") && js.contains("run-error"));
}

/// Bills the seeded house's month from its page and waits for the run.
async fn bill(v: &Visitor, house: HouseId) -> BillingRunId {
    let p = billed();
    let response = v
        .submit(
            &format!("/houses/{house}"),
            &format!("/houses/{house}/billing-runs"),
            &[("period", &p.to_string())],
        )
        .await;
    let id = run_id(&location(&response));
    wait_completed(v, id).await;
    id
}

#[tokio::test]
async fn a_stale_run_says_bill_again_and_a_replaced_run_shows_none_of_the_newer_lines() {
    let v = Visitor::start_in_english().await;
    let house = seed(&v);
    let p = billed();
    let first = bill(&v, house).await;
    let results = format!("/houses/{house}/charges?period={p}&run={first}");
    let page = v.page(&results).await;
    assert!(page.contains(r#"id="house-total">5552.57"#), "{page}");
    assert!(!page.contains("Changed after billing"), "{page}");

    // C-1's reading of the month corrected from 103.500 to 110.000.
    let field = format!("m{}", find_meter(&v.app, "C-1").id);
    let response = v
        .submit(
            &format!("/houses/{house}/readings?period={p}"),
            &format!("/houses/{house}/readings"),
            &[("period", &p.to_string()), (&field, "110.000")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(run(&v, first).is_stale());
    let page = v.page(&results).await;
    let notice = section(&page, r#"id="run-stale""#, "</div>");
    assert!(
        notice.contains("Changed after billing — bill again."),
        "{notice}"
    );
    assert!(
        notice.contains(&format!("Bill {p} again</button>")),
        "{notice}"
    );
    assert!(
        page.contains(r#"id="house-total">5552.57"#),
        "as billed: {page}"
    );
    for path in [format!("/houses/{house}"), "/billing-runs".to_owned()] {
        let page = v.page(&path).await;
        assert!(
            page.contains("Changed after billing — bill again"),
            "{path}: {page}"
        );
    }
    let (_, json) =
        crate::helpers::api::get(&v.app, &format!("/api/v1/billing-runs/{first}")).await;
    assert_eq!(json["stale"], true, "{json}");

    // Billing again: 10.000 m³ × 42.30 = 423.00 instead of 148.05, and
    // sewerage (10 + 6) m³ × 30.00 = 480.00 instead of 285.00.
    let second = bill(&v, house).await;
    let newer = format!("/houses/{house}/charges?period={p}&run={second}");
    let page = v.page(&newer).await;
    assert!(page.contains(r#"id="house-total">6022.52"#), "{page}");
    assert!(!page.contains("Changed after billing"), "{page}");

    // The first run's link names it replaced and shows none of the new lines.
    let page = v.page(&results).await;
    let notice = section(&page, r#"id="run-replaced""#, "</div>");
    assert!(
        notice.contains(&format!("#{first}</a> was replaced")),
        "{notice}"
    );
    assert!(
        notice.contains(&format!(
            r#"<a href="/houses/{house}/charges?period={p}&#38;run={second}">"#
        )),
        "{notice}"
    );
    assert!(!page.contains("2569.94"), "{page}");
    assert!(!page.contains("house-total"), "{page}");
    assert!(!page.contains("Changed after billing"), "{page}");
    let progress = v.page(&format!("/billing-runs/{first}")).await;
    assert!(
        progress.contains(&format!(
            r#"Replaced by <a href="/billing-runs/{second}">run #{second}</a>"#
        )),
        "{progress}"
    );
    let list = v.page("/billing-runs").await;
    let row = section(&list, &format!(r#"id="run-{first}""#), "</tr>");
    assert!(row.contains(&format!("run #{second}</a>")), "{row}");
    assert!(!list.contains("Changed after billing"), "{list}");

    // A run of another house, or a month it has not, is no such link.
    let (status, _) = v
        .get(&format!(
            "/houses/{house}/charges?period={}&run={first}",
            p.previous()
        ))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = v.get(&format!("/houses/{house}/charges?run=x")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn apartment_numbers_that_look_like_formulas_are_exported_as_text() {
    let v = Visitor::start_in_english().await;
    let p = billed();
    let numbers = [
        "=1+2",
        "@SUM(A1)",
        "=cmd|'/c calc'!A1",
        "+7",
        "-1+cmd|'/C calc'!A0",
    ];
    let mut house = HouseBuilder::new("ул. Формульная, 1").services(&[Service::Maintenance]);
    for number in numbers {
        house = house.apartment(ApartmentBuilder::new(number).area(dec!(10)));
    }
    let house = house.insert(&v.app).id();
    tariff(Service::Maintenance, dec!(24.50)).insert(&v.app);
    let response = bill_from_house_page(&v, house, &p.to_string()).await;
    wait_completed(&v, run_id(&location(&response))).await;

    let response = v
        .app
        .get(&format!("/houses/{house}/charges.csv?period={p}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let first_cells: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|line| line.split(';').next().unwrap())
        .collect();
    // Each cell starts with `'`, so no spreadsheet runs it; the amounts
    // stay numbers.
    for number in numbers {
        let quoted = format!("'{number}");
        let shown = if number.contains(['"', ';']) {
            format!("\"{quoted}\"")
        } else {
            quoted
        };
        assert!(first_cells.contains(&shown.as_str()), "{number}: {text}");
    }
    assert!(
        !text
            .lines()
            .any(|line| line.starts_with(['=', '+', '-', '@'])),
        "{text}"
    );
    assert!(text.contains(";245,00;"), "{text}");
}

/// A month as the Russian pages write it: «ноябрь 2026».
fn ru(p: Period) -> String {
    kvartplata::i18n::format::month(p, kvartplata::i18n::Locale::Ru)
}

#[tokio::test]
async fn the_progress_results_and_runs_pages_speak_russian_figures_and_months() {
    let v = Visitor::start().await;
    let house = seed(&v);
    let p = billed();

    let response = bill_from_house_page(&v, house, &p.to_string()).await;
    let to = location(&response);
    let id = run_id(&to);
    let progress = v.page(&to).await;
    assert_eq!(
        flash(&progress),
        Some((
            "flash-success".into(),
            format!("Расчёт за {} запущен: 2 квартиры.", ru(p))
        ))
    );
    // The script's words come from the page.
    assert!(progress.contains(r#"data-locale="ru""#), "{progress}");
    assert!(progress.contains(r#"data-status-completed="Завершён""#));
    assert!(progress.contains(r#"data-counts-other="Рассчитано {processed} из {total}""#));
    wait_completed(&v, id).await;

    let progress = v.page(&to).await;
    assert!(progress.contains(&format!("<h1>Расчёт за {}</h1>", ru(p))));
    assert!(progress.contains(r#"<span id="run-counts">Рассчитано 2 из 2</span>"#));
    assert!(progress.contains("Начислено</dt>"), "{progress}");
    assert!(progress.contains("5\u{a0}552,57</span>"), "{progress}");
    assert!(progress.contains(r#"aria-live="polite">Завершён</span>"#));
    assert!(progress.contains(&format!("Начисления за {}</a>", ru(p))));

    let results = v
        .page(&format!("/houses/{house}/charges?period={p}&run={id}"))
        .await;
    assert!(results.contains(&format!("<h1>Начислено за {}</h1>", ru(p))));
    assert!(
        results.contains("id=\"house-total\">5\u{a0}552,57<span class=\"unit\">₽</span>"),
        "{results}"
    );
    assert!(results.contains(&format!("итого по дому за {}", ru(p))));
    assert!(results.contains("квартиры рассчитаны"));
    assert!(results.contains("строка без показания"));
    assert!(results.contains("Скачать CSV"));
    let a1 = section(&results, "кв. <a", "</tbody>");
    let cold = section(a1, "charge-line service-cold_water", "</tr>");
    assert!(cold.contains("Холодное водоснабжение"), "{cold}");
    assert!(
        cold.contains("3,500<span class=\"unit\">м³</span>"),
        "{cold}"
    );
    assert!(
        cold.contains("42,30<span class=\"unit\">₽/м³</span>"),
        "{cold}"
    );
    assert!(cold.contains("с 01.01.2020"), "{cold}");
    assert!(cold.contains(">По показаниям</span>"), "{cold}");
    assert!(
        cold.contains("<li>C-1 по показаниям: 103,500 − 100,000 = 3,500 м³</li>"),
        "{cold}"
    );
    let hot = section(a1, "charge-line service-hot_water line-missing", "</tr>");
    assert!(hot.contains(">нет показания</span>"), "{hot}");
    assert!(
        hot.contains("<li>H-1 по нормативу: 2 чел. × 3,00 м³ = 6,00 м³</li>"),
        "{hot}"
    );
    let sewerage = section(a1, "charge-line service-sewerage", "</tr>");
    assert!(sewerage.contains("Водоотведение"), "{sewerage}");
    assert!(sewerage.contains(">Сумма ХВС и ГВС</span>"), "{sewerage}");
    let upkeep = section(a1, "charge-line service-maintenance", "</tr>");
    assert!(upkeep.contains("<li>площадь 54,30 м²</li>"), "{upkeep}");
    let a2 = &results[results.find("Итого по кв. 1").unwrap()..];
    let cold = section(a2, "charge-line service-cold_water", "</tr>");
    assert!(
        cold.contains("<li>по нормативу: 1 собств. × 4,00 м³ = 4,00 м³ × К 3</li>"),
        "{cold}"
    );
    assert!(cold.contains("К 3 · +338,40 ₽</span>"), "{cold}");
    assert!(upkeep.contains("1\u{a0}330,35<span class=\"unit\">₽</span>"));
    assert!(results.contains("Итого по кв. 1") && results.contains("Итого по кв. 2"));
    assert!(results.contains("Итого по дому, 2 квартиры"));
    assert!(results.contains(&format!(
        r#"<option value="{p}" selected>{}</option>"#,
        ru(p)
    )));
    for english in [
        "Apartment",
        "Total",
        "Results",
        "Service",
        "Amount",
        "missing reading",
    ] {
        assert!(!results.contains(english), "{english} left in English");
    }

    let runs_page = v.page("/billing-runs").await;
    assert!(runs_page.contains("<h1>Расчёты</h1>"));
    assert!(
        runs_page.contains("1 расчёт, сначала новые."),
        "{runs_page}"
    );
    let row = section(&runs_page, &format!(r#"<tr id="run-{id}">"#), "</tr>");
    assert!(
        row.contains(&format!(r#"<span class="month">{}</span>"#, ru(p))),
        "{row}"
    );
    assert!(row.contains(r#"<span class="tag tag-run-completed">Завершён</span>"#));
    assert!(
        row.contains("5\u{a0}552,57<span class=\"unit\">₽</span>"),
        "{row}"
    );
}

#[tokio::test]
async fn refusals_say_what_to_do_in_russian_and_link_to_the_tariff_form() {
    let v = Visitor::start().await;
    let house = seed(&v);
    let back = format!("/houses/{house}");

    let response = bill_from_house_page(&v, house, "  ").await;
    assert_eq!(location(&response), back);
    assert_eq!(
        flash(&v.page(&back).await).map(|(_, text)| text),
        Some("Введите месяц расчёта в виде ГГГГ-ММ.".into())
    );

    let far = Period::current().next().next();
    bill_from_house_page(&v, house, &far.to_string()).await;
    assert_eq!(
        flash(&v.page(&back).await).map(|(_, text)| text),
        Some(format!(
            "Месяц {} ещё не наступил: рассчитать можно не дальше следующего месяца.",
            ru(far)
        ))
    );

    // Every service lacks a tariff before 2020-01: named, with a link to
    // the form for the first, its month filled in.
    bill_from_house_page(&v, house, "2019-12").await;
    let (kind, text) = flash(&v.page(&back).await).unwrap();
    assert_eq!(kind, "flash-error");
    assert_eq!(
        text,
        "Нет тарифов ХВС, ГВС, водоотведения и на содержание жилого помещения на декабрь 2019 — \
         <a href=\"/tariffs/new?service=cold_water&#38;valid_from=2019-12\">добавить</a>"
    );
    let form = v
        .page("/tariffs/new?service=cold_water&valid_from=2019-12")
        .await;
    assert!(
        form.contains(r#"<option value="cold_water" selected>"#),
        "{form}"
    );
    assert!(
        form.contains(r#"name="valid_from" value="2019-12""#),
        "{form}"
    );
    assert!(runs(&v).is_empty(), "nothing started");

    let active = active_run(&v, house, billed());
    bill_from_house_page(&v, house, &billed().to_string()).await;
    let progress = v.page(&format!("/billing-runs/{active}")).await;
    assert_eq!(
        flash(&progress).map(|(_, text)| text),
        Some(format!(
            "Расчёт №{active} этого дома за этот месяц ещё идёт."
        ))
    );
    assert!(progress.contains(r#"<span id="run-counts">Рассчитано 1 из 2</span>"#));
    assert!(progress.contains("Начислено на сейчас"));
    assert!(progress.contains(">Обновить</a>"));
}

#[tokio::test]
async fn billing_every_house_in_russian_lists_the_refused_with_the_link() {
    let v = Visitor::start().await;
    seed(&v);
    let lesnaya = HouseBuilder::new("ул. Лесная, 2")
        .apartment(
            ApartmentBuilder::new("7")
                .area(dec!(40.00))
                .meter(MeterBuilder::hot("H-7")),
        )
        .insert(&v.app)
        .id();
    let p = billed();
    let response = bill_all(&v, &p.to_string()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    assert!(page.contains(&format!("<h1>Расчёт за {}: все дома</h1>", ru(p))));
    assert!(
        page.contains("Запущено расчётов: 1; не удалось рассчитать 1 дом."),
        "{page}"
    );
    let refused = section(&page, &format!(r#"<tr id="refused-{lesnaya}">"#), "</tr>");
    assert!(
        refused.contains(&format!(
            "Нет тарифа ГВС на {} — <a href=\"/tariffs/new?service=hot_water&#38;valid_from={p}\">добавить</a>",
            ru(p)
        )),
        "{refused}"
    );
    assert!(page.contains(">На главную</a>"));
}
