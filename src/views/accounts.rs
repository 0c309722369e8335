//! The pages of personal accounts (лицевые счета): an apartment's account
//! form, the account page (its statement by month with the penalties'
//! explanations, its payments and the hand payment form), the search by
//! number, a house's оборотно-сальдовая ведомость and the debtors.

use askama::Template;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::filters;
use super::forms::{Choice, FormErrors, house_choices};
use super::month_nav::MonthNav;
use super::page::PageCtx;
use crate::db::models::{Account, Apartment, House, HouseId, Payment, PaymentId};
use crate::db::queries::accounts::PlacedAccount;
use crate::domain::ledger::{DebtPenalty, StatementRow};
use crate::domain::{Period, input};
use crate::i18n::{Arg, Locale, explain, format};
use crate::services::accounts::{Balances, Debtor, DebtorOrder, Located};

/// The path of an account's page: its number, percent-encoded (numbers
/// may hold Cyrillic letters).
pub fn account_href(number: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(number.as_bytes()).collect();
    format!("/accounts/{encoded}")
}

/// An amount as a form field shows it for editing: `1 520,40`, `1520.40`.
fn amount_input(value: Decimal, locale: Locale) -> String {
    format::money(value, locale)
}

/// «на 01.06.2026»: the day an opening balance is of.
pub fn opening_as_of(period: Period, locale: Locale) -> String {
    locale.text_with(
        "acc-opening-as-of",
        &[("date", format::date(period.first_day(), locale).into())],
    )
}

/// An apartment's account as typed on the apartment page.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub holder: String,
    #[serde(default)]
    pub opening_balance: String,
    #[serde(default)]
    pub opening_period: String,
}

impl AccountForm {
    /// The account as stored, or a new one opening in `current` with
    /// nothing owed.
    pub fn new(account: Option<&Account>, current: Period, locale: Locale) -> Self {
        match account {
            Some(a) => Self {
                number: a.number.clone(),
                holder: a.holder.clone(),
                opening_balance: amount_input(a.opening_balance, locale),
                opening_period: a.opening_period.to_string(),
            },
            None => Self {
                number: String::new(),
                holder: String::new(),
                opening_balance: amount_input(Decimal::ZERO, locale),
                opening_period: current.to_string(),
            },
        }
    }
}

/// A payment entered by hand, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PaymentForm {
    #[serde(default)]
    pub paid_on: String,
    #[serde(default)]
    pub amount: String,
    /// The month the payer named; may be left empty.
    #[serde(default)]
    pub period: String,
}

/// Why a payment is deleted, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    pub reason: String,
}

/// A deletion that was refused: which payment, why, and the reason as typed.
#[derive(Debug, Clone)]
pub struct RefusedDelete {
    pub payment: PaymentId,
    pub message: String,
    pub reason: String,
}

/// One month of the statement, with its penalty explained a debt a line.
#[derive(Debug, Clone)]
pub struct StatementMonth {
    pub row: StatementRow,
    pub penalty_lines: Vec<String>,
    /// The house's current period: its closing is the balance now.
    pub current: bool,
    /// Billed: the month has a receipt.
    pub billed: bool,
}

/// «Задолженность 1 234,56 ₽», «Аванс (переплата) 300,00 ₽», «Задолженности нет».
pub fn balance_text(closing: Decimal, locale: Locale) -> String {
    let amount = |value: Decimal| Arg::from(format::money(value, locale));
    if closing > Decimal::ZERO {
        locale.text_with("acc-balance-debt", &[("amount", amount(closing))])
    } else if closing < Decimal::ZERO {
        locale.text_with("acc-balance-advance", &[("amount", amount(-closing))])
    } else {
        locale.text("acc-balance-settled")
    }
}

/// A balance's CSS modifier: debt, advance or settled.
pub fn balance_kind(closing: &Decimal) -> &'static str {
    if *closing > Decimal::ZERO {
        "debt"
    } else if *closing < Decimal::ZERO {
        "advance"
    } else {
        "settled"
    }
}

