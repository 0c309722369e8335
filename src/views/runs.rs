//! How billing runs read in the tables of the runs list, the dashboard and
//! the house page: status, times, duration and the links to a run's
//! progress and results.

use chrono::{DateTime, Utc};

use crate::db::models::{BillingRun, BillingRunId, House, HouseId};
use crate::db::queries::run_listing::RunRow;
use crate::domain::{Period, RunStatus, TimeZone};
use crate::i18n::format::date_time;
use crate::i18n::{Arg, Locale};

/// A run's duration as `locale` writes it: «0,4 с», «12 с», «3 мин 05 с»,
/// «1 ч 02 мин»; in English "0.4 s", "12 s", "3 min 05 s", "1 h 02 min".
pub fn duration_in(duration: chrono::Duration, locale: Locale) -> String {
    let ms = duration.num_milliseconds().max(0);
    if ms < 10_000 {
        let point = if locale == Locale::Ru { ',' } else { '.' };
        let seconds = format!("{}{point}{}", ms / 1000, ms % 1000 / 100);
        return locale.text_with("runs-seconds", &[("seconds", Arg::from(seconds))]);
    }
    let secs = ms / 1000;
    match secs {
        0..60 => locale.text_with("runs-seconds", &[("seconds", Arg::from(secs.to_string()))]),
        60..3600 => locale.text_with(
            "runs-minutes",
            &[
                ("minutes", Arg::from((secs / 60).to_string())),
                ("seconds", Arg::from(format!("{:02}", secs % 60))),
            ],
        ),
        _ => locale.text_with(
            "runs-hours",
            &[
                ("hours", Arg::from((secs / 3600).to_string())),
                ("minutes", Arg::from(format!("{:02}", secs % 3600 / 60))),
            ],
        ),
    }
}

/// A run as tables show it, with its house's address.
#[derive(Debug, Clone)]
pub struct RunLine {
    pub run: BillingRun,
    pub address: String,
    /// Its house's: the zone its times are shown in.
    pub zone: TimeZone,
    /// The newer run of its house and month whose lines replaced its own.
    pub replaced_by: Option<BillingRunId>,
}

impl From<RunRow> for RunLine {
    fn from(row: RunRow) -> Self {
        Self {
            run: row.run,
            address: row.address,
            zone: row.time_zone,
            replaced_by: row.replaced_by,
        }
    }
}

impl RunLine {
    pub fn new(run: BillingRun, house: &House, replaced_by: Option<BillingRunId>) -> Self {
        Self {
            run,
            address: house.address.clone(),
            zone: house.time_zone,
            replaced_by,
        }
    }

    pub fn progress_href(&self) -> String {
        format!("/billing-runs/{}", self.run.id)
    }

    /// The results page of the run's house and month, naming the run, so a
    /// run replaced since says so instead of showing the newer one's lines.
    pub fn results_href(&self) -> String {
        run_results_href(self.run.house_id, self.run.period, self.run.id)
    }

    /// Its lines disagree with its inputs now, and no newer run replaced
    /// them: the month needs billing again.
    pub fn needs_billing_again(&self) -> bool {
        self.run.is_stale() && self.replaced_by.is_none() && !self.run.status.is_active()
    }

    /// Stale while it still runs: it will complete stale.
    pub fn is_running_stale(&self) -> bool {
        self.run.is_stale() && self.run.status.is_active()
    }

    pub fn is_completed(&self) -> bool {
        self.run.status == RunStatus::Completed
    }

    pub fn is_failed(&self) -> bool {
        self.run.status == RunStatus::Failed
    }

    pub fn percent(&self) -> u8 {
        self.run.percent()
    }

    /// A moment of the run as `locale` writes it, in its house's time zone:
    /// «25.11.2026 14:03», "2026-11-25 14:03"; "—" for none.
    pub fn moment(&self, at: Option<DateTime<Utc>>, locale: Locale) -> String {
        at.map_or_else(|| "—".into(), |at| date_time(at, self.zone.tz(), locale))
    }

    /// When it was queued, in the page's language and its house's time zone.
    pub fn created_in(&self, locale: &Locale) -> String {
        self.moment(Some(self.run.created_at), *locale)
    }

    /// When a worker first took it; "—" while queued.
    pub fn started_in(&self, locale: &Locale) -> String {
        self.moment(self.run.started_at, *locale)
    }

    pub fn finished_in(&self, locale: &Locale) -> String {
        self.moment(self.run.finished_at, *locale)
    }

    /// Start to finish, or so far while it runs, in the page's language.
    pub fn duration_in(&self, locale: &Locale) -> String {
        self.run
            .duration(Utc::now())
            .map_or_else(|| "—".into(), |d| duration_in(d, *locale))
    }

    /// Why it failed, in the page's language; the stored English sentence
    /// for a run failed before failures had kinds.
    pub fn failure(&self, locale: &Locale) -> Option<String> {
        match self.run.failure {
            Some(failure) => Some(locale.name(failure)),
            None => self.run.error.clone(),
        }
    }

    /// «расчётом № 12», "run #12": the run that replaced this one's lines.
    pub fn replacing_run(&self, locale: &Locale) -> String {
        let id = self.replaced_by.map_or(0, |id| id.0);
        locale.text_with("runs-replacing-run", &[("id", Arg::from(id.to_string()))])
    }
}

pub fn run_results_href(house: HouseId, period: Period, run: BillingRunId) -> String {
    format!("/houses/{house}/charges?period={period}&run={run}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_at_a_glance() {
        let ms = chrono::Duration::milliseconds;
        let en = |d| duration_in(d, Locale::En);
        assert_eq!(en(ms(0)), "0.0 s");
        assert_eq!(en(ms(1_480)), "1.4 s");
        assert_eq!(en(ms(42_000)), "42 s");
        assert_eq!(en(ms(185_000)), "3 min 05 s");
        assert_eq!(en(ms(3_725_000)), "1 h 02 min");
        assert_eq!(en(ms(-5)), "0.0 s");
        assert_eq!(duration_in(ms(1_480), Locale::Ru), "1,4 с");
        assert_eq!(duration_in(ms(42_000), Locale::Ru), "42 с");
        assert_eq!(duration_in(ms(185_000), Locale::Ru), "3 мин 05 с");
        assert_eq!(duration_in(ms(3_725_000), Locale::Ru), "1 ч 02 мин");
        assert_eq!(duration_in(ms(185_000), Locale::En), "3 min 05 s");
    }
}
