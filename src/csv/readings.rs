//! The readings file, the way people's spreadsheets write it: an upload
//! read into readings (or per-line problems) and a house's month written as
//! a template to fill in, which uploads back as it is.
//!
//! An upload has one reading a line under a header naming, in English or
//! Russian, at least the meter's serial, the month and the value; other
//! columns (apartment, kind, previous reading) are ignored. Decoding, the
//! separator, the header and line numbers are the shared half in
//! [`super::read`]; templates are written in the download dialect of
//! [`super::write`].

use rust_decimal::Decimal;

use super::read::{self, Column, Record, Text};
use super::write::{ExcelCsv, decimal_comma};
use crate::domain::input;
use crate::domain::{MeterKind, Period, Problem, excerpt};
use crate::i18n::Locale;

/// The cells of a data line as they were written (trimmed; a long cell cut
/// to [`MAX_WRITTEN_CHARS`]), to show the person what a problem is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub serial: String,
    pub period: String,
    pub value: String,
}

/// What a report shows of a cell at most: a valid serial is 50 characters.
pub const MAX_WRITTEN_CHARS: usize = 60;

/// One reading read from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line of the file the reading is on.
    pub line: usize,
    pub serial: String,
    pub period: Period,
    pub value: Decimal,
    pub written: Written,
}

/// A data line that could not be read as a reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub written: Written,
    pub message: Problem,
}

/// What a file gave: its readings and the lines that are not readings.
/// Lines without a value (a template row not filled in) are in neither.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub rows: Vec<Row>,
    pub errors: Vec<LineError>,
}

/// A problem with the file as a whole: no line of it can be read. Said
/// as a [`Problem`] (`Display` is the API's English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    Empty,
    MissingColumns {
        line: usize,
        missing: Vec<&'static str>,
        found: String,
    },
    NoReadings,
    Unreadable {
        line: usize,
        message: Problem,
    },
    TooManyReadings {
        limit: usize,
    },
}

impl From<FileError> for Problem {
    fn from(e: FileError) -> Self {
        match e {
            FileError::Empty => Problem::FileEmpty,
            FileError::MissingColumns {
                line,
                missing,
                found,
            } => Problem::MissingColumns {
                line,
                missing,
                found,
            },
            FileError::NoReadings => Problem::NoReadings,
            FileError::Unreadable { line, message } => Problem::LineUnreadable {
                line,
                problem: Box::new(message),
            },
            FileError::TooManyReadings { limit } => Problem::TooManyReadings { limit },
        }
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Problem::from(self.clone()).fmt(f)
    }
}

impl std::error::Error for FileError {}

impl From<read::Unreadable> for FileError {
    fn from(read::Unreadable { line, message }: read::Unreadable) -> Self {
        FileError::Unreadable { line, message }
    }
}

const SERIAL: Column = Column {
    aliases: &[
        "serial",
        "serial number",
        "meter",
        "счетчик",
        "серийный номер",
        "номер счетчика",
    ],
    label: "Счётчик (serial)",
};

const PERIOD: Column = Column {
    aliases: &["period", "month", "период", "месяц"],
    label: "Период (period)",
};

const VALUE: Column = Column {
    aliases: &["value", "reading", "показание", "показания"],
    label: "Показание (value)",
};

/// The serial, month and value of one data line, or everything wrong with it.
fn read_line(
    serial: &str,
    period: &str,
    value: &str,
) -> Result<(String, Period, Decimal), Problem> {
    let serial = input::serial(serial);
    let period = read::period(read::text_formula_value(period));
    let value = input::decimal(value).and_then(input::meter_value);
    match (serial, period, value) {
        (Ok(serial), Ok(period), Ok(value)) => Ok((serial, period, value)),
        (serial, period, value) => {
            let mut problems: Vec<Problem> = [serial.err(), period.err(), value.err()]
                .into_iter()
                .flatten()
                .collect();
            Err(if problems.len() == 1 {
                problems.remove(0)
            } else {
                Problem::All(problems)
            })
        }
    }
}

