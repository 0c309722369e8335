//! Billing pages: the runs list, a run's progress, and a house's results
//! for a month with what explains every line; plus the start forms' fields
//! and how runs read in a table (status, times, duration).

use askama::Template;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::filters;
use super::month_nav::MonthNav;
use super::pager::{Pager, page_number};
use super::runs::RunLine;
use crate::billing::charges::{ApartmentCharges, ChargeLine, HouseCharges, PenaltyLine};
use crate::billing::{StartError, StartedAll};
use crate::db::models::{BillingRun, BillingRunId, House, HouseId};
use crate::db::queries::run_listing::RunRow;
use crate::domain::input;
use crate::domain::{LineMethod, Period, Problem, RunStatus, Service, Unit};
use crate::error::AppError;
use crate::http::FlashLink;
use crate::i18n::format;
use crate::i18n::{Arg, Locale};
use crate::views::page::PageCtx;

/// Runs per page of the runs list.
pub const RUNS_PER_PAGE: i64 = 50;
/// Apartments per page of the results.
pub const APARTMENTS_PER_PAGE: usize = 100;

/// A count of apartments as a figure: «1 200» in Russian.
pub fn count_text(count: i32, locale: Locale) -> Arg {
    format::decimal(Decimal::from(count), 0, locale).into()
}

/// The month a start form offers: the one just ended, whose readings are in.
pub fn default_bill_period() -> Period {
    Period::current().previous()
}

/// The house page's start form: the month as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct StartForm {
    #[serde(default)]
    pub period: String,
}

/// The dashboard's start form: an empty `house_id` bills every house.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct StartAllForm {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub house_id: String,
}

/// Which houses the dashboard form asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    All,
    One(HouseId),
}

impl StartAllForm {
    /// None for a house id that is no number (only a forged form has one).
    pub fn target(&self) -> Option<Target> {
        let raw = self.house_id.trim();
        if raw.is_empty() {
            return Some(Target::All);
        }
        raw.parse().ok().map(|id| Target::One(HouseId(id)))
    }
}

/// `?page=N` of the runs list.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct RunsQuery {
    #[serde(default)]
    pub page: String,
}

impl RunsQuery {
    pub fn page(&self) -> i64 {
        page_number(&self.page)
    }

    pub fn offset(&self) -> i64 {
        (self.page() - 1) * RUNS_PER_PAGE
    }
}

#[derive(Template)]
#[template(path = "billing/runs.html")]
pub struct RunsPage {
    pub ctx: PageCtx,
    /// All runs, however many are shown.
    pub count: i64,
    pub runs: Vec<RunLine>,
    pub pager: Pager,
}

impl RunsPage {
    pub fn new(ctx: PageCtx, page: i64, count: i64, runs: Vec<RunRow>) -> Self {
        Self {
            ctx,
            count,
            runs: runs.into_iter().map(RunLine::from).collect(),
            pager: Pager::new(
                "/billing-runs".into(),
                Vec::new(),
                page,
                count,
                RUNS_PER_PAGE,
            ),
        }
    }
}

impl RunsPage {
    pub fn run_count(&self) -> String {
        self.ctx
            .locale
            .text_with("billing-run-count", &[("count", self.count.into())])
    }

    pub fn no_page(&self) -> String {
        self.ctx.locale.text_with(
            "billing-no-page",
            &[
                ("page", self.pager.page.into()),
                ("pages", self.pager.pages.into()),
            ],
        )
    }

    pub fn started(&self, line: &RunLine) -> String {
        line.moment(line.run.started_at, self.ctx.locale)
    }

    pub fn processed(&self, line: &RunLine) -> String {
        format::decimal(Decimal::from(line.run.processed), 0, self.ctx.locale)
    }

    pub fn total(&self, line: &RunLine) -> String {
        format::decimal(Decimal::from(line.run.total), 0, self.ctx.locale)
    }
}

