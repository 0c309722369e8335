//! Template filters that print decimals with the fixed number of places
//! their column holds, so figures line up in tables (never via f64).
//! A template's module brings them in with `use crate::views::filters;`.

use std::fmt::Display;

/// m², to 0.01: `{{ apartment.area|area }}`.
#[askama::filter_fn]
pub fn area(value: impl Display, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(format!("{value:.2}"))
}

/// m³ on a meter's dial or consumed, to 0.001: `{{ reading.value|volume }}`.
#[askama::filter_fn]
pub fn volume(value: impl Display, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(format!("{value:.3}"))
}

/// ₽, to kopecks: `{{ total|money }}`.
#[askama::filter_fn]
pub fn money(value: impl Display, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(format!("{value:.2}"))
}

/// ₽ per m³ or m², to 0.0001: `{{ tariff.price|price }}`.
#[askama::filter_fn]
pub fn price(value: impl Display, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(format!("{value:.4}"))
}

#[cfg(test)]
mod tests {
    use askama::Template;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    use crate::views::filters;

    #[derive(Template)]
    #[template(
        source = "{{ a|area }} {{ v|volume }} {{ m|money }} {{ p|price }}",
        ext = "txt"
    )]
    struct Figures {
        a: Decimal,
        v: Decimal,
        m: Decimal,
        p: Decimal,
    }

    #[test]
    fn decimals_print_with_their_columns_places() {
        let figures = Figures {
            a: dec!(54.3),
            v: dec!(1204),
            m: dec!(1131.68),
            p: dec!(42.5),
        };
        assert_eq!(figures.render().unwrap(), "54.30 1204.000 1131.68 42.5000");
    }
}