/// A data line as a reading or as what is wrong with it; nothing for a line
/// without a value (a blank line, a template row not filled in).
/// `[serial, period, value]` are the columns' indexes.
fn read_record(
    record: &Record,
    header_width: usize,
    [serial, period, value]: [usize; 3],
) -> Option<Result<Row, LineError>> {
    let line = record.line;
    if record.cell(value).is_empty() {
        return None;
    }
    let read_line = read_line(record.cell(serial), record.cell(period), record.cell(value));
    let written = Written {
        serial: excerpt(record.cell(serial), MAX_WRITTEN_CHARS),
        period: excerpt(record.cell(period), MAX_WRITTEN_CHARS),
        value: excerpt(record.cell(value), MAX_WRITTEN_CHARS),
    };
    if record.has_cells_beyond(header_width) {
        return Some(Err(LineError {
            line,
            written,
            message: read::CELLS_BEYOND_HEADER,
        }));
    }
    Some(match read_line {
        Ok((serial, period, value)) => Ok(Row {
            line,
            serial,
            period,
            value,
            written,
        }),
        Err(message) => Err(LineError {
            line,
            written,
            message,
        }),
    })
}

/// Reads an upload: its readings and the lines that are not readings, or
/// why the file as a whole cannot be read. A file with more than
/// `max_readings` lines of readings is refused at the first line past it,
/// so what is kept of a file stays bounded whatever its size.
pub fn parse(bytes: Vec<u8>, max_readings: usize) -> Result<Parsed, FileError> {
    let text = Text::decode(bytes);
    let separator = read::detect_separator(text.first_line().ok_or(FileError::Empty)?);
    let mut records = text.records(separator);
    let header = records.header()?.ok_or(FileError::Empty)?;
    let columns =
        header
            .find(&[SERIAL, PERIOD, VALUE])
            .map_err(|missing| FileError::MissingColumns {
                line: header.line(),
                missing,
                found: header.written(),
            })?;

    let mut parsed = Parsed::default();
    for record in records {
        let line = read_record(&record?, header.width(), columns);
        if line.is_some() && parsed.rows.len() + parsed.errors.len() == max_readings {
            return Err(FileError::TooManyReadings {
                limit: max_readings,
            });
        }
        match line {
            Some(Ok(row)) => parsed.rows.push(row),
            Some(Err(error)) => parsed.errors.push(error),
            None => {}
        }
    }
    if parsed.rows.is_empty() && parsed.errors.is_empty() {
        return Err(FileError::NoReadings);
    }
    Ok(parsed)
}

/// One meter's line of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRow {
    pub apartment: String,
    pub serial: String,
    pub kind: MeterKind,
    /// The latest reading before the month, else the initial reading.
    pub previous: Decimal,
    /// The month's reading when one is stored already (uploading it back
    /// unchanged changes nothing), else empty to fill in.
    pub value: Option<Decimal>,
}

/// The template's columns, each a header the upload finds (an alias of its
/// column) in either language.
const TEMPLATE_COLUMNS: [&str; 6] = [
    "readings-csv-apartment",
    "readings-csv-meter",
    "readings-csv-kind",
    "readings-csv-previous",
    "readings-csv-period",
    "readings-csv-value",
];

/// A reading with three decimals (readings are to the litre) and a decimal
/// comma, as Russian Excel reads numbers.
fn reading_cell(value: Decimal) -> String {
    decimal_comma(value, 3)
}

