//! Reading an upload, whatever kind of file it is: its bytes to text, the
//! separator, records that know the line of the file they start on, a
//! header's names matched to the columns the kind needs, and the cells
//! people write in more than one way.
//!
//! Numbers in cells are read by `domain::input::decimal`, the rule forms
//! follow too: a decimal comma or point, spaces as thousands separators.

use ::csv::{Position, ReaderBuilder, StringRecord, StringRecordsIntoIter};

use crate::domain::{Period, PeriodError, Problem, excerpt};

/// Why a line has more cells than its header has columns, as a person
/// fixes it: with `,` as the separator, most likely an unquoted decimal
/// comma split a number in two.
pub const CELLS_BEYOND_HEADER: Problem = Problem::CellsBeyondHeader;

/// The longest line a file may have, in bytes of UTF-8. Real lines are a
/// few hundred bytes; a longer one is not data and is never echoed back.
pub const MAX_LINE_BYTES: usize = 4 * 1024;

/// The text of a `="…"` cell as the templates write it (a file filled in
/// without Excel still has it); any other cell as it is.
pub fn text_formula_value(cell: &str) -> &str {
    let cell = cell.trim();
    cell.strip_prefix("=\"")
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or(cell)
}

/// The text of an upload.
pub struct Text {
    text: String,
}

impl Text {
    /// UTF-8 (a BOM dropped) when the bytes are valid UTF-8, else
    /// Windows-1251, which every byte sequence decodes as. UTF-8 is taken
    /// over without a copy, so an upload is held in memory once (twice,
    /// briefly, while Windows-1251 is decoded).
    pub fn decode(mut bytes: Vec<u8>) -> Text {
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(not_utf8) => decode_windows_1251(not_utf8.as_bytes()),
        };
        Text { text }
    }

    /// The decoded text (UTF-8 whatever the file's encoding was).
    pub fn into_string(self) -> String {
        self.text
    }

    /// The first line with more than whitespace on it; none in an empty file.
    pub fn first_line(&self) -> Option<&str> {
        self.text.lines().find(|line| !line.trim().is_empty())
    }

    /// The file's records with their cells split at `separator`. Lines may
    /// differ in length; the reader finds no header by itself.
    pub fn records(&self, separator: u8) -> Records<'_> {
        let records = ReaderBuilder::new()
            .delimiter(separator)
            .has_headers(false)
            .flexible(true)
            .from_reader(self.text.as_bytes())
            .into_records();
        Records {
            text: self.text.as_bytes(),
            records,
            counted: LineCursor { byte: 0, line: 1 },
        }
    }
}

/// Windows-1251 as UTF-8, grown as needed: a letter takes one or two bytes
/// (three for a few signs such as №), so the text starts at twice the
/// file's size, which all-Cyrillic text fills exactly, instead of the three
/// times that `decode_without_bom_handling` sets aside at once.
fn decode_windows_1251(bytes: &[u8]) -> String {
    let mut decoder = encoding_rs::WINDOWS_1251.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len().saturating_mul(2));
    let mut rest = bytes;
    loop {
        let (result, read, _) = decoder.decode_to_string(rest, &mut text, true);
        rest = &rest[read..];
        match result {
            encoding_rs::CoderResult::InputEmpty => return text,
            encoding_rs::CoderResult::OutputFull => text.reserve(rest.len() + 16),
        }
    }
}

/// A byte of the text and the 1-based line it is on: where counting the
/// next record's line goes on from.
#[derive(Clone, Copy)]
struct LineCursor {
    byte: usize,
    line: usize,
}

/// The separator a header line uses most, outside quotes; `;` on a tie
/// (Russian Excel's choice). A header has no decimal commas to confuse it.
pub fn detect_separator(header_line: &str) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in header_line.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(entry) = counts.iter_mut().find(|(sep, _)| *sep == c) {
            entry.1 += 1;
        }
    }
    counts
        .iter()
        .fold(
            (b';', 0),
            |best, &(sep, n)| if n > best.1 { (sep, n) } else { best },
        )
        .0
}

/// The records of a file in order, each with its line.
pub struct Records<'a> {
    text: &'a [u8],
    records: StringRecordsIntoIter<&'a [u8]>,
    counted: LineCursor,
}

