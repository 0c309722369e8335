//! An account's ledger (DESIGN "Personal accounts and money (v2)" and
//! "Penalties"): the month-by-month statement, and the penalty (пени, ЖК РФ
//! ст. 155 ч. 14) a billing run charges. Pure: the caller loads the
//! history and the terms; nothing here reads a clock or a table.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Period, round_kopecks};

/// A payment as the ledger sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub paid_on: NaiveDate,
    /// Positive.
    pub amount: Decimal,
}

/// What an account's ledger is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub opening_period: Period,
    /// + debt, − advance, as of the start of opening_period.
    pub opening_balance: Decimal,
    /// The account's non-penalty charges per month (the sum of its lines),
    /// one entry per month, any order.
    pub charges: Vec<(Period, Decimal)>,
    /// The account's penalty line per month.
    pub penalties: Vec<(Period, Decimal)>,
    pub payments: Vec<Payment>,
}

/// One month of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRow {
    pub period: Period,
    pub opening: Decimal,
    pub charged: Decimal,
    pub penalty: Decimal,
    pub paid: Decimal,
    pub closing: Decimal,
}

/// Rows for every month from..=to (from clamped up to opening_period; empty
/// when to < from). The months before `from` are still summed: each
/// month's opening is the previous month's closing.
pub fn statement(history: &History, from: Period, to: Period) -> Vec<StatementRow> {
    let start = history.opening_period;
    let from = from.max(start);
    let charges = monthly_sums(history.charges.iter().copied(), start);
    let penalties = monthly_sums(history.penalties.iter().copied(), start);
    // The ledger starts at opening_period: earlier payments land there.
    let payments = monthly_sums(
        history.payments.iter().map(|payment| {
            (
                Period::containing(payment.paid_on).max(start),
                payment.amount,
            )
        }),
        start,
    );
    let of =
        |sums: &BTreeMap<Period, Decimal>, month| sums.get(&month).copied().unwrap_or_default();

    let mut rows = Vec::new();
    let mut opening = history.opening_balance;
    let mut month = start;
    while month <= to {
        let charged = of(&charges, month);
        let penalty = of(&penalties, month);
        let paid = of(&payments, month);
        let closing = opening + charged + penalty - paid;
        if month >= from {
            rows.push(StatementRow {
                period: month,
                opening,
                charged,
                penalty,
                paid,
                closing,
            });
        }
        opening = closing;
        month = month.next();
    }
    rows
}

/// Amounts summed per month, the months before `start` left out (they are
/// not the account's ledger).
fn monthly_sums(
    entries: impl IntoIterator<Item = (Period, Decimal)>,
    start: Period,
) -> BTreeMap<Period, Decimal> {
    let mut sums = BTreeMap::new();
    for (month, amount) in entries {
        if month >= start {
            *sums.entry(month).or_default() += amount;
        }
    }
    sums
}

/// A cap on the key rate (percent) for the days from..=to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PenaltyCap {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rate: Decimal,
}

/// The admin-managed tables a penalty is computed by.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PenaltyTerms {
    /// (valid_from, percent): the rate in effect on d is the latest
    /// valid_from <= d; none => no penalty that day.
    pub key_rates: Vec<(NaiveDate, Decimal)>,
    pub caps: Vec<PenaltyCap>,
    /// (first charge month, day): the due day of Q's charges is the entry
    /// with the latest month <= Q.
    pub due_days: Vec<(Period, u32)>,
}

/// The due day when the table has no entry for a month (ЖК РФ ст. 155 ч. 1).
const DEFAULT_DUE_DAY: u32 = 10;

impl PenaltyTerms {
    /// Day due_day(Q) of the month after Q, clamped to that month's days (a
    /// due day 31 falls on the last of a shorter month).
    pub fn due_date(&self, charges_of: Period) -> NaiveDate {
        let day = self
            .due_days
            .iter()
            .filter(|(month, _)| *month <= charges_of)
            .max_by_key(|(month, _)| *month)
            .map_or(DEFAULT_DUE_DAY, |(_, day)| *day);
        let due_month = charges_of.next();
        let last_day = due_month
            .next()
            .first_day()
            .pred_opt()
            .expect("a month has a day before it")
            .day();
        due_month
            .first_day()
            .with_day(day.clamp(1, last_day))
            .expect("the day is within the month")
    }

    /// The key rate in effect on `day`, capped by the lowest cap in effect
    /// then; 0 without a key rate.
    pub fn rate_on(&self, day: NaiveDate) -> Decimal {
        let Some((_, key_rate)) = self
            .key_rates
            .iter()
            .filter(|(valid_from, _)| *valid_from <= day)
            .max_by_key(|(valid_from, _)| *valid_from)
        else {
            return Decimal::ZERO;
        };
        self.caps
            .iter()
            .filter(|cap| cap.from <= day && day <= cap.to)
            .map(|cap| cap.rate)
            .fold(*key_rate, Decimal::min)
    }
}

