//! The dashboard at `/`.

use std::borrow::Borrow;

use askama::Template;

use super::billing::default_bill_period;
use super::filters;
use super::forms::{Choice, house_choices};
use super::runs::RunLine;
use crate::db::queries::dashboard::{Dashboard, HouseAttention};
use crate::domain::{Period, RunStatus};
use crate::i18n::{Arg, format};
use crate::views::page::PageCtx;

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub ctx: PageCtx,
    pub data: Dashboard,
    /// The latest billing runs, as the runs table shows them.
    pub runs: Vec<RunLine>,
}

impl DashboardPage {
    pub fn new(ctx: PageCtx, mut data: Dashboard) -> Self {
        let runs = std::mem::take(&mut data.runs)
            .into_iter()
            .map(RunLine::from)
            .collect();
        Self { ctx, data, runs }
    }

    pub fn apartments(&self) -> i64 {
        self.data.houses.iter().map(|h| h.apartments).sum()
    }

    pub fn meters(&self) -> i64 {
        self.data.houses.iter().map(|h| h.meters).sum()
    }

    /// Meters of all houses still missing this month's reading.
    pub fn missing(&self) -> i64 {
        self.data.attention.iter().map(|a| a.missing).sum()
    }

    /// The start form's month: the one just ended.
    pub fn bill_period(&self) -> Period {
        default_bill_period()
    }

    /// The label under a count: «5 квартир», "5 apartments".
    pub fn stat_label(&self, key: &str, count: impl Borrow<i64>) -> String {
        self.ctx
            .locale
            .text_with(key, &[("count", Arg::from(*count.borrow()))])
    }

    /// The label under the count of meters still missing their house's
    /// current period's reading.
    pub fn missing_label(&self) -> String {
        self.ctx
            .locale
            .text_with("dash-stat-missing", &[("count", Arg::from(self.missing()))])
    }

    /// The services a house lacks prices for: «Водоотведение: нет тарифа».
    pub fn missing_prices(&self, item: &HouseAttention) -> Vec<(String, &'static str)> {
        let locale = self.ctx.locale;
        let tariffs = item.no_tariff.iter().map(|s| {
            let text = locale.text_with("dash-no-tariff", &[("service", locale.name(*s).into())]);
            (text, "/tariffs")
        });
        let normatives = item.no_normative.iter().map(|k| {
            let service = locale.name(k.service());
            let text = locale.text_with("dash-no-normative", &[("service", service.into())]);
            (text, "/normatives")
        });
        tariffs.chain(normatives).collect()
    }

    /// The month's bill as the row names it.
    pub fn bill_state(&self, item: &HouseAttention) -> String {
        let locale = self.ctx.locale;
        match &item.bill {
            None => locale.text("dash-bill-none"),
            Some(run) if run.is_stale() => locale.text("dash-bill-stale"),
            Some(run) => match run.status {
                RunStatus::Completed => locale.text_with(
                    "dash-bill-done",
                    &[("amount", format::money(run.amount, locale).into())],
                ),
                RunStatus::Failed => locale.text("dash-bill-failed"),
                RunStatus::Queued | RunStatus::Running => locale.text("dash-bill-running"),
            },
        }
    }

    /// «Начислено за расчётные периоды: 1 234,56 ₽ — рассчитано 3 из 4 домов».
    pub fn current_total(&self) -> String {
        let locale = self.ctx.locale;
        locale.text_with(
            "dash-current-total",
            &[
                (
                    "amount",
                    format::money(self.data.current_total, locale).into(),
                ),
                ("billed", Arg::from(self.data.current_billed)),
                ("count", Arg::from(self.data.houses.len())),
            ],
        )
    }

    /// A message with a count.
    pub fn count_text(&self, key: &str, count: impl Borrow<i64>) -> String {
        self.ctx
            .locale
            .text_with(key, &[("count", Arg::from(*count.borrow()))])
    }

    /// «кв. 12А», "apt 12А".
    pub fn apartment(&self, number: &str) -> String {
        self.ctx
            .locale
            .text_with("common-apt", &[("number", Arg::from(number))])
    }

    /// "All houses", then each house by address.
    pub fn house_choices(&self) -> Vec<Choice> {
        house_choices(
            &self.ctx.t("dash-all-houses"),
            self.data.houses.iter().map(|h| (h.id, h.address.as_str())),
        )
    }
}
