//! The audit log: every change to readings, tariffs, apartments and meters,
//! and every billing run started, is recorded by the database with the user
//! who made it (through the API or a form) and the values before and after;
//! the /audit page lists them filtered by house, meter and user.

use diesel::prelude::*;
use kvartplata::db::models::{AuditAction, AuditEntity, AuditEntry};
use kvartplata::db::schema::audit_log;
use kvartplata::domain::{Period, Role};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::api::call_as;
use crate::helpers::app::{ADMIN_NAME, ADMIN_PASSWORD, TestApp, api_client, spawn_app};
use crate::helpers::pages::{Visitor, csrf_token};

/// A stored month ("2026-11") as the Russian page writes it.
fn ru_month(period: &str) -> String {
    kvartplata::i18n::format::month(period.parse().unwrap(), kvartplata::i18n::Locale::Ru)
}

/// Sends and asserts the status.
async fn ok(
    app: &TestApp,
    client: &reqwest::Client,
    method: Method,
    path: &str,
    body: Option<Value>,
    expected: StatusCode,
) -> Value {
    let (status, json) = call_as(app, client, method.clone(), path, body).await;
    assert_eq!(status, expected, "{method} {path}: {json}");
    json
}

/// The whole log, oldest first.
/// The log of data changes, oldest first. Account events (sign-ins, the
/// test users' tokens) are logged too, and tested in users_admin.rs.
fn log(app: &TestApp) -> Vec<AuditEntry> {
    audit_log::table
        .filter(
            audit_log::entity
                .ne_all([AuditEntity::User, AuditEntity::ApiToken].map(AuditEntity::as_str)),
        )
        .order_by(audit_log::id)
        .select(AuditEntry::as_select())
        .load(&mut app.db.conn())
        .unwrap()
}

/// How many account events the log holds (of `actor`, or with none: the
/// tests' tokens made directly): the page lists them as well.
fn account_events(app: &TestApp, actor: Option<Option<&str>>) -> usize {
    let accounts = [AuditEntity::User, AuditEntity::ApiToken].map(AuditEntity::as_str);
    let mut query = audit_log::table
        .filter(audit_log::entity.eq_any(accounts))
        .into_boxed();
    query = match actor {
        None => query,
        Some(None) => query.filter(audit_log::actor.is_null()),
        Some(Some(name)) => query.filter(audit_log::actor.eq(name.to_owned())),
    };
    let count: i64 = query.count().get_result(&mut app.db.conn()).unwrap();
    usize::try_from(count).unwrap()
}

/// The entries after the first `skip`.
fn since(app: &TestApp, skip: usize) -> Vec<AuditEntry> {
    log(app).into_iter().skip(skip).collect()
}

/// (actor, action, entity) of each entry, to compare at a glance.
fn summary(entries: &[AuditEntry]) -> Vec<(Option<&str>, AuditAction, AuditEntity)> {
    entries
        .iter()
        .map(|e| (e.actor.as_deref(), e.action, e.entity))
        .collect()
}

/// A house "ул. Аудита, 1" with apartment 1 (meter A-1, cold) and
/// apartment 2 (meter A-2, hot), created by the admin. Returns the body.
async fn house(app: &TestApp, address: &str, prefix: &str) -> Value {
    ok(
        app,
        &app.client,
        Method::POST,
        "/api/v1/houses",
        Some(json!({"address": address, "apartments": [
            {"number": "1", "area": "50.5", "meters": [
                {"serial": format!("{prefix}-1"), "kind": "cold_water"}]},
            {"number": "2", "area": "40", "meters": [
                {"serial": format!("{prefix}-2"), "kind": "hot_water", "initial_reading": "5"}]}]})),
        StatusCode::CREATED,
    )
    .await
}

fn id(value: &Value) -> i64 {
    value["id"].as_i64().unwrap()
}

fn apartment(house: &Value, index: usize) -> &Value {
    &house["apartments"][index]
}

