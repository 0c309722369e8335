//! A bank's payment register (Сбербанк style), read whole or refused whole.
//!
//! Windows-1251, or UTF-8 when the file starts with a UTF-8 byte-order mark
//! (DESIGN.md "Bank register"); `;` between cells, no quoting, no header;
//! one payment a line:
//!
//! `dd-MM-yyyy;HH-mm-ss;branch;cashier;operation;account;payer;address;MMYYYY;amount;transferred;commission`
//!
//! and, last, the totals line `=count;amount;transferred;commission`.
//! Amounts are written with a decimal comma (a point is taken too), spaces
//! may group thousands (`2 367,95`). CRLF or LF ends a line; blank lines
//! (spaces or separators only) are ignored; line numbers are the file's.
//!
//! The bank writes plain `;`-split text: a payer `ООО "Ромашка"` is a name
//! with quotes, not a quoted cell, so lines are split here rather than by
//! the `csv` crate (which would also allocate a record a line). Each line is
//! decoded into one reused buffer; what is kept of a line is the text of
//! its six text cells.

use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;

use super::read::MAX_LINE_BYTES;
use crate::domain::input::{MAX_ADDRESS_CHARS, is_thousands_space};
use crate::domain::{
    MAX_QUOTED_CHARS, Period, Problem, RegisterColumn, RegisterFault, YEARS, excerpt,
};

/// The largest file taken, in MiB: a register of [`MAX_PAYMENTS`] lines of
/// the samples' length is some 30 MiB.
pub const MAX_FILE_MIB: usize = 64;
const MAX_FILE_BYTES: usize = MAX_FILE_MIB * 1024 * 1024;

/// The most payment lines a register may have.
pub const MAX_PAYMENTS: usize = 200_000;

/// The most bad lines a refusal lists; the rest are counted.
pub const MAX_REPORTED_LINES: usize = 100;

/// A payment of 99 999 999,99 at most, in kopecks (NUMERIC(10,2)).
const MAX_AMOUNT_KOPECKS: i64 = 9_999_999_999;
/// A sum of the totals line: every payment at its largest.
const MAX_TOTAL_KOPECKS: i64 = MAX_AMOUNT_KOPECKS * MAX_PAYMENTS as i64;

/// A personal account's number: 1 to 20 letters and digits.
pub const MAX_ACCOUNT_CHARS: usize = 20;
/// The bank's operation number.
pub const MAX_OPERATION_CHARS: usize = 50;
/// A payer's name or address as the bank wrote it.
pub const MAX_PAYER_CHARS: usize = MAX_ADDRESS_CHARS;

const LINE_TOO_LONG: RegisterFault = RegisterFault::LineTooLong {
    max_bytes: MAX_LINE_BYTES,
};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The cells of a payment line and of the totals line.
const PAYMENT_CELLS: usize = RegisterColumn::PAYMENT.len();
const TOTALS_CELLS: usize = RegisterColumn::TOTALS.len();

/// One payment of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankPayment {
    /// 1-based line of the file.
    pub line: usize,
    pub paid_on: NaiveDate,
    pub paid_at: NaiveTime,
    pub branch: String,
    pub cashier: String,
    /// The bank's id of the payment.
    pub operation: String,
    /// The personal account's number as the payer gave it (it may name no
    /// account).
    pub account: String,
    pub payer: String,
    pub address: String,
    /// The month the payer named, if any.
    pub period: Option<Period>,
    /// What the payer paid: the amount credited to the account.
    pub amount: Decimal,
    /// What the bank transfers: the amount less its commission.
    pub transferred: Decimal,
    pub commission: Decimal,
}

/// The register's totals line, which the payments match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegisterTotals {
    pub count: usize,
    pub amount: Decimal,
    pub transferred: Decimal,
    pub commission: Decimal,
}

/// A register read whole: its payments in the file's order and its totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Register {
    pub payments: Vec<BankPayment>,
    pub totals: RegisterTotals,
}

/// Why a register is refused: a line and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line of the file; 0 for the file as a whole (its problem
    /// names no line: too large, no payments, no totals line).
    pub line: usize,
    pub problem: Problem,
}

impl LineError {
    fn file(problem: Problem) -> LineError {
        LineError { line: 0, problem }
    }
}

/// Reads a register. All or nothing: either every payment and the totals
/// they match, or every bad line (the first [`MAX_REPORTED_LINES`], then
/// how many more), or the file's problem. The totals are compared only
/// when every other line is read, since the payments' sums mean nothing
/// before that; a missing totals line is said after the bad lines.
pub fn read(bytes: Vec<u8>) -> Result<Register, Vec<LineError>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(vec![LineError::file(Problem::RegisterFileTooLarge {
            max_mib: MAX_FILE_MIB,
        })]);
    }
    let (body, utf8) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, true),
        None => (bytes.as_slice(), false),
    };
    let mut reader = Reader::default();
    let mut decoded = String::new();
    for (index, raw) in body.split(|&b| b == b'\n').enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        // Bytes of UTF-8 are never fewer than those of Windows-1251.
        if raw.len() > MAX_LINE_BYTES {
            reader.unreadable(line, LINE_TOO_LONG);
            continue;
        }
        let text = if utf8 {
            match std::str::from_utf8(raw) {
                Ok(text) => text,
                Err(_) => {
                    reader.unreadable(line, RegisterFault::NotUtf8);
                    continue;
                }
            }
        } else {
            windows_1251(raw, &mut decoded)
        };
        if text.len() > MAX_LINE_BYTES {
            reader.unreadable(line, LINE_TOO_LONG);
            continue;
        }
        reader.line(line, text)?;
    }
    reader.finish()
}

/// A line of Windows-1251 as text, in `buffer` (kept from line to line, so
/// decoding allocates only while the buffer grows to the longest line).
fn windows_1251<'a>(raw: &[u8], buffer: &'a mut String) -> &'a str {
    let mut decoder = encoding_rs::WINDOWS_1251.new_decoder_without_bom_handling();
    buffer.clear();
    // Three bytes of UTF-8 a byte at most (№, €); a line is short.
    buffer.reserve(
        decoder
            .max_utf8_buffer_length(raw.len())
            .unwrap_or(raw.len() * 3),
    );
    let (result, _, _) = decoder.decode_to_string(raw, buffer, true);
    debug_assert_eq!(result, encoding_rs::CoderResult::InputEmpty);
    buffer.as_str()
}

