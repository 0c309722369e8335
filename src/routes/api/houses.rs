use actix_web::web::{self, Json};
use serde::Serialize;

use crate::db::models::{HouseId, HouseSummary};
use crate::db::queries;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Serialize)]
pub struct HouseListItem {
    id: HouseId,
    address: String,
    /// how many apartments the house has
    apartments: i64,
}

impl From<HouseSummary> for HouseListItem {
    fn from(h: HouseSummary) -> Self {
        Self {
            id: h.id,
            address: h.address,
            apartments: h.apartments,
        }
    }
}

pub async fn list(state: web::Data<AppState>) -> Result<Json<Vec<HouseListItem>>, ApiError> {
    let houses = state.db(queries::houses::list_summaries).await?;
    Ok(Json(houses.into_iter().map(Into::into).collect()))
}