#[derive(Template)]
#[template(path = "billing/progress.html")]
pub struct ProgressPage {
    pub ctx: PageCtx,
    pub line: RunLine,
    pub house: House,
}

impl ProgressPage {
    pub fn new(
        ctx: PageCtx,
        run: BillingRun,
        house: House,
        replaced_by: Option<BillingRunId>,
    ) -> Self {
        Self {
            ctx,
            line: RunLine::new(run, &house, replaced_by),
            house,
        }
    }

    pub fn run(&self) -> &BillingRun {
        &self.line.run
    }

    pub fn is_active(&self) -> bool {
        self.line.run.status.is_active()
    }

    pub fn api_href(&self) -> String {
        format!("/api/v1/billing-runs/{}", self.line.run.id)
    }

    /// A `<progress>` needs max > 0: a run of no apartments shows 1 of 1
    /// once done.
    pub fn progress_max(&self) -> i32 {
        self.line.run.total.max(1)
    }

    pub fn progress_value(&self) -> i32 {
        let run = &self.line.run;
        if run.total <= 0 {
            i32::from(run.status == RunStatus::Completed)
        } else {
            run.processed.clamp(0, run.total)
        }
    }

    pub fn is_failed(&self) -> bool {
        self.line.run.status == RunStatus::Failed
    }

    fn month_arg(&self) -> Arg {
        format::month(self.line.run.period, self.ctx.locale).into()
    }

    /// The message `key` whose one argument is the run's month.
    pub fn with_month(&self, key: &str) -> String {
        self.ctx.locale.with_month(key, self.line.run.period)
    }

    pub fn title(&self) -> String {
        self.ctx.locale.text_with(
            "billing-run-title",
            &[
                ("run", self.line.run.id.to_string().into()),
                ("month", self.month_arg()),
            ],
        )
    }

    pub fn run_number(&self) -> String {
        self.ctx.locale.text_with(
            "billing-run-number",
            &[("run", self.line.run.id.to_string().into())],
        )
    }

    pub fn queued(&self) -> String {
        self.ctx.locale.text_with(
            "billing-run-queued",
            &[
                ("run", self.line.run.id.to_string().into()),
                ("at", self.line.created_in(&self.ctx.locale).into()),
            ],
        )
    }

    pub fn started(&self) -> String {
        self.line.started_in(&self.ctx.locale)
    }

    pub fn finished(&self) -> String {
        self.line.finished_in(&self.ctx.locale)
    }

    /// «Рассчитано 1 200 из 2 000», "1200 of 2000 apartments".
    pub fn counts(&self) -> String {
        let run = &self.line.run;
        self.ctx.locale.text_with(
            "billing-progress-counts",
            &[
                ("processed", count_text(run.processed, self.ctx.locale)),
                ("total", count_text(run.total, self.ctx.locale)),
                ("count", i64::from(run.total).into()),
            ],
        )
    }

    /// The counts for progress.js, with `{processed}` and `{total}` to fill
    /// in, as a total of `count` says them (1: one, 5: many).
    pub fn counts_template(&self, count: i64) -> String {
        self.ctx.locale.text_with(
            "billing-progress-counts",
            &[
                ("processed", "{processed}".into()),
                ("total", "{total}".into()),
                ("count", count.into()),
            ],
        )
    }

    /// Every status as the script names it.
    pub fn status_labels(&self) -> Vec<(&'static str, String)> {
        [
            RunStatus::Queued,
            RunStatus::Running,
            RunStatus::Completed,
            RunStatus::Failed,
        ]
        .into_iter()
        .map(|status| (status.as_str(), self.ctx.name(&status)))
        .collect()
    }

    pub fn replaced_link(&self, newer: &BillingRunId) -> String {
        self.ctx.locale.text_with(
            "billing-progress-replaced-link",
            &[("run", newer.to_string().into())],
        )
    }

