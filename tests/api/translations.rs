//! Every page in both languages over the demo data, and no interface word
//! left in English on a Russian page.

use std::time::Duration;

use diesel::prelude::*;
use kvartplata::db::schema::{
    accounts, apartments, billing_runs, houses, key_rates, meters, tariffs, users,
};
use kvartplata::domain::{Period, RunStatus};
use reqwest::StatusCode;

use kvartplata::domain::Role;

use crate::helpers::app::{ADMIN_PASSWORD, eventually};
use crate::helpers::fixtures::HouseBuilder;
use crate::helpers::pages::{Visitor, location};

/// The words of the English interface that must not be left on a Russian
/// page (the data — addresses, serials — is Russian in the demo).
const ENGLISH_UI_WORDS: &[&str] = &[
    "House",
    "Houses",
    "Apartment",
    "Apartments",
    "Meter",
    "Meters",
    "Reading",
    "Readings",
    "Tariff",
    "Tariffs",
    "Billing",
    "Bill",
    "Save",
    "Delete",
    "Edit",
    "Cancel",
    "Sign",
    "out",
    "Dashboard",
    "Upload",
    "Download",
    "Total",
    "Period",
    "Month",
    "Status",
    "Started",
    "Finished",
    "Results",
    "Runs",
    "Users",
    "User",
    "Tokens",
    "Token",
    "Audit",
    "Search",
    "Previous",
    "Next",
    "Add",
    "New",
    "Change",
    "Yes",
    "No",
    "Created",
    "none",
    "never",
    "Cold",
    "Hot",
    "water",
    "Maintenance",
    "Area",
    "Serial",
    "Kind",
    "Price",
    "Amount",
    "Password",
    "Role",
    "Name",
    "Back",
    "Show",
    "Page",
    "of",
    "the",
    "and",
    "for",
    "with",
    "Queued",
    "Running",
    "Completed",
    "Failed",
    "Admin",
    "Manager",
    "Viewer",
    "Language",
    "Consumption",
    "Initial",
    "missing",
    "Missing",
    "reading",
    "Filter",
    "Loading",
];

/// Text a person reads on a page: the text between tags and the titles,
/// labels and placeholders of elements; no scripts, styles or markup.
fn readable_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        rest = &rest[open..];
        if let Some(raw) = ["<script", "<style"]
            .into_iter()
            .find(|raw| rest.starts_with(raw))
        {
            let close = format!("</{}>", &raw[1..]);
            let end = rest.find(&close).map_or(rest.len(), |at| at + close.len());
            rest = &rest[end..];
            continue;
        }
        let Some(close) = rest.find('>') else { break };
        let tag = &rest[..close];
        for attribute in [
            "title=\"",
            "aria-label=\"",
            "placeholder=\"",
            "alt=\"",
            "data-confirm=\"",
        ] {
            if let Some(at) = tag.find(attribute) {
                let value = &tag[at + attribute.len()..];
                text.push_str(&value[..value.find('"').unwrap_or(value.len())]);
                text.push(' ');
            }
        }
        rest = &rest[close + 1..];
    }
    text.push_str(rest);
    text
}

/// The English interface words among `html`'s readable text.
fn english_words(html: &str) -> Vec<String> {
    let text = readable_text(html);
    let mut found: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|word| ENGLISH_UI_WORDS.contains(word))
        .map(str::to_owned)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// The `lang` of a page's `<html>`.
fn html_lang(html: &str) -> &str {
    let rest = &html[html.find("<html lang=\"").expect("an <html lang>") + 12..];
    &rest[..rest.find('"').unwrap()]
}

/// Ids of the demo data to put into the paths.
struct Demo {
    house: i64,
    apartment: i64,
    meter: i64,
    tariff: i64,
    user: i64,
    run: i64,
    period: Period,
    /// The demo apartment's personal account.
    account: String,
}

/// The demo data (one house of 30 apartments), its last month billed.
async fn demo(v: &Visitor) -> Demo {
    let mut conn = v.app.db.conn();
    kvartplata::demo::load(&mut conn, 1, 30, Period::current()).unwrap();
    let house: i64 = houses::table.select(houses::id).first(&mut conn).unwrap();
    let apartment: i64 = meters::table
        .inner_join(apartments::table)
        .filter(apartments::house_id.eq(house))
        .select(apartments::id)
        .first(&mut conn)
        .unwrap();
    let meter: i64 = meters::table
        .filter(meters::apartment_id.eq(apartment))
        .select(meters::id)
        .first(&mut conn)
        .unwrap();
    let tariff: i64 = tariffs::table.select(tariffs::id).first(&mut conn).unwrap();
    let user: i64 = users::table.select(users::id).first(&mut conn).unwrap();
    let account: String = accounts::table
        .filter(accounts::apartment_id.eq(apartment))
        .select(accounts::number)
        .first(&mut conn)
        .unwrap();
    assert_eq!(
        key_rates::table
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap(),
        1
    );
    let period = Period::current().previous();
    let response = v
        .submit(
            &format!("/houses/{house}"),
            &format!("/houses/{house}/billing-runs"),
            &[("period", &period.to_string())],
        )
        .await;
    let run: i64 = location(&response)
        .strip_prefix("/billing-runs/")
        .expect("a run page")
        .parse()
        .unwrap();
    let completed = eventually(Duration::from_secs(60), || async {
        let mut conn = v.app.db.conn();
        let status: RunStatus = billing_runs::table
            .find(run)
            .select(billing_runs::status)
            .first(&mut conn)
            .unwrap();
        status == RunStatus::Completed
    })
    .await;
    assert!(completed, "the demo house's run did not complete");
    Demo {
        house,
        apartment,
        meter,
        tariff,
        user,
        run,
        period,
        account,
    }
}

