//! Who lives in an apartment in a month: a history of counts, each from a
//! month on (or, without a month, from always), as ПП 354 bills a normative
//! by the residents registered in the month.

use super::Period;

/// `count` people live in the apartment from `valid_from` on (None: before
/// any month named).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResidentsFrom {
    pub valid_from: Option<Period>,
    pub count: u32,
}

/// The residents in effect in `period`: the row with the latest month not
/// after it, else the row without a month, else nobody.
pub fn residents_in(history: &[ResidentsFrom], period: Period) -> u32 {
    history
        .iter()
        .filter(|r| r.valid_from.is_none_or(|from| from <= period))
        .max_by_key(|r| r.valid_from)
        .map_or(0, |r| r.count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    fn from(month: Option<&str>, count: u32) -> ResidentsFrom {
        ResidentsFrom {
            valid_from: month.map(p),
            count,
        }
    }

    #[test]
    fn the_latest_month_not_after_the_period_holds() {
        let history = [
            from(None, 2),
            from(Some("2026-09"), 3),
            from(Some("2026-11"), 1),
        ];
        assert_eq!(residents_in(&history, p("2026-08")), 2);
        assert_eq!(residents_in(&history, p("2026-09")), 3);
        assert_eq!(residents_in(&history, p("2026-10")), 3);
        assert_eq!(residents_in(&history, p("2026-12")), 1);
    }

    #[test]
    fn without_a_row_in_effect_nobody_lives_there() {
        assert_eq!(residents_in(&[], p("2026-09")), 0);
        assert_eq!(residents_in(&[from(Some("2026-10"), 4)], p("2026-09")), 0);
    }
}
