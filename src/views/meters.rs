//! The meter page (its readings) and the meter form.

use askama::Template;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::chart::ConsumptionChart;
use super::filters;
use super::forms::{Choice, FormErrors};
use crate::db::models::{Apartment, House, Meter, Reading};
use crate::domain::{MeterKind, Period, ReadingSource};
use crate::i18n::{Arg, format};
use crate::views::page::PageCtx;

/// A reading with what the meter counted since the one before (or since
/// installation, for the first).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingRow {
    pub period: Period,
    pub value: Decimal,
    pub consumption: Decimal,
    pub source: ReadingSource,
}

/// `readings` oldest first, as `queries::readings::list_for_meter` gives them.
pub fn reading_rows(meter: &Meter, readings: &[Reading]) -> Vec<ReadingRow> {
    let mut previous = meter.initial_reading;
    readings
        .iter()
        .map(|r| {
            let row = ReadingRow {
                period: r.period,
                value: r.value,
                consumption: r.value - previous,
                source: r.source,
            };
            previous = r.value;
            row
        })
        .collect()
}

#[derive(Template)]
#[template(path = "meters/show.html")]
pub struct MeterPage {
    pub ctx: PageCtx,
    pub house: House,
    pub apartment: Apartment,
    pub meter: Meter,
    /// Oldest first.
    pub readings: Vec<ReadingRow>,
    /// None without readings.
    pub chart: Option<ConsumptionChart>,
}

impl MeterPage {
    pub fn new(
        ctx: PageCtx,
        house: House,
        apartment: Apartment,
        meter: Meter,
        readings: &[Reading],
    ) -> Self {
        let readings = reading_rows(&meter, readings);
        let points: Vec<(Period, Decimal)> =
            readings.iter().map(|r| (r.period, r.consumption)).collect();
        Self {
            chart: ConsumptionChart::new(&points),
            ctx,
            house,
            apartment,
            meter,
            readings,
        }
    }

    /// Past its verification in the house's current period: billed by its
    /// average, then by the normative.
    pub fn is_faulty(&self) -> bool {
        self.meter.dates().is_faulty_in(self.house.current_period())
    }

    /// A message naming the meter: «Счётчик ХВ-01».
    pub fn serial_text(&self, key: &str) -> String {
        self.ctx
            .locale
            .text_with(key, &[("serial", Arg::from(self.meter.serial.as_str()))])
    }

    /// «кв. 12А», "apt 12А".
    pub fn apartment_text(&self) -> String {
        self.ctx.locale.text_with(
            "common-apt",
            &[("number", Arg::from(self.apartment.number.as_str()))],
        )
    }

    /// Newest first, as people read a history.
    pub fn newest_first(&self) -> impl Iterator<Item = &ReadingRow> {
        self.readings.iter().rev()
    }
}

/// What the meter form sends; text as typed, checked by `domain::input`.
#[derive(Debug, Clone, Deserialize)]
pub struct MeterForm {
    #[serde(default)]
    pub serial: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub initial_reading: String,
    #[serde(default)]
    pub installed_on: String,
    #[serde(default)]
    pub commissioned_on: String,
    #[serde(default)]
    pub verified_until: String,
}

impl Default for MeterForm {
    fn default() -> Self {
        Self {
            serial: String::new(),
            kind: MeterKind::ColdWater.as_str().to_owned(),
            initial_reading: "0".to_owned(),
            installed_on: String::new(),
            commissioned_on: String::new(),
            verified_until: String::new(),
        }
    }
}

/// A new meter of `apartment` (`meter` is None) or editing one.
#[derive(Template)]
#[template(path = "meters/form.html")]
pub struct MeterFormPage {
    pub ctx: PageCtx,
    pub house: House,
    pub apartment: Apartment,
    pub meter: Option<Meter>,
    pub form: MeterForm,
    pub errors: FormErrors,
}

