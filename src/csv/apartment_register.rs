//! The register of a house's premises and personal accounts (реестр
//! помещений и лицевых счетов): one Excel-made CSV (the dialects the
//! readings upload reads) with a line per apartment or per meter. Lines
//! naming one apartment are one apartment: its fields may be repeated on
//! its meters' lines (they must agree) or left empty there.
//!
//! Columns (Russian or English headers, any order; only «Квартира» is
//! required): Квартира, Площадь, Проживающих, Собственников, Лицевой счёт,
//! ФИО, Сальдо, Месяц сальдо, Счётчик, Вид, Начальное показание, Дата ввода,
//! Поверен до.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::read::{self, Column, Header, Record, Text};
use super::write;
use crate::db::queries::house_listing::ApartmentRow;
use crate::domain::residents::residents_in;
use crate::domain::{MeterKind, Period, Problem, input, lookalike_key};
use crate::i18n::Locale;

/// More apartments than any house has; a file beyond it is not a register.
pub const MAX_LINES: usize = 20_000;
/// Bad lines listed; a file wrong throughout is fixed as a whole.
pub const MAX_REPORTED: usize = 200;

/// A meter as the register gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeterEntry {
    pub line: usize,
    pub serial: String,
    pub kind: MeterKind,
    pub initial_reading: Decimal,
    pub commissioned_on: Option<NaiveDate>,
    pub verified_until: Option<NaiveDate>,
}

/// An apartment's account as the register gives it; what is left empty
/// stays as stored (or takes its default for a new account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountEntry {
    pub number: String,
    pub holder: Option<String>,
    pub opening_balance: Option<Decimal>,
    pub opening_period: Option<Period>,
}

/// An apartment as the register gives it; None: not given (kept as stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApartmentEntry {
    /// Its first line.
    pub line: usize,
    pub number: String,
    pub area: Option<Decimal>,
    pub residents: Option<u32>,
    pub owners: Option<u32>,
    pub account: Option<AccountEntry>,
    pub meters: Vec<MeterEntry>,
}

/// A line that cannot be taken, and why (line 0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub problem: Problem,
}

const fn column(aliases: &'static [&'static str], label: &'static str) -> Column {
    Column { aliases, label }
}

const APARTMENT: Column = column(
    &[
        "квартира",
        "помещение",
        "номер квартиры",
        "кв.",
        "apartment",
        "number",
    ],
    "Квартира (apartment)",
);
const AREA: Column = column(
    &["площадь", "площадь, м2", "площадь, м²", "area"],
    "Площадь",
);
const RESIDENTS: Column = column(&["проживающих", "проживает", "residents"], "Проживающих");
const OWNERS: Column = column(&["собственников", "owners"], "Собственников");
const ACCOUNT: Column = column(
    &[
        "лицевой счет",
        "лицевой счёт",
        "л/с",
        "account",
        "account number",
    ],
    "Лицевой счёт",
);
const HOLDER: Column = column(&["фио", "владелец", "holder"], "ФИО");
const BALANCE: Column = column(
    &[
        "сальдо",
        "входящее сальдо",
        "opening balance",
        "opening_balance",
    ],
    "Сальдо",
);
const BALANCE_MONTH: Column = column(
    &[
        "месяц сальдо",
        "сальдо на",
        "opening period",
        "opening_period",
    ],
    "Месяц сальдо",
);
const SERIAL: Column = column(
    &[
        "счетчик",
        "заводской номер",
        "номер счетчика",
        "serial",
        "meter",
    ],
    "Счётчик",
);
const KIND: Column = column(&["вид", "вид счетчика", "услуга", "kind"], "Вид");
const INITIAL: Column = column(
    &["начальное показание", "initial reading", "initial_reading"],
    "Начальное показание",
);
const COMMISSIONED: Column = column(
    &["дата ввода", "введен", "commissioned on", "commissioned_on"],
    "Дата ввода",
);
const VERIFIED: Column = column(
    &[
        "поверен до",
        "дата поверки",
        "verified until",
        "verified_until",
    ],
    "Поверен до",
);

/// Where each column is in the header; only the apartment's is required.
struct Columns {
    apartment: usize,
    optional: [Option<usize>; 12],
}

