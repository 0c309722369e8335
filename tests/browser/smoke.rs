use crate::harness::Browser;
use crate::helpers::app::spawn_app;

#[tokio::test]
async fn the_houses_page_loads_in_chromium() {
    let app = spawn_app().await;
    let browser = Browser::start(&app.address).await;

    browser.open("/houses").await;

    let title = browser.client.title().await.unwrap();
    assert!(title.starts_with("Дома"), "title {title:?}");
    assert_eq!(browser.find("h1").await.text().await.unwrap(), "Дома");
}
