//! The apartment register page (реестр помещений и лицевых счетов): the
//! upload form with the template, the preview of what a file creates and
//! changes (confirmed by posting the file's text back), and the report of
//! a refused file.

use askama::Template;

use super::page::PageCtx;
use super::upload::ReportLine;
use crate::db::models::House;
use crate::i18n::{Arg, Locale, format};
use crate::services::register::{Change, Plan, Planned};

/// Rows of a preview's tables; a house set up anew lists every apartment
/// up to this, the rest only counted.
pub const PREVIEW_ROWS: usize = 1_000;

/// An apartment the register creates, as the preview lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRow {
    pub line: usize,
    pub apartment: String,
    pub account: String,
    pub meters: String,
}

/// A change of a stored apartment, as the preview lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    pub line: usize,
    pub apartment: String,
    pub what: String,
    pub from: String,
    pub to: String,
}

/// What a register would do, shown before it is applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preview {
    pub new_apartments: usize,
    pub new_accounts: usize,
    pub new_meters: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub new_rows: Vec<NewRow>,
    pub change_rows: Vec<ChangeRow>,
    /// Rows of both tables beyond [`PREVIEW_ROWS`].
    pub unlisted: usize,
    /// The file's text, posted back to apply it.
    pub text: String,
}

#[derive(Template)]
#[template(path = "houses/register.html")]
pub struct RegisterPage {
    pub ctx: PageCtx,
    pub house: House,
    /// Why the last file was refused, if it was.
    pub problem: Option<String>,
    pub report: Vec<ReportLine>,
    pub preview: Option<Preview>,
}

impl RegisterPage {
    pub fn new(ctx: PageCtx, house: House) -> Self {
        Self {
            ctx,
            house,
            problem: None,
            report: Vec::new(),
            preview: None,
        }
    }

    pub fn count(&self, count: &usize) -> String {
        format::count(*count as i64, self.ctx.locale)
    }

    /// «Ещё 12 строк не показаны».
    pub fn unlisted_text(&self, unlisted: &usize) -> String {
        self.ctx
            .locale
            .text_with("premises-unlisted", &[("count", Arg::from(*unlisted))])
    }
}

fn new_row(changes: &[Planned], locale: Locale) -> NewRow {
    let mut row = NewRow {
        line: changes[0].line,
        apartment: changes[0].apartment.clone(),
        account: String::new(),
        meters: String::new(),
    };
    let mut meters = Vec::new();
    for planned in changes {
        match &planned.change {
            Change::NewAccount { number } => row.account = number.clone(),
            Change::NewMeter { serial, kind } => {
                meters.push(format!("{serial} ({})", locale.name(*kind)))
            }
            _ => {}
        }
    }
    row.meters = meters.join(", ");
    row
}

fn change_row(planned: &Planned, locale: Locale) -> ChangeRow {
    let money = |v| format::money(v, locale);
    let date =
        |d: Option<chrono::NaiveDate>| d.map(|d| format::date(d, locale)).unwrap_or_default();
    let (key, serial, from, to) = match &planned.change {
        Change::NewApartment => (
            "premises-what-apartment",
            None,
            String::new(),
            String::new(),
        ),
        Change::Area { from, to } => (
            "premises-what-area",
            None,
            format::area(*from, locale),
            format::area(*to, locale),
        ),
        Change::Residents { from, to } => (
            "premises-what-residents",
            None,
            from.to_string(),
            to.to_string(),
        ),
        Change::Owners { from, to } => (
            "premises-what-owners",
            None,
            from.to_string(),
            to.to_string(),
        ),
        Change::NewAccount { number } => (
            "premises-what-new-account",
            None,
            String::new(),
            number.clone(),
        ),
        Change::AccountNumber { from, to } => (
            "premises-what-account-number",
            None,
            from.clone(),
            to.clone(),
        ),
        Change::Holder { from, to } => ("premises-what-holder", None, from.clone(), to.clone()),
        Change::OpeningBalance { from, to } => {
            ("premises-what-balance", None, money(*from), money(*to))
        }
        Change::OpeningPeriod { from, to } => (
            "premises-what-balance-month",
            None,
            format::month(*from, locale),
            format::month(*to, locale),
        ),
        Change::NewMeter { serial, kind } => (
            "premises-what-new-meter",
            Some(serial),
            String::new(),
            locale.name(*kind),
        ),
        Change::Commissioned { serial, from, to } => (
            "premises-what-commissioned",
            Some(serial),
            date(*from),
            date(*to),
        ),
        Change::Verified { serial, from, to } => (
            "premises-what-verified",
            Some(serial),
            date(*from),
            date(*to),
        ),
    };
    let serial = serial.cloned().unwrap_or_default();
    ChangeRow {
        line: planned.line,
        apartment: planned.apartment.clone(),
        what: locale.text_with(key, &[("serial", Arg::from(serial))]),
        from,
        to,
    }
}

impl Preview {
    pub fn new(plan: &Plan, text: String, locale: Locale) -> Self {
        let created = plan.created();
        let mut preview = Preview {
            new_apartments: created.apartments,
            new_accounts: created.accounts,
            new_meters: created.meters,
            changed: plan.changed_apartments(),
            unchanged: plan.unchanged,
            text,
            ..Preview::default()
        };
        let mut listed = 0;
        for changes in plan.by_apartment() {
            if changes[0].change == Change::NewApartment {
                if listed < PREVIEW_ROWS {
                    preview.new_rows.push(new_row(changes, locale));
                    listed += 1;
                } else {
                    preview.unlisted += 1;
                }
                continue;
            }
            for planned in changes {
                if listed < PREVIEW_ROWS {
                    preview.change_rows.push(change_row(planned, locale));
                    listed += 1;
                } else {
                    preview.unlisted += 1;
                }
            }
        }
        preview
    }

    pub fn is_empty(&self) -> bool {
        self.new_rows.is_empty() && self.change_rows.is_empty() && self.unlisted == 0
    }
}

/// What an applied register did, said in one line for the flash.
pub fn applied_text(plan: &Plan, locale: Locale) -> String {
    if plan.is_empty() {
        return locale.text("premises-nothing-to-change");
    }
    let created = plan.created();
    locale.text_with(
        "premises-applied",
        &[
            ("apartments", Arg::from(created.apartments)),
            ("accounts", Arg::from(created.accounts)),
            ("meters", Arg::from(created.meters)),
            ("changed", Arg::from(plan.changed_apartments())),
        ],
    )
}
