//! Which tariff a house pays for a service in a month: the house's own
//! tariff with the latest `valid_from` not after the month, else the default
//! (house-less) one chosen the same way, else none.
//!
//! Generic over the tariff type so the pages and billing pick from the same
//! rows they already loaded, with one rule.

use super::{Period, Service};

/// The tariff used for a service: `T` identifies it (the tariff's id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price<T> {
    pub tariff: T,
    pub price: rust_decimal::Decimal,
    pub valid_from: Period,
}

/// What the rule needs to know about a tariff.
pub trait TariffTerms {
    /// How a house is identified (the house id type).
    type House: PartialEq;

    fn service(&self) -> Service;
    /// `None`: the default every house pays unless it has its own.
    fn house(&self) -> Option<&Self::House>;
    fn valid_from(&self) -> Period;
}

/// Whose tariff a house pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TariffScope {
    /// The house's own tariff.
    Override,
    /// The default for all houses.
    Default,
}

/// The latest tariff of exactly this scope (`house` None = the default) for
/// `service` that started in or before `period`.
fn latest_of_scope<'a, T: TariffTerms>(
    tariffs: &'a [T],
    service: Service,
    house: Option<&T::House>,
    period: Period,
) -> Option<&'a T> {
    tariffs
        .iter()
        .filter(|t| t.service() == service && t.house() == house && t.valid_from() <= period)
        .max_by_key(|t| t.valid_from())
}

/// The tariff `house` pays for `service` in `period`, and whether it is the
/// house's own or the default. `house` None asks what a house without its
/// own tariff pays.
pub fn tariff_in_effect<'a, T: TariffTerms>(
    tariffs: &'a [T],
    service: Service,
    house: Option<&T::House>,
    period: Period,
) -> Option<(&'a T, TariffScope)> {
    if let Some(own) = house.and_then(|h| latest_of_scope(tariffs, service, Some(h), period)) {
        return Some((own, TariffScope::Override));
    }
    latest_of_scope(tariffs, service, None, period).map(|t| (t, TariffScope::Default))
}

/// Where a tariff stands in `period` among the tariffs of its own scope
/// (same service, same house or both default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TariffStatus {
    /// The one of its scope in effect in the period.
    InEffect,
    /// Starts after the period.
    Upcoming,
    /// Replaced by a later one of its scope that started in or before the period.
    Superseded,
}

impl super::kinds::Named for TariffStatus {
    const FAMILY: &'static str = "tariff-status";

    fn all() -> &'static [Self] {
        &[
            TariffStatus::InEffect,
            TariffStatus::Upcoming,
            TariffStatus::Superseded,
        ]
    }

    /// Also a CSS-safe name for styling the marking.
    fn as_str(self) -> &'static str {
        match self {
            TariffStatus::InEffect => "in-effect",
            TariffStatus::Upcoming => "upcoming",
            TariffStatus::Superseded => "superseded",
        }
    }
}

