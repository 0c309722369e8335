//! Template filters that print figures as the page's language writes them
//! (`i18n::format`), each with the fixed number of places its column holds,
//! so figures line up in tables (never via f64). A template's module brings
//! them in with `use crate::views::filters;` and passes the page's locale:
//! `{{ total|money(ctx.locale) }}`.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::Period;
use crate::i18n::{Locale, format};

/// A value a filter formats, however many references askama put around it.
pub trait Figure<T> {
    fn get(&self) -> T;
}

macro_rules! figure {
    ($($t:ty),+) => {$(
        impl Figure<$t> for $t {
            fn get(&self) -> $t {
                *self
            }
        }

        impl<F: Figure<$t> + ?Sized> Figure<$t> for &F {
            fn get(&self) -> $t {
                (**self).get()
            }
        }
    )+};
}

figure!(Decimal, Period, NaiveDate);

/// m², to 0.01: `{{ apartment.area|area(ctx.locale) }}`.
#[askama::filter_fn]
pub fn area(
    value: impl Figure<Decimal>,
    _: &dyn askama::Values,
    locale: &Locale,
) -> askama::Result<String> {
    Ok(format::area(value.get(), *locale))
}

/// m³ on a meter's dial or consumed, to 0.001.
#[askama::filter_fn]
pub fn volume(
    value: impl Figure<Decimal>,
    _: &dyn askama::Values,
    locale: &Locale,
) -> askama::Result<String> {
    Ok(format::volume(value.get(), *locale))
}

/// ₽, to kopecks.
#[askama::filter_fn]
pub fn money(
    value: impl Figure<Decimal>,
    _: &dyn askama::Values,
    locale: &Locale,
) -> askama::Result<String> {
    Ok(format::money(value.get(), *locale))
}

/// ₽ per m³ or m²: kopecks, and 0.0001 only where those places are not zero.
#[askama::filter_fn]
pub fn price(
    value: impl Figure<Decimal>,
    _: &dyn askama::Values,
    locale: &Locale,
) -> askama::Result<String> {
    Ok(format::price(value.get(), *locale))
}

/// A normative or coefficient: two to four decimals, as many as it has
/// (`3,16`, `1,50`).
#[askama::filter_fn]
pub fn measure(
    value: impl Figure<Decimal>,
    _: &dyn askama::Values,
    locale: &Locale,
) -> askama::Result<String> {
    Ok(format::measure(value.get(), *locale))
}

/// An increasing coefficient on a line: `3`, `1,5`.
#[askama::filter_fn]
pub fn coefficient(
    value: impl Figure<Decimal>,
    _: &dyn askama::Values,
    locale: &Locale,
) -> askama::Result<String> {
    Ok(format::coefficient(value.get(), *locale))
}

/// A month: `ноябрь 2026`, in English `2026-11`.
#[askama::filter_fn]
pub fn month(
    value: impl Figure<Period>,
    _: &dyn askama::Values,
    locale: &Locale,
) -> askama::Result<String> {
    Ok(format::month(value.get(), *locale))
}

/// A day: `01.12.2026`, in English `2026-12-01`.
#[askama::filter_fn]
pub fn date(
    value: impl Figure<NaiveDate>,
    _: &dyn askama::Values,
    locale: &Locale,
) -> askama::Result<String> {
    Ok(format::date(value.get(), *locale))
}

#[cfg(test)]
mod tests {
    use askama::Template;
    use chrono::NaiveDate;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    use crate::domain::Period;
    use crate::i18n::Locale;
    use crate::views::filters;

    #[derive(Template)]
    #[template(
        source = "{{ a|area(locale) }} {{ v|volume(locale) }} {{ m|money(locale) }} {{ p|price(locale) }} {{ month|month(locale) }} {{ day|date(locale) }}",
        ext = "txt"
    )]
    struct Figures {
        a: Decimal,
        v: Decimal,
        m: Decimal,
        p: Decimal,
        month: Period,
        day: NaiveDate,
        locale: Locale,
    }

    #[test]
    fn figures_print_with_their_columns_places_in_the_pages_language() {
        let figures = |locale| Figures {
            a: dec!(54.3),
            v: dec!(1204),
            m: dec!(2065892.87),
            p: dec!(42.5000),
            month: Period::new(2026, 11).unwrap(),
            day: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            locale,
        };
        assert_eq!(
            figures(Locale::En).render().unwrap(),
            "54.30 1204.000 2065892.87 42.50 2026-11 2026-09-01"
        );
        assert_eq!(
            figures(Locale::Ru).render().unwrap(),
            "54,30 1\u{a0}204,000 2\u{a0}065\u{a0}892,87 42,50 ноябрь 2026 01.09.2026"
        );
    }
}
