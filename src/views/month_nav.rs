//! The month navigation of the pages that show one month of a house (its
//! readings, its results): the previous and next month and a picker.
//! Templates include `partials/month_nav.html` with a `month_nav` in scope.

use super::forms::Choice;
use crate::domain::Period;

#[derive(Debug, Clone)]
pub struct MonthNav {
    /// The page's path; the month goes into `?period=`.
    pub base: String,
    pub period: Period,
    /// The last month the page may show: no "next" link past it.
    latest: Period,
    /// What the picker offers, latest first, the shown month among them.
    pub choices: Vec<Choice>,
    /// Why there is no next month, shown on the disabled link.
    pub limit_note: String,
}

impl MonthNav {
    /// `months` are offered (latest first) with `label`, and the shown month
    /// too wherever it falls.
    pub fn new(
        base: String,
        period: Period,
        latest: Period,
        mut months: Vec<Period>,
        label: impl Fn(Period) -> String,
        limit_note: String,
    ) -> Self {
        if !months.contains(&period) {
            months.push(period);
            months.sort_by(|a, b| b.cmp(a));
        }
        let choices = months
            .into_iter()
            .map(|p| Choice::new(p.to_string(), label(p)))
            .collect();
        Self {
            base,
            period,
            latest,
            choices,
            limit_note,
        }
    }

    pub fn href(&self, period: Period) -> String {
        format!("{}?period={period}", self.base)
    }

    pub fn previous_href(&self) -> String {
        self.href(self.period.previous())
    }

    /// None past the last month the page may show.
    pub fn next_href(&self) -> Option<String> {
        (self.period < self.latest).then(|| self.href(self.period.next()))
    }

    pub fn is_shown(&self, choice: &Choice) -> bool {
        choice.is(&self.period.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn the_shown_month_is_offered_in_order_and_next_stops_at_the_latest() {
        let nav = MonthNav::new(
            "/houses/7/charges".into(),
            p("2026-05"),
            p("2026-12"),
            vec![p("2026-11"), p("2026-03")],
            |m| m.to_string(),
            "up to 2026-12".into(),
        );
        let values: Vec<&str> = nav.choices.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["2026-11", "2026-05", "2026-03"]);
        assert_eq!(nav.previous_href(), "/houses/7/charges?period=2026-04");
        assert_eq!(
            nav.next_href().as_deref(),
            Some("/houses/7/charges?period=2026-06")
        );
        assert!(nav.is_shown(&nav.choices[1]));
        let last = MonthNav::new(
            "/x".into(),
            p("2026-12"),
            p("2026-12"),
            vec![],
            |m| m.to_string(),
            String::new(),
        );
        assert_eq!(last.next_href(), None);
    }
}
