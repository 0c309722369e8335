use actix_web::web::{self, Html};
use askama::Template;

use crate::db::queries;
use crate::error::AppError;
use crate::state::AppState;
use crate::views::HousesPage;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/houses", web::get().to(index));
}

pub async fn index(state: web::Data<AppState>) -> Result<Html, AppError> {
    let houses = state.db(queries::houses::list_summaries).await?;
    Ok(Html::new(HousesPage { houses }.render()?))
}
