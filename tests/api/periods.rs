//! Closed months (POST /houses/{id}/periods/{P}/close and /reopen, the
//! results and readings pages): months close in order once billed, and a
//! closed month refuses readings and runs, keeps its runs from going stale,
//! and reopens only as the last one, by an admin.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use kvartplata::db::models::HouseId;
use kvartplata::domain::{MeterKind, Period, Role, RunStatus};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::api::{call_as, get, patch, post};
use crate::helpers::app::{TestApp, api_client, spawn_app};
use crate::helpers::fixtures::{HouseBuilder, RunBuilder, SeededHouse};
use crate::helpers::pages::{Visitor, flash};

/// Two months ago and the month after: the months the tests close, both
/// before the month whose readings are entered now.
fn months() -> (Period, Period) {
    let first = Period::current().previous().previous();
    (first, first.next())
}

fn seed(app: &TestApp) -> SeededHouse {
    HouseBuilder::new("ул. Закрытая, 1")
        .apartments(1)
        .meter_in_each(MeterKind::ColdWater, "ХВ")
        .insert(app)
}

/// A completed, up-to-date run of `period`.
fn billed(app: &TestApp, house: HouseId, period: Period) -> i64 {
    RunBuilder::new(house, period, 1)
        .processed(1)
        .completed_at(chrono::Utc::now())
        .insert(app)
        .0
}

async fn close(app: &TestApp, house: HouseId, period: Period) -> (StatusCode, Value) {
    let path = format!("/api/v1/houses/{house}/periods/{period}/close");
    post(app, &path, json!({})).await
}

async fn reopen_as(
    app: &TestApp,
    client: &reqwest::Client,
    house: HouseId,
    period: Period,
) -> (StatusCode, Value) {
    let path = format!("/api/v1/houses/{house}/periods/{period}/reopen");
    call_as(app, client, Method::POST, &path, None).await
}

fn refused(error: &str) -> Value {
    json!({"error": error, "code": "conflict"})
}