/// The share of the rate a day overdue costs: 1/300 for days 31–90, 1/130
/// from day 91.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fraction {
    #[serde(rename = "1/300")]
    OneIn300,
    #[serde(rename = "1/130")]
    OneIn130,
}

impl Fraction {
    /// As it is stored and sent: `1/300`, `1/130`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OneIn300 => "1/300",
            Self::OneIn130 => "1/130",
        }
    }

    /// The fraction for a day `days_overdue` after the due date; none within
    /// the first 30 days (and on or before the due date).
    fn for_days_overdue(days_overdue: i64) -> Option<Self> {
        match days_overdue {
            31..=90 => Some(Self::OneIn300),
            91.. => Some(Self::OneIn130),
            _ => None,
        }
    }

    fn divisor(self) -> Decimal {
        match self {
            Self::OneIn300 => Decimal::from(300),
            Self::OneIn130 => Decimal::from(130),
        }
    }
}

/// Consecutive days of one debt with the same outstanding amount, rate and
/// fraction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltySpan {
    pub from: NaiveDate,
    /// Inclusive.
    pub to: NaiveDate,
    pub days: u32,
    pub outstanding: Decimal,
    pub rate: Decimal,
    pub fraction: Fraction,
    /// Unrounded: outstanding × rate × days / (100 × 300 or 130), so that the
    /// month's sum is rounded once.
    pub amount: Decimal,
}

/// The penalty on the charges of one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtPenalty {
    /// The month whose charges are overdue (Q).
    pub month: Period,
    pub due: NaiveDate,
    pub spans: Vec<PenaltySpan>,
}

/// The penalty of one month and what it is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Penalty {
    /// round_kopecks(Σ of all spans' unrounded amounts), once.
    pub amount: Decimal,
    /// Only the debts with at least one span, oldest first.
    pub debts: Vec<DebtPenalty>,
}

/// A principal payments are allocated to, oldest first.
struct Principal {
    /// The month and due date of charges; none for a positive opening
    /// balance, which accrues no penalty.
    accrues: Option<(Period, NaiveDate)>,
    amount: Decimal,
    /// (dated, amount): what paid it, each counting from the day after its
    /// date.
    allocated: Vec<(NaiveDate, Decimal)>,
}

impl Principal {
    fn outstanding_on(&self, day: NaiveDate) -> Decimal {
        let paid: Decimal = self
            .allocated
            .iter()
            .filter(|(dated, _)| *dated < day)
            .map(|(_, amount)| amount)
            .sum();
        self.amount - paid
    }
}

/// The penalty the run of `period` charges the account. amount == 0 means
/// no penalty line.
pub fn penalty(history: &History, period: Period, terms: &PenaltyTerms) -> Penalty {
    let principals = allocated_principals(history, period, terms);
    let debts: Vec<DebtPenalty> = principals
        .iter()
        .filter_map(|principal| {
            let (month, due) = principal.accrues?;
            let spans = spans_in(principal, due, period, terms);
            (!spans.is_empty()).then_some(DebtPenalty { month, due, spans })
        })
        .collect();
    let unrounded: Decimal = debts
        .iter()
        .flat_map(|debt| &debt.spans)
        .map(|span| span.amount)
        .sum();
    Penalty {
        amount: round_kopecks(unrounded),
        debts,
    }
}

/// The principals owed before `period` (a positive opening balance, then
/// each earlier month's charges), with the payments and credits allocated
/// to them oldest first, in the order of their dates.
fn allocated_principals(history: &History, period: Period, terms: &PenaltyTerms) -> Vec<Principal> {
    let mut principals = Vec::new();
    // (dated, amount): payments, credits and an advance.
    let mut funds: Vec<(NaiveDate, Decimal)> = Vec::new();
    if history.opening_balance > Decimal::ZERO {
        principals.push(Principal {
            accrues: None,
            amount: history.opening_balance,
            allocated: Vec::new(),
        });
    } else if history.opening_balance < Decimal::ZERO {
        // An advance was paid before everything: it counts on every day.
        funds.push((NaiveDate::MIN, -history.opening_balance));
    }
    let charges = monthly_sums(history.charges.iter().copied(), history.opening_period);
    for (&month, &amount) in charges.range(..period) {
        let due = terms.due_date(month);
        if amount > Decimal::ZERO {
            principals.push(Principal {
                accrues: Some((month, due)),
                amount,
                allocated: Vec::new(),
            });
        } else if amount < Decimal::ZERO {
            // A credit (a recalculation) pays like a payment on its due date.
            funds.push((due, -amount));
        }
    }
    funds.extend(
        history
            .payments
            .iter()
            .map(|payment| (payment.paid_on, payment.amount)),
    );
    // Stable: payments of one day keep their input order.
    funds.sort_by_key(|(dated, _)| *dated);

    let mut owed = principals.iter_mut().peekable();
    for (dated, mut left) in funds {
        while left > Decimal::ZERO {
            let Some(principal) = owed.peek_mut() else {
                // Nothing is owed any more: the rest is an advance.
                break;
            };
            let unpaid = principal.amount
                - principal
                    .allocated
                    .iter()
                    .map(|(_, amount)| amount)
                    .sum::<Decimal>();
            let paying = left.min(unpaid);
            principal.allocated.push((dated, paying));
            left -= paying;
            if paying == unpaid {
                owed.next();
            }
        }
    }
    principals
}

