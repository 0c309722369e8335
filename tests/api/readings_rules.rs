//! Every reading rule through each channel that saves readings — the
//! month's form, the CSV upload and the JSON API. Each case is written once
//! against a small per-channel adapter and run for all three, asserting the
//! answer and what the database holds afterwards.

use diesel::prelude::*;
use kvartplata::db::models::{HouseId, MeterId};
use kvartplata::db::{queries, schema};
use kvartplata::domain::Period;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};

use crate::helpers::api::post;
use crate::helpers::app::TestApp;
use crate::helpers::fixtures::{ApartmentBuilder, HouseBuilder, MeterBuilder, find_meter};
use crate::helpers::pages::{Visitor, csrf_token, field_error, flash, location};

#[derive(Debug, Clone, Copy)]
enum Channel {
    Form,
    Csv,
    Api,
}

/// A channel's answer, told the same way for all three.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    /// Saved: (created, updated, unchanged).
    Saved(usize, usize, usize),
    /// Saved, with the form's or upload's warning flash.
    Warned {
        counts: (usize, usize, usize),
        warning: String,
    },
    /// Refused, naming rows of the batch: (position in the batch, message).
    Refused(Vec<(usize, String)>),
    /// The request itself was refused (the form's hidden month field).
    BadRequest,
}

/// One reading to send: meter serial, month, value as typed.
type Row<'a> = (&'a str, Period, &'a str);

/// The meters every case works with: `(serial, initial reading)`.
const METERS: [(&str, Decimal); 3] = [("R-1", dec!(0)), ("R-2", dec!(0)), ("R-3", dec!(100))];

/// The app, one house with [`METERS`], and a browser keeping its session.
struct Bench {
    channel: Channel,
    v: Visitor,
    house: HouseId,
}

impl Bench {
    async fn start(channel: Channel) -> Self {
        // English: the messages are compared with the API's, which are.
        let v = Visitor::start_in_english().await;
        let house = seed(&v.app);
        Self { channel, v, house }
    }

    fn meter(&self, serial: &str) -> MeterId {
        find_meter(&self.v.app, serial).id
    }

