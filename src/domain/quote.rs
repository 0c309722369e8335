//! Quoting what a person wrote in a message about it.

/// Longer values are cut here: a message must never echo a huge value back
/// (a 16 MB field would otherwise come back once per refused row).
pub const MAX_QUOTED_CHARS: usize = 40;

/// `raw` in quotes as `{:?}` prints it, cut after [`MAX_QUOTED_CHARS`]
/// characters with an ellipsis.
pub fn quoted(raw: &str) -> String {
    match raw.char_indices().nth(MAX_QUOTED_CHARS) {
        None => format!("{raw:?}"),
        Some((end, _)) => format!("{:?}…", &raw[..end]),
    }
}

/// `raw` as written, cut after `max_chars` characters with an ellipsis:
/// what a report shows of a cell, however long the cell.
pub fn excerpt(raw: &str, max_chars: usize) -> String {
    match raw.char_indices().nth(max_chars) {
        None => raw.to_owned(),
        Some((end, _)) => format!("{}…", &raw[..end]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_quoted_whole_long_ones_cut() {
        assert_eq!(quoted("2026-13"), "\"2026-13\"");
        assert_eq!(
            quoted("д".repeat(40).as_str()),
            format!("\"{}\"", "д".repeat(40))
        );
        assert_eq!(
            quoted("д".repeat(41).as_str()),
            format!("\"{}\"…", "д".repeat(40))
        );
        assert!(quoted(&"9".repeat(1_000_000)).len() < 50);
    }

    #[test]
    fn excerpts_keep_short_values_and_cut_long_ones_at_a_character() {
        assert_eq!(excerpt("ХВ-1", 4), "ХВ-1");
        assert_eq!(excerpt("ХВ-12", 4), "ХВ-1…");
        assert_eq!(excerpt("", 0), "");
        assert_eq!(excerpt(&"я".repeat(1_000_000), 100).chars().count(), 101);
    }
}
