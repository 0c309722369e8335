//! A house's оборотно-сальдовая ведомость for a month as a download, in the
//! dialect Excel opens (as the charges export), in the reader's language:
//! a title row (address and month), the header, a row per account and the
//! totals.

use rust_decimal::Decimal;

use super::write::{ExcelCsv, decimal_comma, text};
use crate::domain::Period;
use crate::domain::ledger::StatementRow;
use crate::i18n::{Locale, format};

const COLUMNS: [&str; 7] = [
    "osv-csv-account",
    "osv-csv-apartment",
    "osv-csv-opening",
    "osv-csv-charged",
    "osv-csv-penalty",
    "osv-csv-paid",
    "osv-csv-closing",
];

/// One account's row.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub number: &'a str,
    pub apartment: &'a str,
    /// The month's opening, charged, penalty, paid and closing.
    pub figures: &'a StatementRow,
}

fn figures(row: &StatementRow) -> [Decimal; 5] {
    [row.opening, row.charged, row.penalty, row.paid, row.closing]
}

/// The file: every record has the header's length (the title row is padded).
pub fn write(address: &str, period: Period, rows: &[Row<'_>], locale: Locale) -> Vec<u8> {
    let mut file = ExcelCsv::new();
    let mut title = vec![address.to_owned(), format::month(period, locale)];
    title.resize(COLUMNS.len(), String::new());
    file.record(title);
    file.record(COLUMNS.map(|key| locale.text(key)));
    let mut totals = [Decimal::ZERO; 5];
    for row in rows {
        let amounts = figures(row.figures);
        for (total, amount) in totals.iter_mut().zip(amounts) {
            *total += amount;
        }
        // A long number of digits stays text: Excel would round it as a
        // number (1,00E+19).
        let mut cells = vec![text(row.number), row.apartment.to_owned()];
        cells.extend(amounts.iter().map(|a| decimal_comma(*a, 2)));
        file.record(cells);
    }
    let mut last = vec![locale.text("osv-csv-total"), String::new()];
    last.extend(totals.iter().map(|a| decimal_comma(*a, 2)));
    file.record(last);
    file.into_bytes()
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn a_row_per_account_and_the_totals_with_decimal_commas() {
        let period = Period::new(2026, 11).unwrap();
        let row = |opening, charged, paid, closing| StatementRow {
            period,
            opening,
            charged,
            penalty: dec!(0),
            paid,
            closing,
        };
        let (a, b) = (
            row(dec!(100), dec!(50.5), dec!(0), dec!(150.5)),
            row(dec!(-20), dec!(30), dec!(10), dec!(0)),
        );
        let rows = [
            Row {
                number: "1001001001",
                apartment: "1",
                figures: &a,
            },
            Row {
                number: "1001001002",
                apartment: "12А",
                figures: &b,
            },
        ];
        let file = String::from_utf8(write("ул. Ленина, 1", period, &rows, Locale::Ru)).unwrap();
        let lines: Vec<&str> = file.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines[0], "ул. Ленина, 1;ноябрь 2026;;;;;");
        assert_eq!(
            lines[1],
            "Лицевой счёт;Квартира;Входящее сальдо;Начислено;Пени;Оплачено;Исходящее сальдо"
        );
        // The number as a text formula, quoted as CSV quotes it.
        assert_eq!(
            lines[2],
            r#""=""1001001001""";1;100,00;50,50;0,00;0,00;150,50"#
        );
        assert_eq!(
            lines[3],
            r#""=""1001001002""";12А;-20,00;30,00;0,00;10,00;0,00"#
        );
        assert_eq!(lines[4], "Итого;;80,00;80,50;0,00;10,00;150,50");
        let english = String::from_utf8(write("x", period, &rows, Locale::En)).unwrap();
        assert!(
            english.contains("Account;Apartment;Opening balance"),
            "{english}"
        );
    }
}
