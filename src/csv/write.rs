//! Downloads as Excel opens them in a Russian locale: UTF-8 with a BOM (else
//! it guesses the Windows code page and garbles Cyrillic), `;` between
//! fields (its list separator there), CRLF and decimal commas.

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
    pub fn record<I, T>(&mut self, cells: I)
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
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
    fn the_file_starts_with_the_bom() {
        let mut file = ExcelCsv::new();
        file.record(["a", "b"]);
        assert_eq!(file.into_bytes(), b"\xEF\xBB\xBFa;b\r\n");
    }
}
