//! The pages of personal accounts and money, as a browser without
//! JavaScript uses them: the apartment's «Лицевой счёт» form, the account
//! page (statement, payments by hand, deleted with a reason), the search,
//! the bank register upload and the unmatched payments, the
//! оборотно-сальдовая ведомость (page and CSV), the debtors and the key
//! rates.

use std::time::Duration;

use chrono::Utc;
use diesel::prelude::*;
use kvartplata::db::models::{ApartmentId, BillingRunId, PaymentId, PenaltyCharge};
use kvartplata::db::queries;
use kvartplata::db::schema::{key_rates, payments};
use kvartplata::domain::ledger::{DebtPenalty, Fraction, PenaltySpan};
use kvartplata::domain::{Period, Role, RunStatus, Service, TimeZone};
use kvartplata::services::accounts::SetAccount;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::helpers::app::{ADMIN_PASSWORD, eventually};
use crate::helpers::fixtures::{ApartmentBuilder, Database, HouseBuilder, TariffBuilder, month};
use crate::helpers::pages::{
    Visitor, csrf_token, field_error, flash, input_value, location, section,
};

/// A no-break space: Russian figures group thousands with it.
const NB: char = '\u{a0}';

/// Gives `apartment` the account `number` from `from` with `opening` owed.
fn open_account(v: &Visitor, apartment: ApartmentId, number: &str, opening: Decimal, from: Period) {
    let set = SetAccount {
        number: number.to_owned(),
        holder: format!("Плательщик {number}"),
        opening_balance: opening,
        opening_period: from,
    };
    v.app.with_conn(|conn| {
        kvartplata::services::accounts::set(conn, apartment, &set).unwrap();
    });
}

/// Today as the payment form takes it (houses are in Moscow time).
fn today() -> String {
    Utc::now()
        .with_timezone(&TimeZone::default().tz())
        .date_naive()
        .format("%d.%m.%Y")
        .to_string()
}

/// The 10th of `period` as the payment form takes it: a day of a house's
/// current period (the month before this one while none is closed), so
/// never after today.
fn tenth_of(period: Period) -> String {
    (period.first_day() + chrono::Days::new(9))
        .format("%d.%m.%Y")
        .to_string()
}

