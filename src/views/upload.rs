//! The readings upload page: the form, and the report of a refused file
//! with each line as the person wrote it.

use askama::Template;

use super::forms::Choice;
use super::page::PageCtx;
use crate::csv::readings::{LineError, Row, Written};
use crate::db::models::House;
use crate::domain::{Period, Problem};
use crate::i18n::{Locale, format};

/// Months the template is offered for before the current one.
const TEMPLATE_MONTHS_BACK: usize = 12;

/// One line of the file that could not be saved, as the person wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub line: usize,
    pub serial: String,
    pub period: String,
    pub value: String,
    pub message: String,
}

impl ReportRow {
    pub fn new(line: usize, written: &Written, message: String) -> Self {
        Self {
            line,
            serial: written.serial.clone(),
            period: written.period.clone(),
            value: written.value.clone(),
            message,
        }
    }

    pub fn of_row(row: &Row, message: String) -> Self {
        Self::new(row.line, &row.written, message)
    }

    /// A line the file could not give as a reading, its message in `locale`.
    pub fn of_error(error: &LineError, locale: Locale) -> Self {
        Self::new(error.line, &error.written, locale.problem(&error.message))
    }
}

/// One bad line of a refused file (a register) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    /// 0 for the file as a whole.
    pub line: usize,
    pub message: String,
}

/// A refused file as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The file as a whole (line 0): said beside the file field.
    File(String),
    /// Every bad line, listed above the form.
    Lines(Vec<ReportLine>),
}

impl Refusal {
    /// The refusal of a file by its bad lines, in `locale`.
    pub fn of(lines: impl IntoIterator<Item = (usize, Problem)>, locale: Locale) -> Self {
        let report: Vec<ReportLine> = lines
            .into_iter()
            .map(|(line, problem)| ReportLine {
                line,
                message: locale.problem(&problem),
            })
            .collect();
        match report.as_slice() {
            [only] if only.line == 0 => Refusal::File(only.message.clone()),
            _ => Refusal::Lines(report),
        }
    }
}

#[derive(Template)]
#[template(path = "readings/upload.html")]
pub struct UploadPage {
    pub ctx: PageCtx,
    pub house: House,
    /// The month the template link offers.
    pub period: Period,
    /// Why the last upload was refused, if it was.
    pub problem: Option<String>,
    pub report: Vec<ReportRow>,
    /// Refused lines beyond those listed.
    pub unlisted: usize,
}

impl UploadPage {
    /// `period`: the month the template is offered for.
    pub fn new(ctx: PageCtx, house: House, period: Period) -> Self {
        Self {
            ctx,
            house,
            period,
            problem: None,
            report: Vec::new(),
            unlisted: 0,
        }
    }

    /// «Скачать шаблон за ноябрь 2026».
    pub fn template_label(&self) -> String {
        self.ctx
            .locale
            .with_month("upload-template-for", self.period)
    }

    /// The months the template is offered for: next month down to a year back.
    pub fn month_choices(&self) -> Vec<Choice> {
        let mut months = vec![Period::current().next()];
        let mut month = Period::current();
        for _ in 0..=TEMPLATE_MONTHS_BACK {
            months.push(month);
            month = month.previous();
        }
        months
            .into_iter()
            .map(|p| Choice::new(p.to_string(), format::month(p, self.ctx.locale)))
            .collect()
    }

    pub fn is_period(&self, choice: &Choice) -> bool {
        choice.is(&self.period.to_string())
    }

    /// «… и ещё 20 таких строк».
    pub fn unlisted_text(&self) -> String {
        let locale = self.ctx.locale;
        let count = i64::try_from(self.unlisted).unwrap_or(i64::MAX);
        locale.text_with(
            "upload-unlisted",
            &[
                ("count", count.into()),
                ("shown", format::count(count, locale).into()),
            ],
        )
    }
}