impl Records<'_> {
    /// The first record with something in it, taken as the header; none
    /// when every line is blank.
    pub fn header(&mut self) -> Result<Option<Header>, Unreadable> {
        for record in self.by_ref() {
            let record = record?;
            if !record.is_blank() {
                return Ok(Some(Header::new(record)));
            }
        }
        Ok(None)
    }

    /// The 1-based line a record starts on. Records come in order, so the
    /// newlines are counted on from the previous record's: the csv reader's
    /// own line count lags after CRLF, and its position may point at the
    /// previous line's terminator.
    fn line_of(&mut self, position: Option<&Position>) -> usize {
        let mut byte = position.map_or(0, |p| p.byte() as usize);
        while matches!(self.text.get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        if byte > self.counted.byte {
            let end = byte.min(self.text.len());
            let newlines = self.text[self.counted.byte..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.counted = LineCursor {
                byte: end,
                line: self.counted.line + newlines,
            };
        }
        self.counted.line
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Record, Unreadable>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = match self.records.next()? {
            Ok(cells) => {
                let line = self.line_of(cells.position());
                // The cells' bytes and one separator between each two.
                let length = cells.as_slice().len() + cells.len().saturating_sub(1);
                if length > MAX_LINE_BYTES {
                    Err(Unreadable {
                        line,
                        message: LINE_TOO_LONG,
                    })
                } else {
                    Ok(Record { line, cells })
                }
            }
            Err(e) => Err(Unreadable {
                line: self.line_of(e.position()),
                message: {
                    tracing::debug!(error = %e, "an upload line the csv reader refused");
                    Problem::NotCsvText
                },
            }),
        };
        Some(item)
    }
}

/// Why a line longer than [`MAX_LINE_BYTES`] is refused, without its text.
pub const LINE_TOO_LONG: Problem = Problem::LineTooLong;
const _: () = assert!(MAX_LINE_BYTES == 4096, "csv-line-too-long names the limit");

/// A line the csv reader cannot split into cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub line: usize,
    pub message: Problem,
}

/// One record of a file: its cells and the line it starts on.
#[derive(Debug, Clone)]
pub struct Record {
    /// 1-based line of the file.
    pub line: usize,
    cells: StringRecord,
}

impl Record {
    /// The cell at `index`, trimmed; empty when the line is shorter. The
    /// `'` our downloads put before formula-like text is taken off again,
    /// so a template uploads back as it was written.
    pub fn cell(&self, index: usize) -> &str {
        let cell = self.cells.get(index).unwrap_or("").trim();
        match cell.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
            _ => cell,
        }
    }

    /// How many cells the line has, empty ones too.
    pub fn cell_count(&self) -> usize {
        self.cells.len()
    }

    /// A line of only separators or spaces is blank too.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|cell| cell.trim().is_empty())
    }

    /// Whether a cell after the first `width` has something in it.
    pub fn has_cells_beyond(&self, width: usize) -> bool {
        self.cells
            .iter()
            .skip(width)
            .any(|cell| !cell.trim().is_empty())
    }
}

/// A column a kind of file needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The headers that name it, lower-case and with е for ё: a header is
    /// compared that way, trimmed, so `Счётчик`, ` СЧЕТЧИК ` and
    /// `счетчик` are one name.
    pub aliases: &'static [&'static str],
    /// How a message names the column when the header lacks it.
    pub label: &'static str,
}

/// What a message shows of a header line at most.
const MAX_WRITTEN_HEADER_CHARS: usize = 200;

/// The header line of a file: the names of its columns.
#[derive(Debug, Clone)]
pub struct Header {
    record: Record,
    names: Vec<String>,
}

impl Header {
    fn new(record: Record) -> Header {
        let names = record.cells.iter().map(normalize_header).collect();
        Header { record, names }
    }

    /// The 1-based line of the file the header is on.
    pub fn line(&self) -> usize {
        self.record.line
    }

    /// How many columns the header has, unnamed ones too.
    pub fn width(&self) -> usize {
        self.record.cell_count()
    }

    /// The index of each of `columns` (the first header naming it), or the
    /// labels of those no header names. Other columns are ignored.
    pub fn find<const N: usize>(
        &self,
        columns: &[Column; N],
    ) -> Result<[usize; N], Vec<&'static str>> {
        let mut missing = Vec::new();
        let indexes = columns.map(|column| {
            let index = self
                .names
                .iter()
                .position(|name| column.aliases.contains(&name.as_str()));
            index.unwrap_or_else(|| {
                missing.push(column.label);
                0
            })
        });
        if missing.is_empty() {
            Ok(indexes)
        } else {
            Err(missing)
        }
    }

    /// The index of an optional column, when a header names it.
    pub fn position(&self, column: &Column) -> Option<usize> {
        self.names
            .iter()
            .position(|name| column.aliases.contains(&name.as_str()))
    }

    /// The headers as written, to show what the file has instead of a
    /// missing column.
    pub fn written(&self) -> String {
        let written: Vec<&str> = self
            .record
            .cells
            .iter()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .collect();
        if written.is_empty() {
            "no headers".to_owned()
        } else {
            excerpt(&written.join(", "), MAX_WRITTEN_HEADER_CHARS)
        }
    }
}

fn normalize_header(header: &str) -> String {
    header
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .to_lowercase()
        .replace('ё', "е")
}