/// Every page a signed-in admin reaches by GET, with the demo's ids.
fn pages(d: &Demo) -> Vec<String> {
    let (h, a, m, p) = (d.house, d.apartment, d.meter, d.period);
    vec![
        "/".into(),
        "/houses".into(),
        "/houses/new".into(),
        format!("/houses/{h}"),
        format!("/houses/{h}?q=1"),
        format!("/houses/{h}/edit"),
        format!("/houses/{h}/apartments/new"),
        format!("/apartments/{a}"),
        format!("/apartments/{a}/edit"),
        format!("/apartments/{a}/meters/new"),
        format!("/meters/{m}"),
        format!("/meters/{m}/edit"),
        format!("/meters/{m}/replace"),
        format!("/houses/{h}/readings?period={p}"),
        format!("/houses/{h}/readings/upload?period={p}"),
        format!("/houses/{h}/register"),
        format!("/houses/{h}/charges?period={p}"),
        format!("/houses/{h}/receipts?period={p}"),
        format!("/houses/{h}/charges?period={}", p.next()),
        "/billing-runs".into(),
        format!("/billing-runs/{}", d.run),
        "/tariffs".into(),
        format!("/tariffs?house_id={h}&period=2019-01"),
        "/tariffs/new".into(),
        format!("/tariffs/{}/edit", d.tariff),
        "/normatives".into(),
        format!("/accounts/{}", d.account),
        // No account has the number: the accounts that start with it.
        format!("/accounts?account={}", &d.account[..4]),
        "/accounts".into(),
        format!("/houses/{h}/balances?period={p}"),
        format!("/houses/{h}/balances"),
        "/debtors".into(),
        format!("/debtors?house={h}&above=100&months=2&sort=months"),
        "/payments/import".into(),
        "/payments/unmatched".into(),
        "/key-rates".into(),
        "/organization".into(),
        "/audit".into(),
        "/tokens".into(),
        "/users".into(),
        format!("/users/{}", d.user),
        "/password".into(),
        "/api/docs".into(),
    ]
}

#[tokio::test]
async fn every_page_renders_in_russian_and_english_and_russian_pages_have_no_english_words() {
    let ru = Visitor::start().await;
    let d = demo(&ru).await;
    // A second admin whose setting is English.
    ru.app.user_with_token("english", Role::Admin);
    let en = ru.app.signed_in_client("english", ADMIN_PASSWORD).await;
    let csrf = ru.app.csrf_from(&en, "/password").await;
    let chosen = en
        .post(ru.app.url("/language"))
        .form(&[("csrf_token", csrf.as_str()), ("locale", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);
    let english_page = |path: String| {
        let (app, en) = (&ru.app, &en);
        async move {
            let response = en.get(app.url(&path)).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path} in English");
            response.text().await.unwrap()
        }
    };
    let mut left_in_english = Vec::new();
    for path in pages(&d) {
        let russian = ru.page(&path).await;
        assert_eq!(html_lang(&russian), "ru", "{path}");
        // The API's own texts are English (the docs page shows them).
        let words = if path == "/api/docs" {
            Vec::new()
        } else {
            english_words(&russian)
        };
        if !words.is_empty() {
            left_in_english.push(format!("{path}: {}", words.join(", ")));
        }
        let english = english_page(path.clone()).await;
        // A receipt is the resident's document: Russian whoever prints it.
        if path.contains("/receipts") {
            assert_eq!(english, russian, "{path}");
            continue;
        }
        assert_eq!(html_lang(&english), "en", "{path}");
        assert_ne!(russian, english, "{path} is the same in both languages");
    }
    // The error page too.
    for (client, lang) in [(&ru.client, "ru"), (&en, "en")] {
        let response = client
            .get(ru.app.url("/houses/999999999"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let html = response.text().await.unwrap();
        assert_eq!(html_lang(&html), lang);
        if lang == "ru" {
            let words = english_words(&html);
            if !words.is_empty() {
                left_in_english.push(format!("error page: {}", words.join(", ")));
            }
        }
    }
    assert!(
        left_in_english.is_empty(),
        "English interface words on Russian pages:\n{}",
        left_in_english.join("\n")
    );
}

#[test]
fn the_scan_reads_text_and_labels_not_markup() {
    let html = r#"<html lang="ru"><head><style>.House{}</style><script>let Save = 1;</script></head>
        <body class="House"><a href="/houses" title="Edit">Дома</a> <input placeholder="Search">
        <p>Сохранить</p> <button aria-label="Delete">×</button> ХВ-01</body></html>"#;
    assert_eq!(english_words(html), vec!["Delete", "Edit", "Search"]);
    assert!(english_words("<p>Показания за ноябрь 2026</p>").is_empty());
}

#[tokio::test]
async fn every_month_field_offers_the_same_named_months() {
    let v = Visitor::start().await;
    let now = Period::current();
    let named = kvartplata::i18n::format::month(now, kvartplata::i18n::Locale::Ru);
    let house = HouseBuilder::new("ул. Месячная, 1").insert(&v.app).id();
    for path in [
        format!("/houses/{house}"),
        "/tariffs".into(),
        "/tariffs/new".into(),
        "/normatives".into(),
    ] {
        let path = path.as_str();
        let html = v.page(path).await;
        assert!(
            html.contains(r#"list="month-choices""#),
            "{path} has a month field with the choices"
        );
        assert!(
            html.contains(&format!(r#"<option value="{now}">{named}</option>"#)),
            "{path}: {html}"
        );
        assert!(
            !html.contains(r#"type="month""#),
            "no native picker on {path}"
        );
    }
}
