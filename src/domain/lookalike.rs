//! One normal form for apartment numbers and meter serials, so that `28А`
//! typed in Cyrillic, `28A` in Latin and `28а` are one apartment, and a
//! serial read off a meter matches whichever keyboard it was entered on.
//!
//! The key trims the text, upper-cases Latin and Cyrillic letters, and maps
//! the Cyrillic capitals that look like Latin ones to the Latin letter.
//! Everything else is kept as it is (Ё stays Ё: it does not look like E in
//! print). The database computes the same key (`lookalike_key` in the
//! migrations) for its unique indexes; a test checks that both agree.

/// Cyrillic capitals drawn like a Latin capital, and that Latin capital.
const LOOKALIKES: [(char, char); 12] = [
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
    ('У', 'Y'),
];

/// The key under which a number or serial is compared: equal keys mean the
/// same apartment number (within a house) or the same meter.
pub fn lookalike_key(raw: &str) -> String {
    raw.trim_matches([' ', '\t', '\r', '\n'])
        .chars()
        .map(|c| latin_lookalike(upper(c)))
        .collect()
}

/// Upper case for the Latin and Cyrillic alphabets only: the database's
/// locale-independent twin can list exactly these letters.
fn upper(c: char) -> char {
    match c {
        'a'..='z' => c.to_ascii_uppercase(),
        // а..я map to А..Я at a fixed distance; ё to Ё.
        'а'..='я' => char::from_u32(c as u32 - 0x20).unwrap_or(c),
        'ё' => 'Ё',
        _ => c,
    }
}

fn latin_lookalike(c: char) -> char {
    LOOKALIKES
        .iter()
        .find(|(cyrillic, _)| *cyrillic == c)
        .map_or(c, |(_, latin)| *latin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_latin_and_lower_case_letters_share_one_key() {
        assert_eq!(lookalike_key("28А"), "28A");
        assert_eq!(lookalike_key("28A"), "28A");
        assert_eq!(lookalike_key("28а"), "28A");
        assert_eq!(lookalike_key("28a"), "28A");
        assert_eq!(lookalike_key("ХВ-000201"), lookalike_key("XB-000201"));
        assert_eq!(lookalike_key(" хв-000201 "), "XB-000201");
    }

    #[test]
    fn every_listed_pair_maps_in_both_cases() {
        let cyrillic = "АВЕКМНОРСТХУавекмнорстху";
        let latin = "ABEKMHOPCTXYabekmhopctxy";
        assert_eq!(lookalike_key(cyrillic), lookalike_key(latin));
        assert_eq!(lookalike_key(cyrillic), "ABEKMHOPCTXYABEKMHOPCTXY");
    }

    #[test]
    fn other_letters_keep_their_identity() {
        // Ё is not Е; Б, Д and the rest have no Latin twin.
        assert_ne!(lookalike_key("12Ё"), lookalike_key("12Е"));
        assert_eq!(lookalike_key("12ё"), "12Ё");
        assert_eq!(lookalike_key("12б"), "12Б");
        assert_ne!(lookalike_key("12Б"), lookalike_key("12B"));
        assert_eq!(lookalike_key("12/1-ж"), "12/1-Ж");
        assert_eq!(lookalike_key("№ 5"), "№ 5");
    }

    #[test]
    fn the_key_is_stable() {
        for raw in ["28А", "ХВ-000201", "12ё", "кв. 7"] {
            let key = lookalike_key(raw);
            assert_eq!(lookalike_key(&key), key);
        }
    }
}