    pub fn failed(&self, error: &str) -> String {
        self.ctx
            .locale
            .text_with("billing-run-failed", &[("error", error.into())])
    }
}

/// `?period=YYYY-MM&page=N&run=N` of the results page; text, so a
/// hand-edited URL gets our own message. `run` names the run whose results
/// were asked for (a link from that run).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ChargesQuery {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub run: String,
}

impl ChargesQuery {
    /// The run asked for; None when none is.
    pub fn run(&self) -> Result<Option<BillingRunId>, AppError> {
        let raw = self.run.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        raw.parse()
            .map(|id| Some(BillingRunId(id)))
            .map_err(|_| AppError::BadRequest(Problem::RunNotANumber))
    }

    /// The month asked for; None when none is.
    pub fn period(&self) -> Result<Option<Period>, AppError> {
        if self.period.trim().is_empty() {
            return Ok(None);
        }
        input::period(&self.period)
            .map(Some)
            .map_err(AppError::BadRequest)
    }

    pub fn page(&self) -> i64 {
        page_number(&self.page)
    }
}

/// One charge line as the results page shows it, its explanation itemised.
#[derive(Debug, Clone)]
pub struct LineView {
    pub service: Service,
    pub quantity: Decimal,
    pub unit: Unit,
    pub unit_price: Decimal,
    pub valid_from: Period,
    pub amount: Decimal,
    pub missing_reading: bool,
    pub method: LineMethod,
    pub coefficient: Option<Decimal>,
    pub excess: Decimal,
    pub recalculation: bool,
    /// How it was found, a sentence per meter; empty when the stored
    /// explanation cannot be read.
    pub notes: Vec<String>,
}

impl LineView {
    fn new(line: ChargeLine, locale: Locale) -> Self {
        Self {
            notes: line.notes(locale),
            recalculation: line.is_recalculation(),
            method: line.method,
            coefficient: line.coefficient,
            excess: line.excess,
            service: line.service,
            quantity: line.quantity,
            unit: line.unit,
            unit_price: line.unit_price,
            valid_from: line.tariff_valid_from,
            amount: line.amount,
            missing_reading: line.missing_reading,
        }
    }

    /// m³ to the litre, m² to 0.01, as elsewhere on the pages.
    pub fn quantity_text(&self, locale: &Locale) -> String {
        match self.unit {
            Unit::CubicMetre => format::volume(self.quantity, *locale),
            Unit::SquareMetre => format::area(self.quantity, *locale),
        }
    }
}

/// The apartment's penalty as the results page shows it: the last line,
/// its debts in words as the account page says them.
#[derive(Debug, Clone)]
pub struct PenaltyView {
    pub account: String,
    pub amount: Decimal,
    /// A sentence per overdue month; empty when the stored explanation
    /// cannot be read.
    pub notes: Vec<String>,
}

impl PenaltyView {
    fn new(line: PenaltyLine, locale: Locale) -> Self {
        Self {
            notes: line.notes(locale),
            amount: line.amount,
            account: line.account,
        }
    }

    pub fn account_href(&self) -> String {
        super::accounts::account_href(&self.account)
    }
}

#[derive(Debug, Clone)]
pub struct ApartmentRow {
    pub id: i64,
    pub number: String,
    pub area: Decimal,
    /// Its lines and its penalty.
    pub total: Decimal,
    pub lines: Vec<LineView>,
    pub penalty: Option<PenaltyView>,
}

impl ApartmentRow {
    fn new(apartment: ApartmentCharges, locale: Locale) -> Self {
        Self {
            id: apartment.id.0,
            number: apartment.number,
            area: apartment.area,
            total: apartment.total,
            lines: apartment
                .lines
                .into_iter()
                .map(|line| LineView::new(line, locale))
                .collect(),
            penalty: apartment.penalty.map(|p| PenaltyView::new(p, locale)),
        }
    }
}