const OPTIONAL: [Column; 12] = [
    AREA,
    RESIDENTS,
    OWNERS,
    ACCOUNT,
    HOLDER,
    BALANCE,
    BALANCE_MONTH,
    SERIAL,
    KIND,
    INITIAL,
    COMMISSIONED,
    VERIFIED,
];

impl Columns {
    fn of(header: &Header) -> Result<Self, Problem> {
        let [apartment] = header
            .find(&[APARTMENT])
            .map_err(|missing| Problem::MissingColumns {
                line: header.line(),
                missing,
                found: header.written(),
            })?;
        Ok(Self {
            apartment,
            optional: OPTIONAL.map(|c| header.position(&c)),
        })
    }

    fn cell<'r>(&self, record: &'r Record, which: usize) -> &'r str {
        self.optional[which].map_or("", |i| read::text_formula_value(record.cell(i)))
    }
}

/// The meter kinds as registers write them.
fn kind(raw: &str) -> Result<MeterKind, Problem> {
    let lower = raw.trim().to_lowercase().replace('ё', "е");
    match lower.as_str() {
        "хвс" | "хв" | "холодная" | "холодная вода" | "холодное водоснабжение" => {
            Ok(MeterKind::ColdWater)
        }
        "гвс" | "гв" | "горячая" | "горячая вода" | "горячее водоснабжение" => {
            Ok(MeterKind::HotWater)
        }
        _ => input::meter_kind(raw),
    }
}

fn optional<T>(raw: &str, read: impl Fn(&str) -> Result<T, Problem>) -> Result<Option<T>, Problem> {
    match raw.trim() {
        "" => Ok(None),
        raw => read(raw).map(Some),
    }
}

/// One line as read: the apartment's fields and a meter, or its problems.
struct LineRead {
    number: String,
    area: Option<Decimal>,
    residents: Option<u32>,
    owners: Option<u32>,
    account: Option<AccountEntry>,
    meter: Option<MeterEntry>,
}

/// The values of a line's cells, and the problems of those that are bad.
#[derive(Default)]
struct Keep {
    problems: Vec<Problem>,
}

impl Keep {
    fn take<T>(&mut self, result: Result<T, Problem>) -> Option<T> {
        result.map_err(|problem| self.problems.push(problem)).ok()
    }
}

fn read_line(record: &Record, columns: &Columns) -> Result<LineRead, Problem> {
    let cell = |i| columns.cell(record, i);
    let mut keep = Keep::default();
    let number = keep.take(input::apartment_number(read::text_formula_value(
        record.cell(columns.apartment),
    )));
    let area = keep.take(optional(cell(0), |r| {
        input::decimal(r).and_then(input::area)
    }));
    let residents = keep.take(optional(cell(1), input::people));
    let owners = keep.take(optional(cell(2), input::people));
    let account_number = keep.take(optional(cell(3), input::account_number));
    let holder = keep.take(optional(cell(4), input::holder));
    let balance = keep.take(optional(cell(5), |r| {
        input::decimal(r).and_then(input::balance)
    }));
    let balance_month = keep.take(optional(cell(6), read::period));
    let serial = keep.take(optional(cell(7), input::serial));
    let meter_kind = keep.take(optional(cell(8), kind));
    let initial = keep.take(optional(cell(9), |r| {
        input::decimal(r).and_then(input::meter_value)
    }));
    let commissioned = keep.take(optional(cell(10), input::date));
    let verified = keep.take(optional(cell(11), input::date));
    let meter = match (&serial, &meter_kind) {
        (Some(Some(serial)), Some(Some(kind))) => Some(MeterEntry {
            line: record.line,
            serial: serial.clone(),
            kind: *kind,
            initial_reading: initial.flatten().unwrap_or_default(),
            commissioned_on: commissioned.flatten(),
            verified_until: verified.flatten(),
        }),
        (Some(Some(_)), Some(None)) => {
            keep.problems.push(Problem::MeterKindMissing);
            None
        }
        _ => None,
    };
    let account = account_number.flatten().map(|number| AccountEntry {
        number,
        holder: holder.clone().flatten(),
        opening_balance: balance.flatten(),
        opening_period: balance_month.flatten(),
    });
    let read = LineRead {
        number: number.unwrap_or_default(),
        area: area.flatten(),
        residents: residents.flatten(),
        owners: owners.flatten(),
        account,
        meter,
    };
    let mut problems = keep.problems;
    match problems.len() {
        0 => Ok(read),
        1 => Err(problems.remove(0)),
        _ => Err(Problem::All(problems)),
    }
}

