//! Downloads as Excel opens them in a Russian locale (DESIGN.md "CSV"):
//! UTF-8 with a BOM, `;` between fields, CRLF, decimal commas. Shared by the
//! readings template and the billing export.

use rust_decimal::Decimal;

/// A CSV writer into memory that has already written the BOM.
pub fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec())
}

/// `places` decimals with a comma: 1131.68 -> "1131,68".
pub fn decimal_comma(value: Decimal, places: usize) -> String {
    format!("{value:.places$}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn decimals_keep_their_places_with_a_comma() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(decimal_comma(d("1131.68"), 2), "1131,68");
        assert_eq!(decimal_comma(d("3.5"), 3), "3,500");
        assert_eq!(decimal_comma(d("0"), 2), "0,00");
    }

    #[test]
    fn the_file_starts_with_the_bom() {
        let mut w = writer();
        w.write_record(["a", "b"]).unwrap();
        assert_eq!(w.into_inner().unwrap(), b"\xEF\xBB\xBFa;b\r\n");
    }
}
