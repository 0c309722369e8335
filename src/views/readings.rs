//! A house's month of readings: the meters a page at a time (all of them,
//! or only those still without a reading), each with the reading before,
//! the month's input and the consumption it implies.

use std::collections::{BTreeMap, HashMap, HashSet};

use askama::Template;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::filters;
use super::month_nav::MonthNav;
use super::pager::{Pager, page_number};
use crate::db::models::{House, MeterId};
use crate::db::queries::readings::{MonthCounts, MonthRow};
use crate::domain::input;
use crate::domain::reading::{MeterHistory, Proposed, doubts};
use crate::domain::{MeterKind, Period, Problem, Unit};
use crate::error::{AppError, RowError};
use crate::http::FlashKind;
use crate::i18n::{Locale, format};
use crate::services::readings::{BatchRow, MeterRef, ReadingEntry, Saved, Unreadable};
use crate::views::page::PageCtx;

/// Months offered before the current one in the month selector.
const MONTHS_BACK: usize = 12;

/// Meters per page of the entry form.
pub const PER_PAGE: i64 = 100;

/// `?period=YYYY-MM`; text, so a hand-edited URL gets our own message.
/// Without one, pages open on the house's current period.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct MonthAsked {
    #[serde(default)]
    pub period: String,
}

impl MonthAsked {
    /// The month asked for; None when none is.
    pub fn period(&self) -> Result<Option<Period>, AppError> {
        if self.period.trim().is_empty() {
            return Ok(None);
        }
        input::period(&self.period)
            .map(Some)
            .map_err(AppError::BadRequest)
    }
}

/// The entry page's query string: `?period=2026-11&missing=1&page=2`, all
/// text so that a hand-edited URL never fails to parse.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct MonthQuery {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub missing: String,
}

impl MonthQuery {
    /// The month asked for; None when none is.
    pub fn period(&self) -> Result<Option<Period>, AppError> {
        MonthAsked {
            period: self.period.clone(),
        }
        .period()
    }

    pub fn listing(&self) -> Listing {
        Listing::new(&self.page, &self.missing)
    }
}

/// Which meters a page of the form shows: the page number asked for, and
/// whether only the meters without a reading for the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listing {
    pub page: i64,
    pub missing: bool,
}

impl Listing {
    /// From the query or the form's hidden fields, as typed: `missing` is
    /// on for anything but empty or `0`.
    pub fn new(page: &str, missing: &str) -> Self {
        let missing = missing.trim();
        Self {
            page: page_number(page),
            missing: !missing.is_empty() && missing != "0",
        }
    }

    /// How many meters the listing has of the house's.
    pub fn total(&self, counts: &MonthCounts) -> i64 {
        if self.missing {
            counts.missing()
        } else {
            counts.meters
        }
    }

    /// The page asked for, or the last one there is.
    pub fn clamped(self, counts: &MonthCounts) -> Self {
        let pages = ((self.total(counts) + PER_PAGE - 1) / PER_PAGE).max(1);
        Self {
            page: self.page.min(pages),
            ..self
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * PER_PAGE
    }
}

/// The form's field for a meter's reading.
pub fn field_name(meter: MeterId) -> String {
    format!("m{meter}")
}

/// What the form sends: `period`, the page it was (`page`, `missing`) and
/// `m{meter_id}` per meter of that page, as typed.
#[derive(Debug, Clone, Deserialize)]
pub struct MonthForm {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub missing: String,
    #[serde(flatten)]
    pub fields: HashMap<String, String>,
}

impl MonthForm {
    /// The month the form is for; only a tampered form lacks a valid one,
    /// refused (422) like any other invalid value.
    pub fn period(&self) -> Result<Period, AppError> {
        input::period(&self.period).map_err(|message| AppError::invalid_field("period", message))
    }

    /// The page the form was on, to come back to.
    pub fn listing(&self) -> Listing {
        Listing::new(&self.page, &self.missing)
    }

