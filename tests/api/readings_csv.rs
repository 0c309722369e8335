//! The CSV round trip over HTTP: download a house's template, fill it in,
//! upload it back (multipart, as a browser sends the form), and the
//! per-line report of an upload that was refused.

use kvartplata::db::models::HouseId;
use kvartplata::db::queries;
use kvartplata::domain::{MeterKind, ReadingSource};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use rust_decimal_macros::dec;

use crate::helpers::app::TestApp;
use crate::helpers::fixtures::{HouseBuilder, MeterBuilder, add_reading, find_meter};
use crate::helpers::pages::{Visitor, csrf_token, field_error, flash, location};

const SAMPLE_UTF8: &[u8] = include_bytes!("../fixtures/readings-excel-utf8-bom.csv");
const SAMPLE_CP1251: &[u8] = include_bytes!("../fixtures/readings-excel-cp1251.csv");

/// A house's upload form, used by a [`Visitor`].
trait Uploads {
    /// Posts `file` to the house's upload form with the page's CSRF token
    /// (or with `token` when given).
    async fn upload_with(
        &self,
        house: HouseId,
        file: &[u8],
        token: Option<&str>,
    ) -> reqwest::Response;

    async fn upload(&self, house: HouseId, file: &[u8]) -> reqwest::Response {
        self.upload_with(house, file, None).await
    }

    /// Uploads, expects 303 to `to`, and returns the flash shown next.
    async fn upload_ok(&self, house: HouseId, file: &[u8], to: &str) -> String;

    /// Uploads, expects 422, and returns the page.
    async fn upload_refused(&self, house: HouseId, file: &[u8]) -> String {
        let response = self.upload(house, file).await;
        let status = response.status();
        let html = response.text().await.unwrap();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        html
    }
}

impl Uploads for Visitor {
    async fn upload_with(
        &self,
        house: HouseId,
        file: &[u8],
        token: Option<&str>,
    ) -> reqwest::Response {
        let path = format!("/houses/{house}/readings/upload");
        let page_token = csrf_token(&self.page(&path).await);
        let mut form = Form::new();
        if let Some(token) = token
            .or(Some(page_token.as_str()))
            .filter(|t| !t.is_empty())
        {
            form = form.text("csrf_token", token.to_owned());
        }
        let part = Part::bytes(file.to_vec())
            .file_name("readings.csv")
            .mime_str("text/csv")
            .unwrap();
        self.client
            .post(self.app.url(&path))
            .multipart(form.part("file", part))
            .send()
            .await
            .unwrap()
    }

    async fn upload_ok(&self, house: HouseId, file: &[u8], to: &str) -> String {
        let response = self.upload(house, file).await;
        let status = response.status();
        let target = location_or_empty(&response);
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "{}",
            response.text().await.unwrap()
        );
        assert_eq!(target, to);
        // The flash is shown by whichever page comes next.
        let html = self.page(&format!("/houses/{house}/readings/upload")).await;
        let (kind, message) = flash(&html).expect("a flash message");
        assert_eq!(kind, "flash-success");
        message
    }
}

fn location_or_empty(response: &reqwest::Response) -> String {
    if response.headers().contains_key("location") {
        location(response)
    } else {
        String::new()
    }
}

/// A house whose apartments (50 m² each) hold meters `(apartment, serial,
/// kind, initial)`.
fn seed(app: &TestApp, address: &str, meters: &[(&str, &str, MeterKind, &str)]) -> HouseId {
    let mut house = HouseBuilder::new(address);
    for (number, serial, kind, initial) in meters {
        let meter = MeterBuilder::new(serial, *kind).initial(initial.parse().unwrap());
        house = house.meter_in(number, meter);
    }
    house.area(dec!(50)).insert(app).id()
}

/// The meters of the Excel samples, with initial readings below their values.
fn sample_house(app: &TestApp) -> HouseId {
    seed(
        app,
        "ул. Садовая, 5",
        &[
            ("1", "ХВ-000101", MeterKind::ColdWater, "120"),
            ("1", "ГВ-000102", MeterKind::HotWater, "40.5"),
            ("2А", "ХВ-000201", MeterKind::ColdWater, "0"),
            ("3", "ХВ-000301", MeterKind::ColdWater, "1200"),
        ],
    )
}