#[tokio::test]
async fn a_billed_month_closes_in_order_and_then_refuses_readings_and_runs() {
    let app = spawn_app().await;
    let seeded = seed(&app);
    let house = seeded.id();
    let meter = seeded.meters[0].id.0;
    let (first, second) = months();

    assert_eq!(
        close(&app, house, first).await,
        (
            StatusCode::CONFLICT,
            refused(&format!(
                "{first} has no completed billing run: bill it before closing."
            ))
        )
    );
    billed(&app, house, first);
    assert_eq!(
        close(&app, house, first).await,
        (
            StatusCode::OK,
            json!({"house_id": house.0, "closed_through": first.to_string(),
                   "current_period": second.to_string()})
        )
    );
    assert_eq!(
        close(&app, house, first).await,
        (
            StatusCode::CONFLICT,
            refused(&format!("{first} is closed for this house"))
        )
    );
    assert_eq!(
        close(&app, house, second.next()).await,
        (
            StatusCode::CONFLICT,
            refused(&format!(
                "Months are closed in order: close {second} first."
            ))
        )
    );
    let (_, body) = get(&app, &format!("/api/v1/houses/{house}")).await;
    assert_eq!(body["closed_through"], first.to_string());
    assert_eq!(body["current_period"], second.to_string());

    // The closed month and every earlier one refuse readings, naming the row.
    let (status, body) = post(
        &app,
        "/api/v1/readings",
        json!({"readings": [
            {"meter_id": meter, "period": second.to_string(), "value": "4"},
            {"meter_id": meter, "period": first.to_string(), "value": "3"},
            {"meter_id": meter, "period": first.previous().to_string(), "value": "2"},
        ]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let rows: Vec<(i64, &str, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["index"].as_i64().unwrap(),
                e["code"].as_str().unwrap(),
                e["message"].as_str().unwrap(),
            )
        })
        .collect();
    let closed_first = format!("{first} is closed for this house");
    let closed_before = format!("{} is closed for this house", first.previous());
    assert_eq!(
        rows,
        [
            (1, "period_closed", closed_first.as_str()),
            (2, "period_closed", closed_before.as_str()),
        ]
    );
    // An open month is saved as ever.
    let (status, body) = post(
        &app,
        "/api/v1/readings",
        json!({"readings": [{"meter_id": meter, "period": second.to_string(), "value": "4"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, body) = post(
        &app,
        &format!("/api/v1/houses/{house}/billing-runs"),
        json!({"period": first.to_string()}),
    )
    .await;
    assert_eq!(
        (status, body),
        (StatusCode::CONFLICT, refused(&closed_first))
    );
}

#[tokio::test]
async fn a_stale_or_running_month_does_not_close_and_a_closed_ones_runs_never_go_stale() {
    let app = spawn_app().await;
    let seeded = seed(&app);
    let house = seeded.id();
    let apartment = seeded.apartments[0].id.0;
    let (first, second) = months();

    RunBuilder::new(house, first, 1)
        .processed(1)
        .completed_at(chrono::Utc::now())
        .insert(&app);
    let queued = RunBuilder::new(house, second, 1)
        .leased_elsewhere()
        .status(RunStatus::Running)
        .insert(&app);
    assert_eq!(
        close(&app, house, first).await,
        (
            StatusCode::CONFLICT,
            refused(&format!(
                "Run #{queued} of this house is still queued or running: close the month when it has finished."
            ))
        )
    );
    app.db
        .conn()
        .batch_execute(&format!(
            "UPDATE billing_runs SET status = 'completed', finished_at = now(), \
             lease_owner = NULL, lease_expires_at = NULL WHERE id = {queued}"
        ))
        .unwrap();

    // A change of the apartment makes every open month's run stale.
    let (status, body) = patch(
        &app,
        &format!("/api/v1/apartments/{apartment}"),
        json!({"area": "61.5"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        close(&app, house, first).await,
        (
            StatusCode::CONFLICT,
            refused(&format!(
                "{first}'s bill is out of date: bill it again before closing."
            ))
        )
    );

    let fresh = billed(&app, house, first);
    let (status, _) = close(&app, house, first).await;
    assert_eq!(status, StatusCode::OK);
    let second_run = billed(&app, house, second);
    let (status, body) = patch(
        &app,
        &format!("/api/v1/apartments/{apartment}"),
        json!({"area": "62"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let stale = |run: i64| {
        let app = &app;
        async move {
            let (_, body) = get(app, &format!("/api/v1/billing-runs/{run}")).await;
            body["stale"].as_bool().unwrap()
        }
    };
    assert!(!stale(fresh).await, "a closed month's bill is final");
    assert!(
        stale(second_run).await,
        "an open month's bill follows its inputs"
    );
}

#[tokio::test]
async fn only_an_admin_reopens_and_only_the_last_closed_month() {
    let app = spawn_app().await;
    let house = seed(&app).id();
    let (first, second) = months();
    billed(&app, house, first);
    billed(&app, house, second);
    assert_eq!(close(&app, house, first).await.0, StatusCode::OK);
    assert_eq!(close(&app, house, second).await.0, StatusCode::OK);

    let manager = api_client(&app.user_with_token("mila", Role::Manager));
    let (status, body) = reopen_as(&app, &manager, house, second).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "Only an admin can reopen a closed month.");

    assert_eq!(
        reopen_as(&app, &app.client, house, first).await,
        (
            StatusCode::CONFLICT,
            refused(&format!(
                "Only the last closed month, {second}, can be reopened."
            ))
        )
    );
    assert_eq!(
        reopen_as(&app, &app.client, house, second).await,
        (
            StatusCode::OK,
            json!({"house_id": house.0, "closed_through": first.to_string(),
                   "current_period": second.to_string()})
        )
    );
    let (status, body) = reopen_as(&app, &app.client, house, Period::current()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = reopen_as(&app, &app.client, HouseId(999_999), first).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let path = format!("/api/v1/houses/{house}/periods/13.2026/close");
    let (status, body) = post(&app, &path, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["fields"]["period"].as_str().is_some(), "{body}");

    // Each change is in the audit log with who made it.
    #[derive(QueryableByName)]
    struct Entry {
        #[diesel(sql_type = Text)]
        change: String,
        #[diesel(sql_type = BigInt)]
        house_id: i64,
    }
    let entries: Vec<Entry> = diesel::sql_query(
        "SELECT concat(old->>'closed_through', ' → ', new->>'closed_through') AS change, house_id \
         FROM audit_log WHERE entity = 'house' AND action = 'update' ORDER BY id",
    )
    .load(&mut app.db.conn())
    .unwrap();
    let changes: Vec<(String, i64)> = entries
        .into_iter()
        .map(|e| (e.change, e.house_id))
        .collect();
    assert_eq!(
        changes,
        [
            (format!(" → {first}"), house.0),
            (format!("{first} → {second}"), house.0),
            (format!("{second} → {first}"), house.0),
        ]
    );
}

#[tokio::test]
async fn the_results_page_closes_the_month_and_the_readings_page_then_only_shows_it() {
    let v = Visitor::start().await;
    let seeded = seed(&v.app);
    let house = seeded.id();
    let (first, _) = months();
    billed(&v.app, house, first);
    let results = format!("/houses/{house}/charges?period={first}");

    let page = v.page(&results).await;
    let action = format!("/houses/{house}/periods/{first}/close");
    assert!(page.contains(&format!(r#"action="{action}""#)), "{page}");
    assert!(page.contains(">Закрыть период</button>"), "{page}");
    let page = v.submit_ok(&results, &action, &[], &results).await;
    let month = kvartplata::i18n::format::month(first, kvartplata::i18n::Locale::Ru);
    assert_eq!(
        flash(&page).unwrap(),
        (
            "flash-success".to_owned(),
            format!("Период за {month} закрыт.")
        )
    );
    assert!(page.contains(r#"id="period-closed""#), "{page}");
    assert!(!page.contains(&format!(r#"action="{action}""#)));
    assert!(
        page.contains(">Открыть период заново</button>"),
        "the admin may reopen the last closed month"
    );

    let readings = v
        .page(&format!("/houses/{house}/readings?period={first}"))
        .await;
    assert!(readings.contains(&format!(
        "Период за {month} закрыт: показания, расчёты и начисления за него не меняются."
    )));
    assert!(readings.contains(" readonly"), "{readings}");
    assert!(
        !readings.contains(">Сохранить показания</button>"),
        "{readings}"
    );

    // Closing again (a second tab) says why, on the same page.
    let page = v.submit_ok(&results, &action, &[], &results).await;
    let (kind, message) = flash(&page).unwrap();
    assert_eq!(kind, "flash-error");
    assert!(
        message.starts_with(&format!("Период за {month} закрыт")),
        "{message}"
    );

    let house_page = v.page(&format!("/houses/{house}")).await;
    let current = kvartplata::i18n::format::month(first.next(), kvartplata::i18n::Locale::Ru);
    assert!(
        house_page.contains(&format!("Расчётный период: {current}")),
        "{house_page}"
    );
    assert!(house_page.contains(&format!(r#"name="period" value="{}""#, first.next())));
}
