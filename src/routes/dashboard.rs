//! The dashboard at `/`: houses, the latest billing runs, and the meters
//! still missing this month's reading.

use actix_web::web::{self, Html};
use askama::Template;

use crate::db::queries;
use crate::domain::{Period, Periods};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::dashboard::DashboardPage;
use crate::views::page::PageCtx;

/// How many runs the dashboard lists.
const RECENT_RUNS: i64 = 10;
/// How many meters missing a reading are named per house; the rest are counted.
const MISSING_LISTED: i64 = 5;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(index));
}

async fn index(ctx: PageCtx, state: web::Data<AppState>) -> Result<Html, AppError> {
    // The month being billed, as on every house with nothing closed: the
    // one just ended, not the one whose readings are not due yet.
    let period = Periods::default().current(Period::current());
    let data = state
        .db(move |conn| queries::dashboard::load(conn, period, RECENT_RUNS, MISSING_LISTED))
        .await?;
    Ok(Html::new(DashboardPage::new(ctx, data).render()?))
}
