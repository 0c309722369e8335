use reqwest::StatusCode;
use rust_decimal_macros::dec;

use crate::helpers::app::spawn_app;
use crate::helpers::fixtures::{ApartmentBuilder, HouseBuilder, MeterBuilder};

#[tokio::test]
async fn the_houses_page_lists_houses_from_the_database_with_counts() {
    let app = spawn_app().await;
    HouseBuilder::new("ул. Ленина, 1")
        .apartment(
            ApartmentBuilder::new("1")
                .area(dec!(54.30))
                .meter(MeterBuilder::cold("ХВ-1"))
                .meter(MeterBuilder::hot("ГВ-1")),
        )
        .apartment(ApartmentBuilder::new("2А").area(dec!(38.10)))
        .insert(&app);
    HouseBuilder::new("пр. Мира, 15 <корп. 2>").insert(&app);

    let response = app.get("/houses").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("ул. Ленина, 1"), "{html}");
    // Stored text is escaped, never interpreted as markup.
    assert!(
        html.contains("пр. Мира, 15 &#60;корп. 2&#62;") || html.contains("&lt;корп. 2&gt;"),
        "{html}"
    );
    let row = html.split("ул. Ленина, 1").nth(1).unwrap();
    let numbers: Vec<&str> = row
        .split("<td class=\"num\">")
        .skip(1)
        .take(2)
        .map(|cell| cell.split('<').next().unwrap())
        .collect();
    assert_eq!(numbers, ["2", "2"], "apartments and meters of Lenina 1");

    // The dashboard at / shows the same list for now.
    assert!(
        app.get("/")
            .await
            .text()
            .await
            .unwrap()
            .contains("ул. Ленина, 1")
    );
}

#[tokio::test]
async fn the_api_lists_houses_with_apartment_counts() {
    let app = spawn_app().await;
    let house = HouseBuilder::new("ул. Гагарина, 7")
        .apartment(ApartmentBuilder::new("1").area(dec!(61)))
        .insert(&app);
    let response = app.get("/api/v1/houses").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!([{"id": house.id().0, "address": "ул. Гагарина, 7", "apartments": 1}])
    );
}

#[tokio::test]
async fn unknown_pages_get_a_styled_404_and_unknown_api_paths_a_json_one() {
    let app = spawn_app().await;
    let page = app.get("/no/such/page").await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    let html = page.text().await.unwrap();
    // Nobody signed in and no Accept-Language: Russian, the default.
    assert!(
        html.contains("Страница не найдена")
            && html.contains("<html lang=\"ru\">")
            && html.contains("/static/css/app.css"),
        "{html}"
    );

    let api = app.get("/api/v1/nothing-here").await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"], "Not found.");
}

#[tokio::test]
async fn the_stylesheet_is_served_from_the_binary_with_caching() {
    let app = spawn_app().await;
    let css = app.get("/static/css/app.css").await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let etag = css.headers()["etag"].clone();
    assert!(css.text().await.unwrap().contains(".table"));

    let again = app
        .client
        .get(app.url("/static/css/app.css"))
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        app.get("/static/nope.css").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_known_path_with_another_method_is_405_in_the_paths_format() {
    let app = spawn_app().await;
    let api = app
        .client
        .put(app.url("/api/v1/houses"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"], "This address does not accept that method.");

    let page = app.client.delete(app.url("/houses")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Запрос не поддерживается")
    );
}