#[derive(Template)]
#[template(path = "billing/charges.html")]
pub struct ChargesPage {
    pub ctx: PageCtx,
    pub house: House,
    pub period: Period,
    pub total: Decimal,
    /// Apartments billed for the month, all pages.
    pub billed: usize,
    /// Lines with a missing reading, all pages.
    pub missing: usize,
    /// This page's apartments.
    pub apartments: Vec<ApartmentRow>,
    pub pager: Pager,
    /// The newest run of the house and month.
    pub run: Option<RunLine>,
    /// The run the link came from, when a newer one replaced its lines:
    /// the page then shows none of the newer lines under its name.
    pub replaced: Option<RunLine>,
    /// Months a run completed for, for the month picker.
    pub months: Vec<Period>,
}

impl ChargesPage {
    pub fn new(
        ctx: PageCtx,
        charges: HouseCharges,
        page: i64,
        run: Option<BillingRun>,
        replaced: Option<(BillingRun, BillingRunId)>,
        months: Vec<Period>,
    ) -> Self {
        let HouseCharges {
            house,
            period,
            total,
            apartments,
        } = charges;
        let missing = apartments
            .iter()
            .flat_map(|a| &a.lines)
            .filter(|l| l.missing_reading)
            .count();
        let billed = apartments.len();
        let skip = usize::try_from(page - 1)
            .unwrap_or(0)
            .saturating_mul(APARTMENTS_PER_PAGE);
        let shown = apartments
            .into_iter()
            .skip(skip)
            .take(APARTMENTS_PER_PAGE)
            .map(|apartment| ApartmentRow::new(apartment, ctx.locale))
            .collect();
        let replaced = replaced.map(|(run, by)| RunLine::new(run, &house, Some(by)));
        let run = run.map(|run| RunLine::new(run, &house, None));
        Self {
            pager: Pager::new(
                format!("/houses/{}/charges", house.id),
                vec![("period", period.to_string())],
                page,
                billed as i64,
                APARTMENTS_PER_PAGE as i64,
            ),
            ctx,
            house,
            period,
            total,
            billed,
            missing,
            apartments: shown,
            replaced,
            run,
            months,
        }
    }

    pub fn is_billed(&self) -> bool {
        self.billed > 0
    }

    /// The month is closed for the house: nothing of it changes.
    pub fn is_closed(&self) -> bool {
        self.house.periods().is_closed(self.period)
    }

    /// «Закрыть период» is offered: the next month to close, its latest
    /// run completed and up to date (the server checks again).
    pub fn may_close(&self) -> bool {
        self.ctx.can_write()
            && self.house.periods().may_close(self.period).is_ok()
            && self.replaced.is_none()
            && self
                .run
                .as_ref()
                .is_some_and(|r| r.is_completed() && !r.run.is_stale())
    }

    /// «Открыть период заново»: an admin, on the last closed month.
    pub fn may_reopen(&self) -> bool {
        self.ctx.is_admin() && self.house.closed_through == Some(self.period)
    }

    /// The newest run's lines disagree with its inputs now.
    pub fn stale_run(&self) -> Option<&RunLine> {
        self.run.as_ref().filter(|r| r.needs_billing_again())
    }

    /// The results of the run that replaced the one asked for.
    pub fn newer_results_href(&self) -> Option<String> {
        let replaced = self.replaced.as_ref()?;
        let newer = replaced.replaced_by?;
        Some(super::runs::run_results_href(
            self.house.id,
            self.period,
            newer,
        ))
    }

    /// A run of this month is queued or running now.
    pub fn active_run(&self) -> Option<&RunLine> {
        self.run.as_ref().filter(|r| r.run.status.is_active())
    }

    pub fn csv_href(&self) -> String {
        format!(
            "/houses/{}/charges.csv?period={}",
            self.house.id, self.period
        )
    }

    /// The same month one row per apartment, a column per service.
    pub fn csv_by_apartment_href(&self) -> String {
        format!("{}&layout=apartments", self.csv_href())
    }

