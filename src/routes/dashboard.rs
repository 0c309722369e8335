//! The dashboard at `/`: houses, the latest billing runs, and what blocks
//! or weakens billing each house's current period.

use actix_web::web::{self, Html};
use askama::Template;

use crate::db::queries;
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
    // Each house is shown in its current period: the month being billed,
    // not the one whose readings are not due yet.
    let data = state
        .db(move |conn| queries::dashboard::load(conn, RECENT_RUNS, MISSING_LISTED))
        .await?;
    Ok(Html::new(DashboardPage::new(ctx, data).render()?))
}