/// The payments' sums, in kopecks.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Sums {
    amount: i64,
    transferred: i64,
    commission: i64,
}

/// What the totals line says, when it could be read.
#[derive(Debug, Clone, Copy)]
struct Totals {
    count: usize,
    sums: Sums,
}

/// The register read so far.
#[derive(Default)]
struct Reader {
    /// Kept only while no line is bad: a refused file keeps nothing.
    payments: Vec<BankPayment>,
    payment_lines: usize,
    sums: Sums,
    /// The first totals line, and its figures when they could be read.
    totals: Option<(usize, Option<Totals>)>,
    after_totals_said: bool,
    any_line: bool,
    errors: Vec<LineError>,
    /// The bad lines beyond those listed: the first of them, how many.
    more: Option<(usize, usize)>,
}

impl Reader {
    fn fail(&mut self, line: usize, faults: Vec<RegisterFault>) {
        self.payments = Vec::new();
        if self.errors.len() < MAX_REPORTED_LINES {
            self.errors.push(LineError {
                line,
                problem: Problem::RegisterLine { line, faults },
            });
        } else {
            let (_, count) = self.more.get_or_insert((line, 0));
            *count += 1;
        }
    }

    /// A line that cannot be looked into (too long, not text).
    fn unreadable(&mut self, line: usize, fault: RegisterFault) {
        self.any_line = true;
        self.fail(line, vec![fault]);
    }

    fn line(&mut self, line: usize, text: &str) -> Result<(), Vec<LineError>> {
        if text.chars().all(|c| c == ';' || c.is_whitespace()) {
            return Ok(());
        }
        self.any_line = true;
        if text.trim_start().starts_with('=') {
            self.totals_line(line, text);
            return Ok(());
        }
        self.payment_lines += 1;
        if self.payment_lines > MAX_PAYMENTS {
            return Err(vec![LineError::file(Problem::RegisterTooManyPayments {
                limit: MAX_PAYMENTS,
            })]);
        }
        let mut faults = Vec::new();
        if let Some((totals, _)) = self.totals
            && !self.after_totals_said
        {
            self.after_totals_said = true;
            faults.push(RegisterFault::AfterTotals { totals });
        }
        match cells::<PAYMENT_CELLS>(text) {
            Ok(cells) => match payment(&cells) {
                Ok(read) if faults.is_empty() => {
                    self.sums.amount += read.amount;
                    self.sums.transferred += read.transferred;
                    self.sums.commission += read.commission;
                    if self.errors.is_empty() {
                        self.payments.push(read.into_payment(line));
                    }
                    return Ok(());
                }
                Ok(_) => {}
                Err(cell_faults) => faults.extend(cell_faults),
            },
            Err(count) => faults.push(count.fault(&RegisterColumn::PAYMENT)),
        }
        self.fail(line, faults);
        Ok(())
    }

    fn totals_line(&mut self, line: usize, text: &str) {
        if let Some((first, _)) = self.totals {
            self.fail(line, vec![RegisterFault::SecondTotals { first }]);
            return;
        }
        let read = match cells::<TOTALS_CELLS>(text) {
            Ok(cells) => totals(&cells),
            Err(count) => Err(vec![count.fault(&RegisterColumn::TOTALS)]),
        };
        match read {
            Ok(totals) => self.totals = Some((line, Some(totals))),
            Err(faults) => {
                self.totals = Some((line, None));
                self.fail(line, faults);
            }
        }
    }

    fn finish(mut self) -> Result<Register, Vec<LineError>> {
        if !self.any_line {
            return Err(vec![LineError::file(Problem::FileEmpty)]);
        }
        if self.payment_lines == 0 && self.errors.is_empty() {
            return Err(vec![LineError::file(Problem::RegisterNoPayments)]);
        }
        if let Some((from_line, count)) = self.more {
            self.errors.push(LineError {
                line: from_line,
                problem: Problem::RegisterMoreBadLines { from_line, count },
            });
        }
        let Some((line, totals)) = self.totals else {
            self.errors.push(LineError::file(Problem::RegisterNoTotals));
            return Err(self.errors);
        };
        // A totals line that could not be read is a bad line already.
        let (true, Some(totals)) = (self.errors.is_empty(), totals) else {
            return Err(self.errors);
        };
        let mut faults = Vec::new();
        if totals.count != self.payments.len() {
            faults.push(RegisterFault::CountMismatch {
                expected: self.payments.len(),
                found: totals.count,
            });
        }
        for (column, expected, found) in [
            (
                RegisterColumn::TotalAmount,
                self.sums.amount,
                totals.sums.amount,
            ),
            (
                RegisterColumn::TotalTransferred,
                self.sums.transferred,
                totals.sums.transferred,
            ),
            (
                RegisterColumn::TotalCommission,
                self.sums.commission,
                totals.sums.commission,
            ),
        ] {
            if expected != found {
                faults.push(RegisterFault::SumMismatch {
                    column,
                    expected: rubles(expected),
                    found: rubles(found),
                });
            }
        }
        if !faults.is_empty() {
            return Err(vec![LineError {
                line,
                problem: Problem::RegisterLine { line, faults },
            }]);
        }
        Ok(Register {
            payments: self.payments,
            totals: RegisterTotals {
                count: totals.count,
                amount: rubles(totals.sums.amount),
                transferred: rubles(totals.sums.transferred),
                commission: rubles(totals.sums.commission),
            },
        })
    }
}

fn rubles(kopecks: i64) -> Decimal {
    Decimal::new(kopecks, 2)
}

/// A line with another number of cells than its kind has.
struct CellCount<'a> {
    found: usize,
    /// What is beyond the last cell, when something is.
    extra: Option<&'a str>,
}

impl CellCount<'_> {
    fn fault(&self, columns: &[RegisterColumn]) -> RegisterFault {
        match self.extra {
            Some(extra) => RegisterFault::TooManyCells {
                found: self.found,
                expected: columns.len(),
                extra: excerpt(extra, MAX_QUOTED_CHARS),
            },
            None => RegisterFault::TooFewCells {
                found: self.found,
                expected: columns.len(),
                missing: columns[self.found..].to_vec(),
            },
        }
    }
}

