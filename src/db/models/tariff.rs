use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{HouseId, id_type};
use crate::db::schema::tariffs;
use crate::domain::{Period, Service};

id_type!(TariffId);

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = tariffs, check_for_backend(diesel::pg::Pg))]
pub struct Tariff {
    pub id: TariffId,
    pub service: Service,
    /// ₽ per m³ (water) or per m² (maintenance)
    pub price: Decimal,
    pub valid_from: Period,
    /// None: the default every house pays unless it has its own
    pub house_id: Option<HouseId>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = tariffs)]
pub struct NewTariff {
    pub service: Service,
    pub price: Decimal,
    pub valid_from: Period,
    pub house_id: Option<HouseId>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tariffs)]
pub struct TariffChangeset {
    pub price: Option<Decimal>,
    pub valid_from: Option<Period>,
}
