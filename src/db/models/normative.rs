use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{HouseId, id_type};
use crate::db::schema::{coefficients, normatives};
use crate::domain::{MeterKind, Period};

id_type!(NormativeId);
id_type!(CoefficientId);

/// m³ of a water service per person per month, from a month on: a house's
/// own, or (house None) the default of every house without one.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = normatives, check_for_backend(diesel::pg::Pg))]
pub struct Normative {
    pub id: NormativeId,
    pub service: MeterKind,
    pub value: Decimal,
    pub valid_from: Period,
    pub house_id: Option<HouseId>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = normatives)]
pub struct NewNormative {
    pub service: MeterKind,
    pub value: Decimal,
    pub valid_from: Period,
    pub house_id: Option<HouseId>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = normatives)]
pub struct NormativeChangeset {
    pub value: Option<Decimal>,
    pub valid_from: Option<Period>,
}

/// The increasing coefficient of a water service billed by the normative,
/// for every house, from a month on.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = coefficients, check_for_backend(diesel::pg::Pg))]
pub struct Coefficient {
    pub id: CoefficientId,
    pub service: MeterKind,
    pub value: Decimal,
    pub valid_from: Period,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = coefficients)]
pub struct NewCoefficient {
    pub service: MeterKind,
    pub value: Decimal,
    pub valid_from: Period,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = coefficients)]
pub struct CoefficientChangeset {
    pub value: Option<Decimal>,
    pub valid_from: Option<Period>,
}