    /// The typed value of every meter field (other fields are ignored).
    pub fn values(&self) -> BTreeMap<MeterId, String> {
        self.fields
            .iter()
            .filter_map(|(name, value)| {
                let id = name.strip_prefix('m')?;
                // Digits only: "m+1" or "m01" are no field of ours.
                if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || id.starts_with('0') {
                    return None;
                }
                Some((MeterId(id.parse().ok()?), value.clone()))
            })
            .collect()
    }
}

/// A reading as typed: trimmed empty is none, else checked by the input rules.
fn parse_value(raw: &str) -> Option<Result<Decimal, Problem>> {
    let raw = raw.trim();
    (!raw.is_empty()).then(|| input::decimal(raw).and_then(input::meter_value))
}

/// The form's values as a batch for `services::readings::save`: one row
/// per filled field (unreadable values and meters this house does not have
/// included, so they refuse the batch), with the meter each row is for.
#[derive(Debug, Default)]
pub struct Checked {
    pub rows: Vec<BatchRow>,
    /// `meters[i]` is the meter of `rows[i]`.
    pub meters: Vec<MeterId>,
    /// A message per meter, once the batch was refused.
    pub errors: BTreeMap<MeterId, String>,
    /// Fields for meters this house does not have (deleted or moved since
    /// the form was loaded, or a forged field).
    pub foreign: Vec<MeterId>,
}

impl Checked {
    pub fn new(rows: &[MonthRow], values: &BTreeMap<MeterId, String>, period: Period) -> Self {
        let mut checked = Checked::default();
        let known: HashSet<MeterId> = rows.iter().map(|r| MeterId(r.meter_id)).collect();
        for (&meter, raw) in values {
            let Some(value) = parse_value(raw) else {
                continue;
            };
            let row = if known.contains(&meter) {
                value
                    .map(|value| ReadingEntry {
                        meter: MeterRef::Id(meter),
                        period,
                        value,
                    })
                    .map_err(|message| Unreadable {
                        field: "value".into(),
                        message,
                    })
            } else {
                checked.foreign.push(meter);
                Err(Unreadable {
                    field: "meter_id".into(),
                    message: Problem::MeterNotInHouse,
                })
            };
            checked.rows.push(row);
            checked.meters.push(meter);
        }
        checked
    }

    /// Puts the service's refusals (indexes into `rows`) on their meters,
    /// said in `locale`.
    pub fn add_row_errors(&mut self, errors: Vec<RowError>, locale: Locale) {
        for error in errors {
            if let Some(&meter) = self.meters.get(error.index) {
                self.errors
                    .entry(meter)
                    .or_insert_with(|| locale.problem(&error.message));
            }
        }
    }
}

/// One meter's row of the form.
#[derive(Debug, Clone)]
pub struct EntryRow {
    pub meter_id: i64,
    pub serial: String,
    pub kind: MeterKind,
    pub apartment_id: i64,
    pub apartment_number: String,
    /// The month of the reading before; None: counted from the initial reading.
    pub previous_period: Option<Period>,
    /// That reading, or the initial reading.
    pub previous_value: Decimal,
    /// What the input shows: the stored value, or what was typed.
    pub input: String,
    /// The month's value minus the previous, when the input holds a valid value.
    pub consumption: Option<Decimal>,
    pub error: Option<String>,
    /// Why the stored reading looks wrong, when it does.
    pub doubt: Option<String>,
    /// Whether the month already has a stored reading.
    pub stored: bool,
    /// 1-based: the inputs come first in Tab order, down the column.
    pub tabindex: usize,
    /// First row of its apartment (the number is printed once per group).
    pub first_of_apartment: bool,
}

impl EntryRow {
    pub fn field(&self) -> String {
        field_name(MeterId(self.meter_id))
    }

