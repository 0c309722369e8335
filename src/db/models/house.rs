use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::id_type;
use crate::db::schema::houses;
use crate::domain::{Period, Periods, Service, TimeZone};

id_type!(HouseId);

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = houses, check_for_backend(diesel::pg::Pg))]
pub struct House {
    pub id: HouseId,
    pub address: String,
    pub created_at: DateTime<Utc>,
    pub time_zone: TimeZone,
    /// the last closed month; none closed while None
    pub closed_through: Option<Period>,
    /// what it bills, in the order of `Service::ALL`
    pub services: Vec<Service>,
}

impl House {
    pub fn bills(&self, service: Service) -> bool {
        self.services.contains(&service)
    }

    pub fn periods(&self) -> Periods {
        Periods::new(self.closed_through)
    }

    /// The first open month as of today: the one its pages open on.
    pub fn current_period(&self) -> Period {
        self.periods().current(Period::current())
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = houses)]
pub struct NewHouse<'a> {
    pub address: &'a str,
    pub time_zone: TimeZone,
    pub services: &'a [Service],
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = houses)]
pub struct HouseChangeset<'a> {
    pub address: Option<&'a str>,
    pub time_zone: Option<TimeZone>,
    pub services: Option<&'a [Service]>,
}

/// A house with the counts the house list shows.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct HouseSummary {
    pub id: HouseId,
    pub address: String,
    pub apartments: i64,
    pub meters: i64,
}