/// The `N` cells of a line, untrimmed. Empty cells after the last (a
/// trailing `;`) are no cells.
fn cells<const N: usize>(text: &str) -> Result<[&str; N], CellCount<'_>> {
    let mut cells = [""; N];
    let mut split = text.splitn(N + 1, ';');
    let mut found = 0;
    for (slot, cell) in cells.iter_mut().zip(&mut split) {
        *slot = cell;
        found += 1;
    }
    if found < N {
        return Err(CellCount { found, extra: None });
    }
    let beyond = split
        .next()
        .unwrap_or("")
        .trim_end_matches(|c: char| c == ';' || c.is_whitespace());
    if beyond.is_empty() {
        return Ok(cells);
    }
    Err(CellCount {
        found: N + beyond.split(';').count(),
        extra: Some(beyond.trim_start()),
    })
}

/// A payment line's figures and its text cells, borrowed from the line.
struct PaymentCells<'a> {
    paid_on: NaiveDate,
    paid_at: NaiveTime,
    texts: [&'a str; 6],
    period: Option<Period>,
    amount: i64,
    transferred: i64,
    commission: i64,
}

impl PaymentCells<'_> {
    fn into_payment(self, line: usize) -> BankPayment {
        let [branch, cashier, operation, account, payer, address] = self.texts.map(str::to_owned);
        BankPayment {
            line,
            paid_on: self.paid_on,
            paid_at: self.paid_at,
            branch,
            cashier,
            operation,
            account,
            payer,
            address,
            period: self.period,
            amount: rubles(self.amount),
            transferred: rubles(self.transferred),
            commission: rubles(self.commission),
        }
    }
}

/// A payment line's twelve cells read, or every fault of them.
fn payment<'a>(
    [
        on,
        at,
        branch,
        cashier,
        operation,
        number,
        payer,
        address,
        month,
        amount,
        transferred,
        commission,
    ]: &[&'a str; PAYMENT_CELLS],
) -> Result<PaymentCells<'a>, Vec<RegisterFault>> {
    use RegisterColumn as C;
    let mut faults = Vec::new();
    let paid_on = keep(&mut faults, date(on));
    let paid_at = keep(&mut faults, time(at));
    let branch = keep(&mut faults, text(branch, C::Branch, false, None));
    let cashier = keep(&mut faults, text(cashier, C::Cashier, false, None));
    let operation = keep(
        &mut faults,
        text(operation, C::Operation, true, Some(MAX_OPERATION_CHARS)),
    );
    let account = keep(&mut faults, account(number));
    let payer = keep(
        &mut faults,
        text(payer, C::Payer, false, Some(MAX_PAYER_CHARS)),
    );
    let address = keep(
        &mut faults,
        text(address, C::Address, false, Some(MAX_PAYER_CHARS)),
    );
    let period = keep(&mut faults, period(month));
    let amount = keep(
        &mut faults,
        money(amount, C::Amount, Sign::Positive, MAX_AMOUNT_KOPECKS),
    );
    let transferred = keep(
        &mut faults,
        money(
            transferred,
            C::Transferred,
            Sign::NotNegative,
            MAX_AMOUNT_KOPECKS,
        ),
    );
    let commission = keep(
        &mut faults,
        money(
            commission,
            C::Commission,
            Sign::NotNegative,
            MAX_AMOUNT_KOPECKS,
        ),
    );
    match (
        paid_on,
        paid_at,
        branch,
        cashier,
        operation,
        account,
        payer,
        address,
        period,
        amount,
        transferred,
        commission,
    ) {
        (
            Some(paid_on),
            Some(paid_at),
            Some(branch),
            Some(cashier),
            Some(operation),
            Some(account),
            Some(payer),
            Some(address),
            Some(period),
            Some(amount),
            Some(transferred),
            Some(commission),
        ) => Ok(PaymentCells {
            paid_on,
            paid_at,
            texts: [branch, cashier, operation, account, payer, address],
            period,
            amount,
            transferred,
            commission,
        }),
        _ => Err(faults),
    }
}

/// The totals line's four cells read, or every fault of them.
fn totals(
    [number, amount, transferred, commission]: &[&str; TOTALS_CELLS],
) -> Result<Totals, Vec<RegisterFault>> {
    use RegisterColumn as C;
    let mut faults = Vec::new();
    let count = keep(&mut faults, count(number));
    let sum = |raw, column| money(raw, column, Sign::NotNegative, MAX_TOTAL_KOPECKS);
    let amount = keep(&mut faults, sum(amount, C::TotalAmount));
    let transferred = keep(&mut faults, sum(transferred, C::TotalTransferred));
    let commission = keep(&mut faults, sum(commission, C::TotalCommission));
    match (count, amount, transferred, commission) {
        (Some(count), Some(amount), Some(transferred), Some(commission)) => Ok(Totals {
            count,
            sums: Sums {
                amount,
                transferred,
                commission,
            },
        }),
        _ => Err(faults),
    }
}

/// A cell's value, or none with its fault kept.
fn keep<T>(faults: &mut Vec<RegisterFault>, result: Result<T, RegisterFault>) -> Option<T> {
    result.map_err(|fault| faults.push(fault)).ok()
}

/// What a fault shows of a cell.
fn written(raw: &str) -> String {
    excerpt(raw.trim(), MAX_QUOTED_CHARS)
}

