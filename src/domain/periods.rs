//! A house's billing periods: the months up to `closed_through` are closed
//! (their readings, runs and charges never change); the first month after
//! them is the house's current period, the one pages open on.

use super::{Period, Problem};

/// The closed months of one house: every month through one, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Periods {
    pub closed_through: Option<Period>,
}

impl Periods {
    pub fn new(closed_through: Option<Period>) -> Self {
        Self { closed_through }
    }

    pub fn is_closed(self, period: Period) -> bool {
        self.closed_through.is_some_and(|last| period <= last)
    }

    /// The first open month; with nothing closed, the month before `today`,
    /// whose readings are in.
    pub fn current(self, today: Period) -> Period {
        match self.closed_through {
            Some(last) => last.next(),
            None => today.previous(),
        }
    }

    /// Months close in order: the one after the last closed (with none
    /// closed, any month, and every earlier month counts as closed too).
    pub fn may_close(self, period: Period) -> Result<(), Problem> {
        match self.closed_through {
            Some(last) if period <= last => Err(Problem::PeriodClosed(period)),
            Some(last) if period != last.next() => Err(Problem::CloseInOrder { next: last.next() }),
            _ => Ok(()),
        }
    }

    /// Only the last closed month reopens; the month before it becomes the
    /// last closed.
    pub fn may_reopen(self, period: Period) -> Result<Option<Period>, Problem> {
        match self.closed_through {
            Some(last) if last == period => Ok(Some(period.previous())),
            Some(last) => Err(Problem::ReopenLastOnly { last }),
            None => Err(Problem::NothingClosed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(year: i32, month: u32) -> Period {
        Period::new(year, month).unwrap()
    }

    #[test]
    fn the_current_period_follows_the_last_closed_month() {
        let today = month(2026, 12);
        assert_eq!(Periods::default().current(today), month(2026, 11));
        let closed = Periods::new(Some(month(2026, 9)));
        assert_eq!(closed.current(today), month(2026, 10));
        assert!(closed.is_closed(month(2026, 9)) && closed.is_closed(month(2025, 1)));
        assert!(!closed.is_closed(month(2026, 10)));
        assert!(!Periods::default().is_closed(month(1900, 1)));
    }

    #[test]
    fn months_close_in_order_and_only_the_last_reopens() {
        assert_eq!(Periods::default().may_close(month(2026, 6)), Ok(()));
        let closed = Periods::new(Some(month(2026, 9)));
        assert_eq!(closed.may_close(month(2026, 10)), Ok(()));
        assert_eq!(
            closed.may_close(month(2026, 11)),
            Err(Problem::CloseInOrder {
                next: month(2026, 10)
            })
        );
        assert_eq!(
            closed.may_close(month(2026, 9)),
            Err(Problem::PeriodClosed(month(2026, 9)))
        );
        assert_eq!(closed.may_reopen(month(2026, 9)), Ok(Some(month(2026, 8))));
        assert_eq!(
            closed.may_reopen(month(2026, 8)),
            Err(Problem::ReopenLastOnly {
                last: month(2026, 9)
            })
        );
        assert_eq!(
            Periods::default().may_reopen(month(2026, 8)),
            Err(Problem::NothingClosed)
        );
    }
}
