//! A house's month of readings: every meter in one form, with the reading
//! before, the month's input and the consumption it implies.

use std::collections::{BTreeMap, HashMap, HashSet};

use askama::Template;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::filters;
use super::month_nav::MonthNav;
use crate::db::models::{House, MeterId};
use crate::db::queries::readings::MonthRow;
use crate::domain::input;
use crate::domain::{MeterKind, Period, Problem};
use crate::error::{AppError, RowError};
use crate::i18n::Locale;
use crate::services::readings::{BatchRow, MeterRef, ReadingEntry, Unreadable};
use crate::views::page::PageCtx;

/// Months offered before the current one in the month selector.
const MONTHS_BACK: usize = 12;

/// `?period=YYYY-MM`; text, so a hand-edited URL gets our own message.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct MonthOrCurrent {
    #[serde(default)]
    pub period: String,
}

impl MonthOrCurrent {
    /// The month asked for; the current one when none is.
    pub fn period(&self) -> Result<Period, AppError> {
        if self.period.trim().is_empty() {
            return Ok(Period::current());
        }
        input::period(&self.period).map_err(AppError::BadRequest)
    }
}

/// The form's field for a meter's reading.
pub fn field_name(meter: MeterId) -> String {
    format!("m{meter}")
}

/// What the form sends: `period` and `m{meter_id}` per meter, as typed.
#[derive(Debug, Clone, Deserialize)]
pub struct MonthForm {
    #[serde(default)]
    pub period: String,
    #[serde(flatten)]
    pub fields: HashMap<String, String>,
}

impl MonthForm {
    /// The month the form is for; only a tampered form lacks a valid one,
    /// refused (422) like any other invalid value.
    pub fn period(&self) -> Result<Period, AppError> {
        input::period(&self.period).map_err(|message| AppError::invalid_field("period", message))
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
                    message: "This meter is not in this house.".into(),
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
) -> Vec<EntryRow> {
    let mut previous_apartment = None;
    rows.into_iter()
        .enumerate()
        .map(|(index, row)| {
            let meter = MeterId(row.meter_id);
            let stored = || row.value.map(|v| format!("{v:.3}")).unwrap_or_default();
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
    pub rows: Vec<EntryRow>,
    /// Above the form when a submit was refused.
    pub summary: Option<String>,
    /// The meter of the first refused row.
    pub focus: Option<i64>,
}

impl MonthPage {
    /// The month as stored.
    pub fn new(ctx: PageCtx, house: House, period: Period, rows: Vec<MonthRow>) -> Self {
        Self {
            ctx,
            house,
            period,
            latest: Period::current().next(),
            rows: entry_rows(rows, None, &BTreeMap::new()),
            summary: None,
            focus: None,
        }
    }

    /// A refused submit: the person's input kept, messages on their rows.
    pub fn refused(
        ctx: PageCtx,
        house: House,
        period: Period,
        rows: Vec<MonthRow>,
        typed: &BTreeMap<MeterId, String>,
        checked: &Checked,
    ) -> Self {
        let mut summary = match checked.errors.len() {
            0 => String::new(),
            1 => "1 reading could not be saved".to_owned(),
            n => format!("{n} readings could not be saved"),
        };
        if !checked.foreign.is_empty() {
            if !summary.is_empty() {
                summary.push_str(", and ");
            }
            let ids: Vec<String> = checked.foreign.iter().map(ToString::to_string).collect();
            summary.push_str(&format!(
                "the form names meters this house no longer has (ids {}); reload the page",
                ids.join(", ")
            ));
        }
        summary.push_str(": nothing was saved. The messages are on their rows.");
        let summary = uppercase_first(&summary);
        let rows = entry_rows(rows, Some(typed), &checked.errors);
        Self {
            focus: rows.iter().find(|r| r.error.is_some()).map(|r| r.meter_id),
            rows,
            summary: Some(summary),
            ..Self::new(ctx, house, period, Vec::new())
        }
    }

    pub fn action(&self) -> String {
        format!("/houses/{}/readings", self.house.id)
    }

    /// Next month down to a year back, and the shown month wherever it is.
    pub fn month_nav(&self) -> MonthNav {
        let current = Period::current();
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
                if p == current {
                    format!("{p} (this month)")
                } else if p == current.next() {
                    format!("{p} (next month)")
                } else {
                    p.to_string()
                }
            },
            format!("Readings can be entered up to {}", self.latest),
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

    pub fn entered(&self) -> usize {
        self.rows.iter().filter(|r| r.stored).count()
    }
}

fn uppercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The flash after saving: "Saved 3 readings (2 new, 1 corrected, 0 unchanged)."
pub fn saved_message(created: usize, updated: usize, unchanged: usize) -> String {
    let total = created + updated + unchanged;
    let noun = if total == 1 { "reading" } else { "readings" };
    format!("Saved {total} {noun} ({created} new, {updated} corrected, {unchanged} unchanged).")
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
        let shown = entry_rows(rows.clone(), None, &BTreeMap::new());
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
        let shown = entry_rows(rows, Some(&typed), &errors);
        assert_eq!(shown[0].input, "99,5");
        assert_eq!(shown[0].consumption, Some(dec!(-1)));
        assert_eq!((shown[1].input.as_str(), shown[1].consumption), ("x", None));
        assert_eq!(shown[1].error.as_deref(), Some("bad"));
        assert_eq!(shown[2].input, "4.000", "not sent: the stored value");
    }

    #[test]
    fn the_flash_counts_what_saving_did() {
        assert_eq!(
            saved_message(2, 1, 0),
            "Saved 3 readings (2 new, 1 corrected, 0 unchanged)."
        );
        assert_eq!(
            saved_message(0, 0, 1),
            "Saved 1 reading (0 new, 0 corrected, 1 unchanged)."
        );
    }
}
