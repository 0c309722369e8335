//! The data ПП 354 bills by, through the JSON API: a house's services and
//! time zone, an apartment's residents history, owners and
//! `meter_impossible`, a meter's commissioning, verification and
//! decommissioning with its final reading, normatives and increasing
//! coefficients (seeded with the legal values); each change audited.

use kvartplata::domain::{Period, Role};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::api::{call_as, create_house, field_names, get, patch, post};
use crate::helpers::app::{TestApp, api_client, spawn_app};
use crate::helpers::fixtures::Database;

/// The audit entries of `entity`, oldest first: (action, old, new).
async fn audited(app: &TestApp, entity: &str) -> Vec<(String, Value, Value)> {
    use diesel::prelude::*;
    use kvartplata::db::schema::audit_log;
    app.with_conn(|conn| {
        audit_log::table
            .filter(audit_log::entity.eq(entity))
            .order_by(audit_log::id)
            .select((audit_log::action, audit_log::old, audit_log::new))
            .load::<(String, Option<Value>, Option<Value>)>(conn)
            .unwrap()
            .into_iter()
            .map(|(action, old, new)| {
                (
                    action,
                    old.unwrap_or(Value::Null),
                    new.unwrap_or(Value::Null),
                )
            })
            .collect()
    })
}

#[tokio::test]
async fn a_house_bills_the_services_it_names_in_its_time_zone() {
    let app = spawn_app().await;
    let all = create_house(&app, json!({"address": "ул. Все, 1"})).await;
    assert_eq!(
        all["services"],
        json!(["cold_water", "hot_water", "sewerage", "maintenance"])
    );
    assert_eq!(all["time_zone"], "Europe/Moscow");

    let some = create_house(
        &app,
        json!({"address": "ул. Часть, 2", "time_zone": "Asia/Yekaterinburg",
               "services": ["maintenance", "cold_water", "cold_water"]}),
    )
    .await;
    assert_eq!(some["services"], json!(["cold_water", "maintenance"]));
    assert_eq!(some["time_zone"], "Asia/Yekaterinburg");

    let path = format!("/api/v1/houses/{}", some["id"]);
    let (status, changed) = patch(&app, &path, json!({"services": ["sewerage"]})).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["services"], json!(["sewerage"]));
    assert_eq!(get(&app, &path).await.1["services"], json!(["sewerage"]));

    for (body, field) in [
        (json!({"services": []}), "services"),
        (json!({"services": ["gas"]}), "services"),
        (json!({"services": "cold_water"}), "services"),
        (json!({"time_zone": "Europe/London"}), "time_zone"),
    ] {
        let (status, json) = patch(&app, &path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert_eq!(field_names(&json), [field], "{body}");
    }

    let updates: Vec<_> = audited(&app, "house")
        .await
        .into_iter()
        .filter(|(action, ..)| action == "update")
        .collect();
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert_eq!(
        updates[0].1["services"],
        json!(["cold_water", "maintenance"])
    );
    assert_eq!(updates[0].2["services"], json!(["sewerage"]));
}