/// A few ASCII digits (four at most, so no overflow) as a number; none
/// when one is not a digit.
fn digits(raw: &[u8]) -> Option<u32> {
    raw.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// `dd-MM-yyyy`, a day that exists in a year of [`YEARS`].
fn date(raw: &str) -> Result<NaiveDate, RegisterFault> {
    let b = raw.trim().as_bytes();
    if b.is_empty() {
        return Err(RegisterFault::Empty(RegisterColumn::Date));
    }
    let day = (b.len() == 10 && b[2] == b'-' && b[5] == b'-')
        .then(|| Some((digits(&b[0..2])?, digits(&b[3..5])?, digits(&b[6..10])?)))
        .flatten()
        .and_then(|(day, month, year)| {
            let year = i32::try_from(year).ok().filter(|y| YEARS.contains(y))?;
            NaiveDate::from_ymd_opt(year, month, day)
        });
    day.ok_or_else(|| RegisterFault::NotADate(written(raw)))
}

/// `HH-mm-ss`, a time of day.
fn time(raw: &str) -> Result<NaiveTime, RegisterFault> {
    let b = raw.trim().as_bytes();
    if b.is_empty() {
        return Err(RegisterFault::Empty(RegisterColumn::Time));
    }
    (b.len() == 8 && b[2] == b'-' && b[5] == b'-')
        .then(|| NaiveTime::from_hms_opt(digits(&b[0..2])?, digits(&b[3..5])?, digits(&b[6..8])?))
        .flatten()
        .ok_or_else(|| RegisterFault::NotATime(written(raw)))
}

/// `MMYYYY`, or nothing when empty.
fn period(raw: &str) -> Result<Option<Period>, RegisterFault> {
    let b = raw.trim().as_bytes();
    if b.is_empty() {
        return Ok(None);
    }
    (b.len() == 6)
        .then(|| Period::new(i32::try_from(digits(&b[2..6])?).ok()?, digits(&b[0..2])?))
        .flatten()
        .map(Some)
        .ok_or_else(|| RegisterFault::NotAPeriod(written(raw)))
}

/// A text cell, trimmed: `required` ones not empty, none with control
/// characters, at most `max` characters.
fn text(
    raw: &str,
    column: RegisterColumn,
    required: bool,
    max: Option<usize>,
) -> Result<&str, RegisterFault> {
    let value = raw.trim();
    if required && value.is_empty() {
        return Err(RegisterFault::Empty(column));
    }
    if value.chars().any(char::is_control) {
        return Err(RegisterFault::ControlCharacter(column));
    }
    // Characters are never more than bytes.
    if let Some(max) = max
        && value.len() > max
        && value.chars().count() > max
    {
        return Err(RegisterFault::TooLong { column, max });
    }
    Ok(value)
}

/// A personal account's number: 1 to 20 letters and digits.
fn account(raw: &str) -> Result<&str, RegisterFault> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(RegisterFault::Empty(RegisterColumn::Account));
    }
    let mut chars = 0;
    for c in value.chars() {
        chars += 1;
        if chars > MAX_ACCOUNT_CHARS || !c.is_alphanumeric() {
            return Err(RegisterFault::NotAnAccount(written(value)));
        }
    }
    Ok(value)
}

/// The totals line's count: `=5` (spaces may group thousands).
fn count(raw: &str) -> Result<usize, RegisterFault> {
    let value = raw.trim().trim_start_matches('=').trim();
    let mut count: Option<usize> = None;
    for c in value.chars() {
        count = match c {
            '0'..='9' => count
                .unwrap_or(0)
                .checked_mul(10)
                .and_then(|n| n.checked_add(usize::from(c as u8 - b'0'))),
            _ if is_thousands_space(c) && count.is_some() => count,
            _ => None,
        };
        if count.is_none() {
            break;
        }
    }
    count.ok_or_else(|| RegisterFault::NotACount(written(raw)))
}

/// What sign an amount of a column may have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sign {
    Positive,
    NotNegative,
}

/// Why a cell is not an amount, before its column names the fault.
enum NotMoney {
    Empty,
    NotANumber,
    TooManyDecimals,
}

/// An amount as written: its sign and its kopecks, none when beyond what
/// an `i64` holds.
struct WrittenAmount {
    negative: bool,
    kopecks: Option<i64>,
}

/// Rubles as people write them: `2 367,95`, `1500.00`, `-3,5`, `800`.
/// Spaces group the whole rubles only; more than two decimals are refused,
/// even zeros (`12,345` and `12,340` may be twelve thousand).
fn kopecks(raw: &str) -> Result<WrittenAmount, NotMoney> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(NotMoney::Empty);
    }
    let (negative, unsigned) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let mut whole: Option<i64> = Some(0);
    let mut whole_digits = 0;
    let mut fraction: i64 = 0;
    let mut decimals: Option<u32> = None;
    for c in unsigned.chars() {
        match (c, decimals) {
            ('0'..='9', None) => {
                let digit = i64::from(c as u8 - b'0');
                whole = whole
                    .and_then(|n| n.checked_mul(10))
                    .and_then(|n| n.checked_add(digit));
                whole_digits += 1;
            }
            ('0'..='9', Some(places)) => {
                if places < 2 {
                    fraction = fraction * 10 + i64::from(c as u8 - b'0');
                }
                decimals = Some(places + 1);
            }
            (',' | '.', None) => decimals = Some(0),
            (c, None) if is_thousands_space(c) && whole_digits > 0 => {}
            _ => return Err(NotMoney::NotANumber),
        }
    }
    let places = decimals.unwrap_or(0);
    if whole_digits == 0 && places == 0 {
        return Err(NotMoney::NotANumber);
    }
    if places > 2 {
        return Err(NotMoney::TooManyDecimals);
    }
    let kopecks = whole
        .and_then(|n| n.checked_mul(100))
        .and_then(|n| n.checked_add(fraction * 10_i64.pow(2 - places)));
    Ok(WrittenAmount { negative, kopecks })
}