/// A house's month as a CSV to fill in: UTF-8 with BOM, `;`, CRLF, headers
/// and kinds in `locale`.
pub fn write_template(period: Period, rows: &[TemplateRow], locale: Locale) -> Vec<u8> {
    let mut file = ExcelCsv::new();
    // As text: Excel would make the month a date (`ноя.26`).
    let month = super::write::text(&format!("{:02}.{:04}", period.month(), period.year()));
    file.record(TEMPLATE_COLUMNS.map(|key| locale.text(key)));
    for row in rows {
        let value = row.value.map(reading_cell).unwrap_or_default();
        file.record([
            row.apartment.as_str(),
            row.serial.as_str(),
            &locale.name(row.kind),
            &reading_cell(row.previous),
            &month,
            &value,
        ]);
    }
    file.into_bytes()
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    /// Reads a test's file with room for all of its readings.
    fn parse_all(bytes: impl Into<Vec<u8>>) -> Result<Parsed, FileError> {
        parse(bytes.into(), 1_000)
    }

    fn october() -> Period {
        Period::new(2026, 10).unwrap()
    }

    /// (line, serial, period, value) of each row.
    fn rows(parsed: &Parsed) -> Vec<(usize, &str, String, String)> {
        parsed
            .rows
            .iter()
            .map(|r| {
                (
                    r.line,
                    r.serial.as_str(),
                    r.period.to_string(),
                    r.value.to_string(),
                )
            })
            .collect()
    }

    const SAMPLE_UTF8: &[u8] = include_bytes!("../../tests/fixtures/readings-excel-utf8-bom.csv");
    const SAMPLE_CP1251: &[u8] = include_bytes!("../../tests/fixtures/readings-excel-cp1251.csv");

    #[test]
    fn both_excel_samples_give_the_same_four_readings() {
        let utf8 = parse_all(SAMPLE_UTF8).unwrap();
        let cp1251 = parse_all(SAMPLE_CP1251).unwrap();
        assert!(utf8.errors.is_empty(), "{:?}", utf8.errors);
        let expected = vec![
            (2, "ХВ-000101", "2026-10".to_owned(), "130.001".to_owned()),
            (3, "ГВ-000102", "2026-10".to_owned(), "47.25".to_owned()),
            (4, "ХВ-000201", "2026-10".to_owned(), "3.5".to_owned()),
            (5, "ХВ-000301", "2026-10".to_owned(), "1210.9".to_owned()),
        ];
        assert_eq!(rows(&utf8), expected);
        assert_eq!(cp1251.rows, utf8.rows);
        assert!(cp1251.errors.is_empty());
        assert_eq!(utf8.rows[3].value, dec!(1210.9));
        assert_eq!(utf8.rows[3].written.value, "1 210,9");
    }

    #[test]
    fn commas_separate_when_the_header_uses_them_and_values_have_points() {
        let file = "serial,period,value\r\nA-1,2026-10,12.5\r\nA-2,10.2026,\"1 204,75\"\r\n";
        let parsed = parse_all(file.as_bytes()).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![
                (2, "A-1", "2026-10".to_owned(), "12.5".to_owned()),
                (3, "A-2", "2026-10".to_owned(), "1204.75".to_owned()),
            ]
        );
    }

    #[test]
    fn a_decimal_comma_in_a_comma_separated_line_is_reported() {
        let parsed = parse_all(b"serial,period,value\nA-1,2026-10,12,5\n").unwrap();
        assert!(parsed.rows.is_empty());
        assert_eq!(parsed.errors[0].line, 2);
        assert!(
            parsed.errors[0]
                .message
                .to_string()
                .contains("decimal comma")
        );
    }

    #[test]
    fn a_semicolon_file_keeps_decimal_commas_whole() {
        let parsed =
            parse_all("Месяц;Показание;Серийный номер\n10.2026;12,5;A-1\n".as_bytes()).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![(2, "A-1", "2026-10".to_owned(), "12.5".to_owned())]
        );
    }

    #[test]
    fn english_headers_in_any_case_and_order_with_other_columns_ignored() {
        let file = " Value ;Apartment; SERIAL ;Period\n7,125;12А;B-1;2026-09\n";
        let parsed = parse_all(file.as_bytes()).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![(2, "B-1", "2026-09".to_owned(), "7.125".to_owned())]
        );
    }

    #[test]
    fn spaces_as_thousands_separators_and_either_decimal_mark() {
        let file = "serial;period;value\nA;2026-10;1\u{a0}234,5\nB;2026-10;1\u{202f}234.5\nC;2026-10;12 345\n";
        let parsed = parse_all(file.as_bytes()).unwrap();
        let values: Vec<Decimal> = parsed.rows.iter().map(|r| r.value).collect();
        assert_eq!(values, [dec!(1234.5), dec!(1234.5), dec!(12345)]);
    }

    #[test]
    fn blank_lines_and_unfilled_rows_are_skipped_and_lines_counted() {
        let file = "\r\nserial;period;value\r\n\r\nA;2026-10;\r\n;;\r\nB;2026-10;5\r\n";
        let parsed = parse_all(file.as_bytes()).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![(6, "B", "2026-10".to_owned(), "5".to_owned())]
        );
    }

    #[test]
    fn a_missing_column_is_named() {
        let error = parse_all("Квартира;Счётчик;Показание\n1;A;5\n".as_bytes()).unwrap_err();
        assert_eq!(
            error,
            FileError::MissingColumns {
                line: 1,
                missing: vec!["Период (period)"],
                found: "Квартира, Счётчик, Показание".to_owned(),
            }
        );
        assert!(error.to_string().contains("has no Период (period) column"));
    }

    #[test]
    fn bad_cells_are_reported_with_their_line_and_what_was_written() {
        let file =
            "serial;period;value\nA;2026-10;5\nB;2026-10;abc\n;13.2026;-1\nC;2026-10;1,2345\n";
        let parsed = parse_all(file.as_bytes()).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![(2, "A", "2026-10".to_owned(), "5".to_owned())]
        );
        let errors: Vec<(usize, String)> = parsed
            .errors
            .iter()
            .map(|e| (e.line, e.message.to_string()))
            .collect();
        assert_eq!(errors[0], (3, "\"abc\" is not a number.".to_owned()));
        assert_eq!(parsed.errors[0].written.value, "abc");
        assert_eq!(errors[1].0, 4);
        assert!(
            errors[1].1.starts_with("Enter the serial number."),
            "{}",
            errors[1].1
        );
        assert!(errors[1].1.contains("\"13.2026\" is not a month"));
        assert!(errors[1].1.contains("cannot be negative"));
        assert_eq!(
            errors[2],
            (5, "The reading has more than 3 decimal places.".to_owned())
        );
    }

    #[test]
    fn empty_files_and_files_without_readings_say_so() {
        assert_eq!(parse_all(b"").unwrap_err(), FileError::Empty);
        assert_eq!(
            parse_all(b"\xEF\xBB\xBF\r\n \r\n").unwrap_err(),
            FileError::Empty
        );
        assert_eq!(
            parse_all("serial;period;value\r\nA;2026-10;\r\n".as_bytes()).unwrap_err(),
            FileError::NoReadings
        );
    }

    #[test]
    fn the_template_is_excel_friendly_and_reads_back_as_it_is() {
        let meters = [
            TemplateRow {
                apartment: "1".into(),
                serial: "ХВ-1".into(),
                kind: MeterKind::ColdWater,
                previous: dec!(1204.1),
                value: None,
            },
            TemplateRow {
                apartment: "12А; угловая".into(),
                serial: "ГВ-1".into(),
                kind: MeterKind::HotWater,
                previous: dec!(0),
                value: Some(dec!(3.5)),
            },
        ];
        let bytes = write_template(october(), &meters, Locale::Ru);
        let text = std::str::from_utf8(&bytes).unwrap();
        // The month as a formula of its text, so Excel keeps it a month.
        assert_eq!(
            text,
            "\u{feff}Квартира;Счётчик;Вид;Предыдущее;Период;Показание\r\n\
             1;ХВ-1;ХВС;1204,100;\"=\"\"10.2026\"\"\";\r\n\
             \"12А; угловая\";ГВ-1;ГВС;0,000;\"=\"\"10.2026\"\"\";3,500\r\n"
        );
        let english = write_template(october(), &meters, Locale::En);
        let english = std::str::from_utf8(&english).unwrap();
        assert!(
            english.starts_with(
                "\u{feff}Apartment;Meter;Kind;Previous;Period;Reading\r\n1;ХВ-1;Cold water;"
            ),
            "{english}"
        );
        assert_eq!(rows(&parse_all(english.as_bytes()).unwrap()).len(), 1);
        // Unfilled rows are skipped; filled ones come back.
        let parsed = parse_all(bytes.clone()).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![(3, "ГВ-1", "2026-10".to_owned(), "3.5".to_owned())]
        );
        let filled = text.replace("\"\"\";\r\n", "\"\"\";1 210,5\r\n");
        let parsed = parse_all(filled.as_bytes()).unwrap();
        assert_eq!(parsed.rows[0].value, dec!(1210.5));
        assert_eq!(parsed.rows.len(), 2);
        // What Excel saves of it: the month's value.
        let saved = filled.replace("\"=\"\"10.2026\"\"\"", "10.2026");
        assert_eq!(rows(&parse_all(saved.as_bytes()).unwrap()), rows(&parsed));
    }

    #[test]
    fn a_file_past_the_limit_is_refused_at_the_first_reading_too_many() {
        let mut file = String::from("serial;period;value\n");
        for i in 0..5 {
            file.push_str(&format!("A-{i};2026-10;{i}\n;;\nbad;line;x\n"));
        }
        assert_eq!(parse(file.clone().into_bytes(), 10).unwrap().rows.len(), 5);
        assert_eq!(
            parse(file.into_bytes(), 9).unwrap_err(),
            FileError::TooManyReadings { limit: 9 }
        );
    }

    #[test]
    fn a_long_cell_is_reported_cut() {
        let serial = "Ж".repeat(1_000);
        let parsed = parse_all(format!("serial;period;value\n{serial};2026-10;1\n")).unwrap();
        let error = &parsed.errors[0];
        assert_eq!(error.line, 2);
        assert_eq!(error.written.serial.chars().count(), MAX_WRITTEN_CHARS + 1);
        assert!(error.message.to_string().len() < 200, "{}", error.message);
    }
}
