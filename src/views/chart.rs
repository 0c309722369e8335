//! The meter page's consumption chart: one bar per month, drawn as SVG by
//! the template from the coordinates computed here. Scale and tick values
//! stay `Decimal`; only the final pixel positions are `f64`.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::domain::Period;
use crate::i18n::{Arg, Locale, format};

/// The chart's coordinate system (the SVG's viewBox); CSS scales it.
pub const WIDTH: f64 = 720.0;
pub const HEIGHT: f64 = 260.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 40.0;
/// The newest months shown; the table below the chart has the rest.
pub const MAX_MONTHS: usize = 24;
/// Month labels that fit side by side under the axis.
const MAX_LABELS: usize = 12;
/// Share of a month's slot its bar fills.
const BAR_SHARE: f64 = 0.7;

/// One month's bar: consumption since the reading before.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub period: Period,
    pub value: Decimal,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Where the value is written above the bar.
    pub label_x: f64,
    pub label_y: f64,
}

impl Bar {
    /// What hovering the bar tells: «ноябрь 2026: 3,250 м³».
    pub fn title(&self, locale: &Locale) -> String {
        let locale = *locale;
        locale.text_with(
            "chart-bar",
            &[
                ("month", Arg::from(format::month(self.period, locale))),
                ("value", Arg::from(format::volume(self.value, locale))),
            ],
        )
    }
}

/// A month under the x axis.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthLabel {
    pub period: Period,
    pub x: f64,
}

impl MonthLabel {
    /// Short enough for twelve side by side: `11.2026`, in English `2026-11`.
    pub fn label(&self, locale: &Locale) -> String {
        match locale {
            Locale::En => self.period.to_string(),
            Locale::Ru => format!("{:02}.{}", self.period.month(), self.period.year()),
        }
    }
}

/// A gridline of the y axis with its value (m³).
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub y: f64,
    pub value: Decimal,
    /// Decimal places the tick labels need (the step's).
    pub places: u32,
}