/// The cells' text of the row with `id`.
fn row_cells(html: &str, id: &str) -> Vec<String> {
    let row = section(html, &format!(r#"<tr id="{id}""#), "</tr>");
    row.split("<td")
        .skip(1)
        .map(|cell| {
            let inner = &cell[cell.find('>').unwrap() + 1..];
            let inner = &inner[..inner.find("</td>").unwrap_or(inner.len())];
            strip_tags(inner)
        })
        .collect()
}

fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.trim().to_owned()
}

/// The live (not deleted) payments of the database, (id, amount).
fn live_payments(v: &Visitor) -> Vec<(PaymentId, Decimal, Option<i64>)> {
    v.app.with_conn(|conn| {
        payments::table
            .filter(payments::deleted_at.is_null())
            .order_by(payments::id)
            .select((payments::id, payments::amount, payments::account_id))
            .load::<(PaymentId, Decimal, Option<i64>)>(conn)
            .unwrap()
    })
}

#[tokio::test]
async fn the_apartment_page_opens_and_changes_its_account_and_keeps_bad_input() {
    let v = Visitor::start().await;
    let seeded = HouseBuilder::new("ул. Счётная, 1")
        .apartments(2)
        .insert(&v.app);
    let (first, second) = (seeded.apartments[0].id, seeded.apartments[1].id);
    let page = format!("/apartments/{first}");
    let html = v.page(&page).await;
    assert!(html.contains(r#"id="no-account""#), "{html}");
    assert!(html.contains("Открыть лицевой счёт"));
    // A new account opens in the house's current period, nothing owed.
    let current = seeded.house.current_period();
    assert_eq!(input_value(&html, "opening_period"), current.to_string());
    assert_eq!(input_value(&html, "opening_balance"), "0,00");

    let action = format!("{page}/account");
    let html = v
        .submit_ok(
            &page,
            &action,
            &[
                ("number", " 1001001001 "),
                ("holder", "Иванов Иван Иванович"),
                ("opening_balance", "1 520,40"),
                ("opening_period", "01.2026"),
            ],
            &page,
        )
        .await;
    assert_eq!(flash(&html).unwrap().1, "Лицевой счёт 1001001001 сохранён.");
    assert!(
        html.contains(r#"<a id="account-link" href="/accounts/1001001001">1001001001</a>"#),
        "{html}"
    );
    assert!(html.contains(&format!("1{NB}520,40")), "{html}");
    assert!(html.contains("на 01.01.2026"));
    // The form now changes it, showing it as stored.
    assert!(html.contains("Изменить лицевой счёт"));
    assert_eq!(input_value(&html, "opening_period"), "2026-01");
    let stored = v.app.with_conn(|conn| {
        queries::accounts::of_apartment(conn, first)
            .unwrap()
            .unwrap()
    });
    assert_eq!(
        (stored.holder.as_str(), stored.opening_balance),
        ("Иванов Иван Иванович", dec!(1520.40))
    );

    // A number with a sign: the form again with the message and the input.
    let response = v
        .submit(
            &page,
            &action,
            &[
                ("number", "12-3"),
                ("holder", "Петров П. П."),
                ("opening_balance", "сто"),
                ("opening_period", "2026-01"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "number").unwrap(),
        "Номер лицевого счёта — только буквы и цифры, без пробелов и знаков."
    );
    assert!(field_error(&html, "opening_balance").is_some(), "{html}");
    assert_eq!(input_value(&html, "number"), "12-3");
    assert_eq!(input_value(&html, "holder"), "Петров П. П.");
    assert_eq!(input_value(&html, "opening_balance"), "сто");
    let unchanged = v.app.with_conn(|conn| {
        queries::accounts::of_apartment(conn, first)
            .unwrap()
            .unwrap()
    });
    assert_eq!(unchanged.number, "1001001001");

    // Another apartment may not take the number (in any case of letters).
    open_account(&v, second, "ЛС42", dec!(0), current);
    let response = v
        .submit(
            &page,
            &action,
            &[
                ("number", "лс42"),
                ("holder", ""),
                ("opening_balance", "0"),
                ("opening_period", "2026-01"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "number").unwrap(),
        "Номер &#34;лс42&#34; уже у другого лицевого счёта."
    );
    assert_eq!(input_value(&html, "number"), "лс42");
}

#[tokio::test]
async fn the_search_finds_a_number_or_lists_those_starting_with_it() {
    let v = Visitor::start().await;
    let seeded = HouseBuilder::new("ул. Поисковая, 3")
        .apartments(3)
        .insert(&v.app);
    let current = seeded.house.current_period();
    open_account(&v, seeded.apartments[0].id, "1001001001", dec!(0), current);
    open_account(&v, seeded.apartments[1].id, "1001001002", dec!(0), current);
    open_account(&v, seeded.apartments[2].id, "ЛС42", dec!(0), current);

    // The menu's search field on every page.
    let html = v.page("/").await;
    assert!(html.contains(r#"<form class="menu-search" method="get" action="/accounts""#));

    let response = v.response("/accounts?account=+1001001002+").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/accounts/1001001002");
    // Letters in any case; the path carries them encoded.
    let response = v.response("/accounts?account=%D0%BB%D1%8142").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cyrillic = location(&response);
    assert_eq!(cyrillic, "/accounts/%D0%9B%D0%A142");
    let html = v.page(&cyrillic).await;
    assert!(html.contains("<h1>Л/с ЛС42</h1>"), "{html}");

    let html = v.page("/accounts?account=10010").await;
    assert!(html.contains("Лицевого счёта 10010 нет."), "{html}");
    let found = section(&html, r#"id="search-results""#, "</table>");
    assert_eq!(
        found.matches(r#"<td><a href="/accounts/"#).count(),
        2,
        "{found}"
    );
    assert!(found.contains(r#"href="/accounts/1001001001""#));
    assert!(found.contains("кв. 2"));
    let html = v.page("/accounts?account=999%25").await;
    assert!(
        html.contains("И ни один номер с этого не начинается."),
        "{html}"
    );

    let (status, html) = v.get("/accounts/1001009999").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{html}");
}

#[tokio::test]
async fn a_payment_by_hand_shows_in_the_statement_and_is_deleted_only_with_a_reason() {
    let v = Visitor::start().await;
    let seeded = HouseBuilder::new("ул. Платёжная, 2")
        .apartments(1)
        .insert(&v.app);
    let current = seeded.house.current_period();
    open_account(&v, seeded.apartments[0].id, "2002", dec!(1000), current);
    let page = "/accounts/2002";
    let html = v.page(page).await;
    assert!(
        html.contains(&format!("Задолженность 1{NB}000,00 ₽")),
        "{html}"
    );
    assert_eq!(input_value(&html, "paid_on"), today());
    assert!(html.contains("Оплат пока нет."));

    // An amount that is no payment: the form again with the message.
    let response = v
        .submit(
            page,
            "/accounts/2002/payments",
            &[("paid_on", &today()), ("amount", "-5"), ("period", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "amount").unwrap(),
        "Сумма должна быть больше 0."
    );
    assert_eq!(input_value(&html, "amount"), "-5");
    assert!(live_payments(&v).is_empty());

    let html = v
        .submit_ok(
            page,
            "/accounts/2002/payments",
            &[
                ("paid_on", &tenth_of(current)),
                ("amount", "250,50"),
                ("period", &current.previous().to_string()),
            ],
            "/accounts/2002#payments",
        )
        .await;
    assert_eq!(flash(&html).unwrap().1, "Оплата 250,50 ₽ внесена.");
    let month = row_cells(&html, &format!("month-{current}"));
    assert_eq!(
        month[1..],
        [
            format!("1{NB}000,00"),
            "0,00".into(),
            "0,00".into(),
            "250,50".into(),
            "749,50".into()
        ]
    );
    assert!(html.contains("Задолженность 749,50 ₽"), "{html}");
    let [(id, amount, _)] = live_payments(&v)[..] else {
        panic!("one payment")
    };
    assert_eq!(amount, dec!(250.50));
    let cells = row_cells(&html, &format!("payment-{id}"));
    assert_eq!(cells[1], "250,50₽");
    assert_eq!(cells[3], "Вручную");

    // Without a reason: refused beside the payment, nothing deleted.
    let delete = format!("/accounts/2002/payments/{id}/delete");
    let response = v.submit(page, &delete, &[("reason", "  ")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        field_error(&html, &format!("reason-{id}")).is_some(),
        "{html}"
    );
    assert_eq!(live_payments(&v).len(), 1);

    let html = v
        .submit_ok(
            page,
            &delete,
            &[("reason", "Ошибочно внесена")],
            "/accounts/2002#payments",
        )
        .await;
    assert_eq!(flash(&html).unwrap().1, "Оплата 250,50 ₽ удалена.");
    assert!(html.contains("Оплат пока нет."));
    assert!(html.contains(&format!("Задолженность 1{NB}000,00 ₽")));
    let reason: Option<String> = v.app.with_conn(|conn| {
        payments::table
            .find(id)
            .select(payments::deleted_reason)
            .first(conn)
            .unwrap()
    });
    assert_eq!(reason.as_deref(), Some("Ошибочно внесена"));
    // Deleted once: again is the 404 page.
    let response = v.submit(page, &delete, &[("reason", "Ещё раз")]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // Paid today, after the current period: listed, and said to count in
    // the months to come; the statement stops at the current period.
    let html = v
        .submit_ok(
            page,
            "/accounts/2002/payments",
            &[("paid_on", &today()), ("amount", "100"), ("period", "")],
            "/accounts/2002#payments",
        )
        .await;
    let ru_month = kvartplata::i18n::format::month(current, kvartplata::i18n::Locale::Ru);
    assert!(
        html.contains(&format!(
            "Оплаты после текущего расчётного периода ({ru_month}): 100,00 ₽"
        )),
        "{html}"
    );
    assert_eq!(
        row_cells(&html, &format!("month-{current}"))[5],
        format!("1{NB}000,00")
    );

    // A viewer reads the page without its forms, and may not post them.
    v.app.user_with_token("vera", Role::Viewer);
    let viewer = v.app.signed_in_client("vera", ADMIN_PASSWORD).await;
    let html = v.app.text_of(&viewer, page).await;
    assert!(html.contains("<h1>Л/с 2002</h1>") && !html.contains(r#"id="payment-form""#));
    let token = csrf_token(&html);
    let response = viewer
        .post(v.app.url("/accounts/2002/payments"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("paid_on", &today()),
            ("amount", "10"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(live_payments(&v).len(), 1);
}

/// Uploads `file` through the register page's form, with its token.
async fn upload(v: &Visitor, name: &str, file: &[u8]) -> reqwest::Response {
    let token = csrf_token(&v.page("/payments/import").await);
    let part = Part::bytes(file.to_vec())
        .file_name(name.to_owned())
        .mime_str("text/plain")
        .unwrap();
    v.client
        .post(v.app.url("/payments/import"))
        .multipart(Form::new().text("csrf_token", token).part("file", part))
        .send()
        .await
        .unwrap()
}

const SAMPLE: &[u8] = include_bytes!("../fixtures/bank-register-sber-cp1251.txt");

#[tokio::test]
async fn the_sample_register_uploads_once_and_its_unmatched_payment_is_assigned() {
    let v = Visitor::start().await;
    let seeded = HouseBuilder::new("г. Казань, ул. Баумана, д. 12")
        .apartments(3)
        .insert(&v.app);
    for (i, apartment) in seeded.apartments.iter().enumerate() {
        open_account(
            &v,
            apartment.id,
            &format!("100100100{}", i + 1),
            dec!(0),
            month("2026-01"),
        );
    }
    let html = v.page("/payments/import").await;
    assert!(html.contains("Загрузить реестр") && html.contains("Реестров ещё не загружали."));
    // The menu leads here.
    assert!(
        html.contains(r#"href="/payments/import" class="current" aria-current="page">Платежи</a>"#)
    );

    // No file chosen.
    let response = upload(&v, "", b"").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(field_error(&html, "file").is_some(), "{html}");

    // A file whose totals do not match: every bad line, nothing saved.
    let text = String::from_utf8_lossy(SAMPLE).replace("=5;8780,75", "=5;8780,76");
    let (bad, _, _) = encoding_rs::WINDOWS_1251.encode(&text);
    let broken = [bad.as_ref(), b"01-13-2026;x\n"].concat();
    let response = upload(&v, "broken.txt", &broken).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"id="upload-report""#), "{html}");
    assert!(html.contains("Реестр не загружен, ни один платёж не сохранён"));
    assert!(html.contains(r#"<li id="line-7""#), "{html}");
    assert!(live_payments(&v).is_empty());

    let response = upload(&v, "bank-register-sber-cp1251.txt", SAMPLE).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/payments/import");
    let html = v.page("/payments/import").await;
    let (kind, message) = flash(&html).unwrap();
    assert_eq!(kind, "flash-warning");
    assert!(
        message.starts_with(&format!(
            "Реестр загружен: разнесено 4, неразнесённых 1, повторов 0, на сумму 8{NB}780,75 ₽."
        )),
        "{message}"
    );
    assert!(message.contains(r#"<a href="/payments/unmatched">разнести</a>"#));
    let imports = section(&html, r#"id="imports""#, "</table>");
    assert!(
        imports.contains("bank-register-sber-cp1251.txt"),
        "{imports}"
    );
    assert!(imports.contains("admin"), "{imports}");
    assert!(imports.contains(&format!("8{NB}780,75")));
    assert!(html.contains("Ждут разнесения: 1."));
    assert_eq!(live_payments(&v).len(), 5);

    // Again: only duplicates.
    upload(&v, "bank-register-sber-cp1251.txt", SAMPLE).await;
    let html = v.page("/payments/import").await;
    assert_eq!(
        flash(&html).unwrap().1,
        "Все платежи реестра уже были загружены (5) — ничего не добавлено."
    );
    assert_eq!(live_payments(&v).len(), 5);

    // The unmatched one, assigned from its row.
    let html = v.page("/payments/unmatched").await;
    assert!(html.contains("1 неразнесённый платёж"), "{html}");
    let unmatched: Vec<_> = live_payments(&v)
        .into_iter()
        .filter(|p| p.2.is_none())
        .collect();
    let [(id, amount, _)] = unmatched[..] else {
        panic!("one unmatched payment: {unmatched:?}")
    };
    assert_eq!(amount, dec!(800.00));
    let cells = row_cells(&html, &format!("payment-{id}"));
    assert_eq!(
        cells[..5],
        [
            "06.11.2026",
            "1001009999",
            "Кузнецова Е. В.",
            "г. Казань, ул. Баумана, д. 12, кв. 99",
            "800,00₽"
        ]
    );
    let assign = format!("/payments/{id}/assign");
    let response = v
        .submit(
            "/payments/unmatched",
            &assign,
            &[("account", "1001009999"), ("page", "1")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, &format!("account-{id}")).unwrap(),
        "Лицевого счёта &#34;1001009999&#34; нет."
    );
    assert!(html.contains(r#"name="account" maxlength="20""#));
    assert!(html.contains(r#"value="1001009999" aria-invalid="true""#));

    let html = v
        .submit_ok(
            "/payments/unmatched",
            &assign,
            &[("account", "1001001003"), ("page", "1")],
            "/payments/unmatched",
        )
        .await;
    assert_eq!(
        flash(&html).unwrap().1,
        "Платёж 800,00 ₽ разнесён на лицевой счёт 1001001003."
    );
    assert!(html.contains("0 неразнесённых платежей"));
    let account = v.page("/accounts/1001001003").await;
    assert!(
        account.contains(&format!(r#"<tr id="payment-{id}">"#)),
        "{account}"
    );
    assert!(account.contains("Реестр банка") && account.contains("100252020"));
}

/// Bills `period` of `house` from its page and waits for the run.
async fn bill(v: &Visitor, house: kvartplata::db::models::HouseId, period: Period) -> BillingRunId {
    let response = v
        .submit(
            &format!("/houses/{house}"),
            &format!("/houses/{house}/billing-runs"),
            &[("period", &period.to_string())],
        )
        .await;
    let path = location(&response);
    let id = BillingRunId(
        path.strip_prefix("/billing-runs/")
            .unwrap_or_else(|| panic!("not a run: {path}"))
            .parse()
            .unwrap(),
    );
    let done = eventually(Duration::from_secs(30), || async {
        v.app
            .with_conn(|conn| queries::run_queue::find(conn, id).unwrap().status)
            == RunStatus::Completed
    })
    .await;
    assert!(done, "run {id} did not complete");
    id
}

/// House balances for a hand-computed month P (the house's current one):
/// maintenance only, 45.50 m² × 40.00 = 1820.00 an apartment.
/// - 3003001: owes 1000.00 at P's start, pays 500.00, and a penalty of
///   76.00 for March's 4000.00: closing 1000 + 1820 + 76 − 500 = 2396.00
/// - 3003002: 200.00 in advance: closing −200 + 1820 = 1620.00
///
/// Totals: opening 800.00, charged 3640.00, penalty 76.00, paid 500.00,
/// closing 4016.00.
#[tokio::test]
async fn the_balances_page_and_csv_give_the_hand_computed_figures() {
    let v = Visitor::start().await;
    let seeded = HouseBuilder::new("ул. Сальдовая, 4")
        .services(&[Service::Maintenance])
        .apartments(2)
        .insert(&v.app);
    let house = seeded.id();
    let p = seeded.house.current_period();
    TariffBuilder::new(Service::Maintenance, dec!(40.00), month("2000-01")).insert(&v.app);
    open_account(&v, seeded.apartments[0].id, "3003001", dec!(1000), p);
    open_account(&v, seeded.apartments[1].id, "3003002", dec!(-200), p);
    v.submit_ok(
        "/accounts/3003001",
        "/accounts/3003001/payments",
        &[("paid_on", &tenth_of(p)), ("amount", "500"), ("period", "")],
        "/accounts/3003001#payments",
    )
    .await;
    let run = bill(&v, house, p).await;
    // The run's penalty with its explanation, as a run stores it.
    let debts = vec![DebtPenalty {
        month: month("2026-03"),
        due: chrono::NaiveDate::from_ymd_opt(2026, 4, 15).unwrap(),
        spans: vec![PenaltySpan {
            from: chrono::NaiveDate::from_ymd_opt(2026, 5, 16).unwrap(),
            to: chrono::NaiveDate::from_ymd_opt(2026, 7, 14).unwrap(),
            days: 60,
            outstanding: dec!(4000),
            rate: dec!(9.5),
            fraction: Fraction::OneIn300,
            amount: dec!(76),
        }],
    }];
    v.app.with_conn(|conn| {
        let account = queries::accounts::find_by_number(conn, "3003001").unwrap();
        queries::accounts::replace_penalties(
            conn,
            &[account.id],
            p,
            &[PenaltyCharge {
                run_id: run,
                account_id: account.id,
                period: p,
                amount: dec!(76.00),
                explanation: serde_json::to_value(&debts).unwrap(),
            }],
        )
        .unwrap();
    });

    let html = v.page(&format!("/houses/{house}")).await;
    assert!(html.contains(&format!(r#"href="/houses/{house}/balances""#)));
    let html = v.page(&format!("/houses/{house}/balances")).await;
    assert!(html.contains("Оборотно-сальдовая ведомость за"), "{html}");
    let money = |s: &str| s.replace(' ', &NB.to_string());
    assert_eq!(
        row_cells(&html, "balance-3003001"),
        [
            "3003001", "1", "1 000,00", "1 820,00", "76,00", "500,00", "2 396,00"
        ]
        .map(money)
    );
    assert_eq!(
        row_cells(&html, "balance-3003002"),
        [
            "3003002", "2", "-200,00", "1 820,00", "0,00", "0,00", "1 620,00"
        ]
        .map(money)
    );
    assert_eq!(
        row_cells(&html, "balances-total")[1..],
        ["800,00", "3 640,00", "76,00", "500,00", "4 016,00"].map(money)
    );
    // The same month asked by name; a malformed one is a 400.
    let named = v
        .page(&format!("/houses/{house}/balances?period={p}"))
        .await;
    assert_eq!(
        row_cells(&named, "balances-total"),
        row_cells(&html, "balances-total")
    );
    let (status, _) = v
        .get(&format!("/houses/{house}/balances?period=13.2026"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The account page explains the penalty.
    let account = v.page("/accounts/3003001").await;
    let explained = section(&account, &format!(r#"id="penalty-{p}""#), "</tr>");
    assert!(
        explained.contains(&format!(
            "за март 2026 (срок 15.04.2026): 4{NB}000,00 ₽ × 60 дн. × 1/300 × 9,5 %"
        )),
        "{explained}"
    );
    assert!(account.contains(&format!("Задолженность 2{NB}396,00 ₽")));

    let response = v
        .response(&format!("/houses/{house}/balances.csv?period={p}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&format!("kvartplata-balances-house-{house}-{p}.csv"))
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let ru_month = kvartplata::i18n::format::month(p, kvartplata::i18n::Locale::Ru);
    assert_eq!(lines[0], format!("ул. Сальдовая, 4;{ru_month};;;;;"));
    assert_eq!(
        lines[1],
        "Лицевой счёт;Квартира;Входящее сальдо;Начислено;Пени;Оплачено;Исходящее сальдо"
    );
    assert_eq!(
        lines[2],
        r#""=""3003001""";1;1000,00;1820,00;76,00;500,00;2396,00"#
    );
    assert_eq!(
        lines[3],
        r#""=""3003002""";2;-200,00;1820,00;0,00;0,00;1620,00"#
    );
    assert_eq!(lines[4], "Итого;;800,00;3640,00;76,00;500,00;4016,00");
}

/// The debtors' numbers in the order the page lists them.
fn listed_debtors(html: &str) -> Vec<String> {
    html.split(r#"<tr id="debtor-"#)
        .skip(1)
        .map(|row| row[..row.find('"').unwrap()].to_owned())
        .collect()
}

#[tokio::test]
async fn debtors_are_filtered_by_debt_months_and_house_and_sorted() {
    let v = Visitor::start().await;
    // Without charges or payments, each month closes at the opening balance.
    let first = HouseBuilder::new("ул. Долговая, 1")
        .apartment(ApartmentBuilder::new("1"))
        .apartment(ApartmentBuilder::new("2"))
        .apartment(ApartmentBuilder::new("3"))
        .insert(&v.app);
    let second = HouseBuilder::new("ул. Абрикосовая, 9")
        .apartments(1)
        .insert(&v.app);
    let p = first.house.current_period();
    open_account(
        &v,
        first.apartments[0].id,
        "4001",
        dec!(5000),
        p.previous().previous(),
    );
    open_account(&v, first.apartments[1].id, "4002", dec!(300), p);
    open_account(&v, first.apartments[2].id, "4003", dec!(-100), p.previous());
    open_account(
        &v,
        second.apartments[0].id,
        "4004",
        dec!(1000),
        p.previous(),
    );

    let html = v.page("/debtors").await;
    assert_eq!(listed_debtors(&html), ["4001", "4004", "4002"], "{html}");
    assert!(
        html.contains(&format!("3 должника на 6{NB}300,00 ₽")),
        "{html}"
    );
    let row = row_cells(&html, "debtor-4001");
    assert_eq!(row[3], format!("5{NB}000,00₽"));
    assert_eq!(row[4], "3 месяца");

    let html = v.page("/debtors?months=2").await;
    assert_eq!(listed_debtors(&html), ["4001", "4004"]);
    let html = v.page("/debtors?above=500&sort=months").await;
    assert_eq!(listed_debtors(&html), ["4001", "4004"]);
    let html = v.page("/debtors?sort=months").await;
    assert_eq!(listed_debtors(&html), ["4001", "4004", "4002"]);
    let html = v.page("/debtors?sort=number").await;
    assert_eq!(listed_debtors(&html), ["4001", "4002", "4004"]);
    // By address: «ул. Абрикосовая» before «ул. Долговая».
    let html = v.page("/debtors?sort=address").await;
    assert_eq!(listed_debtors(&html), ["4004", "4001", "4002"]);
    let html = v
        .page(&format!("/debtors?house={}&sort=debt", first.id()))
        .await;
    assert_eq!(listed_debtors(&html), ["4001", "4002"]);
    // Sort links keep the filter.
    assert!(html.contains(&format!(
        r#"href="/debtors?house={}&#38;sort=months""#,
        first.id()
    )));
    let html = v.page("/debtors?above=10000").await;
    assert!(html.contains("Должников с такими условиями нет."));

    // Bad input: the form again with its message and the input.
    let (status, html) = v
        .get("/debtors?above=%D0%BC%D0%BD%D0%BE%D0%B3%D0%BE&months=2")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&html, "above").is_some(), "{html}");
    assert_eq!(input_value(&html, "above"), "много");
    assert_eq!(input_value(&html, "months"), "2");
    assert!(listed_debtors(&html).is_empty());
}

#[tokio::test]
async fn an_admin_adds_and_deletes_key_rates_and_a_manager_may_not() {
    let v = Visitor::start().await;
    let html = v.page("/key-rates").await;
    assert!(html.contains("Ставок ещё нет"), "{html}");
    // The cap and the due days the migration seeds, read-only.
    let caps = section(&html, r#"id="penalty-caps""#, "</table>");
    assert!(caps.contains("28.02.2022") && caps.contains("31.12.2026") && caps.contains("9,5"));
    let due = section(&html, r#"id="due-days""#, "</table>");
    assert!(
        due.contains("10-го числа") && due.contains("за март 2026 и позже"),
        "{due}"
    );

    let html = v
        .submit_ok(
            "/key-rates",
            "/key-rates",
            &[("valid_from", "27.10.2026"), ("rate", "16,5")],
            "/key-rates",
        )
        .await;
    assert_eq!(flash(&html).unwrap().1, "Ставка добавлена.");
    let id: i64 = v
        .app
        .with_conn(|conn| key_rates::table.select(key_rates::id).first(conn).unwrap());
    assert_eq!(
        row_cells(&html, &format!("key-rate-{id}"))[..2],
        ["27.10.2026", "16,5%"]
    );

    let response = v
        .submit(
            "/key-rates",
            "/key-rates",
            &[("valid_from", "2026-10-27"), ("rate", "17")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.unwrap();
    assert_eq!(
        field_error(&html, "valid_from").unwrap(),
        "Ставка с этого дня уже есть."
    );
    assert_eq!(input_value(&html, "rate"), "17");
    let response = v
        .submit(
            "/key-rates",
            "/key-rates",
            &[("valid_from", "01.11.2026"), ("rate", "120")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(field_error(&html, "rate").is_some(), "{html}");

    // A manager reads them but may neither add nor delete.
    let password = "manager-password-1";
    v.app.with_conn(|conn| {
        kvartplata::services::logins::create_user(conn, "m2", password, Role::Manager).unwrap()
    });
    let manager = v.app.signed_in_client("m2", password).await;
    let html = v.app.text_of(&manager, "/key-rates").await;
    assert!(html.contains("27.10.2026") && !html.contains(r#"action="/key-rates""#));
    let token = csrf_token(&html);
    for (path, fields) in [
        (
            "/key-rates".to_owned(),
            vec![("valid_from", "01.11.2026"), ("rate", "15")],
        ),
        (format!("/key-rates/{id}/delete"), vec![]),
    ] {
        let mut form = vec![("csrf_token", token.as_str())];
        form.extend(fields);
        let response = manager
            .post(v.app.url(&path))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let count = |v: &Visitor| {
        v.app
            .with_conn(|conn| key_rates::table.count().get_result::<i64>(conn).unwrap())
    };
    assert_eq!(count(&v), 1);

    let html = v
        .submit_ok(
            "/key-rates",
            &format!("/key-rates/{id}/delete"),
            &[],
            "/key-rates",
        )
        .await;
    assert_eq!(flash(&html).unwrap().1, "Ставка удалена.");
    assert_eq!(count(&v), 0);
}
