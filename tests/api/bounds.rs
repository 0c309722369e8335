//! Input at the edges of what is accepted: years outside 1900–2200, NUL
//! bytes in query strings, bodies and files far larger than any real one.
//! Each is refused with a 4xx naming the field, never a 500.

use kvartplata::domain::MeterKind;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::api::{field_names, get, post};
use crate::helpers::fixtures::HouseBuilder;
use crate::helpers::pages::{Visitor, csrf_token};

/// Years PostgreSQL refuses (0000), that are out of any bill's range, or
/// that `str::parse` would read with a sign.
const BAD_MONTHS: [&str; 5] = ["0000-01", "10000-01", "+202-11", "1899-12", "2201-01"];

#[tokio::test]
async fn years_outside_1900_to_2200_are_422_on_every_api_channel() {
    let v = Visitor::start().await;
    let house = HouseBuilder::new("ул. Годовая, 1")
        .apartments(1)
        .meter_in_each(MeterKind::ColdWater, "Y")
        .insert(&v.app);
    let id = house.id();
    let meter = house.meter("Y-1").id.0;
    for bad in BAD_MONTHS {
        // A readings batch names the row and the field.
        let (status, body) = post(
            &v.app,
            "/api/v1/readings",
            json!({"readings": [{"meter_id": meter, "period": bad, "value": "1"}]}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(body["errors"][0]["field"], "period", "{bad}: {body}");

        // Query strings.
        for path in [
            format!("/api/v1/houses/{id}/readings?period={bad}"),
            format!("/api/v1/houses/{id}/charges?period={bad}"),
        ] {
            let path = path.replace('+', "%2B");
            let (status, body) = get(&v.app, &path).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
            assert_eq!(field_names(&body), ["period"], "{path}");
        }

        // A tariff's first month and a billing run's month.
        let (status, body) = post(
            &v.app,
            "/api/v1/tariffs",
            json!({"service": "cold_water", "price": "40", "valid_from": bad}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(field_names(&body), ["valid_from"], "{bad}");
        let (status, body) = post(
            &v.app,
            &format!("/api/v1/houses/{id}/billing-runs"),
            json!({ "period": bad }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(field_names(&body), ["period"], "{bad}");
    }
    let (status, body) = get(&v.app, "/api/v1/tariffs").await;
    assert_eq!((status, body), (StatusCode::OK, Value::Array(vec![])));
}

#[tokio::test]
async fn years_outside_1900_to_2200_are_422_in_the_tariff_form() {
    let v = Visitor::start().await;
    for bad in BAD_MONTHS {
        let token = csrf_token(&v.page("/tariffs/new").await);
        let response = v
            .post_raw(
                "/tariffs",
                &[
                    ("csrf_token", &token),
                    ("service", "cold_water"),
                    ("price", "40"),
                    ("valid_from", bad),
                    ("house_id", ""),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let html = response.text().await.unwrap();
        assert!(html.contains(r#"id="error-valid_from""#), "{bad}: {html}");
    }
}

#[tokio::test]
async fn a_nul_byte_in_a_query_string_is_a_400_naming_the_parameter() {
    let v = Visitor::start().await;
    HouseBuilder::new("ул. Нулевая, 1")
        .apartments(1)
        .insert(&v.app);
    for (path, name) in [
        ("/houses?q=%00", "q"),
        ("/houses?q=28%00A&page=1", "q"),
        ("/audit?meter=%00", "meter"),
        ("/audit?meter=X%00&user=admin", "meter"),
    ] {
        let (status, html) = v.get(path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {html}");
        assert!(
            html.contains(&format!("&#34;{name}&#34;")),
            "{path}: {html}"
        );
    }
    let response = v.app.get("/api/v1/houses?q=%00").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("\"q\""), "{body}");
    // Without the NUL the same searches answer.
    assert_eq!(v.get("/houses?q=28A").await.0, StatusCode::OK);
    assert_eq!(v.get("/audit?user=admin").await.0, StatusCode::OK);
}