/// The status of `tariff` in `period`; `tariffs` holds (at least) its scope.
/// Scopes have one tariff per month (a unique key), so comparing start
/// months identifies the one in effect.
pub fn tariff_status<T: TariffTerms>(tariffs: &[T], tariff: &T, period: Period) -> TariffStatus {
    if tariff.valid_from() > period {
        return TariffStatus::Upcoming;
    }
    match latest_of_scope(tariffs, tariff.service(), tariff.house(), period) {
        Some(current) if current.valid_from() == tariff.valid_from() => TariffStatus::InEffect,
        // The slice lacked the tariff itself: it is still the latest we know of.
        None => TariffStatus::InEffect,
        Some(_) => TariffStatus::Superseded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Named;

    #[derive(Debug, PartialEq)]
    struct T {
        id: u32,
        service: Service,
        house: Option<i64>,
        from: Period,
    }

    impl TariffTerms for T {
        type House = i64;
        fn service(&self) -> Service {
            self.service
        }
        fn house(&self) -> Option<&i64> {
            self.house.as_ref()
        }
        fn valid_from(&self) -> Period {
            self.from
        }
    }

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    fn t(id: u32, service: Service, house: Option<i64>, from: &str) -> T {
        T {
            id,
            service,
            house,
            from: p(from),
        }
    }

    fn id_in_effect(
        tariffs: &[T],
        service: Service,
        house: Option<i64>,
        period: &str,
    ) -> Option<(u32, TariffScope)> {
        tariff_in_effect(tariffs, service, house.as_ref(), p(period)).map(|(t, s)| (t.id, s))
    }

    use Service::{ColdWater, HotWater, Maintenance};
    use TariffScope::{Default, Override};

    #[test]
    fn a_house_override_beats_the_default() {
        let tariffs = [
            t(1, ColdWater, None, "2026-01"),
            t(2, ColdWater, Some(7), "2026-01"),
        ];
        assert_eq!(
            id_in_effect(&tariffs, ColdWater, Some(7), "2026-03"),
            Some((2, Override))
        );
        // An older override still beats a newer default.
        let tariffs = [
            t(1, ColdWater, None, "2026-06"),
            t(2, ColdWater, Some(7), "2025-01"),
        ];
        assert_eq!(
            id_in_effect(&tariffs, ColdWater, Some(7), "2026-09"),
            Some((2, Override))
        );
    }

    #[test]
    fn the_latest_start_wins_but_not_a_future_one() {
        let tariffs = [
            t(1, ColdWater, None, "2026-01"),
            t(2, ColdWater, None, "2026-07"),
            t(3, ColdWater, None, "2027-01"),
        ];
        assert_eq!(
            id_in_effect(&tariffs, ColdWater, Some(7), "2026-06"),
            Some((1, Default))
        );
        // valid_from is inclusive.
        assert_eq!(
            id_in_effect(&tariffs, ColdWater, Some(7), "2026-07"),
            Some((2, Default))
        );
        assert_eq!(
            id_in_effect(&tariffs, ColdWater, None, "2026-12"),
            Some((2, Default))
        );
        assert_eq!(
            id_in_effect(&tariffs, ColdWater, None, "2027-01"),
            Some((3, Default))
        );
    }

    #[test]
    fn a_future_override_leaves_the_default_in_effect_until_it_starts() {
        let tariffs = [
            t(1, HotWater, None, "2026-01"),
            t(2, HotWater, Some(7), "2026-10"),
        ];
        assert_eq!(
            id_in_effect(&tariffs, HotWater, Some(7), "2026-09"),
            Some((1, Default))
        );
        assert_eq!(
            id_in_effect(&tariffs, HotWater, Some(7), "2026-10"),
            Some((2, Override))
        );
    }

    #[test]
    fn another_house_override_and_other_services_are_ignored() {
        let tariffs = [
            t(1, Maintenance, None, "2026-01"),
            t(2, Maintenance, Some(8), "2026-05"),
            t(3, ColdWater, Some(7), "2026-05"),
        ];
        assert_eq!(
            id_in_effect(&tariffs, Maintenance, Some(7), "2026-09"),
            Some((1, Default))
        );
        assert_eq!(
            id_in_effect(&tariffs, Maintenance, Some(8), "2026-09"),
            Some((2, Override))
        );
        assert_eq!(
            id_in_effect(&tariffs, Maintenance, None, "2026-09"),
            Some((1, Default))
        );
    }

    #[test]
    fn nothing_in_effect() {
        assert_eq!(id_in_effect(&[], ColdWater, Some(7), "2026-09"), None);
        let tariffs = [
            t(1, ColdWater, None, "2026-10"),
            t(2, ColdWater, Some(7), "2026-11"),
            t(3, HotWater, None, "2026-01"),
            t(4, ColdWater, Some(8), "2026-01"),
        ];
        // Only future ones, another service, another house.
        assert_eq!(id_in_effect(&tariffs, ColdWater, Some(7), "2026-09"), None);
        assert_eq!(id_in_effect(&tariffs, ColdWater, None, "2026-09"), None);
    }

    #[test]
    fn statuses_are_judged_within_the_scope() {
        let tariffs = [
            t(1, ColdWater, None, "2026-01"),
            t(2, ColdWater, None, "2026-07"),
            t(3, ColdWater, None, "2027-01"),
            t(4, ColdWater, Some(7), "2026-03"),
            t(5, HotWater, None, "2026-08"),
        ];
        let now = p("2026-09");
        let status = |i: usize| tariff_status(&tariffs, &tariffs[i], now);
        assert_eq!(status(0), TariffStatus::Superseded);
        assert_eq!(status(1), TariffStatus::InEffect);
        assert_eq!(status(2), TariffStatus::Upcoming);
        // A house's own tariff does not supersede the default, nor the reverse.
        assert_eq!(status(3), TariffStatus::InEffect);
        assert_eq!(status(4), TariffStatus::InEffect);
        assert_eq!(
            TariffStatus::InEffect.message_key(),
            "tariff-status-in-effect"
        );
    }
}
