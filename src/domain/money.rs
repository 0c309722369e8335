use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds an amount to kopecks (0.01), half away from zero, as billing does
/// once per charge line.
pub fn round_kopecks(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn half_a_kopeck_rounds_away_from_zero() {
        assert_eq!(round_kopecks(d("0.005")), d("0.01"));
        assert_eq!(round_kopecks(d("2.345")), d("2.35"));
        assert_eq!(round_kopecks(d("-2.345")), d("-2.35"));
        assert_eq!(round_kopecks(d("2.3449")), d("2.34"));
    }

    #[test]
    fn whole_kopecks_are_kept() {
        assert_eq!(round_kopecks(d("1131.68")), d("1131.68"));
        assert_eq!(round_kopecks(d("7")), d("7"));
    }
}