fn meter(house: &Value, index: usize) -> &Value {
    &apartment(house, index)["meters"][0]
}

#[tokio::test]
async fn api_changes_are_logged_with_the_user_and_the_values_before_and_after() {
    let app = spawn_app().await;
    let maria = api_client(&app.user_with_token("maria", Role::Manager));
    let h = house(&app, "ул. Аудита, 1", "A").await;
    let house_id = id(&h);
    let (m1, m2) = (id(meter(&h, 0)), id(meter(&h, 1)));

    // Creating the house logged it, its apartments and meters, by the admin.
    let created = log(&app);
    assert_eq!(
        summary(&created),
        [
            (Some(ADMIN_NAME), AuditAction::Create, AuditEntity::House),
            (
                Some(ADMIN_NAME),
                AuditAction::Create,
                AuditEntity::Apartment
            ),
            (
                Some(ADMIN_NAME),
                AuditAction::Create,
                AuditEntity::Apartment
            ),
            (Some(ADMIN_NAME), AuditAction::Create, AuditEntity::Meter),
            (Some(ADMIN_NAME), AuditAction::Create, AuditEntity::Meter),
        ]
    );
    assert!(
        created
            .iter()
            .all(|e| e.house_id.map(|h| h.0) == Some(house_id))
    );
    let meter_entry = created
        .iter()
        .find(|e| e.entity == AuditEntity::Meter && e.entity_id == m2)
        .unwrap();
    assert_eq!(meter_entry.meter_id.map(|m| m.0), Some(m2));
    assert_eq!(meter_entry.old, None);
    assert_eq!(
        meter_entry.new,
        Some(
            json!({"apartment_id": id(apartment(&h, 1)), "serial": "A-2", "kind": "hot_water",
                    "initial_reading": "5.000", "installed_on": null, "commissioned_on": null,
                    "verified_until": null, "decommissioned_on": null})
        )
    );

    // Readings: created, then one corrected, by maria through the API.
    let period = Period::current().previous().to_string();
    let mark = log(&app).len();
    let readings = |v1: &str, v2: &str| {
        json!({"readings": [
            {"meter_id": m1, "period": period, "value": v1},
            {"serial": "A-2", "period": period, "value": v2}]})
    };
    ok(
        &app,
        &maria,
        Method::POST,
        "/api/v1/readings",
        Some(readings("10.5", "7")),
        StatusCode::OK,
    )
    .await;
    let new = since(&app, mark);
    assert_eq!(
        summary(&new),
        [
            (Some("maria"), AuditAction::Create, AuditEntity::Reading),
            (Some("maria"), AuditAction::Create, AuditEntity::Reading),
        ]
    );
    let first = new
        .iter()
        .find(|e| e.meter_id.map(|m| m.0) == Some(m1))
        .unwrap();
    assert_eq!(first.house_id.map(|h| h.0), Some(house_id));
    assert_eq!(
        first.new,
        Some(json!({"meter_id": m1, "period": period, "value": "10.500", "source": "api"}))
    );

    let mark = log(&app).len();
    ok(
        &app,
        &maria,
        Method::POST,
        "/api/v1/readings",
        Some(readings("11", "7")),
        StatusCode::OK,
    )
    .await;
    let corrected = since(&app, mark);
    assert_eq!(
        summary(&corrected),
        [(Some("maria"), AuditAction::Update, AuditEntity::Reading)],
        "only the reading whose value changed"
    );
    assert_eq!(corrected[0].meter_id.map(|m| m.0), Some(m1));
    assert_eq!(corrected[0].old.as_ref().unwrap()["value"], "10.500");
    assert_eq!(corrected[0].new.as_ref().unwrap()["value"], "11.000");

    // The same readings sent again change nothing and log nothing.
    let mark = log(&app).len();
    ok(
        &app,
        &maria,
        Method::POST,
        "/api/v1/readings",
        Some(readings("11", "7")),
        StatusCode::OK,
    )
    .await;
    assert_eq!(since(&app, mark), []);

    // An apartment and a meter changed.
    let mark = log(&app).len();
    let a1 = id(apartment(&h, 0));
    ok(
        &app,
        &maria,
        Method::PATCH,
        &format!("/api/v1/apartments/{a1}"),
        Some(json!({"area": "51"})),
        StatusCode::OK,
    )
    .await;
    ok(
        &app,
        &maria,
        Method::PATCH,
        &format!("/api/v1/meters/{m2}"),
        Some(json!({"serial": "A-2b"})),
        StatusCode::OK,
    )
    .await;
    let changed = since(&app, mark);
    assert_eq!(
        summary(&changed),
        [
            (Some("maria"), AuditAction::Update, AuditEntity::Apartment),
            (Some("maria"), AuditAction::Update, AuditEntity::Meter),
        ]
    );
    assert_eq!(
        (
            changed[0].old.clone().unwrap(),
            changed[0].new.clone().unwrap()
        ),
        (
            json!({"house_id": house_id, "number": "1", "area": "50.50", "owners": 1,
                   "meter_impossible": false}),
            json!({"house_id": house_id, "number": "1", "area": "51.00", "owners": 1,
                   "meter_impossible": false})
        )
    );
    assert_eq!(changed[1].old.as_ref().unwrap()["serial"], "A-2");
    assert_eq!(changed[1].new.as_ref().unwrap()["serial"], "A-2b");
    assert_eq!(changed[1].house_id.map(|h| h.0), Some(house_id));

    // Tariffs, by the admin: created for the house, then its price changed.
    let mark = log(&app).len();
    let mut tariffs = Vec::new();
    for (service, house) in [
        ("cold_water", Value::Null),
        ("hot_water", json!(house_id)),
        ("sewerage", Value::Null),
        ("maintenance", Value::Null),
    ] {
        let body = json!({"service": service, "price": "30", "valid_from": "2026-01",
                          "house_id": house});
        tariffs.push(
            ok(
                &app,
                &app.client,
                Method::POST,
                "/api/v1/tariffs",
                Some(body),
                StatusCode::CREATED,
            )
            .await,
        );
    }
    let hot = id(&tariffs[1]);
    ok(
        &app,
        &app.client,
        Method::PATCH,
        &format!("/api/v1/tariffs/{hot}"),
        Some(json!({"price": "214.76"})),
        StatusCode::OK,
    )
    .await;
    let priced = since(&app, mark);
    assert_eq!(
        summary(&priced),
        [
            (Some(ADMIN_NAME), AuditAction::Create, AuditEntity::Tariff),
            (Some(ADMIN_NAME), AuditAction::Create, AuditEntity::Tariff),
            (Some(ADMIN_NAME), AuditAction::Create, AuditEntity::Tariff),
            (Some(ADMIN_NAME), AuditAction::Create, AuditEntity::Tariff),
            (Some(ADMIN_NAME), AuditAction::Update, AuditEntity::Tariff),
        ]
    );
    assert_eq!(
        priced[0].house_id, None,
        "a default tariff belongs to no house"
    );
    assert_eq!(priced[4].entity_id, hot);
    assert_eq!(priced[4].house_id.map(|h| h.0), Some(house_id));
    assert_eq!(
        (
            priced[4].old.clone().unwrap(),
            priced[4].new.clone().unwrap()
        ),
        (
            json!({"service": "hot_water", "price": "30.0000", "valid_from": "2026-01",
                   "house_id": house_id}),
            json!({"service": "hot_water", "price": "214.7600", "valid_from": "2026-01",
                   "house_id": house_id})
        )
    );

    // The normatives water falls back to, by the admin.
    let mark = log(&app).len();
    for service in ["cold_water", "hot_water"] {
        let body = json!({"service": service, "value": "3.5", "valid_from": "2026-01"});
        ok(
            &app,
            &app.client,
            Method::POST,
            "/api/v1/normatives",
            Some(body),
            StatusCode::CREATED,
        )
        .await;
    }
    let normatives = since(&app, mark);
    assert_eq!(
        summary(&normatives),
        [(
            Some(ADMIN_NAME),
            AuditAction::Create,
            AuditEntity::Normative
        ); 2]
    );
    assert_eq!(
        normatives[0].new,
        Some(
            json!({"service": "cold_water", "normative": "3.5000", "valid_from": "2026-01",
                    "house_id": null})
        )
    );

    // A billing run started by maria: logged, and shown on the runs page.
    let mark = log(&app).len();
    let run = ok(
        &app,
        &maria,
        Method::POST,
        &format!("/api/v1/houses/{house_id}/billing-runs"),
        Some(json!({"period": period})),
        StatusCode::ACCEPTED,
    )
    .await;
    let started = since(&app, mark);
    assert_eq!(
        summary(&started),
        [(Some("maria"), AuditAction::Start, AuditEntity::BillingRun)]
    );
    assert_eq!(started[0].entity_id, id(&run));
    assert_eq!(
        started[0].new,
        Some(json!({"period": period, "status": "queued"}))
    );
    let runs = app.get("/billing-runs").await.text().await.unwrap();
    assert!(
        runs.contains("<th scope=\"col\">Кто запустил</th>"),
        "{runs}"
    );
    assert!(
        runs.contains(r#"<td class="started-by">maria</td>"#),
        "{runs}"
    );
}

#[tokio::test]
async fn form_changes_are_logged_with_the_signed_in_user() {
    let app = spawn_app().await;
    app.user_with_token("olga", Role::Manager);
    let olga = app.signed_in_client("olga", ADMIN_PASSWORD).await;
    let h = house(&app, "ул. Формы, 2", "F").await;
    let house_id = id(&h);
    let m1 = id(meter(&h, 0));
    let period = Period::current().to_string();

    // The month's readings form, twice: entered, then corrected.
    for value in ["3,5", "4"] {
        let page = format!("/houses/{house_id}/readings?period={period}");
        let html = app.text_of(&olga, &page).await;
        let field = format!("m{m1}");
        let response = olga
            .post(app.url(&format!("/houses/{house_id}/readings")))
            .form(&[
                ("csrf_token", csrf_token(&html).as_str()),
                ("period", period.as_str()),
                (field.as_str(), value),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    // The apartment's edit form.
    let a2 = id(apartment(&h, 1));
    let html = app.text_of(&olga, &format!("/apartments/{a2}/edit")).await;
    let response = olga
        .post(app.url(&format!("/apartments/{a2}")))
        .form(&[
            ("csrf_token", csrf_token(&html).as_str()),
            ("number", "2А"),
            ("area", "40"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let entries = since(&app, 5);
    assert_eq!(
        summary(&entries),
        [
            (Some("olga"), AuditAction::Create, AuditEntity::Reading),
            (Some("olga"), AuditAction::Update, AuditEntity::Reading),
            (Some("olga"), AuditAction::Update, AuditEntity::Apartment),
        ]
    );
    assert_eq!(
        entries[0].new,
        Some(json!({"meter_id": m1, "period": period, "value": "3.500", "source": "form"}))
    );
    assert_eq!(entries[1].old.as_ref().unwrap()["value"], "3.500");
    assert_eq!(entries[1].new.as_ref().unwrap()["value"], "4.000");
    assert_eq!(entries[2].old.as_ref().unwrap()["number"], "2");
    assert_eq!(entries[2].new.as_ref().unwrap()["number"], "2А");

    // The page shows olga's changes with only what changed.
    let html = app.text_of(&olga, "/audit?user=olga").await;
    // Her three changes and her sign-in.
    let signed_in = account_events(&app, Some(Some("olga")));
    assert_eq!(signed_in, 1);
    assert_eq!(
        html.matches(r#"<tr id="audit-"#).count(),
        3 + signed_in,
        "{html}"
    );
    assert!(html.contains("<del>2</del> → <ins>2А</ins>"), "{html}");
    assert!(
        html.contains("<del>3.500</del> → <ins>4.000</ins>"),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"<a href="/apartments/{a2}">Кв. 2А</a>"#)),
        "{html}"
    );
    assert!(
        html.contains(&format!("Показание за {}", ru_month(&period))),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"<a href="/meters/{m1}">счётчик F-1</a>"#)),
        "{html}"
    );
    // An update lists no field it left alone.
    let apartment_row = html
        .split(r#"<tr id="audit-"#)
        .find(|row| row.contains("Кв. 2А"))
        .unwrap();
    assert!(!apartment_row.contains("Площадь"), "{apartment_row}");
}

#[tokio::test]
async fn deletions_keep_the_old_values_and_the_house() {
    let app = spawn_app().await;
    let h = house(&app, "ул. Сносная, 3", "D").await;
    let house_id = id(&h);
    let (a1, m1, a2, m2) = (
        id(apartment(&h, 0)),
        id(meter(&h, 0)),
        id(apartment(&h, 1)),
        id(meter(&h, 1)),
    );

    // A meter alone, then an apartment whose meter goes with it.
    let mark = log(&app).len();
    ok(
        &app,
        &app.client,
        Method::DELETE,
        &format!("/api/v1/meters/{m1}"),
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    ok(
        &app,
        &app.client,
        Method::DELETE,
        &format!("/api/v1/apartments/{a2}"),
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    let deleted = since(&app, mark);
    let mut kinds: Vec<_> = deleted.iter().map(|e| (e.entity, e.entity_id)).collect();
    kinds.sort_by_key(|(entity, id)| (entity.as_str(), *id));
    assert_eq!(
        kinds,
        [
            (AuditEntity::Apartment, a2),
            (AuditEntity::Meter, m1),
            (AuditEntity::Meter, m2),
        ]
    );
    for entry in &deleted {
        assert_eq!(entry.action, AuditAction::Delete);
        assert_eq!(entry.actor.as_deref(), Some(ADMIN_NAME));
        assert_eq!(entry.new, None);
        assert_eq!(
            entry.house_id.map(|h| h.0),
            Some(house_id),
            "{entry:?}: the house is known even after its apartment went"
        );
    }
    let gone = deleted
        .iter()
        .find(|e| e.entity == AuditEntity::Meter && e.entity_id == m2)
        .unwrap();
    assert_eq!(gone.old.as_ref().unwrap()["serial"], "D-2");
    assert_eq!(gone.meter_id.map(|m| m.0), Some(m2));

    // Readings have no delete in the app; the database logs one anyway,
    // with the actor the connection carries (none: the system).
    let apartment = ok(
        &app,
        &app.client,
        Method::POST,
        &format!("/api/v1/houses/{house_id}/apartments"),
        Some(json!({"number": "9", "area": "30",
                    "meters": [{"serial": "D-9", "kind": "cold_water"}]})),
        StatusCode::CREATED,
    )
    .await;
    let m9 = id(&apartment["meters"][0]);
    let period = Period::current().to_string();
    ok(
        &app,
        &app.client,
        Method::POST,
        "/api/v1/readings",
        Some(json!({"readings": [{"meter_id": m9, "period": period, "value": "1"}]})),
        StatusCode::OK,
    )
    .await;
    let mark = log(&app).len();
    let mut conn = app.db.conn();
    diesel::sql_query("DELETE FROM readings WHERE meter_id = $1")
        .bind::<diesel::sql_types::BigInt, _>(m9)
        .execute(&mut conn)
        .unwrap();
    diesel::sql_query("SELECT set_config('kvartplata.actor', 'sql-user', false)")
        .execute(&mut conn)
        .unwrap();
    diesel::sql_query("UPDATE apartments SET area = 31 WHERE id = $1")
        .bind::<diesel::sql_types::BigInt, _>(a1)
        .execute(&mut conn)
        .unwrap();
    let entries = since(&app, mark);
    assert_eq!(
        summary(&entries),
        [
            (None, AuditAction::Delete, AuditEntity::Reading),
            (
                Some("sql-user"),
                AuditAction::Update,
                AuditEntity::Apartment
            ),
        ]
    );
    assert_eq!(
        entries[0].old,
        Some(json!({"meter_id": m9, "period": period, "value": "1.000", "source": "api"}))
    );
    assert_eq!(entries[0].house_id.map(|h| h.0), Some(house_id));

    // The page: deleted rows are named without a link; the system shown.
    let html = app.get("/audit").await.text().await.unwrap();
    assert!(html.contains("Счётчик D-2"), "{html}");
    assert!(!html.contains(&format!(r#"href="/meters/{m2}""#)), "{html}");
    assert!(
        html.contains(r#"<span class="muted">система</span>"#),
        "{html}"
    );
    assert!(html.contains("<del>1.000</del>"), "{html}");
}

#[tokio::test]
async fn the_page_filters_by_house_meter_and_user() {
    let app = spawn_app().await;
    let ivan = api_client(&app.user_with_token("ivan", Role::Manager));
    let north = house(&app, "Северная, 1", "N").await;
    let south = house(&app, "Южная, 2", "S").await;
    let period = Period::current().to_string();
    // ivan enters the north house's readings, the admin the south's.
    for (client, h) in [(&ivan, &north), (&app.client, &south)] {
        let body = json!({"readings": [
            {"meter_id": id(meter(h, 0)), "period": period, "value": "1"},
            {"meter_id": id(meter(h, 1)), "period": period, "value": "6"}]});
        ok(
            &app,
            client,
            Method::POST,
            "/api/v1/readings",
            Some(body),
            StatusCode::OK,
        )
        .await;
    }
    let rows = |html: &str| html.matches(r#"<tr id="audit-"#).count();
    let page = |path: String| {
        let app = &app;
        async move {
            let response = app.get(&path).await;
            let status = response.status();
            (status, response.text().await.unwrap())
        }
    };

    let (status, all) = page("/audit".into()).await;
    assert_eq!(status, StatusCode::OK);
    // 2 houses × (the house, 2 apartments, 2 meters, 2 readings), and the
    // users' tokens
    assert_eq!(rows(&all), 14 + account_events(&app, None));
    assert!(
        all.contains(r#"<option value="ivan">ivan</option>"#),
        "{all}"
    );
    assert!(all.contains(r#"<option value="-">Система / командная строка</option>"#));
    assert!(all.contains(&format!(
        r#"<option value="{}">Южная, 2</option>"#,
        id(&south)
    )));

    let (_, by_house) = page(format!("/audit?house={}", id(&north))).await;
    assert_eq!(rows(&by_house), 7, "{by_house}");
    assert!(!by_house.contains("S-1") && by_house.contains("N-1"));
    assert!(by_house.contains(&format!(
        r#"<option value="{}" selected>Северная, 1</option>"#,
        id(&north)
    )));

    let (_, by_user) = page("/audit?user=ivan".into()).await;
    assert_eq!(rows(&by_user), 2, "ivan's two readings");
    assert!(by_user.contains(&format!(
        r#"<a href="/meters/{}">счётчик N-1</a>"#,
        id(meter(&north, 0))
    )));
    // Without a user: only the tokens the test made directly.
    let (_, by_system) = page("/audit?user=-".into()).await;
    let tokens = account_events(&app, Some(None));
    assert!(tokens > 0);
    assert_eq!(rows(&by_system), tokens, "{by_system}");
    assert_eq!(
        by_system.matches("Ключ создан").count(),
        tokens,
        "{by_system}"
    );

    // A meter by serial or by id: its creation and its reading.
    let (_, by_serial) = page("/audit?meter=S-2".into()).await;
    assert_eq!(rows(&by_serial), 2, "{by_serial}");
    assert!(by_serial.contains(r#"value="S-2""#));
    let (_, by_id) = page(format!("/audit?meter={}", id(meter(&south, 1)))).await;
    assert_eq!(rows(&by_id), 2);
    let (_, combined) = page(format!(
        "/audit?meter=S-2&user={ADMIN_NAME}&house={}",
        id(&south)
    ))
    .await;
    assert_eq!(rows(&combined), 2);
    let (_, none) = page(format!("/audit?meter=S-2&house={}", id(&north))).await;
    assert_eq!(rows(&none), 0);

    // Filters naming nothing say so, and never fail.
    let (status, unknown) = page("/audit?meter=NO-SUCH".into()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown.contains(r#"<p class="field-error" id="error-meter">Нет счётчика с заводским номером или id «NO-SUCH».</p>"#),
        "{unknown}"
    );
    assert_eq!(rows(&unknown), 0);
    let (status, forged) = page("/audit?house=abc&page=zz".into()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(forged.contains(r#"id="error-house""#));
    let (status, far) = page("/audit?page=99".into()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&far), 0);
    assert!(far.contains("На странице 99 записей нет."));
}

#[tokio::test]
async fn the_page_lists_100_entries_a_page_newest_first() {
    let app = spawn_app().await;
    let apartments: Vec<Value> = (1..=105)
        .map(|n| json!({"number": n.to_string(), "area": "30"}))
        .collect();
    ok(
        &app,
        &app.client,
        Method::POST,
        "/api/v1/houses",
        Some(json!({"address": "Длинная, 105", "apartments": apartments})),
        StatusCode::CREATED,
    )
    .await;
    let first = app.get("/audit").await.text().await.unwrap();
    assert_eq!(first.matches(r#"<tr id="audit-"#).count(), 100);
    let newest = log(&app).last().unwrap().id;
    assert!(
        first.contains(&format!(r#"<tr id="audit-{newest}""#)),
        "{first}"
    );
    assert!(first.contains(r#"<a href="/audit?page=2" rel="next">Старше ›</a>"#));
    let second = app.get("/audit?page=2").await.text().await.unwrap();
    assert_eq!(
        second.matches(r#"<tr id="audit-"#).count(),
        6 + account_events(&app, None)
    );
    assert!(second.contains(r#"<a href="/audit" rel="prev">‹ Новее</a>"#));
    assert!(second.contains("Кв. 1<"), "the oldest entry is last");
}

#[tokio::test]
async fn the_audit_page_needs_a_signed_in_user() {
    let app = spawn_app().await;
    let response = app
        .anonymous_client()
        .get(app.url("/audit"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let viewer = app.user_with_token("vera", Role::Viewer);
    let response = api_client(&viewer)
        .get(app.url("/audit"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "viewers may read the log"
    );
}

#[tokio::test]
async fn the_audit_page_reads_in_english_for_an_english_user_and_times_are_moscow_time() {
    let v = Visitor::start_in_english().await;
    house(&v.app, "Английская, 1", "E").await;
    let html = v.page("/audit").await;
    assert!(html.contains("<h1>Audit log</h1>"), "{html}");
    assert!(html.contains("<th scope=\"col\">Time</th>"));
    assert!(html.contains(r#"<option value="-">System / command line</option>"#));
    assert!(
        html.contains(">Apartment 1<") || html.contains(">Apartment 1</a>"),
        "{html}"
    );
    assert!(html.contains("Meter E-"), "{html}");

    // In Russian the same entries, the time as «01.12.2026 08:58:03».
    v.submit_ok("/password", "/language", &[("locale", "ru")], "/password")
        .await;
    let html = v.page("/audit").await;
    let newest = log(&v.app).last().unwrap().clone();
    let moscow = newest
        .at
        .with_timezone(&chrono_tz::Europe::Moscow)
        .format("%d.%m.%Y %H:%M:%S")
        .to_string();
    let row = &html[html
        .find(&format!(r#"<tr id="audit-{}""#, newest.id))
        .unwrap()..];
    assert!(
        row.contains(&format!(r#"<span class="time">{moscow}</span>"#)),
        "{row}"
    );
    assert!(html.contains("<h1>Журнал изменений</h1>"));
}