    /// The billed months, and the shown one wherever it is, latest first;
    /// no month after next (the last one a run may bill).
    pub fn month_nav(&self) -> MonthNav {
        let latest = Period::current().next();
        MonthNav::new(
            format!("/houses/{}/charges", self.house.id),
            self.period,
            latest,
            self.months.clone(),
            |p| {
                let month = format::month(p, self.ctx.locale);
                if self.house.periods().is_closed(p) {
                    self.ctx.locale.with_month("period-month-closed", p)
                } else if self.months.contains(&p) {
                    month
                } else {
                    self.ctx
                        .locale
                        .text_with("billing-month-not-billed", &[("month", month.into())])
                }
            },
            self.ctx.locale.with_month("billing-months-up-to", latest),
        )
    }

    fn month_arg(&self) -> Arg {
        format::month(self.period, self.ctx.locale).into()
    }

    /// The message `key` whose one argument is the page's month.
    pub fn with_month(&self, key: &str) -> String {
        self.ctx.locale.with_month(key, self.period)
    }

    pub fn title(&self) -> String {
        self.ctx.locale.text_with(
            "billing-results-title",
            &[
                ("month", self.month_arg()),
                ("address", self.house.address.clone().into()),
            ],
        )
    }

    /// The message `key` counting `count` (plural forms only).
    pub fn counted(&self, key: &str, count: &usize) -> String {
        self.ctx
            .locale
            .text_with(key, &[("count", (*count).into())])
    }

    pub fn finished(&self, line: &RunLine) -> String {
        line.moment(line.run.finished_at, self.ctx.locale)
    }

    pub fn active_notice(&self, active: &RunLine) -> String {
        self.ctx.locale.text_with(
            "billing-active-notice",
            &[
                ("month", self.month_arg()),
                (
                    "processed",
                    count_text(active.run.processed, self.ctx.locale),
                ),
                ("total", count_text(active.run.total, self.ctx.locale)),
            ],
        )
    }

    pub fn stale_text(&self, stale: &RunLine) -> String {
        self.ctx.locale.text_with(
            "billing-stale-text",
            &[
                ("month", self.month_arg()),
                ("run", stale.run.id.to_string().into()),
            ],
        )
    }

    pub fn page_of(&self) -> String {
        self.ctx.locale.text_with(
            "billing-page-of",
            &[
                ("page", self.pager.page.into()),
                ("pages", self.pager.pages.into()),
                ("count", self.apartments.len().into()),
            ],
        )
    }

    pub fn no_page(&self) -> String {
        self.ctx.locale.text_with(
            "billing-no-results-page",
            &[
                ("page", self.pager.page.into()),
                ("pages", self.pager.pages.into()),
            ],
        )
    }

    pub fn square_metre(&self) -> String {
        self.ctx.name(&Unit::SquareMetre)
    }

    pub fn cubic_metre(&self) -> String {
        self.ctx.name(&Unit::CubicMetre)
    }

    /// When the line's tariff started: «с 01.07.2026», "from 2026-07".
    pub fn tariff_from(&self, from: &Period) -> String {
        let from = match self.ctx.locale {
            Locale::Ru => format::date(from.first_day(), Locale::Ru),
            Locale::En => from.to_string(),
        };
        self.ctx
            .locale
            .text_with("billing-tariff-from", &[("from", from.into())])
    }

    /// «л/с 1001001001»: the account a penalty is charged to.
    pub fn penalty_account(&self, penalty: &PenaltyView) -> String {
        self.ctx.locale.text_with(
            "billing-penalty-account",
            &[("number", penalty.account.clone().into())],
        )
    }