/// The days of `period` a principal accrues penalty on, grouped into spans.
fn spans_in(
    principal: &Principal,
    due: NaiveDate,
    period: Period,
    terms: &PenaltyTerms,
) -> Vec<PenaltySpan> {
    let mut spans: Vec<PenaltySpan> = Vec::new();
    let end = period.next().first_day();
    for day in period.first_day().iter_days().take_while(|day| *day < end) {
        let outstanding = principal.outstanding_on(day);
        let rate = terms.rate_on(day);
        let Some(fraction) = Fraction::for_days_overdue((day - due).num_days()) else {
            continue;
        };
        if outstanding.is_zero() || rate.is_zero() {
            continue;
        }
        match spans.last_mut() {
            Some(span)
                if span.to.succ_opt() == Some(day)
                    && (span.outstanding, span.rate, span.fraction)
                        == (outstanding, rate, fraction) =>
            {
                span.to = day;
                span.days += 1;
            }
            _ => spans.push(PenaltySpan {
                from: day,
                to: day,
                days: 1,
                outstanding,
                rate,
                fraction,
                amount: Decimal::ZERO,
            }),
        }
    }
    for span in &mut spans {
        span.amount = span.outstanding * span.rate * Decimal::from(span.days)
            / (Decimal::ONE_HUNDRED * span.fraction.divisor());
    }
    spans
}