#[derive(Template)]
#[template(path = "accounts/show.html")]
pub struct AccountPage {
    pub ctx: PageCtx,
    pub account: Account,
    pub apartment: Apartment,
    pub house: House,
    /// Oldest first, up to the house's current period.
    pub months: Vec<StatementMonth>,
    /// Newest first.
    pub payments: Vec<Payment>,
    pub payment_form: PaymentForm,
    pub payment_errors: FormErrors,
    pub refused_delete: Option<RefusedDelete>,
    /// Paid after the house's current period: the statement stops there,
    /// so these count in the months to come.
    pub paid_later: Decimal,
}

impl AccountPage {
    /// `explanations` are the months' penalties' debts; `today` the day
    /// the payment form offers (in the house's time zone).
    pub fn new(
        ctx: PageCtx,
        located: Located,
        rows: Vec<StatementRow>,
        explanations: &std::collections::BTreeMap<Period, Vec<DebtPenalty>>,
        billed: &[Period],
        payments: Vec<Payment>,
        today: NaiveDate,
    ) -> Self {
        let current = located.house.current_period();
        let locale = ctx.locale;
        let paid_later = payments
            .iter()
            .filter(|p| p.paid_on >= current.next().first_day())
            .map(|p| p.amount)
            .sum();
        let months = rows
            .into_iter()
            .map(|row| StatementMonth {
                penalty_lines: explanations
                    .get(&row.period)
                    .map(|debts| {
                        debts
                            .iter()
                            .map(|d| explain::penalty_debt(d, locale))
                            .collect()
                    })
                    .unwrap_or_default(),
                current: row.period == current,
                billed: billed.contains(&row.period),
                row,
            })
            .collect();
        Self {
            payment_form: PaymentForm {
                paid_on: format::date(today, locale),
                amount: String::new(),
                period: String::new(),
            },
            ctx,
            account: located.account,
            apartment: located.apartment,
            house: located.house,
            months,
            payments,
            payment_errors: FormErrors::default(),
            refused_delete: None,
            paid_later,
        }
    }

    /// «Оплаты после текущего расчётного периода (ноябрь 2026): 250,50 ₽ …»
    pub fn paid_later_text(&self) -> String {
        let locale = self.ctx.locale;
        locale.text_with(
            "acc-paid-later",
            &[
                (
                    "month",
                    format::month(self.house.current_period(), locale).into(),
                ),
                ("amount", format::money(self.paid_later, locale).into()),
            ],
        )
    }

    pub fn href(&self) -> String {
        account_href(&self.account.number)
    }

    /// «Л/с 1001001001».
    pub fn title(&self) -> String {
        self.ctx.locale.text_with(
            "acc-title",
            &[("number", Arg::from(self.account.number.as_str()))],
        )
    }

    /// «кв. 12А».
    pub fn apartment_text(&self) -> String {
        self.ctx.locale.text_with(
            "common-apt",
            &[("number", Arg::from(self.apartment.number.as_str()))],
        )
    }

    /// The closing balance of the house's current period (the last month
    /// shown), or the opening balance when the ledger starts later.
    pub fn closing(&self) -> Decimal {
        self.months
            .last()
            .map_or(self.account.opening_balance, |m| m.row.closing)
    }

    pub fn balance(&self) -> String {
        balance_text(self.closing(), self.ctx.locale)
    }