impl Tick {
    pub fn label(&self, locale: &Locale) -> String {
        format::decimal(self.value, self.places, *locale)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConsumptionChart {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub bars: Vec<Bar>,
    pub months: Vec<MonthLabel>,
    pub ticks: Vec<Tick>,
    /// Values above the bars when there is room for them.
    pub show_values: bool,
    pub first: Period,
    pub last: Period,
    /// Months along the axis, with a reading or not.
    pub slots: usize,
    /// The month of the highest consumption, and that consumption.
    pub peak: (Period, Decimal),
}

impl ConsumptionChart {
    /// `points`: (month, consumption) oldest first, one per reading. Months
    /// between readings get an empty slot so time runs evenly along the
    /// axis. None without readings.
    pub fn new(points: &[(Period, Decimal)]) -> Option<Self> {
        let last = points.last()?.0;
        let oldest = points.first()?.0;
        let span = (last.year() - oldest.year()) * 12 + last.month() as i32 - oldest.month() as i32;
        let months = usize::try_from(span + 1).unwrap_or(1).clamp(1, MAX_MONTHS);
        let mut first = last;
        for _ in 1..months {
            first = first.previous();
        }
        let shown: Vec<(Period, Decimal)> = points
            .iter()
            .copied()
            .filter(|(p, _)| *p >= first)
            .collect();
        let peak = shown
            .iter()
            .copied()
            .fold(shown[0], |best, p| if p.1 > best.1 { p } else { best });
        let (top_value, step) = scale(peak.1);

        let plot_width = WIDTH - LEFT - RIGHT;
        let plot_height = HEIGHT - TOP - BOTTOM;
        let baseline = HEIGHT - BOTTOM;
        let slot = plot_width / months as f64;
        let y_of = |value: Decimal| baseline - fraction(value, top_value) * plot_height;

        let mut slots = Vec::with_capacity(months);
        let mut month = first;
        for _ in 0..months {
            slots.push(month);
            month = month.next();
        }
        let slot_x = |period: Period| {
            let index = slots.iter().position(|p| *p == period).unwrap_or(0);
            LEFT + slot * index as f64
        };
        let bars = shown
            .iter()
            .map(|&(period, value)| {
                let y = px(y_of(value.max(Decimal::ZERO)));
                let x = px(slot_x(period) + slot * (1.0 - BAR_SHARE) / 2.0);
                Bar {
                    period,
                    value,
                    x,
                    y,
                    width: px(slot * BAR_SHARE),
                    height: px(baseline - y),
                    label_x: px(slot_x(period) + slot / 2.0),
                    label_y: px(y - 4.0),
                }
            })
            .collect();
        let every = months.div_ceil(MAX_LABELS);
        // Label the newest month and every `every`-th one before it.
        let months_labels = slots
            .iter()
            .enumerate()
            .filter(|(i, _)| (months - 1 - i) % every == 0)
            .map(|(_, &period)| MonthLabel {
                period,
                x: px(slot_x(period) + slot / 2.0),
            })
            .collect();
        let places = step.normalize().scale();
        let mut ticks = Vec::new();
        let mut value = Decimal::ZERO;
        while value <= top_value {
            ticks.push(Tick {
                y: px(y_of(value)),
                value,
                places,
            });
            value += step;
        }
        Some(Self {
            width: WIDTH,
            height: HEIGHT,
            left: LEFT,
            right: WIDTH - RIGHT,
            top: TOP,
            bottom: baseline,
            bars,
            months: months_labels,
            ticks,
            show_values: months <= MAX_LABELS,
            first,
            last,
            slots: months,
            peak,
        })
    }

    /// Newest first in the document, as the readings table lists them
    /// (the x coordinates place them oldest to newest).
    pub fn bars_newest_first(&self) -> impl Iterator<Item = &Bar> {
        self.bars.iter().rev()
    }

    pub fn months_newest_first(&self) -> impl Iterator<Item = &MonthLabel> {
        self.months.iter().rev()
    }

    /// For the SVG's `<desc>`: what the chart shows, in words.
    pub fn description(&self, locale: &Locale) -> String {
        let locale = *locale;
        let month = |period: Period| Arg::from(format::month(period, locale));
        let value = ("value", Arg::from(format::volume(self.peak.1, locale)));
        let peak = ("peak", month(self.peak.0));
        if self.first == self.last {
            locale.text_with(
                "chart-description-one",
                &[("month", month(self.last)), value, peak],
            )
        } else {
            locale.text_with(
                "chart-description-many",
                &[
                    ("count", Arg::from(self.slots)),
                    ("first", month(self.first)),
                    ("last", month(self.last)),
                    value,
                    peak,
                ],
            )
        }
    }
}

/// The top of the y axis and its gridline step for values up to `max`: the
/// smallest step of 1, 2 or 5 × 10ⁿ (from 0.001, the readings' precision)
/// that covers `max` in at most five steps, and `max` rounded up to it.
pub fn scale(max: Decimal) -> (Decimal, Decimal) {
    if max <= Decimal::ZERO {
        return (Decimal::ONE, Decimal::ONE);
    }
    let five = Decimal::from(5);
    let mut magnitude = Decimal::new(1, 3);
    loop {
        for factor in [1, 2, 5] {
            let step = magnitude * Decimal::from(factor);
            if step * five >= max {
                return ((max / step).ceil() * step, step);
            }
        }
        match magnitude.checked_mul(Decimal::TEN) {
            Some(next) => magnitude = next,
            // Beyond any meter's dial; one step then.
            None => return (max, max),
        }
    }
}

/// `value / top` clamped to 0..=1: the only place a decimal becomes f64.
fn fraction(value: Decimal, top: Decimal) -> f64 {
    (value / top).to_f64().unwrap_or(0.0).clamp(0.0, 1.0)
}

/// A pixel coordinate to 0.1, so the SVG stays short.
fn px(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    fn baseline() -> f64 {
        HEIGHT - BOTTOM
    }

    #[test]
    fn the_scale_rounds_up_to_a_step_of_one_two_or_five() {
        assert_eq!(scale(dec!(7.3)), (dec!(8), dec!(2)));
        assert_eq!(scale(dec!(10)), (dec!(10), dec!(2)));
        assert_eq!(scale(dec!(3.25)), (dec!(4), dec!(1)));
        assert_eq!(scale(dec!(0.004)), (dec!(0.004), dec!(0.001)));
        assert_eq!(scale(dec!(12.5)), (dec!(15), dec!(5)));
        assert_eq!(scale(dec!(1234)), (dec!(1500), dec!(500)));
    }

    #[test]
    fn nothing_consumed_still_gets_an_axis() {
        assert_eq!(scale(Decimal::ZERO), (Decimal::ONE, Decimal::ONE));
        let chart =
            ConsumptionChart::new(&[(p("2026-01"), dec!(0)), (p("2026-02"), dec!(0))]).unwrap();
        assert!(
            chart
                .bars
                .iter()
                .all(|b| b.height == 0.0 && b.y == baseline())
        );
        assert_eq!(chart.ticks.len(), 2);
        assert_eq!(chart.ticks[1].label(&Locale::En), "1");
    }

    #[test]
    fn no_readings_no_chart() {
        assert_eq!(ConsumptionChart::new(&[]), None);
    }

    #[test]
    fn bars_are_scaled_to_the_rounded_top() {
        let chart = ConsumptionChart::new(&[
            (p("2026-01"), dec!(2)),
            (p("2026-02"), dec!(4)),
            (p("2026-03"), dec!(3.5)),
        ])
        .unwrap();
        let plot = HEIGHT - TOP - BOTTOM;
        // Top of the axis is 4 (steps of 1): 4 fills the plot, 2 half of it.
        assert_eq!(chart.bars[1].y, TOP);
        assert_eq!(chart.bars[1].height, plot);
        assert_eq!(chart.bars[0].height, plot / 2.0);
        assert_eq!(chart.bars[2].height, plot * 0.875);
        assert!(chart.bars.iter().all(|b| b.y + b.height == baseline()));
        // Three slots side by side, bars 70 % of a slot, centred.
        let slot = (WIDTH - LEFT - RIGHT) / 3.0;
        assert_eq!(chart.bars[0].x, px(LEFT + slot * 0.15));
        assert_eq!(chart.bars[1].x, px(LEFT + slot * 1.15));
        assert_eq!(chart.bars[0].width, px(slot * 0.7));
        let ticks: Vec<String> = chart.ticks.iter().map(|t| t.label(&Locale::En)).collect();
        assert_eq!(ticks, ["0", "1", "2", "3", "4"]);
        assert_eq!(chart.ticks[0].y, baseline());
        assert_eq!(chart.ticks[4].y, TOP);
        assert!(chart.show_values);
        assert_eq!(chart.peak, (p("2026-02"), dec!(4)));
        assert_eq!(
            chart.description(&Locale::En),
            "Water consumed each month in the 3 months up to 2026-03, in m³. \
             The highest was 4.000 m³ in 2026-02."
        );
        assert_eq!(
            chart.description(&Locale::Ru),
            "Расход воды по месяцам за 3 месяца: январь 2026 — март 2026, м³. \
             Наибольший — 4,000 м³ за февраль 2026."
        );
        assert_eq!(chart.bars[1].title(&Locale::Ru), "февраль 2026: 4,000 м³");
        assert_eq!(chart.months[2].label(&Locale::Ru), "03.2026");
    }

    #[test]
    fn fractional_steps_print_their_places() {
        let chart = ConsumptionChart::new(&[(p("2026-05"), dec!(0.35))]).unwrap();
        let ticks: Vec<String> = chart.ticks.iter().map(|t| t.label(&Locale::En)).collect();
        assert_eq!(ticks, ["0.0", "0.1", "0.2", "0.3", "0.4"]);
        assert_eq!(chart.ticks[1].label(&Locale::Ru), "0,1");
        // One reading: one full-width slot.
        assert_eq!(chart.months.len(), 1);
        assert_eq!(chart.bars[0].height, px((HEIGHT - TOP - BOTTOM) * 0.875));
    }

    #[test]
    fn months_without_a_reading_leave_a_gap() {
        let chart =
            ConsumptionChart::new(&[(p("2025-11"), dec!(1)), (p("2026-02"), dec!(3))]).unwrap();
        // Nov, Dec, Jan, Feb: four slots, bars in the first and the last.
        let slot = (WIDTH - LEFT - RIGHT) / 4.0;
        assert_eq!(chart.bars.len(), 2);
        assert_eq!(chart.bars[1].x, px(LEFT + slot * 3.15));
        let labels: Vec<String> = chart.months.iter().map(|m| m.period.to_string()).collect();
        assert_eq!(labels, ["2025-11", "2025-12", "2026-01", "2026-02"]);
    }

    #[test]
    fn long_histories_show_the_newest_months_with_fewer_labels() {
        let mut points = Vec::new();
        let mut month = p("2022-01");
        for i in 0..48 {
            points.push((month, Decimal::from(i)));
            month = month.next();
        }
        let chart = ConsumptionChart::new(&points).unwrap();
        assert_eq!(chart.bars.len(), MAX_MONTHS);
        assert_eq!(chart.first, p("2024-01"));
        assert_eq!(chart.last, p("2025-12"));
        assert_eq!(chart.months.len(), 12, "every second month");
        assert_eq!(chart.months.last().unwrap().period, p("2025-12"));
        assert!(!chart.show_values);
        // The last bar is the peak and reaches the top (47 -> axis 50).
        assert_eq!(chart.ticks.last().unwrap().value, dec!(50));
        let slot = (WIDTH - LEFT - RIGHT) / 24.0;
        assert_eq!(chart.bars.last().unwrap().x, px(LEFT + slot * 23.15));
        // 47 of 50: 3/50 of the plot below the top.
        let plot = HEIGHT - TOP - BOTTOM;
        assert_eq!(chart.bars.last().unwrap().y, TOP + px(plot * 0.06));
    }

    #[test]
    fn a_negative_consumption_draws_no_bar_below_the_axis() {
        // Possible only if the initial reading was raised after readings.
        let chart =
            ConsumptionChart::new(&[(p("2026-01"), dec!(-2)), (p("2026-02"), dec!(3))]).unwrap();
        assert_eq!(chart.bars[0].height, 0.0);
        assert_eq!(chart.bars[0].value, dec!(-2));
        assert_eq!(chart.ticks[0].value, Decimal::ZERO);
    }
}