/// Sets `field` from a later line, or says it disagrees with the first.
fn agree<T: PartialEq>(
    field: &mut Option<T>,
    given: Option<T>,
    column: &'static str,
    first: usize,
) -> Result<(), Problem> {
    match (field.as_ref(), given) {
        (_, None) => Ok(()),
        (None, Some(given)) => {
            *field = Some(given);
            Ok(())
        }
        (Some(kept), Some(given)) if *kept == given => Ok(()),
        _ => Err(Problem::RegisterDisagrees {
            column,
            first_line: first,
        }),
    }
}

fn merge(entry: &mut ApartmentEntry, line: LineRead) -> Result<(), Problem> {
    let first = entry.line;
    agree(&mut entry.area, line.area, AREA.label, first)?;
    agree(&mut entry.residents, line.residents, RESIDENTS.label, first)?;
    agree(&mut entry.owners, line.owners, OWNERS.label, first)?;
    agree(&mut entry.account, line.account, ACCOUNT.label, first)?;
    entry.meters.extend(line.meter);
    Ok(())
}

/// Reads a register: its apartments in the order of the file, or every
/// line that cannot be taken (all or nothing).
pub fn read(bytes: Vec<u8>) -> Result<Vec<ApartmentEntry>, Vec<LineError>> {
    let whole = |problem| vec![LineError { line: 0, problem }];
    let text = Text::decode(bytes);
    let separator =
        read::detect_separator(text.first_line().ok_or_else(|| whole(Problem::FileEmpty))?);
    let mut records = text.records(separator);
    let header = records
        .header()
        .map_err(|e| whole(e.message))?
        .ok_or_else(|| whole(Problem::FileEmpty))?;
    let columns = Columns::of(&header).map_err(whole)?;

    let mut apartments: Vec<ApartmentEntry> = Vec::new();
    let mut by_number: HashMap<String, usize> = HashMap::new();
    let mut serials: HashMap<String, usize> = HashMap::new();
    let mut accounts: HashMap<String, usize> = HashMap::new();
    let mut errors = Vec::new();
    let mut lines = 0;
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(LineError {
                    line: e.line,
                    problem: e.message,
                });
                continue;
            }
        };
        if record.is_blank() {
            continue;
        }
        lines += 1;
        if lines > MAX_LINES {
            return Err(whole(Problem::RegisterTooLong { limit: MAX_LINES }));
        }
        let line = record.line;
        if record.has_cells_beyond(header.width()) {
            errors.push(LineError {
                line,
                problem: read::CELLS_BEYOND_HEADER,
            });
            continue;
        }
        let read = match read_line(&record, &columns) {
            Ok(read) => read,
            Err(problem) => {
                errors.push(LineError { line, problem });
                continue;
            }
        };
        if let Some(meter) = &read.meter
            && let Some(first) = serials.insert(meter.serial.to_uppercase(), line)
        {
            errors.push(LineError {
                line,
                problem: Problem::RegisterSerialTwice { first_line: first },
            });
            continue;
        }
        let key = lookalike_key(&read.number);
        if let Some(account) = &read.account {
            match accounts.get(&account.number.to_uppercase()) {
                Some(&owner) if apartments[owner].number != read.number => {
                    errors.push(LineError {
                        line,
                        problem: Problem::RegisterAccountTwice {
                            first_line: apartments[owner].line,
                        },
                    });
                    continue;
                }
                _ => {}
            }
        }
        let index = match by_number.get(&key) {
            Some(&index) => {
                if let Err(problem) = merge(&mut apartments[index], read) {
                    errors.push(LineError { line, problem });
                    continue;
                }
                index
            }
            None => {
                apartments.push(ApartmentEntry {
                    line,
                    number: read.number,
                    area: read.area,
                    residents: read.residents,
                    owners: read.owners,
                    account: read.account,
                    meters: read.meter.into_iter().collect(),
                });
                by_number.insert(key, apartments.len() - 1);
                apartments.len() - 1
            }
        };
        if let Some(account) = &apartments[index].account {
            accounts.insert(account.number.to_uppercase(), index);
        }
    }
    if !errors.is_empty() {
        errors.truncate(MAX_REPORTED);
        return Err(errors);
    }
    if apartments.is_empty() {
        return Err(whole(Problem::RegisterEmpty));
    }
    Ok(apartments)
}