#[tokio::test]
async fn an_apartment_keeps_who_lives_there_by_month_and_its_owners() {
    let app = spawn_app().await;
    let house = create_house(
        &app,
        json!({"address": "ул. Жильцов, 3", "apartments": [
            {"number": "1", "area": "40", "residents": 3, "owners": 2},
            {"number": "2", "area": "50", "residents": [
                {"valid_from": null, "count": 1}, {"valid_from": "2026-09", "count": 4}
            ], "meter_impossible": true},
            {"number": "3", "area": "60"}
        ]}),
    )
    .await;
    let apartments = house["apartments"].as_array().unwrap();
    assert_eq!(
        apartments[0]["residents"],
        json!([{"valid_from": null, "count": 3}])
    );
    assert_eq!(apartments[0]["owners"], 2);
    assert_eq!(apartments[0]["meter_impossible"], false);
    assert_eq!(
        apartments[1]["residents"],
        json!([{"valid_from": null, "count": 1}, {"valid_from": "2026-09", "count": 4}])
    );
    assert_eq!(apartments[1]["meter_impossible"], true);
    // Left out: nobody registered, one owner.
    assert_eq!(apartments[2]["residents"], json!([]));
    assert_eq!(apartments[2]["owners"], 1);

    let id = apartments[0]["id"].as_i64().unwrap();
    let residents = format!("/api/v1/apartments/{id}/residents");
    let (status, json) = post(
        &app,
        &residents,
        json!({"valid_from": "2026-10", "count": 2}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    // The same month again replaces its count.
    let (_, json) = post(
        &app,
        &residents,
        json!({"valid_from": "2026-10", "count": 5}),
    )
    .await;
    assert_eq!(
        json["residents"],
        json!([{"valid_from": null, "count": 3}, {"valid_from": "2026-10", "count": 5}])
    );

    let path = format!("/api/v1/apartments/{id}");
    let (status, json) = patch(
        &app,
        &path,
        json!({"residents": [{"valid_from": "2026-11", "count": 1}], "owners": 0,
               "meter_impossible": true}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(
        json["residents"],
        json!([{"valid_from": "2026-11", "count": 1}])
    );
    assert_eq!(
        (json["owners"].clone(), json["meter_impossible"].clone()),
        (json!(0), json!(true))
    );
    assert_eq!(get(&app, &path).await.1["residents"], json["residents"]);

    for (body, field) in [
        (json!({"residents": 1001}), "residents"),
        (json!({"residents": -1}), "residents"),
        (
            json!({"residents": [{"count": 1}, {"valid_from": null, "count": 2}]}),
            "residents",
        ),
        (
            json!({"residents": [{"valid_from": "2026-13", "count": 1}]}),
            "residents[0].valid_from",
        ),
        (json!({"owners": 2.5}), "owners"),
        (json!({"meter_impossible": "yes"}), "meter_impossible"),
    ] {
        let (status, json) = patch(&app, &path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert_eq!(field_names(&json), [field], "{body}");
    }
    let (status, json) = post(&app, &residents, json!({"count": "many"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(field_names(&json), ["count"]);

    // Every row's change is in the log: 4 + 1 created with the house, the
    // month added and changed, then the history replaced by one row.
    let log = audited(&app, "residents").await;
    let actions: Vec<&str> = log.iter().map(|(a, ..)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "create", "create", "create", "create", "update", "delete", "delete", "create"
        ]
    );
    assert_eq!(
        log[3].2,
        json!({"apartment_id": id, "valid_from": "2026-10", "residents": 2})
    );
}

#[tokio::test]
async fn a_meter_is_commissioned_verified_and_taken_out_with_its_final_reading() {
    let app = spawn_app().await;
    let house = create_house(
        &app,
        json!({"address": "ул. Поверки, 4", "apartments": [{"number": "1", "area": "40", "meters": [
            {"serial": "ХВ-1", "kind": "cold_water", "initial_reading": "10",
             "commissioned_on": "2025-03-02", "verified_until": "2031-03-01"}
        ]}]}),
    )
    .await;
    let meter = &house["apartments"][0]["meters"][0];
    assert_eq!(meter["commissioned_on"], "2025-03-02");
    assert_eq!(meter["verified_until"], "2031-03-01");
    assert_eq!(meter["decommissioned_on"], Value::Null);
    let id = meter["id"].as_i64().unwrap();

    let path = format!("/api/v1/meters/{id}");
    let (status, json) = patch(&app, &path, json!({"verified_until": null})).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["verified_until"], Value::Null);

    let last_month = Period::current().previous();
    let month = last_month.first_day().format("%Y-%m-14").to_string();
    let earlier =
        json!({"meter_id": id, "period": last_month.previous().to_string(), "value": "20"});
    let (status, json) = post(&app, "/api/v1/readings", json!({"readings": [earlier]})).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let out = format!("/api/v1/meters/{id}/decommission");
    // Not before the month of its latest reading.
    let before = last_month.previous().previous().first_day().to_string();
    let (status, json) = post(&app, &out, json!({"on": before, "final_reading": "20"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(field_names(&json), ["on"], "{json}");
    for (body, field) in [
        (
            json!({"on": month, "final_reading": "19.5"}),
            "final_reading",
        ),
        (json!({"on": "2025-03-01", "final_reading": "25"}), "on"),
        (json!({"on": "14.10.2026", "final_reading": "25"}), "on"),
        (json!({"final_reading": "25"}), "on"),
    ] {
        let (status, json) = post(&app, &out, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert_eq!(field_names(&json), [field], "{body}");
    }
    let (status, json) = post(&app, &out, json!({"on": month, "final_reading": "25.125"})).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["decommissioned_on"], month);
    assert_eq!(
        json["last_reading"],
        json!({"period": last_month.to_string(), "value": "25.125"})
    );
    let (_, readings) = get(&app, &format!("/api/v1/meters/{id}/readings")).await;
    assert_eq!(readings[1]["source"], "final", "{readings}");

    let (status, json) = post(&app, &out, json!({"on": month, "final_reading": "26"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert_eq!(json["code"], "conflict");
    // Taken out: no reading after that month.
    let later = json!({"meter_id": id, "period": Period::current().to_string(), "value": "30"});
    let (status, json) = post(&app, "/api/v1/readings", json!({"readings": [later]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    assert_eq!(json["errors"][0]["code"], "meter_decommissioned", "{json}");

    let update = audited(&app, "meter").await.pop().unwrap();
    assert_eq!(update.0, "update");
    assert_eq!(
        (
            update.1["decommissioned_on"].clone(),
            update.2["decommissioned_on"].clone()
        ),
        (Value::Null, json!(month))
    );
}

#[tokio::test]
async fn normatives_and_coefficients_are_an_admins_like_tariffs() {
    let app = spawn_app().await;
    // The legal values come with the database.
    let (status, seeded) = get(&app, "/api/v1/coefficients").await;
    assert_eq!(status, StatusCode::OK);
    let seeded: Vec<(String, String, String)> = seeded
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().unwrap().to_owned();
            (text("service"), text("value"), text("valid_from"))
        })
        .collect();
    let row = |s: &str, v: &str, p: &str| (s.to_owned(), v.to_owned(), p.to_owned());
    assert_eq!(
        seeded,
        [
            row("cold_water", "3.00", "2025-12"),
            row("cold_water", "1.50", "2017-01"),
            row("hot_water", "1.50", "2017-01"),
        ]
    );

    let house = create_house(&app, json!({"address": "ул. Норм, 5"})).await;
    let (status, default) = post(
        &app,
        "/api/v1/normatives",
        json!({"service": "cold_water", "value": "3,16", "valid_from": "2026-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{default}");
    assert_eq!(
        (default["value"].clone(), default["house_id"].clone()),
        (json!("3.1600"), Value::Null)
    );
    let (status, own) = post(
        &app,
        "/api/v1/normatives",
        json!({"service": "cold_water", "value": 4, "valid_from": "2026-01", "house_id": house["id"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    let (status, json) = post(
        &app,
        "/api/v1/normatives",
        json!({"service": "cold_water", "value": 5, "valid_from": "2026-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert_eq!(field_names(&json), ["valid_from"]);
    for (body, field) in [
        (
            json!({"service": "sewerage", "value": 1, "valid_from": "2026-01"}),
            "service",
        ),
        (
            json!({"service": "hot_water", "value": 0, "valid_from": "2026-01"}),
            "value",
        ),
        (
            json!({"service": "hot_water", "value": "1.00001", "valid_from": "2026-01"}),
            "value",
        ),
        (
            json!({"service": "hot_water", "value": 1, "valid_from": "2026-01", "house_id": 999999}),
            "house_id",
        ),
    ] {
        let (status, json) = post(&app, "/api/v1/normatives", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert_eq!(field_names(&json), [field], "{body}");
    }
    let path = format!("/api/v1/normatives/{}", default["id"]);
    let (status, json) = patch(&app, &path, json!({"value": "3.2"})).await;
    assert_eq!(
        (status, json["value"].clone()),
        (StatusCode::OK, json!("3.2000"))
    );
    let (status, json) = patch(&app, &path, json!({"house_id": house["id"]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
    let (_, listed) = get(&app, "/api/v1/normatives").await;
    assert_eq!(listed.as_array().unwrap().len(), 2);

    let (status, json) = post(
        &app,
        "/api/v1/coefficients",
        json!({"service": "hot_water", "value": "3", "valid_from": "2027-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    assert_eq!(json["value"], "3.00");
    let (status, json) = post(
        &app,
        "/api/v1/coefficients",
        json!({"service": "hot_water", "value": "0.5", "valid_from": "2027-02"}),
    )
    .await;
    assert_eq!(
        (status, field_names(&json)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["value".to_owned()])
    );

    // A manager reads them but changes none.
    let manager = api_client(&app.user_with_token("manager", Role::Manager));
    let (status, _) = call_as(&app, &manager, Method::GET, "/api/v1/normatives", None).await;
    assert_eq!(status, StatusCode::OK);
    for (method, path) in [
        (Method::POST, "/api/v1/normatives".to_owned()),
        (Method::PATCH, path.clone()),
        (Method::DELETE, path.clone()),
        (Method::POST, "/api/v1/coefficients".to_owned()),
    ] {
        let (status, json) = call_as(&app, &manager, method.clone(), &path, Some(json!({}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {json}");
    }
    let (status, _) = crate::helpers::api::delete(&app, &path).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let normatives: Vec<String> = audited(&app, "normative")
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(normatives, ["create", "create", "update", "delete"]);
    let coefficients = audited(&app, "coefficient").await;
    assert_eq!(
        coefficients.len(),
        1,
        "the seeded ones are not a user's: {coefficients:?}"
    );
    assert_eq!(
        coefficients[0].2,
        json!({"service": "hot_water", "coefficient": "3.00", "valid_from": "2027-01"})
    );
}