/// An amount of `column`, in kopecks: more than 0 or at least 0 (as `sign`
/// says), at most `max` kopecks, to the kopeck. A negative amount is said
/// to be one, however large.
fn money(raw: &str, column: RegisterColumn, sign: Sign, max: i64) -> Result<i64, RegisterFault> {
    let value = || written(raw);
    let amount = kopecks(raw).map_err(|e| match e {
        NotMoney::Empty => RegisterFault::Empty(column),
        NotMoney::NotANumber => RegisterFault::NotANumber {
            column,
            value: value(),
        },
        NotMoney::TooManyDecimals => RegisterFault::TooManyDecimals {
            column,
            value: value(),
        },
    })?;
    let negative = amount.negative && amount.kopecks != Some(0);
    match (sign, amount.kopecks) {
        (Sign::Positive, Some(0)) => Err(RegisterFault::AmountNotPositive(value())),
        (Sign::Positive, _) if negative => Err(RegisterFault::AmountNotPositive(value())),
        (Sign::NotNegative, _) if negative => Err(RegisterFault::Negative {
            column,
            value: value(),
        }),
        (_, Some(kopecks)) if kopecks <= max => Ok(kopecks),
        _ => Err(RegisterFault::TooLarge {
            column,
            value: value(),
            max: rubles(max),
        }),
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::i18n::Locale;

    const SAMPLE_CP1251: &[u8] =
        include_bytes!("../../tests/fixtures/bank-register-sber-cp1251.txt");
    const SAMPLE_UTF8: &[u8] =
        include_bytes!("../../tests/fixtures/bank-register-sber-utf8-bom.txt");

    /// A payment line of the samples' shape.
    fn payment_line(operation: &str, account: &str, amount: &str) -> String {
        format!(
            "03-11-2026;09-15-02;8610;0001;{operation};{account};Иванов И. И.;г. Казань, ул. Баумана, д. 12, кв. 1;102026;{amount};{amount};0,00"
        )
    }

    /// Two good payments of 100,00 and 250,50 and their totals.
    fn good_lines() -> Vec<String> {
        vec![
            payment_line("1", "1001", "100,00"),
            payment_line("2", "1002", "250,50"),
            "=2;350,50;350,50;0,00".to_owned(),
        ]
    }

    /// Text as a bank writes it: Windows-1251.
    fn windows_1251(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(text);
        assert!(!unmappable, "{text}");
        bytes.into_owned()
    }

    /// Lines as a file, LF-ended, in UTF-8 with its byte-order mark.
    fn utf8_file(lines: &[String]) -> Vec<u8> {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        format!("\u{feff}{text}").into_bytes()
    }

    /// Lines as a file, CRLF-ended, in Windows-1251.
    fn file(lines: &[String]) -> Vec<u8> {
        windows_1251(&lines.iter().map(|l| format!("{l}\r\n")).collect::<String>())
    }

    fn refusal(lines: &[String]) -> Vec<LineError> {
        read(file(lines)).unwrap_err()
    }

    /// The one bad line of a refusal and its faults.
    fn only_fault(errors: &[LineError]) -> (usize, Vec<RegisterFault>) {
        assert_eq!(errors.len(), 1, "{errors:?}");
        match &errors[0].problem {
            Problem::RegisterLine { line, faults } => {
                assert_eq!(*line, errors[0].line);
                (*line, faults.clone())
            }
            other => panic!("not a line's problem: {other:?}"),
        }
    }

    #[test]
    fn both_samples_read_to_the_same_five_payments() {
        let cp1251 = read(SAMPLE_CP1251.to_vec()).unwrap();
        let utf8 = read(SAMPLE_UTF8.to_vec()).unwrap();
        assert_eq!(cp1251, utf8);
        assert_eq!(cp1251.payments.len(), 5);
        assert_eq!(
            cp1251.payments[0],
            BankPayment {
                line: 1,
                paid_on: NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
                paid_at: NaiveTime::from_hms_opt(9, 15, 2).unwrap(),
                branch: "8610".into(),
                cashier: "0001".into(),
                operation: "100245117".into(),
                account: "1001001001".into(),
                payer: "Иванов Иван Иванович".into(),
                address: "г. Казань, ул. Баумана, д. 12, кв. 1".into(),
                period: Period::new(2026, 10),
                amount: dec!(2367.95),
                transferred: dec!(2344.27),
                commission: dec!(23.68),
            }
        );
        let rows: Vec<(usize, &str, &str, Decimal)> = cp1251
            .payments
            .iter()
            .map(|p| (p.line, p.operation.as_str(), p.account.as_str(), p.amount))
            .collect();
        assert_eq!(
            rows,
            [
                (1, "100245117", "1001001001", dec!(2367.95)),
                (2, "100245301", "1001001002", dec!(1500.00)),
                (3, "100251877", "1001001003", dec!(4012.30)),
                (4, "100252020", "1001009999", dec!(800.00)),
                (5, "100253555", "1001001001", dec!(100.50)),
            ]
        );
        assert_eq!(cp1251.payments[4].period, Period::new(2026, 11));
        assert_eq!(cp1251.payments[2].transferred, dec!(3972.18));
        assert_eq!(cp1251.payments[2].payer, "Сидоров П. А.");
        assert_eq!(
            cp1251.totals,
            RegisterTotals {
                count: 5,
                amount: dec!(8780.75),
                transferred: dec!(8692.95),
                commission: dec!(87.80),
            }
        );
    }

    #[test]
    fn each_wrong_figure_of_the_totals_line_is_named_with_both_values() {
        let wrong = |totals: &str| {
            let mut lines = good_lines();
            lines[2] = totals.to_owned();
            only_fault(&refusal(&lines))
        };
        assert_eq!(
            wrong("=3;350,50;350,50;0,00"),
            (
                3,
                vec![RegisterFault::CountMismatch {
                    expected: 2,
                    found: 3
                }]
            )
        );
        assert_eq!(
            wrong("=2;350,51;350,50;0,00"),
            (
                3,
                vec![RegisterFault::SumMismatch {
                    column: RegisterColumn::TotalAmount,
                    expected: dec!(350.50),
                    found: dec!(350.51),
                }]
            )
        );
        assert_eq!(
            wrong("=2;350,50;340,50;0,00"),
            (
                3,
                vec![RegisterFault::SumMismatch {
                    column: RegisterColumn::TotalTransferred,
                    expected: dec!(350.50),
                    found: dec!(340.50),
                }]
            )
        );
        assert_eq!(
            wrong("=2;350,50;350,50;3,50"),
            (
                3,
                vec![RegisterFault::SumMismatch {
                    column: RegisterColumn::TotalCommission,
                    expected: dec!(0),
                    found: dec!(3.50),
                }]
            )
        );
        // All four at once, in the line's order.
        let (_, faults) = wrong("=1;1;2;3");
        assert_eq!(faults.len(), 4, "{faults:?}");
        assert_eq!(
            Locale::En.problem(
                &refusal(&{
                    let mut lines = good_lines();
                    lines[2] = "=2;8 780,75;350,50;0,00".into();
                    lines
                })[0]
                    .problem
            ),
            "Line 3: the total amount is 8780.75 ₽, the register's payments sum to 350.50 ₽."
        );
    }

    #[test]
    fn a_register_without_its_totals_line_is_refused() {
        let mut lines = good_lines();
        lines.pop();
        let errors = refusal(&lines);
        assert_eq!(
            errors,
            [LineError {
                line: 0,
                problem: Problem::RegisterNoTotals
            }]
        );
        // Said after the bad lines, when there are some.
        lines[0] = payment_line("1", "", "100,00");
        let errors = refusal(&lines);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].line, 1);
        assert_eq!(errors[1].problem, Problem::RegisterNoTotals);
    }

    #[test]
    fn the_totals_line_must_be_the_last_and_the_only_one() {
        let mut lines = good_lines();
        lines.push(payment_line("3", "1003", "1,00"));
        assert_eq!(
            only_fault(&refusal(&lines)),
            (4, vec![RegisterFault::AfterTotals { totals: 3 }])
        );
        let mut lines = good_lines();
        lines.push("=2;350,50;350,50;0,00".into());
        assert_eq!(
            only_fault(&refusal(&lines)),
            (4, vec![RegisterFault::SecondTotals { first: 3 }])
        );
        // Blank lines after it are no lines.
        let mut lines = good_lines();
        lines.extend(["".into(), " ;; ".into(), "".into()]);
        assert_eq!(read(file(&lines)).unwrap().payments.len(), 2);
    }

    #[test]
    fn a_bad_cell_is_named_with_its_line() {
        use RegisterColumn as C;
        let cases: Vec<(String, RegisterFault)> = vec![
            (
                payment_line("1", "1001", "100,00").replace("03-11-2026", "31-11-2026"),
                RegisterFault::NotADate("31-11-2026".into()),
            ),
            (
                payment_line("1", "1001", "100,00").replace("03-11-2026", "2026-11-03"),
                RegisterFault::NotADate("2026-11-03".into()),
            ),
            (
                payment_line("1", "1001", "100,00").replace("09-15-02", "24-00-00"),
                RegisterFault::NotATime("24-00-00".into()),
            ),
            (
                payment_line("1", "1001", "100,00").replace(";102026;", ";132026;"),
                RegisterFault::NotAPeriod("132026".into()),
            ),
            (
                payment_line("1", "1001", "100,00").replace(";1;", ";;"),
                RegisterFault::Empty(C::Operation),
            ),
            (
                payment_line("1", "", "100,00"),
                RegisterFault::Empty(C::Account),
            ),
            (
                payment_line("1", "10-01", "100,00"),
                RegisterFault::NotAnAccount("10-01".into()),
            ),
            (
                payment_line("1", &"1".repeat(21), "100,00"),
                RegisterFault::NotAnAccount("1".repeat(21)),
            ),
            (
                "03-11-2026;09-15-02;8610;0001;1;1001;Иванов;адрес;102026;12,345;0;0".into(),
                RegisterFault::TooManyDecimals {
                    column: C::Amount,
                    value: "12,345".into(),
                },
            ),
            (
                "03-11-2026;09-15-02;8610;0001;1;1001;Иванов;адрес;102026;-100,00;0;0".into(),
                RegisterFault::AmountNotPositive("-100,00".into()),
            ),
            (
                "03-11-2026;09-15-02;8610;0001;1;1001;Иванов;адрес;102026;0,00;0;0".into(),
                RegisterFault::AmountNotPositive("0,00".into()),
            ),
            (
                "03-11-2026;09-15-02;8610;0001;1;1001;Иванов;адрес;102026;100 000 000,00;0;0"
                    .into(),
                RegisterFault::TooLarge {
                    column: C::Amount,
                    value: "100 000 000,00".into(),
                    max: dec!(99999999.99),
                },
            ),
            (
                "03-11-2026;09-15-02;8610;0001;1;1001;Иванов;адрес;102026;1,00;1,00;-0,01".into(),
                RegisterFault::Negative {
                    column: C::Commission,
                    value: "-0,01".into(),
                },
            ),
            (
                "03-11-2026;09-15-02;8610;0001;1;1001;Иванов;адрес;102026;1,00;1.0.0;0".into(),
                RegisterFault::NotANumber {
                    column: C::Transferred,
                    value: "1.0.0".into(),
                },
            ),
            (
                payment_line("1", "1001", "100,00").replace("Иванов И. И.", &"я".repeat(301)),
                RegisterFault::TooLong {
                    column: C::Payer,
                    max: 300,
                },
            ),
            (
                payment_line("1", "1001", "100,00").replace("Иванов", "Ива\u{0}нов"),
                RegisterFault::ControlCharacter(C::Payer),
            ),
            (
                "03-11-2026;09-15-02;8610;0001;1;1001;Иванов;адрес;102026;1,00".into(),
                RegisterFault::TooFewCells {
                    found: 10,
                    expected: 12,
                    missing: vec![C::Transferred, C::Commission],
                },
            ),
            (
                payment_line("1", "1001", "100,00") + ";лишнее;;",
                RegisterFault::TooManyCells {
                    found: 13,
                    expected: 12,
                    extra: "лишнее".into(),
                },
            ),
        ];
        for (bad, fault) in cases {
            let mut lines = good_lines();
            lines.insert(1, bad.clone());
            assert_eq!(only_fault(&refusal(&lines)), (2, vec![fault]), "{bad}");
        }
    }

    #[test]
    fn every_fault_of_a_line_and_every_bad_line_are_reported() {
        let lines = vec![
            payment_line("1", "1001", "100,00"),
            "32-13-2026;09-15-02;8610;0001;;;Иванов;адрес;2026-10;12,345;-1;x".into(),
            payment_line("2", "1002", "250,50"),
            "".into(),
            "03-11-2026;09-15-02".into(),
            payment_line("3", "", "1,00"),
            "=2;350,50;350,50;0,00".into(),
        ];
        let errors = refusal(&lines);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 5, 6]);
        let Problem::RegisterLine { faults, .. } = &errors[0].problem else {
            panic!("{errors:?}");
        };
        use RegisterColumn as C;
        assert_eq!(
            faults,
            &[
                RegisterFault::NotADate("32-13-2026".into()),
                RegisterFault::Empty(C::Operation),
                RegisterFault::Empty(C::Account),
                RegisterFault::NotAPeriod("2026-10".into()),
                RegisterFault::TooManyDecimals {
                    column: C::Amount,
                    value: "12,345".into()
                },
                RegisterFault::Negative {
                    column: C::Transferred,
                    value: "-1".into()
                },
                RegisterFault::NotANumber {
                    column: C::Commission,
                    value: "x".into()
                },
            ]
        );
    }

    #[test]
    fn the_list_of_bad_lines_is_cut_and_the_rest_counted() {
        let mut lines: Vec<String> = (0..MAX_REPORTED_LINES + 7)
            .map(|i| payment_line(&i.to_string(), "", "1,00"))
            .collect();
        lines.push("=107;107;107;0".into());
        let errors = refusal(&lines);
        assert_eq!(errors.len(), MAX_REPORTED_LINES + 1);
        assert_eq!(errors[MAX_REPORTED_LINES - 1].line, MAX_REPORTED_LINES);
        assert_eq!(
            errors[MAX_REPORTED_LINES],
            LineError {
                line: MAX_REPORTED_LINES + 1,
                problem: Problem::RegisterMoreBadLines {
                    from_line: MAX_REPORTED_LINES + 1,
                    count: 7
                }
            }
        );
        assert_eq!(
            Locale::Ru.problem(&errors[MAX_REPORTED_LINES].problem),
            "И ещё 7 строк с ошибками, начиная со строки 101."
        );
    }

    #[test]
    fn blank_lines_lf_endings_and_empty_optional_cells_are_accepted() {
        let text = format!(
            "\n{}\n   \n;;;;\n{}\n\n=2;350,50;350,50;0,00",
            payment_line("1", "1001", "100,00"),
            payment_line("2", "Л1002", "250.50")
                .replace(";102026;", ";;")
                .replace(";Иванов И. И.;", ";;")
        );
        let register = read(windows_1251(&text)).unwrap();
        let lines: Vec<usize> = register.payments.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 5]);
        let second = &register.payments[1];
        assert_eq!(
            (
                second.account.as_str(),
                second.period,
                second.payer.as_str()
            ),
            ("Л1002", None, "")
        );
        assert_eq!(second.amount, dec!(250.50));
        assert_eq!(register.totals.amount, dec!(350.50));
        // A trailing separator is no cell.
        let lines: Vec<String> = good_lines().into_iter().map(|l| l + ";").collect();
        assert_eq!(read(file(&lines)).unwrap().payments.len(), 2);
        // Quotes are a name's, not a quoted cell's.
        let mut lines = good_lines();
        lines[0] = lines[0].replace("Иванов И. И.", "ООО \"Ромашка; и К\"");
        let errors = refusal(&lines);
        assert!(
            matches!(&errors[0].problem, Problem::RegisterLine { line: 1, faults }
                if matches!(faults[..], [RegisterFault::TooManyCells { found: 13, .. }])),
            "{errors:?}"
        );
        lines[0] = lines[0].replace("Ромашка; и К", "Ромашка");
        assert_eq!(
            read(file(&lines)).unwrap().payments[0].payer,
            "ООО \"Ромашка\""
        );
    }

    #[test]
    fn empty_files_registers_without_payments_and_files_past_a_bound_are_refused() {
        let file_problem = |bytes: Vec<u8>| {
            let errors = read(bytes).unwrap_err();
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].line, 0);
            errors[0].problem.clone()
        };
        assert_eq!(file_problem(Vec::new()), Problem::FileEmpty);
        assert_eq!(
            file_problem(b"\xEF\xBB\xBF\r\n \r\n".to_vec()),
            Problem::FileEmpty
        );
        assert_eq!(
            file_problem(b"=0;0,00;0,00;0,00\r\n".to_vec()),
            Problem::RegisterNoPayments
        );
        assert_eq!(
            file_problem(vec![b'\n'; MAX_FILE_BYTES + 1]),
            Problem::RegisterFileTooLarge { max_mib: 64 }
        );
        let mut many = String::new();
        for i in 0..=MAX_PAYMENTS {
            many.push_str(&payment_line(&i.to_string(), "1", "1"));
            many.push('\n');
        }
        assert_eq!(
            file_problem(windows_1251(&many)),
            Problem::RegisterTooManyPayments {
                limit: MAX_PAYMENTS
            }
        );
    }

    #[test]
    fn a_long_line_is_refused_by_its_number_alone() {
        let mut lines = good_lines();
        lines.insert(
            1,
            payment_line("1", "1001", "1,00").replace("Иванов", &"Ж".repeat(3_000)),
        );
        // Some 3 100 bytes of Windows-1251, 6 100 of UTF-8 once decoded.
        assert_eq!(only_fault(&refusal(&lines)), (2, vec![LINE_TOO_LONG]));
        let message = Locale::En.problem(&refusal(&lines)[0].problem);
        assert!(message.len() < 200, "{message}");
        // As UTF-8, the line's bytes are too many before any decoding.
        assert_eq!(
            only_fault(&read(utf8_file(&lines)).unwrap_err()),
            (2, vec![LINE_TOO_LONG])
        );
    }

    #[test]
    fn a_file_marked_utf8_must_be_utf8() {
        let mut bytes = utf8_file(&good_lines());
        assert_eq!(read(bytes.clone()).unwrap().payments.len(), 2);
        // Windows-1251 after the mark: line 2's payer.
        let second = bytes.windows(2).rposition(|w| w == "И".as_bytes()).unwrap();
        bytes.splice(second..second + 2, [0xC8]);
        assert_eq!(
            only_fault(&read(bytes).unwrap_err()),
            (2, vec![RegisterFault::NotUtf8])
        );
    }

    #[test]
    fn amounts_are_read_to_the_kopeck_as_banks_write_them() {
        let read = |raw: &str| {
            money(
                raw,
                RegisterColumn::Amount,
                Sign::Positive,
                MAX_AMOUNT_KOPECKS,
            )
        };
        for (raw, kopecks) in [
            ("2 367,95", 236_795),
            ("1500,00", 150_000),
            ("1500.00", 150_000),
            ("800", 80_000),
            ("3,5", 350),
            (",5", 50),
            ("1\u{a0}234,56", 123_456),
            (" 99 999 999,99 ", MAX_AMOUNT_KOPECKS),
        ] {
            assert_eq!(read(raw), Ok(kopecks), "{raw:?}");
        }
        for bad in [
            "",
            "abc",
            "1,2,3",
            "1 ,5,",
            "1e5",
            "+5",
            "1,5 0",
            "5-",
            "1 2 3,4,5",
        ] {
            let fault = read(bad);
            assert!(fault.is_err(), "{bad:?} accepted");
        }
        assert!(matches!(read("12 ,5"), Ok(1250)));
        assert!(matches!(
            read("99999999999999999999999"),
            Err(RegisterFault::TooLarge { .. })
        ));
        assert!(matches!(
            read("-99999999999999999999999"),
            Err(RegisterFault::AmountNotPositive(_))
        ));
        assert!(matches!(
            read("12,340"),
            Err(RegisterFault::TooManyDecimals { .. })
        ));
        assert_eq!(count("=1 234"), Ok(1234));
        assert!(count("=").is_err());
        assert!(count("=-1").is_err());
        assert!(count("=99999999999999999999999").is_err());
    }

    #[test]
    fn a_problem_reads_in_the_accountants_words() {
        let mut lines = good_lines();
        lines.insert(
            1,
            "03-11-2026;09-15-02;8610;0001;1;;Иванов;адрес;102026;12,345;0;0".into(),
        );
        let problem = &refusal(&lines)[0].problem;
        assert_eq!(
            Locale::Ru.problem(problem),
            "Строка 2: пустая ячейка «лицевой счёт»; сумма «12,345» — больше двух знаков после запятой."
        );
        assert_eq!(
            Locale::En.problem(problem),
            "Line 2: the account cell is empty; the amount \"12,345\" has more than 2 decimal places."
        );
        let mut lines = good_lines();
        lines[2] = "=2;8 780,75;350,50;0,00".into();
        assert_eq!(
            Locale::Ru.problem(&refusal(&lines)[0].problem),
            "Строка 3: итоговая сумма 8\u{a0}780,75 ₽, а по платежам реестра — 350,50 ₽."
        );
        let mut lines = good_lines();
        lines[0] = "03-11-2026;09-15-02;8610".into();
        assert_eq!(
            Locale::Ru.problem(&refusal(&lines)[0].problem),
            "Строка 1: 3 ячейки вместо 12 — не хватает: кассир, операция, лицевой счёт, плательщик, адрес, период, сумма, сумма перевода, комиссия."
        );
        assert_eq!(
            Locale::Ru.problem(&Problem::RegisterNoTotals),
            "В реестре нет итоговой строки: последней строкой реестра должна идти «=количество;сумма;сумма перевода;комиссия»."
        );
    }

    #[test]
    fn every_register_problem_has_a_sentence_in_both_languages() {
        use RegisterColumn as C;
        let value = || "x".to_owned();
        let faults = vec![
            LINE_TOO_LONG,
            RegisterFault::NotUtf8,
            RegisterFault::TooFewCells {
                found: 1,
                expected: 4,
                missing: RegisterColumn::TOTALS[1..].to_vec(),
            },
            RegisterFault::TooManyCells {
                found: 21,
                expected: 12,
                extra: value(),
            },
            RegisterFault::Empty(C::Operation),
            RegisterFault::ControlCharacter(C::Address),
            RegisterFault::TooLong {
                column: C::Operation,
                max: 50,
            },
            RegisterFault::NotADate(value()),
            RegisterFault::NotATime(value()),
            RegisterFault::NotANumber {
                column: C::TotalTransferred,
                value: value(),
            },
            RegisterFault::TooManyDecimals {
                column: C::Transferred,
                value: value(),
            },
            RegisterFault::TooLarge {
                column: C::Amount,
                value: value(),
                max: dec!(99999999.99),
            },
            RegisterFault::AmountNotPositive(value()),
            RegisterFault::Negative {
                column: C::Commission,
                value: value(),
            },
            RegisterFault::NotAnAccount(value()),
            RegisterFault::NotAPeriod(value()),
            RegisterFault::NotACount(value()),
            RegisterFault::CountMismatch {
                expected: 2,
                found: 1,
            },
            RegisterFault::SumMismatch {
                column: C::TotalCommission,
                expected: dec!(1),
                found: dec!(2),
            },
            RegisterFault::SecondTotals { first: 7 },
            RegisterFault::AfterTotals { totals: 7 },
        ];
        let columns = RegisterColumn::PAYMENT
            .into_iter()
            .chain(RegisterColumn::TOTALS)
            .map(RegisterFault::Empty);
        let problems = faults
            .into_iter()
            .chain(columns)
            .map(|fault| Problem::RegisterLine {
                line: 12_345,
                faults: vec![fault],
            })
            .chain([
                Problem::RegisterFileTooLarge { max_mib: 64 },
                Problem::RegisterTooManyPayments { limit: 200_000 },
                Problem::RegisterNoPayments,
                Problem::RegisterNoTotals,
                Problem::RegisterMoreBadLines {
                    from_line: 101,
                    count: 1,
                },
            ]);
        for problem in problems {
            for locale in Locale::ALL {
                let said = locale.problem(&problem);
                assert!(!said.contains("register-"), "{locale:?}: {said}");
            }
        }
    }

    #[test]
    fn a_register_of_100_000_payments_is_read_whole() {
        let mut text = String::new();
        let mut total = 0;
        for i in 0..100_000 {
            text.push_str(&payment_line(
                &i.to_string(),
                &format!("10010{i:05}"),
                "1 234,56",
            ));
            text.push_str("\r\n");
            total += 123_456;
        }
        let total = rubles(total).to_string().replace('.', ",");
        text.push_str(&format!("=100000;{total};{total};0,00\r\n"));
        let bytes = windows_1251(&text);
        // Its speed is measured by `cargo bench --bench payments`.
        let register = read(bytes).unwrap();
        assert_eq!(register.payments.len(), 100_000);
        assert_eq!(register.payments[99_999].line, 100_000);
    }
}