    pub fn apartment_total(&self, apartment: &ApartmentRow) -> String {
        self.ctx.locale.text_with(
            "billing-apartment-total",
            &[("number", apartment.number.clone().into())],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::forms::house_choices;

    #[test]
    fn the_dashboard_form_names_all_houses_or_one() {
        let form = |id: &str| StartAllForm {
            period: "2026-10".into(),
            house_id: id.into(),
        };
        assert_eq!(form("").target(), Some(Target::All));
        assert_eq!(form(" 7 ").target(), Some(Target::One(HouseId(7))));
        assert_eq!(form("x").target(), None);
        let choices = house_choices("All houses", [(HouseId(7), "ул. Ленина, 1")]);
        assert_eq!(choices[0].label, "All houses");
        assert!(choices[0].is("") && choices[1].is("7"));
    }
}

/// A run "bill all houses" started, as its results page lists it.
#[derive(Debug, Clone)]
pub struct StartedLine {
    pub run: BillingRunId,
    pub house: HouseId,
    pub address: String,
    pub apartments: i32,
}

/// A house "bill all houses" could not start, with why.
#[derive(Debug, Clone)]
pub struct RefusedLine {
    pub house: HouseId,
    pub address: String,
    pub reason: StartRefusal,
}

/// What "bill all houses" did when some houses were refused: too long for
/// a flash, so a page of its own answers the form.
#[derive(Template)]
#[template(path = "billing/started_all.html")]
pub struct StartedAllPage {
    pub ctx: PageCtx,
    /// None: each house for its own current period.
    pub period: Option<Period>,
    pub started: Vec<StartedLine>,
    pub refused: Vec<RefusedLine>,
}

impl StartedAllPage {
    /// `houses` gives the started runs their addresses.
    pub fn new(ctx: PageCtx, period: Option<Period>, all: StartedAll, houses: &[House]) -> Self {
        let address = |id: HouseId| {
            houses
                .iter()
                .find(|h| h.id == id)
                .map(|h| h.address.clone())
                .unwrap_or_default()
        };
        Self {
            period,
            started: all
                .started
                .into_iter()
                .map(|run| StartedLine {
                    run: run.id,
                    house: run.house_id,
                    address: address(run.house_id),
                    apartments: run.total,
                })
                .collect(),
            refused: all
                .refused
                .into_iter()
                .map(|(house, reason)| RefusedLine {
                    house: house.id,
                    address: house.address,
                    reason: StartRefusal::new(&reason, ctx.locale),
                })
                .collect(),
            ctx,
        }
    }

    /// «Расчёт за ноябрь 2026: все дома», or of their current periods.
    pub fn heading(&self) -> String {
        match self.period {
            Some(period) => self.ctx.locale.with_month("billing-all-heading", period),
            None => self.ctx.t("billing-all-heading-current"),
        }
    }

    pub fn crumb(&self) -> String {
        match self.period {
            Some(period) => self.ctx.locale.with_month("billing-all-crumb", period),
            None => self.ctx.t("billing-all-crumb-current"),
        }
    }

    pub fn summary(&self) -> String {
        self.ctx.locale.text_with(
            "billing-all-summary",
            &[
                ("started", self.started.len().into()),
                ("refused", self.refused.len().into()),
            ],
        )
    }
}

/// Why a run did not start, as a page says it: the sentence and, where
/// there is something to do about it, a link (a missing tariff: the tariff
/// form with the service and month filled in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartRefusal {
    pub text: String,
    pub link: Option<FlashLink>,
}

impl StartRefusal {
    pub fn new(error: &StartError, locale: Locale) -> Self {
        let text = match error {
            StartError::HouseNotFound => locale.text("billing-refused-house"),
            StartError::FuturePeriod(period) => {
                locale.with_month("billing-refused-future", *period)
            }
            StartError::MissingTariffs { period, services } => {
                missing_text("billing-refused-missing", *period, services, locale)
            }
            StartError::MissingNormatives { period, services } => {
                missing_text("billing-refused-no-normative", *period, services, locale)
            }
            StartError::PeriodClosed(period) => locale.problem(&Problem::PeriodClosed(*period)),
            StartError::Active(run) => {
                locale.text_with("billing-refused-active", &[("run", run.to_string().into())])
            }
            StartError::Db(e) => e.to_string(),
        };
        let link = match error {
            StartError::MissingTariffs { period, services } => {
                services.first().map(|service| FlashLink {
                    href: format!(
                        "/tariffs/new?service={}&valid_from={period}",
                        service.as_str()
                    ),
                    label: locale.text("billing-refused-add"),
                })
            }
            StartError::MissingNormatives { period, services } => {
                services.first().map(|service| FlashLink {
                    href: format!(
                        "/normatives?service={}&valid_from={period}#normative-form",
                        service.as_str()
                    ),
                    label: locale.text("billing-refused-add-normative"),
                })
            }
            _ => None,
        };
        Self { text, link }
    }
}

/// «Нет тарифов ХВС и ГВС на ноябрь 2026»: `key` with the services named.
fn missing_text(key: &str, period: Period, services: &[Service], locale: Locale) -> String {
    let names: Vec<String> = services
        .iter()
        .map(|s| locale.text(&format!("billing-tariff-of-{}", s.as_str())))
        .collect();
    locale.text_with(
        key,
        &[
            ("services", join_names(names, locale).into()),
            ("month", format::month(period, locale).into()),
            ("count", services.len().into()),
        ],
    )
}

/// «ХВС, ГВС и …», "cold_water or hot_water or …".
fn join_names(mut names: Vec<String>, locale: Locale) -> String {
    let Some(last) = names.pop() else {
        return String::new();
    };
    if names.is_empty() {
        return last;
    }
    format!(
        "{}{}{last}",
        names.join(&locale.text("billing-services-join")),
        locale.text("billing-services-join-last")
    )
}

/// The API's and the logs' words for a refusal: English, as they always were.
impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&StartRefusal::new(self, Locale::En).text)
    }
}

