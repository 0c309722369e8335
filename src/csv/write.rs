//! Downloads as Excel opens them in a Russian locale: UTF-8 with a BOM (else
//! it guesses the Windows code page and garbles Cyrillic), `;` between
//! fields (its list separator there), CRLF and decimal commas.

use std::borrow::Cow;

use rust_decimal::Decimal;

/// A CSV file being written into memory, the BOM already in it.
pub struct ExcelCsv(::csv::Writer<Vec<u8>>);

impl ExcelCsv {
    pub fn new() -> Self {
        ExcelCsv(
            ::csv::WriterBuilder::new()
                .delimiter(b';')
                .terminator(::csv::Terminator::CRLF)
                .from_writer(b"\xEF\xBB\xBF".to_vec()),
        )
    }

    /// Adds one record; every record of a file has as many cells as the first.
    /// Cells that a spreadsheet would run as a formula are neutralised.
    pub fn record<I, T>(&mut self, cells: I)
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        let cells = cells
            .into_iter()
            .map(|cell| inert(cell.as_ref()).into_owned());
        // Writing into a Vec cannot fail; only records of unequal length
        // would, and that is a bug in the caller.
        self.0.write_record(cells).expect("writing to memory");
    }

    /// The file's bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0.into_inner().expect("flushing to memory")
    }
}

impl Default for ExcelCsv {
    fn default() -> Self {
        Self::new()
    }
}

/// A cell as written into a download. Stored text (an apartment number such
/// as `=1+2` or `=cmd|'/c calc'!A1`) that starts with what Excel or
/// LibreOffice take for a formula (`= + - @`, tab, CR) gets a leading `'`,
/// as OWASP recommends against CSV injection, so it shows as text and never
/// runs. Numbers stay numbers: `-12,50` is a negative amount, not a formula;
/// so does a formula that is only a string literal, as [`text`] writes.
pub fn inert(cell: &str) -> Cow<'_, str> {
    let formula_like = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula_like && !is_number(cell) && !is_text_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell that Excel must keep as the text it is although it looks like a
/// date (`11.2026` becomes `ноя.26` in a Russian Excel, which then no
/// longer reads as a month): the formula `="11.2026"`, which shows the text
/// and is saved back as it. Quotes are dropped: they cannot be in one.
pub fn text(value: &str) -> String {
    format!("=\"{}\"", value.replace('"', ""))
}

/// `="…"` with no quote inside: a formula that can only be its text.
fn is_text_formula(cell: &str) -> bool {
    cell.strip_prefix("=\"")
        .and_then(|rest| rest.strip_suffix('"'))
        .is_some_and(|inside| !inside.contains('"'))
}

/// `-12,50`, `-3.5`, `-7`: an optional minus, digits, at most one decimal
/// separator followed by digits.
fn is_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, fraction) = match unsigned.split_once([',', '.']) {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

/// `places` decimals with a comma: 1131.68 -> "1131,68".
pub fn decimal_comma(value: Decimal, places: usize) -> String {
    format!("{value:.places$}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn decimals_keep_their_places_with_a_comma() {
        assert_eq!(decimal_comma(dec!(1131.68), 2), "1131,68");
        assert_eq!(decimal_comma(dec!(3.5), 3), "3,500");
        assert_eq!(decimal_comma(dec!(0), 2), "0,00");
    }

    #[test]
    fn formula_like_cells_become_text_numbers_stay_numbers() {
        for (cell, written) in [
            ("=1+2", "'=1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("=cmd|'/c calc'!A1", "'=cmd|'/c calc'!A1"),
            ("+7", "'+7"),
            ("-", "'-"),
            ("-1+2", "'-1+2"),
            ("-2,", "'-2,"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-12,50", "-12,50"),
            ("-12.50", "-12.50"),
            ("-7", "-7"),
            ("12А", "12А"),
            ("a=b", "a=b"),
            ("", ""),
            ("=\"11.2026\"", "=\"11.2026\""),
            ("=\"a\"&\"b\"", "'=\"a\"&\"b\""),
            ("=\"\"&cmd", "'=\"\"&cmd"),
        ] {
            assert_eq!(inert(cell), written, "{cell:?}");
        }
        let mut file = ExcelCsv::new();
        file.record(["=1+2", "-12,50"]);
        assert_eq!(file.into_bytes(), b"\xEF\xBB\xBF'=1+2;-12,50\r\n");
    }

    #[test]
    fn text_cells_are_formulas_of_their_text() {
        assert_eq!(text("11.2026"), "=\"11.2026\"");
        assert_eq!(text("a\"b"), "=\"ab\"");
        assert_eq!(inert(&text("11.2026")), "=\"11.2026\"");
    }

    #[test]
    fn the_file_starts_with_the_bom() {
        let mut file = ExcelCsv::new();
        file.record(["a", "b"]);
        assert_eq!(file.into_bytes(), b"\xEF\xBB\xBFa;b\r\n");
    }
}