/// A month as people write it: `2026-10`, `10.2026` or `01.10.2026` (what a
/// spreadsheet makes of a month it took for a date), `октябрь 2026`, and
/// what Russian Excel makes of `10.2026` (`окт.26`): the rule forms follow
/// ([`Period::read`]), with a refusal naming the forms a file may use.
pub fn period(raw: &str) -> Result<Period, Problem> {
    Period::read(raw).map_err(|e| match e {
        PeriodError::Malformed(raw) => Problem::NotAMonthCell(raw),
        e => e.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_as_months_dates_or_iso() {
        for (raw, expected) in [
            ("2026-10", "2026-10"),
            ("10.2026", "2026-10"),
            ("01.10.2026", "2026-10"),
            ("1.9.2026", "2026-09"),
            (" 9.2026 ", "2026-09"),
        ] {
            assert_eq!(period(raw).unwrap().to_string(), expected, "{raw}");
        }
        for bad in [
            "",
            "2026",
            "13.2026",
            "15.10.2026",
            "10.26",
            "2026-1",
            "октябрь",
            "10/2026",
            "01.10.2026.1",
        ] {
            let message = period(bad).unwrap_err().to_string();
            assert!(message.contains("MM.YYYY"), "{bad}: {message}");
        }
        for bad in [
            "0000-01",
            "01.0000",
            "01.01.0000",
            "12.1899",
            "2201-01",
            "+202-11",
        ] {
            assert!(period(bad).is_err(), "{bad} accepted");
        }
        assert!(
            period("01.2201")
                .unwrap_err()
                .to_string()
                .contains("from 1900 to 2200")
        );
    }

    #[test]
    fn a_file_without_a_header_is_read_record_by_record_with_its_lines() {
        // The shape of a bank's payment register: no header, a fixed `;`,
        // Windows-1251, a totals line at the end.
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1251.encode("01-10-2026;Иванов;100,50\r\n\r\n=1;100,50\r\n");
        let text = Text::decode(bytes.into_owned());
        let records: Vec<(usize, Vec<String>)> = text
            .records(b';')
            .map(|record| {
                let record = record.unwrap();
                let cells = (0..record.cell_count()).map(|i| record.cell(i).to_owned());
                (record.line, cells.collect())
            })
            .collect();
        assert_eq!(
            records,
            [
                (
                    1,
                    vec!["01-10-2026".into(), "Иванов".into(), "100,50".into()]
                ),
                (3, vec!["=1".into(), "100,50".into()]),
            ]
        );
    }

    #[test]
    fn windows_1251_is_decoded_whole_however_the_text_grows() {
        for text in [
            "",
            "abc",
            "Счётчик;Показание",
            "№№№ € ‰",
            &"№".repeat(10_000),
        ] {
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(text);
            assert!(!unmappable);
            assert_eq!(decode_windows_1251(&bytes), text);
        }
    }

    #[test]
    fn a_line_longer_than_the_limit_is_refused_by_its_number_alone() {
        let at_limit = format!("{};1", "7".repeat(MAX_LINE_BYTES - 2));
        let beyond = format!("{};1", "7".repeat(MAX_LINE_BYTES - 1));
        let file = format!("a;b\r\n\"x\ny\";2\r\n{beyond}\r\n{at_limit}\r\n4;5");
        let lines: Vec<Result<usize, (usize, Problem)>> = Text::decode(file.into_bytes())
            .records(b';')
            .map(|record| record.map(|r| r.line).map_err(|e| (e.line, e.message)))
            .collect();
        assert_eq!(lines, [Ok(1), Ok(2), Err((4, LINE_TOO_LONG)), Ok(5), Ok(6)]);
    }

    #[test]
    fn a_long_header_is_shown_cut() {
        let header = (0..500)
            .map(|i| format!("h{i}"))
            .collect::<Vec<_>>()
            .join(";");
        let text = Text::decode(header.into_bytes());
        let written = text.records(b';').header().unwrap().unwrap().written();
        assert!(written.starts_with("h0, h1, h2"), "{written}");
        assert_eq!(written.chars().count(), MAX_WRITTEN_HEADER_CHARS + 1);
    }

    #[test]
    fn headers_are_matched_by_any_alias_and_missing_ones_named() {
        const NUMBER: Column = Column {
            aliases: &["number", "номер квартиры"],
            label: "Номер квартиры (number)",
        };
        const AREA: Column = Column {
            aliases: &["area", "площадь"],
            label: "Площадь (area)",
        };
        const RESIDENTS: Column = Column {
            aliases: &["residents", "проживает"],
            label: "Проживает (residents)",
        };
        let text = Text::decode("\u{feff}\r\n;;\r\n Площадь ;;НОМЕР КВАРТИРЫ\r\n".into());
        let header = text.records(b';').header().unwrap().unwrap();
        assert_eq!(header.line(), 3);
        assert_eq!(header.width(), 3);
        assert_eq!(header.find(&[NUMBER, AREA]), Ok([2, 0]));
        assert_eq!(
            header.find(&[AREA, RESIDENTS]),
            Err(vec!["Проживает (residents)"])
        );
        assert_eq!(header.written(), "Площадь, НОМЕР КВАРТИРЫ");
    }

    #[test]
    fn the_separator_is_the_one_the_header_uses_most_outside_quotes() {
        assert_eq!(detect_separator("a;b;c"), b';');
        assert_eq!(detect_separator("a,b,c"), b',');
        assert_eq!(detect_separator("a\tb\tc"), b'\t');
        assert_eq!(detect_separator("\"a,b,c\";d"), b';');
        assert_eq!(detect_separator("a;b,c"), b';');
        assert_eq!(detect_separator("abc"), b';');
    }
}