/// A meter's readings as `(period, value to 0.001, source)`, oldest first.
fn readings(app: &TestApp, serial: &str) -> Vec<(String, String, ReadingSource)> {
    let meter = find_meter(app, serial);
    queries::readings::list_for_meter(&mut app.db.conn(), meter.id)
        .unwrap()
        .into_iter()
        .map(|r| (r.period.to_string(), format!("{:.3}", r.value), r.source))
        .collect()
}

fn reading_count(app: &TestApp, serials: &[&str]) -> usize {
    serials.iter().map(|s| readings(app, s).len()).sum()
}

/// The cells of the report's row for file line `line`, as HTML text.
fn report_line(html: &str, line: usize) -> Option<Vec<String>> {
    let marker = format!(r#"<tr id="line-{line}">"#);
    let start = html.find(&marker)? + marker.len();
    let row = html[start..].split("</tr>").next().unwrap();
    Some(
        row.split("</td>")
            .filter_map(|cell| cell.split_once('>').map(|(_, text)| text.trim().to_owned()))
            .collect(),
    )
}

#[tokio::test]
async fn a_downloaded_template_filled_in_uploads_back_and_again_changes_nothing() {
    let b = Visitor::start().await;
    let house = seed(
        &b.app,
        "ул. Речная, 2",
        &[
            ("2", "ХВ-2", MeterKind::ColdWater, "0"),
            ("10", "ГВ-10", MeterKind::HotWater, "5"),
            ("1", "ХВ-1", MeterKind::ColdWater, "12.5"),
        ],
    );
    add_reading(&b.app, "ХВ-2", "2026-08", "1204.1");

    let response = b
        .response(&format!(
            "/houses/{house}/readings/template.csv?period=2026-09"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        response.headers()["content-disposition"],
        &format!("attachment; filename=\"readings-house-{house}-2026-09.csv\"")
    );
    let template = response.bytes().await.unwrap();
    assert!(template.starts_with(b"\xEF\xBB\xBF"));
    let text = std::str::from_utf8(&template[3..]).unwrap();
    // Natural apartment order; previous = the latest reading, else the initial one.
    assert_eq!(
        text,
        "Квартира;Счётчик;Вид;Предыдущее;Период;Показание\r\n\
         1;ХВ-1;ХВС;12,500;\"=\"\"09.2026\"\"\";\r\n\
         2;ХВ-2;ХВС;1204,100;\"=\"\"09.2026\"\"\";\r\n\
         10;ГВ-10;ГВС;5,000;\"=\"\"09.2026\"\"\";\r\n"
    );

    // Fill two of the three; the empty one is skipped.
    let filled = text
        .replace(
            "12,500;\"=\"\"09.2026\"\"\";\r\n",
            "12,500;09.2026;15,75\r\n",
        )
        .replace(
            "1204,100;\"=\"\"09.2026\"\"\";\r\n",
            "1204,100;09.2026;1 210,9\r\n",
        );
    let mut file = b"\xEF\xBB\xBF".to_vec();
    file.extend_from_slice(filled.as_bytes());
    let readings_page = format!("/houses/{house}/readings?period=2026-09");
    assert_eq!(
        b.upload_ok(house, &file, &readings_page).await,
        "Сохранено 2 показания (новых: 2, исправленных: 0)."
    );
    assert_eq!(
        readings(&b.app, "ХВ-1"),
        [(
            "2026-09".to_owned(),
            "15.750".to_owned(),
            ReadingSource::Csv
        )]
    );
    assert_eq!(readings(&b.app, "ХВ-2")[1].1, "1210.900");
    assert!(readings(&b.app, "ГВ-10").is_empty());

    // The same file again: nothing changes.
    assert_eq!(
        b.upload_ok(house, &file, &readings_page).await,
        "Сохранять нечего: 2 показания без изменений."
    );
    assert_eq!(reading_count(&b.app, &["ХВ-1", "ХВ-2", "ГВ-10"]), 3);

    // A correction counts as such; the template now shows the month's values.
    let corrected = String::from_utf8(file)
        .unwrap()
        .replace(";15,75\r\n", ";16\r\n");
    assert_eq!(
        b.upload_ok(house, corrected.as_bytes(), &readings_page)
            .await,
        "Сохранено 1 показание (новых: 0, исправленных: 1); без изменений: 1."
    );
    let again = b
        .response(&format!(
            "/houses/{house}/readings/template.csv?period=2026-09"
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        again.contains("1;ХВ-1;ХВС;12,500;\"=\"\"09.2026\"\"\";16,000\r\n"),
        "{again}"
    );
}

#[tokio::test]
async fn both_excel_samples_upload_into_a_house_with_their_meters() {
    let b = Visitor::start_in_english().await;
    let house = sample_house(&b.app);
    let to = format!("/houses/{house}/readings?period=2026-10");
    assert_eq!(
        b.upload_ok(house, SAMPLE_UTF8, &to).await,
        "Saved 4 readings (4 new, 0 corrected)."
    );
    for (serial, value) in [
        ("ХВ-000101", "130.001"),
        ("ГВ-000102", "47.250"),
        ("ХВ-000201", "3.500"),
        ("ХВ-000301", "1210.900"),
    ] {
        assert_eq!(
            readings(&b.app, serial),
            [("2026-10".to_owned(), value.to_owned(), ReadingSource::Csv)],
            "{serial}"
        );
    }
    // The Windows-1251 file holds the same readings.
    assert_eq!(
        b.upload_ok(house, SAMPLE_CP1251, &to).await,
        "Nothing to save: 4 readings unchanged."
    );
}

#[tokio::test]
async fn one_bad_line_refuses_the_file_with_a_report_per_line() {
    // The English texts, as the API sends them too.
    let b = Visitor::start_in_english().await;
    let house = sample_house(&b.app);
    seed(
        &b.app,
        "ул. Другая, 1",
        &[("7", "ХВ-777", MeterKind::ColdWater, "0")],
    );
    add_reading(&b.app, "ХВ-000201", "2026-09", "10");

    // One bad line among good ones: nothing is saved.
    let file = "serial;period;value\r\nХВ-000101;10.2026;130\r\nХВ-000201;2026-10;9,5\r\n";
    let html = b.upload_refused(house, file.as_bytes()).await;
    assert!(
        html.contains("1 line of the file cannot be saved, so nothing was saved."),
        "{html}"
    );
    assert_eq!(
        report_line(&html, 3).unwrap(),
        [
            "3",
            "ХВ-000201",
            "2026-10",
            "9,5",
            "9.500 is lower than 2026-09&#39;s reading 10.000."
        ]
    );
    assert!(report_line(&html, 2).is_none());
    assert_eq!(reading_count(&b.app, &["ХВ-000101", "ХВ-000201"]), 1);

    // Every kind of problem at once, each on its own line.
    let file = "Счётчик;Период;Показание\r\n\
                ХВ-000101;10.2026;abc\r\n\
                ХВ-777;10.2026;5\r\n\
                ХВ-404;10.2026;5\r\n\
                ГВ-000102;10.2026;47\r\n\
                ХВ-000301;13.2026;1300\r\n";
    let html = b.upload_refused(house, file.as_bytes()).await;
    assert!(
        html.contains("4 lines of the file cannot be saved"),
        "{html}"
    );
    assert_eq!(
        report_line(&html, 2).unwrap()[4],
        "&#34;abc&#34; is not a number."
    );
    assert_eq!(
        report_line(&html, 3).unwrap(),
        [
            "3",
            "ХВ-777",
            "10.2026",
            "5",
            "Meter ХВ-777 belongs to another house."
        ]
    );
    assert_eq!(
        report_line(&html, 4).unwrap()[4],
        "There is no meter with serial ХВ-404."
    );
    assert!(report_line(&html, 5).is_none(), "line 5 is valid");
    assert!(report_line(&html, 6).unwrap()[4].contains("is not a month"));
    assert_eq!(
        reading_count(&b.app, &["ХВ-000101", "ГВ-000102", "ХВ-777"]),
        0
    );

    // A file wrong throughout lists its first 500 lines and counts the rest.
    let mut file = "serial;period;value\r\n".to_owned();
    for _ in 0..520 {
        file.push_str("ХВ-777;10.2026;5\r\n");
    }
    let html = b.upload_refused(house, file.as_bytes()).await;
    assert!(html.contains("520 lines of the file cannot be saved"));
    assert!(report_line(&html, 501).is_some() && report_line(&html, 502).is_none());
    assert!(html.contains("… and 20 more lines like these."), "{html}");
}

#[tokio::test]
async fn files_that_cannot_be_read_say_why() {
    // The English texts, as the API sends them too.
    let b = Visitor::start_in_english().await;
    let house = sample_house(&b.app);
    let html = b.upload_refused(house, b"").await;
    assert_eq!(
        field_error(&html, "file").unwrap(),
        "Choose a CSV file to upload."
    );
    let html = b.upload_refused(house, b"\xEF\xBB\xBF\r\n").await;
    assert_eq!(field_error(&html, "file").unwrap(), "The file is empty.");
    let html = b
        .upload_refused(
            house,
            "Квартира;Счётчик;Показание\r\n1;ХВ-000101;5\r\n".as_bytes(),
        )
        .await;
    assert!(html.contains("has no Период (period) column"), "{html}");
    let html = b
        .upload_refused(
            house,
            "serial;period;value\r\nХВ-000101;2026-10;\r\n".as_bytes(),
        )
        .await;
    assert!(html.contains("The file has no readings"), "{html}");
    // The page still offers the form and the template.
    assert!(html.contains(r#"enctype="multipart/form-data""#));
    assert!(html.contains(&format!("/houses/{house}/readings/template.csv?period=")));
}

#[tokio::test]
async fn an_upload_without_the_csrf_token_is_forbidden() {
    let b = Visitor::start().await;
    let house = sample_house(&b.app);
    let response = b.upload_with(house, SAMPLE_UTF8, Some("")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = b.upload_with(house, SAMPLE_UTF8, Some("forged")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // A plain form post (no multipart body, no token) is refused too.
    let response = b
        .client
        .post(b.app.url(&format!("/houses/{house}/readings/upload")))
        .form(&[("file", "serial;period;value")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(reading_count(&b.app, &["ХВ-000101"]), 0);
}

#[tokio::test]
async fn templates_of_unknown_houses_or_bad_months_are_refused() {
    let b = Visitor::start().await;
    let house = sample_house(&b.app);
    let status = b
        .response("/houses/999999/readings/template.csv")
        .await
        .status();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let response = b
        .response(&format!(
            "/houses/{house}/readings/template.csv?period=13.2026"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let ahead = kvartplata::domain::Period::current().next().next();
    let response = b
        .response(&format!(
            "/houses/{house}/readings/template.csv?period={ahead}"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // The error page speaks the user's language.
    let html = response.text().await.unwrap();
    assert!(
        html.contains("слишком далеко вперёд: показания можно вносить не позже чем за"),
        "{html}"
    );
    // A year no bill has is not a month at all.
    let response = b
        .response(&format!(
            "/houses/{house}/readings/template.csv?period=2999-01"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("год должен быть от 1900 до 2200")
    );
    // Without a month: the current one.
    let response = b
        .response(&format!("/houses/{house}/readings/template.csv"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    assert_eq!(body.lines().count(), 5);
    assert_eq!(
        b.response("/houses/999999/readings/upload").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn years_outside_1900_to_2200_are_reported_per_line_not_a_500() {
    // The English texts, as the API sends them too.
    let b = Visitor::start_in_english().await;
    let house = sample_house(&b.app);
    // PostgreSQL refuses the year 0 when the readings are copied in.
    let file = "serial;period;value\r\n\
                ХВ-000101;0000-01;130\r\n\
                ХВ-000101;01.0000;130\r\n\
                ХВ-000101;10000-01;130\r\n\
                ХВ-000101;+202-11;130\r\n\
                ХВ-000101;01.01.2201;130\r\n";
    let html = b.upload_refused(house, file.as_bytes()).await;
    assert!(
        html.contains("5 lines of the file cannot be saved"),
        "{html}"
    );
    assert!(report_line(&html, 2).unwrap()[4].contains("the year must be from 1900 to 2200"));
    assert!(report_line(&html, 3).unwrap()[4].contains("the year must be from 1900 to 2200"));
    assert!(report_line(&html, 6).unwrap()[4].contains("the year must be from 1900 to 2200"));
    assert_eq!(reading_count(&b.app, &["ХВ-000101"]), 0);
}

#[tokio::test]
async fn the_template_neutralises_formula_like_cells_and_still_uploads_back() {
    let b = Visitor::start().await;
    let house = seed(
        &b.app,
        "ул. Формульная, 2",
        &[
            ("=1+2", "=cmd|'/c calc'!A1", MeterKind::ColdWater, "0"),
            ("@SUM(A1)", "-ХВ-1", MeterKind::ColdWater, "0"),
        ],
    );
    let response = b
        .response(&format!(
            "/houses/{house}/readings/template.csv?period=2026-09"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let template = response.bytes().await.unwrap();
    let text = std::str::from_utf8(&template[3..]).unwrap();
    assert_eq!(
        text,
        "Квартира;Счётчик;Вид;Предыдущее;Период;Показание\r\n\
         '=1+2;'=cmd|'/c calc'!A1;ХВС;0,000;\"=\"\"09.2026\"\"\";\r\n\
         '@SUM(A1);'-ХВ-1;ХВС;0,000;\"=\"\"09.2026\"\"\";\r\n"
    );
    // Filled in, it uploads back: the `'` is taken off the serials again.
    let filled = text.replace("09.2026\"\"\";\r\n", "09.2026\"\"\";5\r\n");
    b.upload_ok(
        house,
        filled.as_bytes(),
        &format!("/houses/{house}/readings?period=2026-09"),
    )
    .await;
    assert_eq!(reading_count(&b.app, &["=cmd|'/c calc'!A1", "-ХВ-1"]), 2);
}

#[tokio::test]
async fn the_upload_page_is_in_russian() {
    let b = Visitor::start().await;
    let house = sample_house(&b.app);
    let path = format!("/houses/{house}/readings/upload");
    let html = b.page(&path).await;
    assert!(html.contains("<h1>Загрузка показаний</h1>"), "{html}");
    assert!(html.contains(r#"<label for="file">Файл CSV</label>"#));
    assert!(html.contains(">Загрузить показания</button>"));
    // The template of the house's current period: the month just ended.
    let now = kvartplata::domain::Period::current().previous();
    let month = kvartplata::i18n::format::month(now, kvartplata::i18n::Locale::Ru);
    assert!(
        html.contains(&format!(
            r#"<a id="template-link" href="/houses/{house}/readings/template.csv?period={now}">Скачать шаблон за {month}</a>"#
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            r#"<option value="{now}" selected>{month}</option>"#
        )),
        "the template's month is picked from a list, not a native English picker: {html}"
    );
    assert!(!html.contains(r#"type="month""#));
    let content = &html[html.find("<h1>").unwrap()..];
    for english in [
        "Upload", "Download", "Template", "Cancel", "Line", "Serial", "Month", "Another",
    ] {
        assert!(!content.contains(english), "{english} on the Russian page");
    }

    // No file chosen, lines refused, more lines than listed: in Russian.
    let html = b.upload_refused(house, b"").await;
    assert_eq!(
        field_error(&html, "file").unwrap(),
        "Выберите файл CSV для загрузки."
    );
    let file = "serial;period;value\r\nХВ-000101;10.2026;abc\r\n";
    let html = b.upload_refused(house, file.as_bytes()).await;
    assert!(
        html.contains(
            "1 строку файла нельзя сохранить, поэтому ничего не сохранено. \
             Исправьте её и загрузите файл снова."
        ),
        "{html}"
    );
    assert!(html.contains("<caption>Строки, которые нужно исправить</caption>"));
    assert!(html.contains(r#"<th class="num">Строка</th>"#));
    let mut file = "serial;period;value\r\n".to_owned();
    for _ in 0..503 {
        file.push_str("ХВ-000101;10.2026;abc\r\n");
    }
    let html = b.upload_refused(house, file.as_bytes()).await;
    assert!(html.contains("503 строки файла нельзя сохранить"), "{html}");
    assert!(html.contains("… и ещё 3 такие строки."), "{html}");
}

#[tokio::test]
async fn a_refused_upload_says_what_is_wrong_in_russian() {
    let b = Visitor::start().await;
    let house = sample_house(&b.app);
    add_reading(&b.app, "ХВ-000201", "2026-09", "10");
    let html = b.upload_refused(house, b"\xEF\xBB\xBF\r\n").await;
    assert_eq!(field_error(&html, "file").unwrap(), "Файл пустой.");
    let file = "serial;period;value\r\nХВ-000101;10.2026;130\r\nХВ-000201;2026-10;9,5\r\n\
                ХВ-000101;13.2026;-1\r\nХВ-000101;ноя.26;1,2345\r\n";
    let html = b.upload_refused(house, file.as_bytes()).await;
    assert_eq!(
        report_line(&html, 3).unwrap()[4],
        "9,500 меньше показания за сентябрь 2026: 10,000."
    );
    assert_eq!(
        report_line(&html, 4).unwrap()[4],
        "«13.2026» — не месяц: напишите, например, 11.2026, 2026-11 или ноябрь 2026. \
         Показание не может быть отрицательным."
    );
    assert_eq!(
        report_line(&html, 5).unwrap()[4],
        "Показание: не больше 3 знаков после запятой."
    );
}