    pub fn balance_kind(&self) -> &'static str {
        balance_kind(&self.closing())
    }

    /// «на конец ноября 2026»: the month the balance is of.
    pub fn balance_as_of(&self) -> String {
        let period = self
            .months
            .last()
            .map_or(self.house.current_period(), |m| m.row.period);
        self.ctx.locale.with_month("acc-balance-as-of", period)
    }

    /// «на 01.01.2026»: the day the opening balance is of.
    pub fn opening_as_of(&self) -> String {
        opening_as_of(self.account.opening_period, self.ctx.locale)
    }

    /// «Пени за ноябрь 2026»: a penalty explanation's heading.
    pub fn penalty_of(&self, period: &Period) -> String {
        self.ctx.locale.with_month("acc-penalty-of", *period)
    }

    pub fn refused(&self, payment: &PaymentId) -> Option<&RefusedDelete> {
        self.refused_delete
            .as_ref()
            .filter(|refused| refused.payment == *payment)
    }

    pub fn delete_action(&self, payment: &PaymentId) -> String {
        format!("{}/payments/{payment}/delete", self.href())
    }

    pub fn delete_confirm(&self, payment: &Payment) -> String {
        self.ctx.locale.text_with(
            "acc-payment-delete-confirm",
            &[
                (
                    "amount",
                    format::money(payment.amount, self.ctx.locale).into(),
                ),
                (
                    "date",
                    format::date(payment.paid_on, self.ctx.locale).into(),
                ),
            ],
        )
    }
}

/// `?account=` of the account search, as typed (not `number`, which the
/// forms of the pages under the menu use for their own fields).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct SearchQuery {
    #[serde(default, rename = "account")]
    pub number: String,
}

/// The accounts whose numbers start with what was typed, when no account
/// has that very number.
#[derive(Template)]
#[template(path = "accounts/search.html")]
pub struct SearchPage {
    pub ctx: PageCtx,
    /// As typed, trimmed.
    pub number: String,
    pub found: Vec<PlacedAccount>,
    /// The most accounts listed.
    pub limit: usize,
}

impl SearchPage {
    /// «Лицевого счёта 1001 нет.»
    pub fn no_such(&self) -> String {
        self.ctx.locale.text_with(
            "acc-search-none",
            &[("number", Arg::from(self.number.as_str()))],
        )
    }

    /// «Номера, которые начинаются с 1001:»
    pub fn starting_with(&self) -> String {
        self.ctx.locale.text_with(
            "acc-search-starting",
            &[("number", Arg::from(self.number.as_str()))],
        )
    }

    pub fn more_text(&self) -> String {
        self.ctx
            .locale
            .text_with("acc-search-more", &[("limit", Arg::from(self.limit))])
    }

    pub fn apartment_text(&self, number: &str) -> String {
        self.ctx
            .locale
            .text_with("common-apt", &[("number", Arg::from(number))])
    }

    pub fn href(&self, number: &str) -> String {
        account_href(number)
    }

    pub fn max_chars(&self) -> usize {
        input::MAX_ACCOUNT_NUMBER_CHARS
    }
}

/// A house's оборотно-сальдовая ведомость for a month.
#[derive(Template)]
#[template(path = "accounts/balances.html")]
pub struct BalancesPage {
    pub ctx: PageCtx,
    pub house: House,
    pub balances: Balances,
    /// The billed months, latest first, for the month navigation.
    pub months: Vec<Period>,
}

impl BalancesPage {
    pub fn with_month(&self, key: &str) -> String {
        self.ctx.locale.with_month(key, self.balances.period)
    }

    pub fn csv_href(&self) -> String {
        format!(
            "/houses/{}/balances.csv?period={}",
            self.house.id, self.balances.period
        )
    }

    pub fn href(&self, number: &str) -> String {
        account_href(number)
    }

    /// The billed months and the shown one, latest first; nothing after the
    /// house's current period.
    pub fn month_nav(&self) -> MonthNav {
        let latest = self.house.current_period();
        let mut months = self.months.clone();
        if !months.contains(&latest) {
            months.push(latest);
            months.sort_by(|a, b| b.cmp(a));
        }
        MonthNav::new(
            format!("/houses/{}/balances", self.house.id),
            self.balances.period,
            latest,
            months,
            |p| format::month(p, self.ctx.locale),
            self.ctx.locale.with_month("osv-months-up-to", latest),
        )
    }
}

