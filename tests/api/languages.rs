//! The interface's language: Russian unless a user chooses English;
//! before sign-in, the browser's `Accept-Language`.

use reqwest::StatusCode;
use reqwest::header::ACCEPT_LANGUAGE;

use crate::helpers::pages::{Visitor, flash};

/// The `lang` of a page's `<html>`.
fn html_lang(html: &str) -> &str {
    let rest = &html[html.find("<html lang=\"").expect("an <html lang>") + 12..];
    &rest[..rest.find('"').unwrap()]
}

#[tokio::test]
async fn before_sign_in_the_browsers_language_is_taken_russian_otherwise() {
    let v = Visitor::start().await;
    let anonymous = v.app.anonymous_client();
    for (accept, lang, button) in [
        (None, "ru", "Войти"),
        (Some("ru-RU,ru;q=0.9"), "ru", "Войти"),
        (Some("en-GB,en;q=0.9,ru;q=0.5"), "en", "Sign in"),
        (Some("de-DE"), "ru", "Войти"),
    ] {
        let mut request = anonymous.get(v.app.url("/login"));
        if let Some(accept) = accept {
            request = request.header(ACCEPT_LANGUAGE, accept);
        }
        let html = request.send().await.unwrap().text().await.unwrap();
        assert_eq!(html_lang(&html), lang, "{accept:?}");
        assert!(
            html.contains(&format!(
                r#"<button type="submit" class="button">{button}</button>"#
            )),
            "{accept:?}: {html}"
        );
    }
}

#[tokio::test]
async fn a_user_reads_russian_until_they_choose_english_and_back() {
    let v = Visitor::start().await;
    let html = v.page("/").await;
    assert_eq!(html_lang(&html), "ru");
    assert!(html.contains(">Дома<") && html.contains("Выйти"), "{html}");
    // A browser asking for English does not overrule the user's setting.
    let asked = v
        .client
        .get(v.app.url("/"))
        .header(ACCEPT_LANGUAGE, "en")
        .send()
        .await
        .unwrap();
    assert_eq!(html_lang(&asked.text().await.unwrap()), "ru");

    let html = v
        .submit_ok("/password", "/language", &[("locale", "en")], "/password")
        .await;
    assert_eq!(html_lang(&html), "en");
    assert!(html.contains(">Houses<") && html.contains("Sign out"));
    assert_eq!(
        flash(&html),
        Some((
            "flash-success".to_owned(),
            "The interface is in English now.".to_owned()
        ))
    );
    assert!(html.contains(r#"<option value="en" selected>"#), "{html}");

    let html = v
        .submit_ok("/password", "/language", &[("locale", "ru")], "/password")
        .await;
    assert_eq!(html_lang(&html), "ru");
    assert_eq!(flash(&html).unwrap().1, "Теперь интерфейс на русском.");

    // Only the languages there are.
    let response = v
        .submit("/password", "/language", &[("locale", "de")])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(html_lang(&v.page("/").await), "ru");
}
