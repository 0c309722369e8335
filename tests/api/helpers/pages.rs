//! The pages as a browser without JavaScript uses them: a [`Visitor`] GETs
//! a form, takes its csrf_token, POSTs and follows the 303 by hand; the
//! readers below pick what the tests check out of the HTML.

use reqwest::StatusCode;

use super::app::{TestApp, spawn_app};

/// The app and one person's browser: cookies kept, redirects not followed.
pub struct Visitor {
    pub app: TestApp,
    pub client: reqwest::Client,
}

impl Visitor {
    pub async fn start() -> Self {
        let app = spawn_app().await;
        let client = app.browser_client();
        Self { app, client }
    }

    /// A visitor whose own setting is the English interface (pages are
    /// Russian unless a user chooses otherwise).
    pub async fn start_in_english() -> Self {
        let visitor = Self::start().await;
        visitor
            .submit_ok("/password", "/language", &[("locale", "en")], "/password")
            .await;
        visitor
    }

    /// The response to a GET of `path`, whatever its status.
    pub async fn response(&self, path: &str) -> reqwest::Response {
        self.client.get(self.app.url(path)).send().await.unwrap()
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let response = self.response(path).await;
        (response.status(), response.text().await.unwrap())
    }

    /// GETs a page and asserts it answered 200.
    pub async fn page(&self, path: &str) -> String {
        let (status, html) = self.get(path).await;
        assert_eq!(status, StatusCode::OK, "GET {path}:\n{html}");
        html
    }

    /// POSTs exactly `fields` (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.app.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// Opens `form_page`, takes its csrf_token and POSTs `fields` to `action`.
    pub async fn submit(
        &self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = csrf_token(&self.page(form_page).await);
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(action, &all).await
    }

    /// Submits and expects 303 to `to`; returns the page it leads to.
    pub async fn submit_ok(
        &self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
        to: &str,
    ) -> String {
        let response = self.submit(form_page, action, fields).await;
        let status = response.status();
        let location = location(&response);
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "POST {action}: {}",
            response.text().await.unwrap()
        );
        assert_eq!(location, to, "POST {action} redirected elsewhere");
        self.page(&location).await
    }
}

/// The value of the `csrf_token` hidden field of a form in `html`.
pub fn csrf_token(html: &str) -> String {
    let marker = r#"name="csrf_token" value=""#;
    let start = html.find(marker).expect("the page has a csrf_token field") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

pub fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// The text of `<p class="field-error" id="error-FIELD">`, if there is one.
pub fn field_error(html: &str, field: &str) -> Option<String> {
    let marker = format!(r#"<p class="field-error" id="error-{field}">"#);
    let start = html.find(&marker)? + marker.len();
    Some(html[start..].split("</p>").next().unwrap().to_owned())
}

/// The `value` attribute of the input named `field`.
pub fn input_value(html: &str, field: &str) -> String {
    let marker = format!(r#"name="{field}" value=""#);
    let start = html.find(&marker).expect("the form has the field") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The flash message's kind and text.
pub fn flash(html: &str) -> Option<(String, String)> {
    let start = html.find(r#"<div class="flash "#)? + r#"<div class="flash "#.len();
    let kind = html[start..].split('"').next().unwrap().to_owned();
    let text_start = start + html[start..].find('>').unwrap() + 1;
    let text = html[text_start..]
        .split("</div>")
        .next()
        .unwrap()
        .to_owned();
    Some((kind, text))
}

/// Apartment rows shown on a house page.
pub fn apartment_rows(html: &str) -> usize {
    html.matches(r#"<tr id="apartment-"#).count()
}

/// The numbers of the apartments listed on a house page, in order.
pub fn listed_numbers(html: &str) -> Vec<String> {
    html.split(r#"<tr id="apartment-"#)
        .skip(1)
        .map(|row| {
            let link = row.split("\">").nth(2).unwrap();
            link.split("</a>").next().unwrap().to_owned()
        })
        .collect()
}

/// The HTML from `start` up to the next `end`: one table row or section.
pub fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in:\n{html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}