/// The debtors filter as typed: `?house=&above=&months=&sort=`.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct DebtorsForm {
    #[serde(default)]
    pub house: String,
    #[serde(default)]
    pub above: String,
    #[serde(default)]
    pub months: String,
    #[serde(default)]
    pub sort: String,
}

impl DebtorsForm {
    /// The order a `sort` value names; the largest debt first otherwise.
    pub fn order(&self) -> DebtorOrder {
        match self.sort.trim() {
            "months" => DebtorOrder::Months,
            "number" => DebtorOrder::Number,
            "address" => DebtorOrder::Address,
            _ => DebtorOrder::Debt,
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/debtors.html")]
pub struct DebtorsPage {
    pub ctx: PageCtx,
    pub form: DebtorsForm,
    pub errors: FormErrors,
    pub houses: Vec<(HouseId, String)>,
    /// None while the filter has errors.
    pub debtors: Option<Vec<Debtor>>,
}

impl DebtorsPage {
    pub fn house_choices(&self) -> Vec<Choice> {
        house_choices(&self.ctx.t("debtors-all-houses"), self.houses.clone())
    }

    pub fn sort_choices(&self) -> Vec<Choice> {
        [
            ("debt", "debtors-sort-debt"),
            ("months", "debtors-sort-months"),
            ("number", "debtors-sort-number"),
            ("address", "debtors-sort-address"),
        ]
        .into_iter()
        .map(|(value, key)| Choice::new(value, self.ctx.t(key)))
        .collect()
    }

    /// The list in another order, the filter kept.
    pub fn sort_href(&self, sort: &str) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("house", &self.form.house),
            ("above", &self.form.above),
            ("months", &self.form.months),
        ] {
            if !value.trim().is_empty() {
                query.append_pair(name, value.trim());
            }
        }
        query.append_pair("sort", sort);
        format!("/debtors?{}", query.finish())
    }

    pub fn is_sorted_by(&self, sort: &str) -> bool {
        let order = DebtorsForm {
            sort: sort.to_owned(),
            ..DebtorsForm::default()
        }
        .order();
        self.form.order() == order
    }

    /// «12 должников на 45 300,00 ₽».
    pub fn summary(&self) -> String {
        let debtors = self.debtors.as_deref().unwrap_or_default();
        let total: Decimal = debtors.iter().map(|d| d.debt).sum();
        self.ctx.locale.text_with(
            "debtors-summary",
            &[
                ("count", Arg::from(debtors.len())),
                ("amount", format::money(total, self.ctx.locale).into()),
            ],
        )
    }

    pub fn months_text(&self, months: &u32) -> String {
        self.ctx.locale.text_with(
            "debtors-months-count",
            &[("count", Arg::from(u64::from(*months)))],
        )
    }

    pub fn href(&self, number: &str) -> String {
        account_href(number)
    }

    pub fn apartment_text(&self, number: &str) -> String {
        self.ctx
            .locale
            .text_with("common-apt", &[("number", Arg::from(number))])
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn a_balance_says_debt_or_advance() {
        assert_eq!(
            balance_text(dec!(1234.5), Locale::Ru),
            "Задолженность 1\u{a0}234,50 ₽"
        );
        assert_eq!(
            balance_text(dec!(-300), Locale::Ru),
            "Аванс (переплата) 300,00 ₽"
        );
        assert_eq!(balance_text(dec!(0), Locale::Ru), "Задолженности нет");
        assert_eq!(balance_kind(&dec!(-1)), "advance");
    }

    #[test]
    fn account_paths_encode_cyrillic_numbers() {
        assert_eq!(account_href("1001001001"), "/accounts/1001001001");
        assert_eq!(account_href("ЛС42"), "/accounts/%D0%9B%D0%A142");
    }
}