/// How many months an account has been in debt as of the statement's last
/// month: the consecutive months, counted back from it, whose closing
/// balance is a debt (positive). 0 when the last month closes without one.
pub fn months_in_debt(rows: &[StatementRow]) -> u32 {
    let months = rows
        .iter()
        .rev()
        .take_while(|row| row.closing > Decimal::ZERO)
        .count();
    u32::try_from(months).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn month(year: i32, month: u32) -> Period {
        Period::new(year, month).unwrap()
    }

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn payment(paid_on: NaiveDate, amount: Decimal) -> Payment {
        Payment { paid_on, amount }
    }

    fn history(
        opening_period: Period,
        opening_balance: Decimal,
        charges: Vec<(Period, Decimal)>,
        payments: Vec<Payment>,
    ) -> History {
        History {
            opening_period,
            opening_balance,
            charges,
            penalties: Vec::new(),
            payments,
        }
    }

    fn row(
        period: Period,
        [opening, charged, penalty, paid, closing]: [Decimal; 5],
    ) -> StatementRow {
        StatementRow {
            period,
            opening,
            charged,
            penalty,
            paid,
            closing,
        }
    }

    /// The migration's tables: due day 10 from the beginning and 15 from
    /// March 2026's charges; the cap 9.5 % for 2022-02-28 … 2026-12-31.
    fn seeded_terms(key_rates: Vec<(NaiveDate, Decimal)>) -> PenaltyTerms {
        PenaltyTerms {
            key_rates,
            caps: vec![PenaltyCap {
                from: date(2022, 2, 28),
                to: date(2026, 12, 31),
                rate: dec!(9.5),
            }],
            due_days: vec![(month(1900, 1), 10), (month(2026, 3), 15)],
        }
    }

    /// Key rate 21 %, which the seeded cap brings down to 9.5 %.
    fn capped_terms() -> PenaltyTerms {
        seeded_terms(vec![(date(2024, 10, 28), dec!(21))])
    }

    /// Each span as (debt month, from, to, days, outstanding, rate,
    /// fraction), the unrounded amounts left out.
    type Shape = (
        Period,
        NaiveDate,
        NaiveDate,
        u32,
        Decimal,
        Decimal,
        Fraction,
    );

    fn shape(penalty: &Penalty) -> Vec<Shape> {
        penalty
            .debts
            .iter()
            .flat_map(|debt| {
                debt.spans.iter().map(|span| {
                    (
                        debt.month,
                        span.from,
                        span.to,
                        span.days,
                        span.outstanding,
                        span.rate,
                        span.fraction,
                    )
                })
            })
            .collect()
    }

    /// The penalties of the runs of from..=to, each rounded on its own.
    fn billed(history: &History, from: Period, to: Period, terms: &PenaltyTerms) -> Decimal {
        let mut total = Decimal::ZERO;
        let mut period = from;
        while period <= to {
            total += penalty(history, period, terms).amount;
            period = period.next();
        }
        total
    }

    #[test]
    fn a_fraction_is_named_as_it_is_stored() {
        for fraction in [Fraction::OneIn300, Fraction::OneIn130] {
            assert_eq!(
                serde_json::to_value(fraction).unwrap(),
                serde_json::Value::from(fraction.as_str())
            );
        }
    }

    // ----- statement -----

    #[test]
    fn each_months_closing_is_the_next_months_opening() {
        let mut account = history(
            month(2026, 1),
            dec!(500),
            // Any order.
            vec![
                (month(2026, 3), dec!(3100)),
                (month(2026, 1), dec!(3000)),
                (month(2026, 2), dec!(3200)),
            ],
            vec![
                payment(date(2026, 1, 15), dec!(3500)),
                payment(date(2026, 2, 20), dec!(1000)),
                payment(date(2026, 3, 10), dec!(3000)),
                // After `to`: in no row.
                payment(date(2026, 4, 5), dec!(999)),
            ],
        );
        account.penalties = vec![(month(2026, 3), dec!(12.03))];
        assert_eq!(
            statement(&account, month(2026, 1), month(2026, 3)),
            vec![
                // 500 + 3000 − 3500 = 0
                row(
                    month(2026, 1),
                    [dec!(500), dec!(3000), dec!(0), dec!(3500), dec!(0)]
                ),
                // 0 + 3200 − 1000 = 2200
                row(
                    month(2026, 2),
                    [dec!(0), dec!(3200), dec!(0), dec!(1000), dec!(2200)]
                ),
                // 2200 + 3100 + 12.03 − 3000 = 2312.03
                row(
                    month(2026, 3),
                    [
                        dec!(2200),
                        dec!(3100),
                        dec!(12.03),
                        dec!(3000),
                        dec!(2312.03)
                    ]
                ),
            ]
        );
    }

    #[test]
    fn an_advance_is_consumed_by_later_charges() {
        let account = history(
            month(2026, 1),
            dec!(-5000),
            vec![(month(2026, 1), dec!(3000)), (month(2026, 2), dec!(3000))],
            Vec::new(),
        );
        assert_eq!(
            statement(&account, month(2026, 1), month(2026, 3)),
            vec![
                // −5000 + 3000 = −2000: still an advance
                row(
                    month(2026, 1),
                    [dec!(-5000), dec!(3000), dec!(0), dec!(0), dec!(-2000)]
                ),
                // −2000 + 3000 = 1000: a debt
                row(
                    month(2026, 2),
                    [dec!(-2000), dec!(3000), dec!(0), dec!(0), dec!(1000)]
                ),
                // no charges: 1000 carried
                row(
                    month(2026, 3),
                    [dec!(1000), dec!(0), dec!(0), dec!(0), dec!(1000)]
                ),
            ]
        );
    }

    #[test]
    fn payments_before_the_opening_period_count_in_it_and_earlier_charges_do_not() {
        let mut account = history(
            month(2026, 1),
            dec!(2000),
            vec![(month(2025, 12), dec!(1500)), (month(2026, 1), dec!(3000))],
            vec![payment(date(2025, 12, 20), dec!(2000))],
        );
        account.penalties = vec![(month(2025, 12), dec!(5))];
        assert_eq!(
            statement(&account, month(2026, 1), month(2026, 1)),
            // 2000 + 3000 − 2000 = 3000; December's 1500 and 5 are before the ledger
            vec![row(
                month(2026, 1),
                [dec!(2000), dec!(3000), dec!(0), dec!(2000), dec!(3000)]
            )]
        );
    }

    #[test]
    fn from_is_clamped_to_the_opening_period_and_earlier_months_still_add_up() {
        let account = history(
            month(2026, 1),
            dec!(500),
            vec![(month(2026, 1), dec!(3000)), (month(2026, 2), dec!(3200))],
            vec![payment(date(2026, 1, 15), dec!(1000))],
        );
        let rows = statement(&account, month(2025, 6), month(2026, 2));
        assert_eq!(
            rows.iter().map(|row| row.period).collect::<Vec<_>>(),
            [month(2026, 1), month(2026, 2)]
        );
        // January: 500 + 3000 − 1000 = 2500, not shown but carried into February:
        // 2500 + 3200 = 5700
        assert_eq!(
            statement(&account, month(2026, 2), month(2026, 2)),
            vec![row(
                month(2026, 2),
                [dec!(2500), dec!(3200), dec!(0), dec!(0), dec!(5700)]
            )]
        );
    }

    #[test]
    fn to_before_from_is_empty() {
        let account = history(
            month(2026, 1),
            dec!(500),
            vec![(month(2026, 1), dec!(3000))],
            Vec::new(),
        );
        assert_eq!(statement(&account, month(2026, 3), month(2026, 2)), []);
        // Before the ledger starts there is nothing to show either.
        assert_eq!(statement(&account, month(2025, 1), month(2025, 12)), []);
    }

    // ----- penalty terms -----

    #[test]
    fn due_dates_follow_the_due_day_table() {
        let terms = capped_terms();
        assert_eq!(terms.due_date(month(2026, 2)), date(2026, 3, 10));
        assert_eq!(terms.due_date(month(2026, 3)), date(2026, 4, 15));
        assert_eq!(terms.due_date(month(2026, 12)), date(2027, 1, 15));
        assert_eq!(terms.due_date(month(1990, 1)), date(1990, 2, 10));
        // Without an entry: day 10.
        assert_eq!(
            PenaltyTerms::default().due_date(month(2026, 3)),
            date(2026, 4, 10)
        );
        // Day 31 falls on the last day of a shorter month.
        let day_31 = PenaltyTerms {
            due_days: vec![(month(2024, 1), 31)],
            ..PenaltyTerms::default()
        };
        assert_eq!(day_31.due_date(month(2026, 1)), date(2026, 2, 28));
        assert_eq!(day_31.due_date(month(2024, 1)), date(2024, 2, 29));
        assert_eq!(day_31.due_date(month(2026, 2)), date(2026, 3, 31));
    }

    #[test]
    fn the_rate_is_the_key_rate_capped_by_the_cap_in_effect() {
        // Cap 9.5 below key rate 21: the cap.
        assert_eq!(capped_terms().rate_on(date(2026, 4, 10)), dec!(9.5));
        // No cap after 2026-12-31: the key rate.
        assert_eq!(capped_terms().rate_on(date(2027, 1, 1)), dec!(21));
        // Cap 9.5 above key rate 7.5: the key rate.
        let low = seeded_terms(vec![(date(2026, 1, 1), dec!(7.5))]);
        assert_eq!(low.rate_on(date(2026, 4, 10)), dec!(7.5));
        // Before any key rate: 0.
        assert_eq!(low.rate_on(date(2025, 12, 31)), dec!(0));
        // The latest valid_from <= the day, in any order.
        let two = seeded_terms(vec![
            (date(2026, 4, 20), dec!(7)),
            (date(2025, 1, 1), dec!(9)),
        ]);
        assert_eq!(two.rate_on(date(2026, 4, 19)), dec!(9));
        assert_eq!(two.rate_on(date(2026, 4, 20)), dec!(7));
    }

    // ----- penalty -----
    // February 2026's charges are due 10.03.2026: day 31 after it is 10.04,
    // day 90 is 08.06, day 91 is 09.06 (21 days left in March, 30 in April,
    // 31 in May). At 9.5 % a day on 3000 is 3000 × 9.5 / 100 / 300 = 0.95 at
    // 1/300 and 3000 × 9.5 / 100 / 130 = 2.1923077 at 1/130.

    fn february_3000_paid_on(paid_on: NaiveDate) -> History {
        history(
            month(2026, 2),
            dec!(0),
            vec![(month(2026, 2), dec!(3000))],
            vec![payment(paid_on, dec!(3000))],
        )
    }

    #[test]
    fn penalty_counts_days_31_to_90_at_1_in_300_and_from_day_91_at_1_in_130() {
        let terms = capped_terms();
        for (paid_on, expected) in [
            // Day 30: never past day 30.
            (date(2026, 4, 9), dec!(0)),
            // Day 31: outstanding through 10.04, one day × 0.95.
            (date(2026, 4, 10), dec!(0.95)),
            // Day 90: 60 days × 0.95 = 57.00, billed April 21 × 0.95 = 19.95,
            // May 31 × 0.95 = 29.45, June 8 × 0.95 = 7.60.
            (date(2026, 6, 8), dec!(57.00)),
            // Day 91: June also has 09.06 at 1/130: 7.60 + 2.1923 = 9.7923 → 9.79;
            // 19.95 + 29.45 + 9.79 = 59.19.
            (date(2026, 6, 9), dec!(59.19)),
        ] {
            let account = february_3000_paid_on(paid_on);
            assert_eq!(
                billed(&account, month(2026, 3), month(2026, 7), &terms),
                expected,
                "paid on {paid_on}"
            );
        }
        let june = penalty(
            &february_3000_paid_on(date(2026, 6, 9)),
            month(2026, 6),
            &terms,
        );
        assert_eq!(june.amount, dec!(9.79));
        assert_eq!(june.debts[0].due, date(2026, 3, 10));
        assert_eq!(
            shape(&june),
            [
                (
                    month(2026, 2),
                    date(2026, 6, 1),
                    date(2026, 6, 8),
                    8,
                    dec!(3000),
                    dec!(9.5),
                    Fraction::OneIn300
                ),
                (
                    month(2026, 2),
                    date(2026, 6, 9),
                    date(2026, 6, 9),
                    1,
                    dec!(3000),
                    dec!(9.5),
                    Fraction::OneIn130
                ),
            ]
        );
    }

    #[test]
    fn a_partial_payment_lowers_the_outstanding_from_the_next_day() {
        let account = history(
            month(2026, 2),
            dec!(0),
            vec![(month(2026, 2), dec!(3000))],
            vec![payment(date(2026, 4, 20), dec!(1000))],
        );
        let april = penalty(&account, month(2026, 4), &capped_terms());
        // 10.04–20.04: 11 × 0.95 = 10.45; 21.04–30.04: 10 × 2000 × 9.5 / 100 / 300
        // = 6.3333; 16.7833 → 16.78
        assert_eq!(april.amount, dec!(16.78));
        assert_eq!(
            shape(&april),
            [
                (
                    month(2026, 2),
                    date(2026, 4, 10),
                    date(2026, 4, 20),
                    11,
                    dec!(3000),
                    dec!(9.5),
                    Fraction::OneIn300
                ),
                (
                    month(2026, 2),
                    date(2026, 4, 21),
                    date(2026, 4, 30),
                    10,
                    dec!(2000),
                    dec!(9.5),
                    Fraction::OneIn300
                ),
            ]
        );
        assert_eq!(april.debts[0].spans[0].amount, dec!(10.45));
    }

    #[test]
    fn a_payment_goes_to_the_oldest_debt_first() {
        // January due 10.02, February due 10.03; 4500 paid 05.03 (January's
        // day 23): January's 3000 is paid before it accrues anything, February
        // keeps 1500.
        let account = history(
            month(2026, 1),
            dec!(0),
            vec![(month(2026, 1), dec!(3000)), (month(2026, 2), dec!(3000))],
            vec![payment(date(2026, 3, 5), dec!(4500))],
        );
        let terms = capped_terms();
        assert_eq!(penalty(&account, month(2026, 3), &terms).amount, dec!(0));
        let april = penalty(&account, month(2026, 4), &terms);
        // 10.04–30.04: 21 × 1500 × 9.5 / 100 / 300 = 9.975 → 9.98 (half away from zero)
        assert_eq!(april.amount, dec!(9.98));
        assert_eq!(
            shape(&april),
            [(
                month(2026, 2),
                date(2026, 4, 10),
                date(2026, 4, 30),
                21,
                dec!(1500),
                dec!(9.5),
                Fraction::OneIn300
            )]
        );
    }

    #[test]
    fn an_early_payment_pays_charges_made_after_it() {
        // 6000 paid 20.01, before February's charges exist, pays them too.
        let account = history(
            month(2026, 1),
            dec!(0),
            vec![(month(2026, 1), dec!(3000)), (month(2026, 2), dec!(3000))],
            vec![payment(date(2026, 1, 20), dec!(6000))],
        );
        let april = penalty(&account, month(2026, 4), &capped_terms());
        assert_eq!(
            april,
            Penalty {
                amount: dec!(0),
                debts: Vec::new()
            }
        );
    }

    #[test]
    fn an_advance_is_spent_on_the_first_charges_before_any_payment() {
        // −4000: January's 3000 is paid, February keeps 3000 − 1000 = 2000.
        let account = history(
            month(2026, 1),
            dec!(-4000),
            vec![(month(2026, 1), dec!(3000)), (month(2026, 2), dec!(3000))],
            Vec::new(),
        );
        let april = penalty(&account, month(2026, 4), &capped_terms());
        // 10.04–30.04: 21 × 2000 × 9.5 / 100 / 300 = 13.30
        assert_eq!(april.amount, dec!(13.30));
        assert_eq!(
            shape(&april),
            [(
                month(2026, 2),
                date(2026, 4, 10),
                date(2026, 4, 30),
                21,
                dec!(2000),
                dec!(9.5),
                Fraction::OneIn300
            )]
        );
    }

    #[test]
    fn a_key_rate_below_the_cap_is_the_rate() {
        let terms = seeded_terms(vec![(date(2026, 1, 1), dec!(7.5))]);
        let april = penalty(
            &february_3000_paid_on(date(2026, 9, 1)),
            month(2026, 4),
            &terms,
        );
        // 21 × 3000 × 7.5 / 100 / 300 = 15.75
        assert_eq!(april.amount, dec!(15.75));
        assert_eq!(april.debts[0].spans[0].rate, dec!(7.5));
    }

    #[test]
    fn a_key_rate_change_starts_a_new_span() {
        let terms = seeded_terms(vec![
            (date(2026, 4, 20), dec!(7)),
            (date(2025, 1, 1), dec!(9.5)),
        ]);
        let april = penalty(
            &february_3000_paid_on(date(2026, 9, 1)),
            month(2026, 4),
            &terms,
        );
        // 10.04–19.04: 10 × 0.95 = 9.50; 20.04–30.04: 11 × 3000 × 7 / 100 / 300 = 7.70
        assert_eq!(april.amount, dec!(17.20));
        assert_eq!(
            shape(&april),
            [
                (
                    month(2026, 2),
                    date(2026, 4, 10),
                    date(2026, 4, 19),
                    10,
                    dec!(3000),
                    dec!(9.5),
                    Fraction::OneIn300
                ),
                (
                    month(2026, 2),
                    date(2026, 4, 20),
                    date(2026, 4, 30),
                    11,
                    dec!(3000),
                    dec!(7),
                    Fraction::OneIn300
                ),
            ]
        );
    }

    #[test]
    fn no_key_rate_in_effect_means_no_penalty() {
        let terms = seeded_terms(vec![(date(2026, 5, 1), dec!(9.5))]);
        let account = february_3000_paid_on(date(2026, 9, 1));
        // April is overdue from 10.04 but no key rate is in effect yet.
        assert_eq!(
            penalty(&account, month(2026, 4), &terms),
            Penalty {
                amount: dec!(0),
                debts: Vec::new()
            }
        );
        // May: 31 × 0.95 = 29.45
        assert_eq!(
            penalty(&account, month(2026, 5), &terms).amount,
            dec!(29.45)
        );
    }

    #[test]
    fn march_2026_charges_fall_due_on_the_15th() {
        // February's due 10.03 → day 31 is 10.04; March's due 15.04 → day 31 is 16.05.
        let account = history(
            month(2026, 2),
            dec!(0),
            vec![(month(2026, 2), dec!(3000)), (month(2026, 3), dec!(3000))],
            Vec::new(),
        );
        let may = penalty(&account, month(2026, 5), &capped_terms());
        assert_eq!(
            may.debts
                .iter()
                .map(|debt| (debt.month, debt.due))
                .collect::<Vec<_>>(),
            [
                (month(2026, 2), date(2026, 3, 10)),
                (month(2026, 3), date(2026, 4, 15))
            ]
        );
        // February 31 × 0.95 = 29.45; March 16.05–31.05: 16 × 0.95 = 15.20
        assert_eq!(may.amount, dec!(44.65));
        assert_eq!(may.debts[1].spans[0].from, date(2026, 5, 16));
    }

    #[test]
    fn a_month_with_no_debt_has_no_penalty() {
        let none = Penalty {
            amount: dec!(0),
            debts: Vec::new(),
        };
        let terms = capped_terms();
        // January's 3000 paid 15.02, five days after its due date.
        let paid = history(
            month(2026, 1),
            dec!(0),
            vec![(month(2026, 1), dec!(3000))],
            vec![payment(date(2026, 2, 15), dec!(3000))],
        );
        assert_eq!(penalty(&paid, month(2026, 4), &terms), none);
        // The opening month has no earlier month to owe for.
        let unpaid = history(
            month(2026, 1),
            dec!(0),
            vec![(month(2026, 1), dec!(3000))],
            Vec::new(),
        );
        assert_eq!(penalty(&unpaid, month(2026, 1), &terms), none);
        // Charges before the ledger starts are not the account's.
        let before = history(
            month(2026, 1),
            dec!(0),
            vec![(month(2025, 6), dec!(3000))],
            Vec::new(),
        );
        assert_eq!(penalty(&before, month(2026, 4), &terms), none);
    }

    #[test]
    fn a_positive_opening_balance_accrues_nothing_but_takes_payments_first() {
        // 2000 paid 01.02 goes to the opening debt; January's 3000 (due 10.02)
        // stays whole.
        let account = history(
            month(2026, 1),
            dec!(2000),
            vec![(month(2026, 1), dec!(3000))],
            vec![payment(date(2026, 2, 1), dec!(2000))],
        );
        let march = penalty(&account, month(2026, 3), &capped_terms());
        // Day 31 after 10.02 is 13.03: 13.03–31.03 is 19 × 0.95 = 18.05
        assert_eq!(march.amount, dec!(18.05));
        assert_eq!(
            shape(&march),
            [(
                month(2026, 1),
                date(2026, 3, 13),
                date(2026, 3, 31),
                19,
                dec!(3000),
                dec!(9.5),
                Fraction::OneIn300
            )]
        );
        // Unpaid, the opening balance itself still accrues nothing.
        let unpaid = history(month(2026, 1), dec!(2000), Vec::new(), Vec::new());
        assert_eq!(
            penalty(&unpaid, month(2027, 6), &capped_terms()).amount,
            dec!(0)
        );
    }

    #[test]
    fn a_negative_months_charges_are_a_credit_on_their_due_date() {
        // March's −1000 (due 15.04) pays January from 16.04; March is no debt.
        let account = history(
            month(2026, 1),
            dec!(0),
            vec![(month(2026, 1), dec!(3000)), (month(2026, 3), dec!(-1000))],
            Vec::new(),
        );
        let april = penalty(&account, month(2026, 4), &capped_terms());
        // 01.04–15.04: 15 × 0.95 = 14.25; 16.04–30.04: 15 × 2000 × 9.5 / 100 / 300 = 9.50
        assert_eq!(april.amount, dec!(23.75));
        assert_eq!(
            shape(&april),
            [
                (
                    month(2026, 1),
                    date(2026, 4, 1),
                    date(2026, 4, 15),
                    15,
                    dec!(3000),
                    dec!(9.5),
                    Fraction::OneIn300
                ),
                (
                    month(2026, 1),
                    date(2026, 4, 16),
                    date(2026, 4, 30),
                    15,
                    dec!(2000),
                    dec!(9.5),
                    Fraction::OneIn300
                ),
            ]
        );
    }

    /// DESIGN's example: 4 000,00 ₽ for March 2026, due 15.04.2026, paid
    /// 31.08.2026, key rate 9.5 %. Its penalty lines take no payment.
    #[test]
    fn the_worked_example_bills_216_32_over_four_months() {
        let mut account = history(
            month(2026, 3),
            dec!(0),
            vec![(month(2026, 3), dec!(4000))],
            vec![payment(date(2026, 8, 31), dec!(4000))],
        );
        account.penalties = vec![
            (month(2026, 5), dec!(20.27)),
            (month(2026, 6), dec!(38.00)),
            (month(2026, 7), dec!(67.43)),
            (month(2026, 8), dec!(90.62)),
        ];
        let terms = seeded_terms(vec![(date(2025, 1, 1), dec!(9.5))]);
        let run = |period| penalty(&account, period, &terms);
        let span = |from, to, days, fraction| {
            (
                month(2026, 3),
                from,
                to,
                days,
                dec!(4000),
                dec!(9.5),
                fraction,
            )
        };

        // Days 1–30 after 15.04 end on 15.05.
        assert_eq!(run(month(2026, 4)).amount, dec!(0));

        // 16.05–31.05: 16 × 4000 × 9.5 / 100 / 300 = 20.2667 → 20.27
        let may = run(month(2026, 5));
        assert_eq!(may.amount, dec!(20.27));
        assert_eq!(may.debts[0].due, date(2026, 4, 15));
        assert_eq!(
            shape(&may),
            [span(
                date(2026, 5, 16),
                date(2026, 5, 31),
                16,
                Fraction::OneIn300
            )]
        );

        // 30 × 4000 × 9.5 / 100 / 300 = 38.00
        let june = run(month(2026, 6));
        assert_eq!(june.amount, dec!(38.00));
        assert_eq!(
            shape(&june),
            [span(
                date(2026, 6, 1),
                date(2026, 6, 30),
                30,
                Fraction::OneIn300
            )]
        );

        // 01.07–14.07 (day 90): 14 × 4000 × 9.5 / 100 / 300 = 17.7333;
        // 15.07–31.07: 17 × 4000 × 9.5 / 100 / 130 = 49.6923; 67.4256 → 67.43
        let july = run(month(2026, 7));
        assert_eq!(july.amount, dec!(67.43));
        assert_eq!(
            shape(&july),
            [
                span(date(2026, 7, 1), date(2026, 7, 14), 14, Fraction::OneIn300),
                span(date(2026, 7, 15), date(2026, 7, 31), 17, Fraction::OneIn130),
            ]
        );

        // 31 × 4000 × 9.5 / 100 / 130 = 90.6154 → 90.62 (31.08, the day of
        // payment, still counts)
        let august = run(month(2026, 8));
        assert_eq!(august.amount, dec!(90.62));
        assert_eq!(
            shape(&august),
            [span(
                date(2026, 8, 1),
                date(2026, 8, 31),
                31,
                Fraction::OneIn130
            )]
        );

        // Paid: nothing from 01.09.
        assert_eq!(
            run(month(2026, 9)),
            Penalty {
                amount: dec!(0),
                debts: Vec::new()
            }
        );

        // 20.27 + 38.00 + 67.43 + 90.62 = 216.32
        assert_eq!(
            billed(&account, month(2026, 4), month(2026, 9), &terms),
            dec!(216.32)
        );

        // The spans as a whole: 60 days at 1/300 (16.05–14.07) = 76.00 and 48 at
        // 1/130 (15.07–31.08) = 140.3077 → 140.31.
        let spans: Vec<PenaltySpan> = [may, june, july, august]
            .into_iter()
            .flat_map(|month| month.debts.into_iter().flat_map(|debt| debt.spans))
            .collect();
        let total = |fraction| {
            let of: Vec<&PenaltySpan> = spans
                .iter()
                .filter(|span| span.fraction == fraction)
                .collect();
            (
                of.iter().map(|span| span.days).sum::<u32>(),
                round_kopecks(of.iter().map(|span| span.amount).sum()),
            )
        };
        assert_eq!(total(Fraction::OneIn300), (60, dec!(76.00)));
        assert_eq!(total(Fraction::OneIn130), (48, dec!(140.31)));
    }
}

#[cfg(test)]
mod months_in_debt_tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn row(period: &str, closing: Decimal) -> StatementRow {
        StatementRow {
            period: period.parse().unwrap(),
            opening: Decimal::ZERO,
            charged: Decimal::ZERO,
            penalty: Decimal::ZERO,
            paid: Decimal::ZERO,
            closing,
        }
    }

    #[test]
    fn months_in_debt_count_back_from_the_last_month_while_it_is_owed() {
        let rows = [
            row("2026-01", dec!(100)),
            row("2026-02", dec!(0)),
            row("2026-03", dec!(50)),
            row("2026-04", dec!(120.5)),
        ];
        assert_eq!(months_in_debt(&rows), 2);
        assert_eq!(months_in_debt(&rows[..2]), 0, "settled in February");
        assert_eq!(months_in_debt(&rows[..1]), 1);
        assert_eq!(
            months_in_debt(&[row("2026-05", dec!(-10))]),
            0,
            "an advance"
        );
        assert_eq!(months_in_debt(&[]), 0);
    }
}