/// The header of a downloaded register, in the reader's language (both
/// are names the upload reads).
const HEADER_RU: [&str; 13] = [
    "Квартира",
    "Площадь",
    "Проживающих",
    "Собственников",
    "Лицевой счёт",
    "ФИО",
    "Сальдо",
    "Месяц сальдо",
    "Счётчик",
    "Вид",
    "Начальное показание",
    "Дата ввода",
    "Поверен до",
];
const HEADER_EN: [&str; 13] = [
    "apartment",
    "area",
    "residents",
    "owners",
    "account",
    "holder",
    "opening balance",
    "opening period",
    "serial",
    "kind",
    "initial reading",
    "commissioned on",
    "verified until",
];

/// The house's register as it is stored: a line per meter (or per
/// apartment without one), the apartment's fields on its first line.
/// Uploaded back unchanged, it changes nothing; it is also the template.
pub fn write(apartments: &[ApartmentRow], period: Period, locale: Locale) -> Vec<u8> {
    let ru = locale == Locale::Ru;
    let number = |value: Decimal, places: usize| match ru {
        true => write::decimal_comma(value, places),
        false => format!("{value:.places$}"),
    };
    let date = |day: Option<NaiveDate>| match (day, ru) {
        (None, _) => String::new(),
        (Some(day), true) => day.format("%d.%m.%Y").to_string(),
        (Some(day), false) => day.to_string(),
    };
    let month = |p: Period| match ru {
        true => write::text(&format!("{:02}.{}", p.month(), p.year())),
        false => p.to_string(),
    };
    let kind = |kind: MeterKind| match (kind, ru) {
        (MeterKind::ColdWater, true) => "ХВС".to_owned(),
        (MeterKind::HotWater, true) => "ГВС".to_owned(),
        (kind, false) => kind.as_str().to_owned(),
    };
    let mut csv = write::ExcelCsv::new();
    csv.record(if ru { HEADER_RU } else { HEADER_EN });
    for row in apartments {
        let a = &row.apartment;
        let account = row.account.as_ref();
        let first = [
            a.number.clone(),
            number(a.area, 2),
            residents_in(&row.residents, period).to_string(),
            a.owners.to_string(),
            account.map(|c| c.number.clone()).unwrap_or_default(),
            account.map(|c| c.holder.clone()).unwrap_or_default(),
            account
                .map(|c| number(c.opening_balance, 2))
                .unwrap_or_default(),
            account.map(|c| month(c.opening_period)).unwrap_or_default(),
        ];
        let meters: Vec<[String; 5]> = row
            .meters
            .iter()
            .filter(|m| m.meter.decommissioned_on.is_none())
            .map(|m| {
                [
                    m.meter.serial.clone(),
                    kind(m.meter.kind),
                    number(m.meter.initial_reading, 3),
                    date(m.meter.commissioned_on),
                    date(m.meter.verified_until),
                ]
            })
            .collect();
        if meters.is_empty() {
            csv.record(
                first
                    .iter()
                    .cloned()
                    .chain(std::iter::repeat_n(String::new(), 5)),
            );
        }
        for (i, meter) in meters.into_iter().enumerate() {
            let apartment = match i {
                0 => first.clone(),
                _ => {
                    let mut only_number: [String; 8] = Default::default();
                    only_number[0] = a.number.clone();
                    only_number
                }
            };
            csv.record(apartment.into_iter().chain(meter));
        }
    }
    csv.into_bytes()
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    const HEADER: &str = "Квартира;Площадь;Проживающих;Собственников;Лицевой счёт;ФИО;Сальдо;Месяц сальдо;Счётчик;Вид;Начальное показание;Дата ввода;Поверен до\r\n";

    fn register(lines: &[&str]) -> Vec<u8> {
        let mut text = HEADER.to_owned();
        for line in lines {
            text.push_str(line);
            text.push_str("\r\n");
        }
        text.into_bytes()
    }

    #[test]
    fn an_apartment_and_its_meters_are_one_entry() {
        let apartments = read(register(&[
            "1;54,30;3;1;1001001001;Иванов Иван Иванович;1 520,40;01.2026;ХВ-001;ХВС;12,5;15.01.2020;15.01.2026",
            "1;;;;;;;;ГВ-001;ГВС;0;;",
            "2А;40;;2;1001001002;;-300;2026-01;;;;;",
        ]))
        .unwrap();
        assert_eq!(apartments.len(), 2);
        let first = &apartments[0];
        assert_eq!(first.number, "1");
        assert_eq!(first.area, Some(dec!(54.30)));
        assert_eq!(first.residents, Some(3));
        assert_eq!(
            first.account,
            Some(AccountEntry {
                number: "1001001001".into(),
                holder: Some("Иванов Иван Иванович".into()),
                opening_balance: Some(dec!(1520.40)),
                opening_period: Period::new(2026, 1),
            })
        );
        assert_eq!(first.meters.len(), 2);
        assert_eq!(first.meters[0].kind, MeterKind::ColdWater);
        assert_eq!(first.meters[0].initial_reading, dec!(12.5));
        assert_eq!(
            first.meters[0].commissioned_on,
            NaiveDate::from_ymd_opt(2020, 1, 15)
        );
        assert_eq!(first.meters[1].line, 3);
        assert_eq!(
            apartments[1].account.as_ref().unwrap().opening_balance,
            Some(dec!(-300))
        );
        assert!(apartments[1].meters.is_empty());
    }

    #[test]
    fn every_bad_line_is_named_and_nothing_is_taken() {
        let errors = read(register(&[
            "1;0;;;;;;;;;;;",
            "2;40;;;12-3;;;;;;;;",
            "3;40;;;;;;;ХВ-9;газ;;;",
            "4;40;;;;;;;ХВ-9;ХВС;;;",
            "4;41;;;;;;;;;;;",
            "5;40;;;;;;;ХВ-10;;;;",
        ]))
        .unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4, 6, 7]);
        assert_eq!(errors[0].problem, Problem::AreaNotPositive);
        assert_eq!(errors[1].problem, Problem::AccountNumberChars);
        assert_eq!(
            errors[3].problem,
            Problem::RegisterDisagrees {
                column: AREA.label,
                first_line: 5
            }
        );
        assert_eq!(errors[4].problem, Problem::MeterKindMissing);
    }

    #[test]
    fn cells_kept_as_text_by_excel_formulas_read_as_their_text() {
        let apartments = read(register(&[r#"="12А";40;;;="0012";;;="05.2026";;;;;"#])).unwrap();
        assert_eq!(apartments[0].number, "12А");
        let account = apartments[0].account.as_ref().unwrap();
        assert_eq!(account.number, "0012");
        assert_eq!(account.opening_period, Period::new(2026, 5));
    }

    #[test]
    fn a_serial_or_an_account_given_twice_is_refused() {
        let errors = read(register(&[
            "1;40;;;111;;;;ХВ-1;ХВС;;;",
            "2;40;;;111;;;;хв-1;ХВС;;;",
            "3;40;;;111;;;;;;;;",
        ]))
        .unwrap_err();
        assert_eq!(
            errors[0].problem,
            Problem::RegisterSerialTwice { first_line: 2 }
        );
        assert_eq!(
            errors[1].problem,
            Problem::RegisterAccountTwice { first_line: 2 }
        );
    }

    #[test]
    fn english_headers_and_only_the_apartment_column_are_enough() {
        let text = "apartment,area\n7,33.3\n".as_bytes().to_vec();
        let apartments = read(text).unwrap();
        assert_eq!(apartments[0].area, Some(dec!(33.3)));
        let missing = read(b"area;owners\n1;2\n".to_vec()).unwrap_err();
        assert!(matches!(missing[0].problem, Problem::MissingColumns { .. }));
        assert_eq!(
            read(HEADER.as_bytes().to_vec()).unwrap_err()[0].problem,
            Problem::RegisterEmpty
        );
    }
}
