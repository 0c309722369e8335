use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds an amount to kopecks (0.01), half away from zero, as billing does
/// once per charge line.
pub fn round_kopecks(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds an estimated volume (an average) to litres (0.001 m³), half away
/// from zero.
pub fn round_litres(volume: Decimal) -> Decimal {
    volume.round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds a meter's share of a normative volume to 0.0001 m³, half away
/// from zero.
pub fn round_share(volume: Decimal) -> Decimal {
    volume.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    #[test]
    fn half_a_kopeck_rounds_away_from_zero() {
        assert_eq!(round_kopecks(dec!(0.005)), dec!(0.01));
        assert_eq!(round_kopecks(dec!(2.345)), dec!(2.35));
        assert_eq!(round_kopecks(dec!(-2.345)), dec!(-2.35));
        assert_eq!(round_kopecks(dec!(2.3449)), dec!(2.34));
    }

    #[test]
    fn whole_kopecks_are_kept() {
        assert_eq!(round_kopecks(dec!(1131.68)), dec!(1131.68));
        assert_eq!(round_kopecks(dec!(7)), dec!(7));
    }
}
