//! The payment QR code's text (ГОСТ Р 56042-2014, UTF-8, format
//! `ST00012`): the five required requisites first, then what a resident's
//! banking app fills the payment with. Values never hold the separator
//! `|`, and the required block stays within the 300 bytes the standard
//! allows, the payee's name shortened if it must be.

use rust_decimal::Decimal;

use super::Period;

/// The required block's limit, in bytes of UTF-8.
pub const REQUIRED_BLOCK_BYTES: usize = 300;
/// The standard's longest payee name and bank name, in characters.
const NAME_CHARS: usize = 160;
const BANK_NAME_CHARS: usize = 45;
/// The longest purpose, in characters.
const PURPOSE_CHARS: usize = 210;

/// Who is paid: the organisation's requisites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payee<'a> {
    pub name: &'a str,
    /// р/с
    pub account: &'a str,
    pub bank_name: &'a str,
    pub bic: &'a str,
    /// к/с
    pub corr_account: &'a str,
    pub inn: &'a str,
    pub kpp: &'a str,
}

/// What one receipt asks to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill<'a> {
    /// The personal account's number.
    pub account_number: &'a str,
    pub period: Period,
    /// The closing balance: owed when positive; an advance asks nothing.
    pub due: Decimal,
    pub payer_address: &'a str,
}

/// A value as the code can carry it: no separator, no line breaks,
/// spaces collapsed, at most `max` characters.
fn clean(value: &str, max: usize) -> String {
    value
        .replace('|', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max)
        .collect()
}

/// `text` cut to at most `bytes` bytes of UTF-8, at a character boundary.
fn within(mut text: String, bytes: usize) -> String {
    if text.len() > bytes {
        let mut end = bytes;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.truncate(text.trim_end().len());
    }
    text
}

/// The amount in kopecks when something is owed.
fn kopecks(due: Decimal) -> Option<Decimal> {
    (due > Decimal::ZERO).then(|| (due * Decimal::ONE_HUNDRED).round())
}

/// The code's text for `bill` to `payee`.
pub fn payload(payee: &Payee, bill: &Bill) -> String {
    let bank_name = clean(payee.bank_name, BANK_NAME_CHARS);
    let fixed = |name: &str| {
        format!(
            "ST00012|Name={name}|PersonalAcc={}|BankName={bank_name}|BIC={}|CorrespAcc={}",
            clean(payee.account, 20),
            clean(payee.bic, 9),
            clean(payee.corr_account, 20),
        )
    };
    let room = REQUIRED_BLOCK_BYTES - fixed("").len().min(REQUIRED_BLOCK_BYTES);
    let name = within(clean(payee.name, NAME_CHARS), room);
    let mut text = fixed(&name);
    let month = format!("{:02}.{}", bill.period.month(), bill.period.year());
    let number = clean(bill.account_number, 30);
    let mut add = |key: &str, value: String| {
        text.push('|');
        text.push_str(key);
        text.push('=');
        text.push_str(&value);
    };
    add("PayeeINN", clean(payee.inn, 12));
    add("KPP", clean(payee.kpp, 9));
    if let Some(sum) = kopecks(bill.due) {
        add("Sum", sum.to_string());
    }
    add(
        "Purpose",
        clean(
            &format!("Оплата ЖКУ за {month}, л/с {number}"),
            PURPOSE_CHARS,
        ),
    );
    add("PersAcc", number);
    add(
        "PaymPeriod",
        format!("{:02}{}", bill.period.month(), bill.period.year()),
    );
    add("PayerAddress", clean(bill.payer_address, 200));
    add("TechCode", "02".to_owned());
    text
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn payee<'a>(name: &'a str) -> Payee<'a> {
        Payee {
            name,
            account: "40702810938000012345",
            bank_name: "ПАО Сбербанк",
            bic: "044525225",
            corr_account: "30101810400000000225",
            inn: "7707083893",
            kpp: "773601001",
        }
    }

    fn bill(due: Decimal) -> Bill<'static> {
        Bill {
            account_number: "1001001001",
            period: Period::new(2026, 11).unwrap(),
            due,
            payer_address: "г. Самара, ул. Ленинградская, д. 30, кв. 17",
        }
    }

    #[test]
    fn a_bill_gives_every_field_in_the_standards_order() {
        assert_eq!(
            payload(&payee("ООО «УК Жилсервис»"), &bill(dec!(4321.09))),
            "ST00012|Name=ООО «УК Жилсервис»|PersonalAcc=40702810938000012345\
             |BankName=ПАО Сбербанк|BIC=044525225|CorrespAcc=30101810400000000225\
             |PayeeINN=7707083893|KPP=773601001|Sum=432109\
             |Purpose=Оплата ЖКУ за 11.2026, л/с 1001001001|PersAcc=1001001001\
             |PaymPeriod=112026|PayerAddress=г. Самара, ул. Ленинградская, д. 30, кв. 17\
             |TechCode=02"
        );
    }

    #[test]
    fn an_advance_or_nothing_owed_asks_no_sum() {
        for due in [dec!(-150.00), dec!(0)] {
            let text = payload(&payee("ТСЖ «Дом»"), &bill(due));
            assert!(!text.contains("Sum="), "{text}");
            assert!(text.contains("|KPP=773601001|Purpose=Оплата ЖКУ за 11.2026"));
        }
        // A kopeck is owed: 1.
        assert!(payload(&payee("ТСЖ"), &bill(dec!(0.01))).contains("|Sum=1|"));
    }

    #[test]
    fn a_separator_or_a_line_break_inside_a_value_becomes_a_space() {
        let mut address = bill(dec!(10));
        address.payer_address = "ул. Мира|д. 5\nкв. 2";
        let text = payload(&payee("ООО \"Дом|Сервис\"\r\n"), &address);
        assert!(
            text.starts_with("ST00012|Name=ООО \"Дом Сервис\"|PersonalAcc="),
            "{text}"
        );
        assert!(
            text.ends_with("|PayerAddress=ул. Мира д. 5 кв. 2|TechCode=02"),
            "{text}"
        );
        // Fourteen fields, each `key=value`, nothing else split off.
        let fields: Vec<&str> = text.split('|').collect();
        assert_eq!(fields.len(), 14, "{text}");
        assert!(fields[1..].iter().all(|f| f.contains('=')));
    }

    #[test]
    fn a_long_name_is_shortened_so_the_required_block_stays_within_300_bytes() {
        let long = "Общество с ограниченной ответственностью «Управляющая компания \
                    Жилищно-коммунальный сервис Октябрьского района городского округа Самара»";
        let text = payload(&payee(long), &bill(dec!(1)));
        let required: Vec<&str> = text.split('|').take(6).collect();
        let block = required.join("|");
        assert!(block.len() <= REQUIRED_BLOCK_BYTES, "{} bytes", block.len());
        assert!(
            block.len() > REQUIRED_BLOCK_BYTES - 8,
            "{} bytes",
            block.len()
        );
        let name = required[1].strip_prefix("Name=").unwrap();
        assert!(long.starts_with(name) && name.len() < long.len());
        assert_eq!(required[5], "CorrespAcc=30101810400000000225");
        // A short name is left whole.
        let text = payload(&payee("ТСЖ «Берёзка»"), &bill(dec!(1)));
        assert!(text.starts_with("ST00012|Name=ТСЖ «Берёзка»|"));
    }
}