#[cfg(test)]
mod refusal_tests {
    use super::*;

    #[test]
    fn a_missing_tariff_says_which_and_links_to_the_form() {
        let november = Period::new(2026, 11).unwrap();
        let missing = StartError::MissingTariffs {
            period: november,
            services: vec![Service::HotWater],
        };
        let ru = StartRefusal::new(&missing, Locale::Ru);
        assert_eq!(ru.text, "Нет тарифа ГВС на ноябрь 2026");
        let link = ru.link.unwrap();
        assert_eq!(
            link.href,
            "/tariffs/new?service=hot_water&valid_from=2026-11"
        );
        assert_eq!(link.label, "добавить");
        assert_eq!(
            missing.to_string(),
            "No hot_water tariff is in effect for 2026-11: add one before billing."
        );
        let two = StartError::MissingTariffs {
            period: november,
            services: vec![Service::ColdWater, Service::HotWater],
        };
        assert_eq!(
            StartRefusal::new(&two, Locale::Ru).text,
            "Нет тарифов ХВС и ГВС на ноябрь 2026"
        );
        assert_eq!(
            two.to_string(),
            "No cold_water or hot_water tariff is in effect for 2026-11: add one before billing."
        );
    }

    #[test]
    fn other_refusals_keep_their_english_words() {
        let far = Period::new(2030, 1).unwrap();
        assert_eq!(
            StartError::FuturePeriod(far).to_string(),
            "2030-01 is in the future: bill at most the month after this one."
        );
        assert_eq!(
            StartError::Active(BillingRunId(7)).to_string(),
            "Run 7 of this house and month is still in progress."
        );
        assert_eq!(
            StartRefusal::new(&StartError::Active(BillingRunId(7)), Locale::Ru).text,
            "Расчёт №7 этого дома за этот месяц ещё идёт."
        );
        assert!(
            StartRefusal::new(&StartError::FuturePeriod(far), Locale::Ru)
                .link
                .is_none()
        );
    }
}