    /// Sends `rows` as one batch through the bench's channel.
    async fn send(&self, rows: &[Row<'_>]) -> Answer {
        match self.channel {
            Channel::Form => self.send_form(rows).await,
            Channel::Csv => self.send_csv(rows).await,
            Channel::Api => self.send_api(rows).await,
        }
    }

    /// Sends and expects the batch saved with these counts.
    async fn saved(&self, rows: &[Row<'_>], counts: (usize, usize, usize)) {
        let (created, updated, unchanged) = counts;
        assert_eq!(
            self.send(rows).await,
            Answer::Saved(created, updated, unchanged),
            "{:?} {rows:?}",
            self.channel
        );
    }

    /// The form of one month: a field `m{meter id}` per meter, the month in a
    /// hidden field. Fields of meters not in `rows` are left out (empty).
    async fn send_form(&self, rows: &[Row<'_>]) -> Answer {
        let period = rows[0].1;
        assert!(
            rows.iter().all(|r| r.1 == period),
            "the form holds one month"
        );
        let token = csrf_token(
            &self
                .v
                .page(&format!("/houses/{}/readings", self.house))
                .await,
        );
        let mut fields = vec![
            ("csrf_token".to_owned(), token),
            ("period".to_owned(), period.to_string()),
        ];
        for (serial, _, value) in rows {
            fields.push((format!("m{}", self.meter(serial)), (*value).to_owned()));
        }
        let response = self
            .v
            .client
            .post(self.v.app.url(&format!("/houses/{}/readings", self.house)))
            .form(&fields)
            .send()
            .await
            .unwrap();
        match response.status() {
            StatusCode::SEE_OTHER => self.saved_flash(&location(&response)).await,
            StatusCode::BAD_REQUEST => Answer::BadRequest,
            StatusCode::UNPROCESSABLE_ENTITY => {
                let html = response.text().await.unwrap();
                let named: Vec<(usize, String)> = rows
                    .iter()
                    .enumerate()
                    .filter_map(|(i, (serial, _, _))| {
                        let field = format!("m{}", self.meter(serial));
                        field_error(&html, &field).map(|m| (i, unescape(&m)))
                    })
                    .collect();
                assert!(
                    html.contains(&format!(
                        "{} reading{} could not be saved: nothing was saved.",
                        named.len(),
                        if named.len() == 1 { "" } else { "s" }
                    )),
                    "{html}"
                );
                Answer::Refused(named)
            }
            other => panic!("form: {other}: {}", response.text().await.unwrap()),
        }
    }

    /// A `serial;period;value` file with one line per row (row i on line
    /// i + 2, after the header), uploaded as the page's form sends it.
    async fn send_csv(&self, rows: &[Row<'_>]) -> Answer {
        let mut file = String::from("serial;period;value\n");
        for (serial, period, value) in rows {
            file.push_str(&format!("{serial};{period};{value}\n"));
        }
        let path = format!("/houses/{}/readings/upload", self.house);
        let token = csrf_token(&self.v.page(&path).await);
        let part = Part::bytes(file.into_bytes())
            .file_name("readings.csv")
            .mime_str("text/csv")
            .unwrap();
        let form = Form::new().text("csrf_token", token).part("file", part);
        let response = self
            .v
            .client
            .post(self.v.app.url(&path))
            .multipart(form)
            .send()
            .await
            .unwrap();
        match response.status() {
            StatusCode::SEE_OTHER => self.saved_flash(&location(&response)).await,
            StatusCode::UNPROCESSABLE_ENTITY => {
                let html = response.text().await.unwrap();
                let named = report_lines(&html)
                    .into_iter()
                    .map(|(line, message)| (line - 2, message))
                    .collect();
                Answer::Refused(named)
            }
            other => panic!("upload: {other}: {}", response.text().await.unwrap()),
        }
    }

    async fn send_api(&self, rows: &[Row<'_>]) -> Answer {
        let readings: Vec<Value> = rows
            .iter()
            .map(|(serial, period, value)| {
                json!({"meter_id": self.meter(serial), "period": period.to_string(), "value": value})
            })
            .collect();
        let (status, body) = post(
            &self.v.app,
            "/api/v1/readings",
            json!({ "readings": readings }),
        )
        .await;
        let count = |key: &str| body[key].as_u64().unwrap() as usize;
        match status {
            StatusCode::OK => Answer::Saved(count("created"), count("updated"), count("unchanged")),
            StatusCode::UNPROCESSABLE_ENTITY => {
                let errors = body["errors"].as_array().unwrap();
                assert_eq!(
                    body["error"],
                    format!(
                        "{} of the readings are invalid; nothing was saved.",
                        errors.len()
                    )
                );
                Answer::Refused(
                    errors
                        .iter()
                        .map(|e| {
                            (
                                e["index"].as_u64().unwrap() as usize,
                                e["message"].as_str().unwrap().to_owned(),
                            )
                        })
                        .collect(),
                )
            }
            other => panic!("api: {other}: {body}"),
        }
    }

    /// Sends a batch that must be saved and returns its warnings: the
    /// API's `(index, message)`, or the form's and upload's warning flash as
    /// `(0, text)`; none when the flash is a success.
    async fn warnings(&self, rows: &[Row<'_>]) -> Vec<(usize, String)> {
        if let Channel::Api = self.channel {
            let readings: Vec<Value> = rows
                .iter()
                .map(|(serial, period, value)| {
                    json!({"serial": serial, "period": period.to_string(), "value": value})
                })
                .collect();
            let (status, body) = post(
                &self.v.app,
                "/api/v1/readings",
                json!({ "readings": readings }),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            return body["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| {
                    let index = w["index"].as_u64().unwrap() as usize;
                    (index, w["message"].as_str().unwrap().to_owned())
                })
                .collect();
        }
        match self.send(rows).await {
            Answer::Saved(..) => Vec::new(),
            Answer::Warned { counts, warning } => {
                assert_eq!(counts.0 + counts.1 + counts.2, rows.len(), "{warning}");
                vec![(0, warning)]
            }
            other => panic!("{:?}: {other:?}", self.channel),
        }
    }

    /// Follows a 303 and reads the counts from the success flash: "Saved 3
    /// readings (2 new, 1 corrected).", "Saved 1 reading (1 new, 0
    /// corrected); 2 unchanged." or "Nothing to save: 2 readings unchanged."
    async fn saved_flash(&self, to: &str) -> Answer {
        let html = self.v.page(to).await;
        let (kind, message) = flash(&html).expect("a flash after saving");
        if kind == "flash-warning" {
            let (counts, _) = message
                .split_once(" Check ")
                .unwrap_or_else(|| panic!("unexpected flash {message:?}"));
            let Answer::Saved(created, updated, unchanged) = counts_of(counts) else {
                unreachable!()
            };
            return Answer::Warned {
                counts: (created, updated, unchanged),
                warning: message.replace("&#39;", "'"),
            };
        }
        assert_eq!(kind, "flash-success", "{message}");
        counts_of(&message)
    }

    /// Every stored reading of the house's meters: (serial, month, value).
    fn stored(&self) -> Vec<(String, String, Decimal)> {
        let mut conn = self.v.app.db.conn();
        let mut all = Vec::new();
        for (serial, _) in METERS {
            let meter = self.meter(serial);
            for r in queries::readings::list_for_meter(&mut conn, meter).unwrap() {
                all.push((serial.to_owned(), r.period.to_string(), r.value));
            }
        }
        all
    }

    /// Every row of the readings table, timestamps included.
    fn snapshot(&self) -> Vec<String> {
        let mut conn = self.v.app.db.conn();
        let mut all = Vec::new();
        for (serial, _) in METERS {
            for r in queries::readings::list_for_meter(&mut conn, self.meter(serial)).unwrap() {
                all.push(format!("{r:?}"));
            }
        }
        all
    }

    /// Rows of the readings table, counted by SQL (no duplicate can hide).
    fn count(&self) -> i64 {
        schema::readings::table
            .count()
            .get_result(&mut self.v.app.db.conn())
            .unwrap()
    }
}

/// The counts of a saved flash: "Saved 3 readings (2 new, 1 corrected).",
/// "Saved 1 reading (1 new, 0 corrected); 2 unchanged." or "Nothing to
/// save: 2 readings unchanged."
fn counts_of(message: &str) -> Answer {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let number = |text: &str| -> usize {
        text.parse()
            .unwrap_or_else(|_| panic!("unexpected flash {message:?}"))
    };
    if let Some(rest) = message.strip_prefix("Nothing to save: ") {
        let unchanged = number(rest.split(' ').next().unwrap());
        assert_eq!(
            message,
            format!(
                "Nothing to save: {unchanged} reading{} unchanged.",
                plural(unchanged)
            )
        );
        return Answer::Saved(0, 0, unchanged);
    }
    let counts = message
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(counts, _)| counts)
        .unwrap_or_else(|| panic!("unexpected flash {message:?}"));
    let numbers: Vec<usize> = counts
        .split(", ")
        .map(|part| number(part.split(' ').next().unwrap()))
        .collect();
    let [created, updated] = numbers[..] else {
        panic!("unexpected flash {message:?}");
    };
    let unchanged = message
        .split_once("); ")
        .map_or(0, |(_, rest)| number(rest.split(' ').next().unwrap()));
    let saved = created + updated;
    let mut expected = format!(
        "Saved {saved} reading{} ({created} new, {updated} corrected)",
        plural(saved)
    );
    if unchanged > 0 {
        expected.push_str(&format!("; {unchanged} unchanged"));
    }
    expected.push('.');
    assert_eq!(message, expected);
    Answer::Saved(created, updated, unchanged)
}

/// One house, one apartment per meter of [`METERS`].
fn seed(app: &TestApp) -> HouseId {
    let mut house = HouseBuilder::new("ул. Правил, 1");
    for (n, (serial, initial)) in METERS.iter().enumerate() {
        let meter = MeterBuilder::cold(serial).initial(*initial);
        house = house.apartment(
            ApartmentBuilder::new(&(n + 1).to_string())
                .area(dec!(50))
                .meter(meter),
        );
    }
    house.insert(app).id()
}

/// The upload report's refused lines: (file line, message).
fn report_lines(html: &str) -> Vec<(usize, String)> {
    html.split(r#"<tr id="line-"#)
        .skip(1)
        .map(|row| {
            let line = row.split('"').next().unwrap().parse().unwrap();
            let marker = r#"<td class="field-error">"#;
            let start = row.find(marker).expect("a problem cell") + marker.len();
            let message = row[start..].split("</td>").next().unwrap();
            (line, unescape(message))
        })
        .collect()
}

/// Undoes the template's HTML escaping of a message.
fn unescape(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn reading(serial: &str, period: Period, value: Decimal) -> (String, String, Decimal) {
    (serial.to_owned(), period.to_string(), value)
}

fn refused(index: usize, message: String) -> Answer {
    Answer::Refused(vec![(index, message)])
}

// ---- the cases, each written once for every channel ----

async fn below_the_initial_reading(channel: Channel) {
    let b = Bench::start(channel).await;
    let now = Period::current();
    assert_eq!(
        b.send(&[("R-3", now, "99.5")]).await,
        refused(
            0,
            "99.500 is lower than the meter's initial reading 100.000.".into()
        )
    );
    assert_eq!(b.count(), 0);
    // The initial reading itself is a valid reading.
    b.saved(&[("R-3", now, "100")], (1, 0, 0)).await;
    assert_eq!(b.stored(), [reading("R-3", now, dec!(100))]);
}

async fn below_an_earlier_month(channel: Channel) {
    let b = Bench::start(channel).await;
    let now = Period::current();
    let earlier = now.previous();
    b.saved(&[("R-1", earlier, "130.5")], (1, 0, 0)).await;
    assert_eq!(
        b.send(&[("R-1", now, "123")]).await,
        refused(
            0,
            format!("123.000 is lower than {earlier}'s reading 130.500.")
        )
    );
    assert_eq!(b.stored(), [reading("R-1", earlier, dec!(130.5))]);
    // Two months on, the rule still looks back past the empty month.
    assert_eq!(
        b.send(&[("R-1", now.next(), "130.499")]).await,
        refused(
            0,
            format!("130.499 is lower than {earlier}'s reading 130.500.")
        )
    );
    b.saved(&[("R-1", now, "130.5")], (1, 0, 0)).await;
    assert_eq!(b.count(), 2);
}

async fn out_of_order(channel: Channel) {
    let b = Bench::start(channel).await;
    let later = Period::current();
    let earlier = later.previous().previous();
    b.saved(&[("R-1", later, "50")], (1, 0, 0)).await;

    assert_eq!(
        b.send(&[("R-1", earlier, "60")]).await,
        refused(
            0,
            format!("60.000 is higher than {later}'s reading 50.000.")
        )
    );
    assert_eq!(b.stored(), [reading("R-1", later, dec!(50))]);

    b.saved(&[("R-1", earlier, "40")], (1, 0, 0)).await;
    assert_eq!(
        b.stored(),
        [
            reading("R-1", earlier, dec!(40)),
            reading("R-1", later, dec!(50))
        ]
    );
    // The month between them is held by both neighbours.
    let between = earlier.next();
    assert_eq!(
        b.send(&[("R-1", between, "39.999")]).await,
        refused(
            0,
            format!("39.999 is lower than {earlier}'s reading 40.000.")
        )
    );
    assert_eq!(
        b.send(&[("R-1", between, "50.001")]).await,
        refused(
            0,
            format!("50.001 is higher than {later}'s reading 50.000.")
        )
    );
    b.saved(&[("R-1", between, "45")], (1, 0, 0)).await;
    assert_eq!(b.count(), 3);
}

async fn a_correction_replaces_the_month(channel: Channel) {
    let b = Bench::start(channel).await;
    let month = Period::current().previous();
    b.saved(&[("R-1", month, "10"), ("R-2", month, "7")], (2, 0, 0))
        .await;
    let before = b.snapshot();

    // Corrected downwards: nothing earlier holds it.
    b.saved(&[("R-1", month, "8.25"), ("R-2", month, "7")], (0, 1, 1))
        .await;
    assert_eq!(
        b.stored(),
        [
            reading("R-1", month, dec!(8.25)),
            reading("R-2", month, dec!(7))
        ]
    );
    assert_eq!(b.count(), 2, "replaced, not added");
    let after = b.snapshot();
    assert_ne!(before[0], after[0], "R-1 rewritten");
    assert_eq!(before[1], after[1], "R-2 sent unchanged, not rewritten");

    // A correction is still checked against its neighbours.
    b.saved(&[("R-1", month.next(), "9")], (1, 0, 0)).await;
    assert_eq!(
        b.send(&[("R-1", month, "9.5")]).await,
        refused(
            0,
            format!("9.500 is higher than {}'s reading 9.000.", month.next())
        )
    );
    assert_eq!(b.stored()[0], reading("R-1", month, dec!(8.25)));
    assert_eq!(b.count(), 3);
}

async fn one_bad_row_saves_nothing(channel: Channel) {
    let b = Bench::start(channel).await;
    let now = Period::current();
    // The bad row in the middle: R-3's initial reading is 100.
    assert_eq!(
        b.send(&[("R-1", now, "10"), ("R-3", now, "99"), ("R-2", now, "20")])
            .await,
        refused(
            1,
            "99.000 is lower than the meter's initial reading 100.000.".into()
        )
    );
    assert_eq!(b.count(), 0, "not even the good rows");

    b.saved(
        &[("R-1", now, "10"), ("R-3", now, "101"), ("R-2", now, "20")],
        (3, 0, 0),
    )
    .await;
    assert_eq!(
        b.stored(),
        [
            reading("R-1", now, dec!(10)),
            reading("R-2", now, dec!(20)),
            reading("R-3", now, dec!(101))
        ]
    );
}

async fn no_later_than_next_month(channel: Channel) {
    let b = Bench::start(channel).await;
    let next = Period::current().next();
    let too_far = next.next();
    // The form sends the month in its hidden field; it is refused on each
    // row there too, as in a file or an API batch.
    let message = format!("{too_far} is too far ahead: readings can be entered up to {next}.");
    assert_eq!(
        b.send(&[("R-1", too_far, "5"), ("R-2", too_far, "6")])
            .await,
        Answer::Refused(vec![(0, message.clone()), (1, message)])
    );
    assert_eq!(b.count(), 0);
    // Next month itself is allowed.
    b.saved(&[("R-1", next, "5")], (1, 0, 0)).await;
    assert_eq!(b.stored(), [reading("R-1", next, dec!(5))]);
}

async fn the_same_batch_again_changes_nothing(channel: Channel) {
    let b = Bench::start(channel).await;
    let now = Period::current();
    let batch = [("R-1", now, "10.5"), ("R-2", now, "3"), ("R-3", now, "120")];
    b.saved(&batch, (3, 0, 0)).await;
    let before = b.snapshot();
    assert_eq!(before.len(), 3);
    // Long enough for a rewrite to show in updated_at.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    b.saved(&batch, (0, 0, 3)).await;
    assert_eq!(b.snapshot(), before, "values and updated_at untouched");
    assert_eq!(b.count(), 3);
}

/// A month far above the meter's average is saved with a warning, which
/// each channel says: the API in `warnings`, the form and the upload in a
/// warning flash.
async fn a_doubtful_reading_is_saved_with_a_warning(channel: Channel) {
    let b = Bench::start(Channel::Api).await;
    let now = Period::current();
    let months = |back: u32| now.months_before(back);
    // 2 m³ a month over three months: the average is 2.000.
    let history = [
        ("R-1", months(4), "10"),
        ("R-1", months(3), "12"),
        ("R-1", months(1), "16"),
    ];
    b.saved(&history, (3, 0, 0)).await;
    let b = Bench { channel, ..b };
    let expected = format!(
        "R-1, {now}: the consumption of 24.000 m³ is more than three times the meter's \
         average of 2.000 m³; check the reading (it was saved)."
    );
    let warnings = b.warnings(&[("R-2", now, "1"), ("R-1", now, "40")]).await;
    match channel {
        Channel::Api => assert_eq!(warnings, [(1, expected.clone())]),
        Channel::Form | Channel::Csv => assert_eq!(
            warnings,
            [(
                0,
                format!("Saved 2 readings (2 new, 0 corrected). Check one reading: {expected}")
            )]
        ),
    }
    assert_eq!(b.stored().len(), 5, "saved all the same");
    // The month's page marks the reading for as long as it stays so.
    let page = format!("/houses/{}/readings?period={now}", b.house);
    let doubt = |html: &str, serial: &str| {
        let marker = format!(r#"<p class="field-doubt" id="doubt-m{}">"#, b.meter(serial));
        html.split_once(&marker)
            .map(|(_, rest)| rest.split("</p>").next().unwrap().replace("&#39;", "'"))
    };
    let html = b.v.page(&page).await;
    assert_eq!(doubt(&html, "R-1").as_deref(), Some(expected.as_str()));
    assert_eq!(doubt(&html, "R-2"), None);
    // Three times the average exactly is no cause for doubt.
    let fine = b.warnings(&[("R-1", now, "22")]).await;
    assert!(fine.is_empty(), "{fine:?}");
    assert_eq!(doubt(&b.v.page(&page).await, "R-1"), None);
}

/// Runs every case through one channel.
macro_rules! channel_tests {
    ($module:ident, $channel:expr) => {
        mod $module {
            use super::*;

            #[tokio::test]
            async fn a_value_below_the_initial_reading_is_refused() {
                below_the_initial_reading($channel).await;
            }

            #[tokio::test]
            async fn a_value_below_an_earlier_month_is_refused() {
                below_an_earlier_month($channel).await;
            }

            #[tokio::test]
            async fn an_earlier_month_entered_after_a_later_one_is_held_below_it() {
                out_of_order($channel).await;
            }

            #[tokio::test]
            async fn entering_a_stored_month_again_corrects_it() {
                a_correction_replaces_the_month($channel).await;
            }

            #[tokio::test]
            async fn a_batch_with_one_bad_row_names_it_and_saves_nothing() {
                one_bad_row_saves_nothing($channel).await;
            }

            #[tokio::test]
            async fn a_month_after_next_month_is_refused() {
                no_later_than_next_month($channel).await;
            }

            #[tokio::test]
            async fn a_reading_far_above_the_average_is_saved_with_a_warning() {
                a_doubtful_reading_is_saved_with_a_warning($channel).await;
            }

            #[tokio::test]
            async fn sending_an_accepted_batch_again_changes_nothing() {
                the_same_batch_again_changes_nothing($channel).await;
            }
        }
    };
}

channel_tests!(form, Channel::Form);
channel_tests!(csv, Channel::Csv);
channel_tests!(api, Channel::Api);
