//! The pages of payments: the bank register upload (its result, or the
//! refused file's every bad line) with the past imports, the unmatched
//! payments waiting for an account, and the key rates penalties are
//! computed by.

use askama::Template;
use serde::Deserialize;

use super::filters;
use super::forms::FormErrors;
use super::page::PageCtx;
use super::pager::Pager;
use crate::db::models::{DueDayRow, KeyRate, Payment, PaymentId, PaymentImport, PenaltyCapRow};
use crate::domain::TimeZone;
use crate::i18n::{Arg, Locale, format};
use crate::services::payments::Imported;

/// Unmatched payments a page.
pub const UNMATCHED_PER_PAGE: i64 = 100;

pub use super::upload::ReportLine;

#[derive(Template)]
#[template(path = "payments/import.html")]
pub struct ImportPage {
    pub ctx: PageCtx,
    /// Newest first.
    pub imports: Vec<PaymentImport>,
    pub unmatched: i64,
    /// Why the last file was refused, if it was.
    pub problem: Option<String>,
    pub report: Vec<ReportLine>,
}

impl ImportPage {
    pub fn new(ctx: PageCtx, imports: Vec<PaymentImport>, unmatched: i64) -> Self {
        Self {
            ctx,
            imports,
            unmatched,
            problem: None,
            report: Vec::new(),
        }
    }

    /// When an import was made, in Moscow time (it is tied to no house).
    pub fn imported_at(&self, import: &PaymentImport) -> String {
        format::date_time(
            import.imported_at,
            TimeZone::default().tz(),
            self.ctx.locale,
        )
    }

    /// «Неразнесённых платежей: 3».
    pub fn unmatched_text(&self) -> String {
        self.ctx.locale.text_with(
            "pay-unmatched-waiting",
            &[("count", Arg::from(self.unmatched))],
        )
    }
}

/// What an import did, said in one line for the flash.
pub fn imported_text(imported: &Imported, locale: Locale) -> String {
    if imported.import.is_none() {
        return locale.text_with(
            "pay-import-nothing-new",
            &[("duplicates", Arg::from(imported.duplicates))],
        );
    }
    locale.text_with(
        "pay-import-done",
        &[
            ("imported", Arg::from(imported.imported)),
            ("unmatched", Arg::from(imported.unmatched)),
            ("duplicates", Arg::from(imported.duplicates)),
            ("amount", format::money(imported.amount, locale).into()),
        ],
    )
}

/// The account an unmatched payment is given to, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    pub account: String,
    /// The page of the list the form was on.
    #[serde(default)]
    pub page: String,
}

/// An assignment that was refused: which payment, why, and the number typed.
#[derive(Debug, Clone)]
pub struct RefusedAssign {
    pub payment: PaymentId,
    pub message: String,
    pub account: String,
}

/// `?page=` of the unmatched payments.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub page: String,
}

#[derive(Template)]
#[template(path = "payments/unmatched.html")]
pub struct UnmatchedPage {
    pub ctx: PageCtx,
    pub payments: Vec<Payment>,
    pub total: i64,
    pub pager: Pager,
    pub refused_assign: Option<RefusedAssign>,
}

impl UnmatchedPage {
    pub fn new(ctx: PageCtx, payments: Vec<Payment>, total: i64, page: i64) -> Self {
        Self {
            ctx,
            payments,
            total,
            pager: Pager::new(
                "/payments/unmatched".to_owned(),
                Vec::new(),
                page,
                total,
                UNMATCHED_PER_PAGE,
            ),
            refused_assign: None,
        }
    }

    pub fn count_text(&self) -> String {
        self.ctx
            .locale
            .text_with("pay-unmatched-count", &[("count", Arg::from(self.total))])
    }

    pub fn refused(&self, payment: &PaymentId) -> Option<&RefusedAssign> {
        self.refused_assign
            .as_ref()
            .filter(|refused| refused.payment == *payment)
    }
}

/// A new key rate as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct KeyRateForm {
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub rate: String,
}

#[derive(Template)]
#[template(path = "payments/key_rates.html")]
pub struct KeyRatesPage {
    pub ctx: PageCtx,
    /// Newest first.
    pub rates: Vec<KeyRate>,
    pub caps: Vec<PenaltyCapRow>,
    /// Oldest first.
    pub due_days: Vec<DueDayRow>,
    pub form: KeyRateForm,
    pub errors: FormErrors,
}

impl KeyRatesPage {
    pub fn new(
        ctx: PageCtx,
        rates: Vec<KeyRate>,
        caps: Vec<PenaltyCapRow>,
        due_days: Vec<DueDayRow>,
    ) -> Self {
        Self {
            ctx,
            rates,
            caps,
            due_days,
            form: KeyRateForm::default(),
            errors: FormErrors::default(),
        }
    }

    /// A rate as it was entered: `16,5`, `9,5`, `21`.
    pub fn rate(&self, rate: &rust_decimal::Decimal) -> String {
        format::coefficient(*rate, self.ctx.locale)
    }

    /// «с марта 2026»; the first entry holds from the beginning.
    pub fn due_from(&self, index: &usize, row: &DueDayRow) -> String {
        if *index == 0 {
            self.ctx.t("kr-due-from-start")
        } else {
            self.ctx.locale.with_month("kr-due-from", row.valid_from)
        }
    }

    /// «15-е число следующего месяца».
    pub fn due_day(&self, row: &DueDayRow) -> String {
        self.ctx
            .locale
            .text_with("kr-due-day", &[("day", Arg::from(i64::from(row.day)))])
    }

    pub fn delete_confirm(&self, rate: &KeyRate) -> String {
        self.ctx.locale.text_with(
            "kr-delete-confirm",
            &[("day", format::date(rate.valid_from, self.ctx.locale).into())],
        )
    }
}