impl MeterFormPage {
    pub fn new(ctx: PageCtx, house: House, apartment: Apartment, meter: Option<Meter>) -> Self {
        let date =
            |day: Option<NaiveDate>| day.map(|d| format::date(d, ctx.locale)).unwrap_or_default();
        let form = match &meter {
            Some(m) => MeterForm {
                serial: m.serial.clone(),
                kind: m.kind.as_str().to_owned(),
                // As the page writes figures and dates; the form reads both forms.
                initial_reading: format::volume(m.initial_reading, ctx.locale),
                installed_on: date(m.installed_on),
                commissioned_on: date(m.commissioned_on),
                verified_until: date(m.verified_until),
            },
            None => MeterForm::default(),
        };
        Self {
            ctx,
            house,
            apartment,
            meter,
            form,
            errors: FormErrors::default(),
        }
    }

    pub fn action(&self) -> String {
        match &self.meter {
            Some(m) => format!("/meters/{}", m.id),
            None => format!("/apartments/{}/meters", self.apartment.id),
        }
    }

    /// A message naming `meter`: «Изменить счётчик ХВ-01».
    pub fn serial_text(&self, key: &str, meter: &Meter) -> String {
        self.ctx
            .locale
            .text_with(key, &[("serial", Arg::from(meter.serial.as_str()))])
    }

    /// A message naming the apartment: «кв. 12А».
    pub fn apartment_text(&self, key: &str) -> String {
        self.ctx.locale.text_with(
            key,
            &[("number", Arg::from(self.apartment.number.as_str()))],
        )
    }

    pub fn kinds(&self) -> Vec<Choice> {
        MeterKind::ALL
            .iter()
            .map(|k| Choice::new(k.as_str(), self.ctx.name(k)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::db::models::{ApartmentId, MeterId, ReadingId};

    #[test]
    fn consumption_counts_from_the_initial_reading_then_each_previous_one() {
        let meter = Meter {
            id: MeterId(1),
            apartment_id: ApartmentId(1),
            serial: "ХВ-1".into(),
            kind: MeterKind::ColdWater,
            initial_reading: dec!(10.5),
            installed_on: None,
            created_at: Utc::now(),
            commissioned_on: None,
            verified_until: None,
            decommissioned_on: None,
        };
        let reading = |month: u32, value: Decimal| Reading {
            id: ReadingId(i64::from(month)),
            meter_id: meter.id,
            period: Period::new(2026, month).unwrap(),
            value,
            source: ReadingSource::Form,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        let rows = reading_rows(
            &meter,
            &[reading(1, dec!(12.000)), reading(2, dec!(15.250))],
        );
        let consumption: Vec<Decimal> = rows.iter().map(|r| r.consumption).collect();
        assert_eq!(consumption, [dec!(1.5), dec!(3.25)]);
        assert!(reading_rows(&meter, &[]).is_empty());
    }
}

/// The replacement form as typed: the old meter's last day and dial, the
/// new one's serial, dial, commissioning and verification.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ReplaceForm {
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub final_reading: String,
    #[serde(default)]
    pub serial: String,
    #[serde(default)]
    pub initial_reading: String,
    #[serde(default)]
    pub commissioned_on: String,
    #[serde(default)]
    pub verified_until: String,
}

/// «Замена счётчика»: the old meter out, its successor in.
#[derive(Template)]
#[template(path = "meters/replace.html")]
pub struct MeterReplacePage {
    pub ctx: PageCtx,
    pub house: House,
    pub apartment: Apartment,
    pub meter: Meter,
    pub form: ReplaceForm,
    pub errors: FormErrors,
}

impl MeterReplacePage {
    pub fn new(ctx: PageCtx, house: House, apartment: Apartment, meter: Meter) -> Self {
        let today = format::date(chrono::Utc::now().date_naive(), ctx.locale);
        let form = ReplaceForm {
            on: today.clone(),
            initial_reading: "0".to_owned(),
            commissioned_on: today,
            ..ReplaceForm::default()
        };
        Self {
            ctx,
            house,
            apartment,
            meter,
            form,
            errors: FormErrors::default(),
        }
    }

    /// A message naming the old meter: «Замена счётчика ХВ-01».
    pub fn serial_text(&self, key: &str) -> String {
        self.ctx
            .locale
            .text_with(key, &[("serial", Arg::from(self.meter.serial.as_str()))])
    }

    /// «кв. 12А», "apt 12А".
    pub fn apartment_text(&self) -> String {
        self.ctx.locale.text_with(
            "common-apt",
            &[("number", Arg::from(self.apartment.number.as_str()))],
        )
    }
}
