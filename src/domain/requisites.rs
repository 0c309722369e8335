//! The payee's requisites as banks check them: ИНН with its check digits,
//! КПП, БИК, and the settlement and correspondent accounts with their key
//! digit against the БИК (Положение ЦБ РФ № 579-П, the «ключевание»).
//! A receipt whose QR code carries a wrong account is a payment lost, so
//! they are refused when typed, not when a resident's bank rejects them.

use super::Problem;

/// The digits of `raw` when it is exactly `len` ASCII digits.
fn digits(raw: &str, len: usize) -> Option<Vec<u32>> {
    let raw = raw.trim();
    (raw.len() == len && raw.bytes().all(|b| b.is_ascii_digit()))
        .then(|| raw.bytes().map(|b| u32::from(b - b'0')).collect())
}

/// The check digit of `digits` by `weights` (the ИНН's rule).
fn inn_check(digits: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    sum % 11 % 10
}

/// An ИНН: 10 digits (an organisation) or 12 (an entrepreneur), with
/// their check digits.
pub fn inn(raw: &str) -> Result<String, Problem> {
    const TEN: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    const ELEVEN: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    const TWELVE: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    let checks = match (digits(raw, 10), digits(raw, 12)) {
        (Some(d), _) => inn_check(&d, &TEN) == d[9],
        (_, Some(d)) => inn_check(&d, &ELEVEN) == d[10] && inn_check(&d, &TWELVE) == d[11],
        _ => return Err(Problem::InnDigits),
    };
    match checks {
        true => Ok(raw.trim().to_owned()),
        false => Err(Problem::InnCheckDigits),
    }
}

/// A КПП: four digits (the tax office), two digits or capital Latin
/// letters (the reason), three digits.
pub fn kpp(raw: &str) -> Result<String, Problem> {
    let raw = raw.trim();
    let b = raw.as_bytes();
    let ok = b.len() == 9
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4..6]
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && b[6..].iter().all(u8::is_ascii_digit);
    match ok {
        true => Ok(raw.to_owned()),
        false => Err(Problem::KppFormat),
    }
}

/// A БИК: nine digits.
pub fn bic(raw: &str) -> Result<String, Problem> {
    digits(raw, 9)
        .map(|_| raw.trim().to_owned())
        .ok_or(Problem::BicDigits)
}

/// A bank account number: twenty digits.
pub fn account(raw: &str) -> Result<String, Problem> {
    digits(raw, 20)
        .map(|_| raw.trim().to_owned())
        .ok_or(Problem::AccountDigits)
}

/// The key check of 579-П: the 23 digits (three of the БИК, then the
/// account) weighted 7, 1, 3, 7, 1, 3 … sum to a multiple of 10.
fn keyed(prefix: &str, account: &str) -> bool {
    let sum: u32 = prefix
        .bytes()
        .chain(account.bytes())
        .map(|b| u32::from(b - b'0'))
        .zip([7, 1, 3].into_iter().cycle())
        .map(|(d, w)| d * w)
        .sum();
    sum.is_multiple_of(10)
}

/// Whether a settlement account (р/с) is keyed to the bank's БИК: its
/// last three digits come first. Both must already be checked.
pub fn settlement_account_matches(bic: &str, account: &str) -> bool {
    keyed(&bic[6..9], account)
}

/// Whether a correspondent account (к/с) is keyed to the БИК: "0" and the
/// БИК's fifth and sixth digits come first.
pub fn corr_account_matches(bic: &str, corr_account: &str) -> bool {
    keyed(&format!("0{}", &bic[4..6]), corr_account)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ПАО Сбербанк's own requisites, and an account keyed to its БИК.
    const BIC: &str = "044525225";
    const CORR: &str = "30101810400000000225";
    const ACCOUNT: &str = "40702810938000012345";

    #[test]
    fn an_inn_has_ten_or_twelve_digits_and_its_check_digits() {
        assert_eq!(inn(" 7707083893 ").as_deref(), Ok("7707083893"));
        assert_eq!(inn("500100732259").as_deref(), Ok("500100732259"));
        assert_eq!(inn("7707083894"), Err(Problem::InnCheckDigits));
        assert_eq!(inn("500100732258"), Err(Problem::InnCheckDigits));
        assert_eq!(inn("500100732269"), Err(Problem::InnCheckDigits));
        for wrong in ["", "770708389", "77070838931", "77070838٣3", "7707-83893"] {
            assert_eq!(inn(wrong), Err(Problem::InnDigits), "{wrong}");
        }
    }

    #[test]
    fn a_kpp_has_its_reason_in_digits_or_capital_letters() {
        assert_eq!(kpp("773601001").as_deref(), Ok("773601001"));
        assert_eq!(kpp("7736AB001").as_deref(), Ok("7736AB001"));
        for wrong in [
            "77360100",
            "7736ab001",
            "A73601001",
            "7736010011",
            "77360100Б",
        ] {
            assert_eq!(kpp(wrong), Err(Problem::KppFormat), "{wrong}");
        }
    }

    #[test]
    fn a_bic_and_accounts_are_digits_of_their_length() {
        assert_eq!(bic(BIC).as_deref(), Ok(BIC));
        assert_eq!(bic("04452522"), Err(Problem::BicDigits));
        assert_eq!(bic("04452522A"), Err(Problem::BicDigits));
        assert_eq!(account(ACCOUNT).as_deref(), Ok(ACCOUNT));
        assert_eq!(account("4070281093800001234"), Err(Problem::AccountDigits));
        assert_eq!(
            account("4070281093800001234 5"),
            Err(Problem::AccountDigits)
        );
    }

    #[test]
    fn accounts_are_keyed_to_the_bic() {
        assert!(settlement_account_matches(BIC, ACCOUNT));
        assert!(corr_account_matches(BIC, CORR));
        // One digit typed wrong, or the accounts swapped.
        assert!(!settlement_account_matches(BIC, "40702810938000012346"));
        assert!(!settlement_account_matches(BIC, "40702810838000012345"));
        assert!(!corr_account_matches(BIC, "30101810400000000226"));
        assert!(!settlement_account_matches(BIC, CORR));
        // Another bank's БИК (Северо-Западный банк): its own к/с is keyed.
        assert!(corr_account_matches("044030653", "30101810500000000653"));
        assert!(!settlement_account_matches("044030653", ACCOUNT));
    }
}
