//! The readings upload page: the form, and the report of a refused file
//! with each line as the person wrote it.

use askama::Template;

use super::page::PageCtx;
use crate::csv::readings::{LineError, Row, Written};
use crate::db::models::House;
use crate::domain::Period;
use crate::i18n::Locale;

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
    pub fn new(ctx: PageCtx, house: House) -> Self {
        Self {
            ctx,
            house,
            period: Period::current(),
            problem: None,
            report: Vec::new(),
            unlisted: 0,
        }
    }
}