    /// The value is below the previous reading (the rules will refuse it).
    pub fn negative(&self) -> bool {
        self.consumption.is_some_and(|c| c < Decimal::ZERO)
    }
}

fn entry_rows(
    rows: Vec<MonthRow>,
    typed: Option<&BTreeMap<MeterId, String>>,
    errors: &BTreeMap<MeterId, String>,
    locale: Locale,
) -> Vec<EntryRow> {
    let mut previous_apartment = None;
    rows.into_iter()
        .enumerate()
        .map(|(index, row)| {
            let meter = MeterId(row.meter_id);
            let stored = || {
                row.value
                    .map(|v| format::volume(v, locale))
                    .unwrap_or_default()
            };
            let input = match typed.and_then(|typed| typed.get(&meter)) {
                Some(typed) => typed.clone(),
                None => stored(),
            };
            let previous_value = row.previous_value.unwrap_or(row.initial_reading);
            let consumption = match parse_value(&input) {
                Some(Ok(value)) => Some(value - previous_value),
                _ => None,
            };
            let first_of_apartment = previous_apartment != Some(row.apartment_id);
            previous_apartment = Some(row.apartment_id);
            EntryRow {
                meter_id: row.meter_id,
                serial: row.serial,
                kind: row.kind,
                apartment_id: row.apartment_id,
                apartment_number: row.apartment_number,
                previous_period: row.previous_period,
                previous_value,
                input,
                consumption,
                error: errors.get(&meter).cloned(),
                doubt: None,
                stored: row.value.is_some(),
                tabindex: index + 1,
                first_of_apartment,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "readings/month.html")]
pub struct MonthPage {
    pub ctx: PageCtx,
    pub house: House,
    pub period: Period,
    /// The last month readings may be entered for (next month).
    pub latest: Period,
    /// The meters of this page.
    pub rows: Vec<EntryRow>,
    /// The house's meters and those with a reading for the month.
    pub counts: MonthCounts,
    pub listing: Listing,
    pub pager: Pager,
    /// Above the form when a submit was refused.
    pub summary: Option<String>,
    /// The meter of the first refused row.
    pub focus: Option<i64>,
}

impl MonthPage {
    /// Marks the stored readings whose consumption is doubtful, judged by
    /// each meter's history before the month (`domain::reading::doubts`).
    pub fn with_doubts(mut self, histories: &HashMap<MeterId, MeterHistory>) -> Self {
        let locale = self.ctx.locale;
        for row in &mut self.rows {
            let Some(history) = histories.get(&MeterId(row.meter_id)) else {
                continue;
            };
            let Some(Ok(value)) = parse_value(&row.input) else {
                continue;
            };
            let proposed = [Proposed {
                period: self.period,
                value,
            }];
            row.doubt = doubts(history, &proposed)
                .remove(0)
                .map(|doubt| locale.problem(&doubt));
        }
        self
    }

    /// A page of the month as stored.
    pub fn new(
        ctx: PageCtx,
        house: House,
        period: Period,
        rows: Vec<MonthRow>,
        counts: MonthCounts,
        listing: Listing,
    ) -> Self {
        let rows = entry_rows(rows, None, &BTreeMap::new(), ctx.locale);
        let pager = Pager::new(
            format!("/houses/{}/readings", house.id),
            Self::params(period, listing.missing),
            listing.page,
            listing.total(&counts),
            PER_PAGE,
        );
        Self {
            ctx,
            house,
            period,
            latest: Period::current().next(),
            rows,
            counts,
            listing,
            pager,
            summary: None,
            focus: None,
        }
    }

    /// A refused submit: the page as it was sent, the person's input kept,
    /// messages on their rows.
    #[allow(clippy::too_many_arguments)]
    pub fn refused(
        ctx: PageCtx,
        house: House,
        period: Period,
        rows: Vec<MonthRow>,
        counts: MonthCounts,
        listing: Listing,
        typed: &BTreeMap<MeterId, String>,
        checked: &Checked,
    ) -> Self {
        let locale = ctx.locale;
        let summary = refused_summary(locale, checked.errors.len(), &checked.foreign);
        let rows = entry_rows(rows, Some(typed), &checked.errors, locale);
        Self {
            focus: rows.iter().find(|r| r.error.is_some()).map(|r| r.meter_id),
            rows,
            summary: Some(summary),
            ..Self::new(ctx, house, period, Vec::new(), counts, listing)
        }
    }

    /// The query parameters that stay from page to page.
    fn params(period: Period, missing: bool) -> Vec<(&'static str, String)> {
        let mut params = vec![("period", period.to_string())];
        if missing {
            params.push(("missing", "1".to_owned()));
        }
        params
    }

    pub fn action(&self) -> String {
        format!("/houses/{}/readings", self.house.id)
    }

    /// The month's meters, all of them or only those without a reading.
    pub fn filter_href(&self, missing: bool) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in Self::params(self.period, missing) {
            query.append_pair(name, &value);
        }
        format!("{}?{}", self.action(), query.finish())
    }

    pub fn upload_href(&self) -> String {
        format!("/houses/{}/readings/upload", self.house.id)
    }

    pub fn template_href(&self) -> String {
        format!(
            "/houses/{}/readings/template.csv?period={}",
            self.house.id, self.period
        )
    }

    /// The month as a heading names it: «ноябрь 2026», `2026-11`.
    pub fn month(&self) -> String {
        format::month(self.period, self.ctx.locale)
    }

    /// «Показания за ноябрь 2026».
    pub fn heading(&self) -> String {
        self.ctx
            .locale
            .text_with("readings-heading", &[("month", self.month().into())])
    }

    /// The column of the month's inputs: «Показание за ноябрь 2026».
    pub fn current_header(&self) -> String {
        self.ctx
            .locale
            .text_with("readings-col-current", &[("month", self.month().into())])
    }

    /// «м³».
    pub fn unit(&self) -> String {
        self.ctx.name(&Unit::CubicMetre)
    }

    /// «4 000 счётчиков, с показанием за ноябрь 2026 — 3 921.»
    pub fn counts_text(&self) -> String {
        let locale = self.ctx.locale;
        locale.text_with(
            "readings-counts",
            &[
                ("count", self.counts.meters.into()),
                ("meters", format::count(self.counts.meters, locale).into()),
                ("entered", format::count(self.counts.entered, locale).into()),
                ("month", self.month().into()),
            ],
        )
    }

    /// «Все (4 000)».
    pub fn all_label(&self) -> String {
        let locale = self.ctx.locale;
        locale.text_with(
            "readings-filter-all",
            &[("count", format::count(self.counts.meters, locale).into())],
        )
    }

    /// «Только без показаний (79)».
    pub fn missing_label(&self) -> String {
        let locale = self.ctx.locale;
        locale.text_with(
            "readings-filter-missing",
            &[("count", format::count(self.counts.missing(), locale).into())],
        )
    }

    /// «Счётчики 101–200 из 4 000», when there is more than one page.
    pub fn shown_text(&self) -> String {
        let locale = self.ctx.locale;
        let first = self.listing.offset() + 1;
        let last = self.listing.offset() + self.rows.len() as i64;
        locale.text_with(
            "readings-shown",
            &[
                ("first", format::count(first, locale).into()),
                ("last", format::count(last, locale).into()),
                (
                    "total",
                    format::count(self.listing.total(&self.counts), locale).into(),
                ),
            ],
        )
    }

    /// The month is closed for the house: shown, not editable.
    pub fn is_closed(&self) -> bool {
        self.house.periods().is_closed(self.period)
    }

    /// Readings may be typed and saved here: by someone who may write, in
    /// an open month.
    pub fn is_editable(&self) -> bool {
        self.ctx.can_write() && !self.is_closed()
    }

    pub fn closed_notice(&self) -> String {
        self.ctx
            .locale
            .with_month("period-closed-notice", self.period)
    }

    /// Why a month is past the last one readings may be entered for.
    pub fn too_far_text(&self) -> String {
        self.ctx.locale.text_with(
            "readings-too-far-ahead",
            &[
                ("month", self.month().into()),
                ("latest", format::month(self.latest, self.ctx.locale).into()),
            ],
        )
    }

    /// The hidden label of a row's input.
    pub fn input_label(&self, row: &EntryRow) -> String {
        self.ctx.locale.text_with(
            "readings-input-label",
            &[
                ("serial", row.serial.as_str().into()),
                ("apartment", row.apartment_number.as_str().into()),
            ],
        )
    }

    pub fn previous_month(&self, period: &Period) -> String {
        format::month(*period, self.ctx.locale)
    }

    /// The decimal separator the page writes, for the script's figures.
    pub fn decimal_separator(&self) -> &'static str {
        match self.ctx.locale {
            Locale::Ru => ",",
            Locale::En => ".",
        }
    }

    /// The thousands separator the page writes (none in English).
    pub fn thousands_separator(&self) -> String {
        match self.ctx.locale {
            Locale::Ru => format::THOUSANDS.to_string(),
            Locale::En => String::new(),
        }
    }

    /// Next month down to a year back, and the shown month wherever it is.
    pub fn month_nav(&self) -> MonthNav {
        let current = Period::current();
        let locale = self.ctx.locale;
        let mut months = vec![self.latest];
        let mut month = current;
        for _ in 0..=MONTHS_BACK {
            months.push(month);
            month = month.previous();
        }
        MonthNav::new(
            self.action(),
            self.period,
            self.latest,
            months,
            |p| {
                let name = format::month(p, locale);
                if self.house.periods().is_closed(p) {
                    locale.with_month("period-month-closed", p)
                } else if p == self.house.periods().current(current) {
                    locale.with_month("readings-billing-month", p)
                } else if p == current {
                    locale.text_with("readings-this-month", &[("month", name.into())])
                } else if p == current.next() {
                    locale.text_with("readings-next-month", &[("month", name.into())])
                } else {
                    name
                }
            },
            locale.with_month("readings-limit-note", self.latest),
        )
    }

    /// Tab order: after the last input, the submit button.
    pub fn submit_tabindex(&self) -> usize {
        self.rows.len() + 1
    }

    /// The first row with a message is focused, so the person starts there.
    pub fn autofocus(&self, row: &EntryRow) -> bool {
        self.focus == Some(row.meter_id)
    }
}

/// Above a refused form: how many rows were refused, and the meters the
/// form names that the house does not have.
fn refused_summary(locale: Locale, refused: usize, foreign: &[MeterId]) -> String {
    let ids: Vec<String> = foreign.iter().map(ToString::to_string).collect();
    let ids = ids.join(", ");
    match (refused, foreign.is_empty()) {
        (_, true) => locale.text_with("readings-refused-rows", &[("count", refused.into())]),
        (0, false) => locale.text_with("readings-refused-foreign", &[("ids", ids.into())]),
        _ => locale.text_with(
            "readings-refused-rows-and-foreign",
            &[("count", refused.into()), ("ids", ids.into())],
        ),
    }
}

/// The flash after saving: [`saved_message`], and when some readings look
/// wrong a warning naming how many and the first of them (a flash is one
/// line; the month's page marks every such reading).
pub fn saved_flash(locale: Locale, saved: &Saved) -> (FlashKind, String) {
    let message = saved_message(locale, saved.created, saved.updated, saved.unchanged);
    match saved.warnings.first() {
        None => (FlashKind::Success, message),
        Some((_, first)) => {
            let count = saved.warnings.len();
            let doubts = locale.text_with(
                "readings-saved-doubtful",
                &[
                    ("count", count.into()),
                    ("first", locale.problem(first).into()),
                ],
            );
            (FlashKind::Warning, format!("{message} {doubts}"))
        }
    }
}

/// The flash after saving, counting what changed and, apart, what was
/// already so: «Сохранено 1 показание (новых: 1, исправленных: 0); без
/// изменений: 3 920.», "Saved 1 reading (1 new, 0 corrected); 3920 unchanged."
pub fn saved_message(locale: Locale, created: usize, updated: usize, unchanged: usize) -> String {
    let changed = created + updated;
    let count = |n: usize| format::count(i64::try_from(n).unwrap_or(i64::MAX), locale);
    if changed == 0 {
        return locale.text_with(
            "readings-saved-nothing-changed",
            &[
                ("count", unchanged.into()),
                ("shown", count(unchanged).into()),
            ],
        );
    }
    let args = [
        ("count", changed.into()),
        ("shown", count(changed).into()),
        ("created", count(created).into()),
        ("updated", count(updated).into()),
        ("unchanged", count(unchanged).into()),
    ];
    if unchanged == 0 {
        locale.text_with("readings-saved", &args)
    } else {
        locale.text_with("readings-saved-and-unchanged", &args)
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn row(
        id: i64,
        apartment: i64,
        previous: Option<(&str, Decimal)>,
        value: Option<Decimal>,
    ) -> MonthRow {
        MonthRow {
            meter_id: id,
            serial: format!("C-{id}"),
            kind: MeterKind::ColdWater,
            apartment_id: apartment,
            apartment_number: apartment.to_string(),
            initial_reading: dec!(1.5),
            previous_period: previous.map(|(p, _)| p.parse().unwrap()),
            previous_value: previous.map(|(_, v)| v),
            value,
        }
    }

    fn form(fields: &[(&str, &str)]) -> MonthForm {
        MonthForm {
            period: "2026-10".into(),
            page: String::new(),
            missing: String::new(),
            fields: fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn only_meter_fields_are_read() {
        let values = form(&[
            ("m7", "1"),
            ("m07", "2"),
            ("m", "3"),
            ("mx", "4"),
            ("go", "5"),
        ])
        .values();
        assert_eq!(
            values.into_iter().collect::<Vec<_>>(),
            [(MeterId(7), "1".to_owned())]
        );
        assert!(form(&[("m99999999999999999999", "1")]).values().is_empty());
    }

    #[test]
    fn values_are_parsed_empty_skipped_and_foreign_meters_named() {
        let rows = [
            row(1, 10, None, None),
            row(2, 10, None, None),
            row(3, 11, None, None),
        ];
        let period: Period = "2026-10".parse().unwrap();
        let values = form(&[
            ("m1", " 12,5 "),
            ("m2", ""),
            ("m3", "abc"),
            ("m9", "4"),
            ("m8", " "),
        ])
        .values();
        let checked = Checked::new(&rows, &values, period);
        assert_eq!(checked.meters, [MeterId(1), MeterId(3), MeterId(9)]);
        assert_eq!(checked.rows[0].as_ref().unwrap().value, dec!(12.5));
        assert_eq!(
            checked.rows[1].as_ref().unwrap_err().message.to_string(),
            "\"abc\" is not a number."
        );
        assert!(
            checked.rows[2].is_err(),
            "a meter of another house refuses the batch"
        );
        assert_eq!(checked.foreign, [MeterId(9)]);
    }

    #[test]
    fn service_errors_land_on_the_meter_of_their_index() {
        let rows = [row(1, 10, None, None), row(2, 10, None, None)];
        let values = form(&[("m1", "1"), ("m2", "2")]).values();
        let mut checked = Checked::new(&rows, &values, "2026-10".parse().unwrap());
        checked.add_row_errors(
            vec![RowError {
                index: 1,
                field: "value".into(),
                code: "below_earlier_reading",
                message: "too low".into(),
            }],
            Locale::En,
        );
        assert_eq!(checked.errors.keys().collect::<Vec<_>>(), [&MeterId(2)]);
    }

    #[test]
    fn rows_show_consumption_against_the_previous_or_initial_reading() {
        let rows = vec![
            row(1, 10, Some(("2026-09", dec!(100.5))), Some(dec!(103))),
            row(2, 10, None, None),
            row(3, 11, None, Some(dec!(4))),
        ];
        let shown = entry_rows(rows.clone(), None, &BTreeMap::new(), Locale::En);
        assert_eq!(shown[0].input, "103.000");
        assert_eq!(shown[0].consumption, Some(dec!(2.5)));
        assert_eq!(shown[1].input, "");
        assert_eq!(shown[1].consumption, None);
        assert_eq!(shown[1].previous_value, dec!(1.5), "the initial reading");
        assert_eq!(shown[2].consumption, Some(dec!(2.5)));
        assert_eq!(
            shown
                .iter()
                .map(|r| (r.tabindex, r.first_of_apartment))
                .collect::<Vec<_>>(),
            [(1, true), (2, false), (3, true)]
        );

        // After a refused submit the typed text stays, even when unreadable.
        let typed = form(&[("m1", "99,5"), ("m2", "x")]).values();
        let errors = BTreeMap::from([(MeterId(2), "bad".to_owned())]);
        let shown = entry_rows(rows.clone(), Some(&typed), &errors, Locale::En);
        assert_eq!(shown[0].input, "99,5");
        assert_eq!(shown[0].consumption, Some(dec!(-1)));
        assert_eq!((shown[1].input.as_str(), shown[1].consumption), ("x", None));
        assert_eq!(shown[1].error.as_deref(), Some("bad"));
        assert_eq!(shown[2].input, "4.000", "not sent: the stored value");

        // In Russian the stored value is written with a decimal comma.
        let shown = entry_rows(rows, None, &BTreeMap::new(), Locale::Ru);
        assert_eq!(shown[0].input, "103,000");
    }

    #[test]
    fn a_listing_reads_its_page_and_filter_as_typed_and_stays_in_range() {
        let counts = MonthCounts {
            meters: 250,
            entered: 120,
        };
        let listing = Listing::new("7", "1");
        assert_eq!(
            listing,
            Listing {
                page: 7,
                missing: true
            }
        );
        assert_eq!(listing.total(&counts), 130);
        assert_eq!(listing.clamped(&counts).page, 2);
        assert_eq!(
            Listing::new("x", "0"),
            Listing {
                page: 1,
                missing: false
            }
        );
        assert_eq!(Listing::new("3", "").clamped(&counts).offset(), 200);
        let none = MonthCounts {
            meters: 0,
            entered: 0,
        };
        assert_eq!(Listing::new("5", "").clamped(&none).page, 1);
    }

    #[test]
    fn the_flash_counts_what_changed_apart_from_what_was_already_so() {
        let en = Locale::En;
        assert_eq!(
            saved_message(en, 2, 1, 0),
            "Saved 3 readings (2 new, 1 corrected)."
        );
        assert_eq!(
            saved_message(en, 1, 0, 3920),
            "Saved 1 reading (1 new, 0 corrected); 3920 unchanged."
        );
        assert_eq!(
            saved_message(en, 0, 0, 1),
            "Nothing to save: 1 reading unchanged."
        );
        let ru = Locale::Ru;
        assert_eq!(
            saved_message(ru, 1, 0, 3920),
            "Сохранено 1 показание (новых: 1, исправленных: 0); без изменений: 3\u{a0}920."
        );
        assert_eq!(
            saved_message(ru, 2, 1, 0),
            "Сохранено 3 показания (новых: 2, исправленных: 1)."
        );
        assert_eq!(
            saved_message(ru, 5, 0, 0),
            "Сохранено 5 показаний (новых: 5, исправленных: 0)."
        );
        assert_eq!(
            saved_message(ru, 0, 0, 21),
            "Сохранять нечего: 21 показание без изменений."
        );
        assert_eq!(
            saved_message(ru, 0, 0, 2),
            "Сохранять нечего: 2 показания без изменений."
        );
    }

    #[test]
    fn a_refused_form_says_how_many_rows_and_which_meters_are_not_the_houses() {
        assert_eq!(
            refused_summary(Locale::En, 2, &[]),
            "2 readings could not be saved: nothing was saved. The messages are on their rows."
        );
        assert_eq!(
            refused_summary(Locale::En, 1, &[MeterId(9)]),
            "1 reading could not be saved, and the form names meters this house no longer has \
             (ids 9); reload the page: nothing was saved. The messages are on their rows."
        );
        assert_eq!(
            refused_summary(Locale::Ru, 1, &[]),
            "1 показание не удалось сохранить, поэтому ничего не сохранено. Ошибки указаны в строках."
        );
        assert_eq!(
            refused_summary(Locale::Ru, 5, &[]),
            "5 показаний не удалось сохранить, поэтому ничего не сохранено. Ошибки указаны в строках."
        );
    }
}
