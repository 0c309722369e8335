//! How domain types are stored: the named enums as TEXT, periods as DATE.

use std::io::Write;

use chrono::NaiveDate;
use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{Date, Text};

use crate::domain::{
    LineMethod, MeterKind, PaymentSource, Period, ReadingSource, Role, RunFailure, RunStatus,
    Service, TimeZone, Unit,
};

macro_rules! stored_as_text {
    ($($ty:ty),+) => {$(
        impl ToSql<Text, Pg> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                out.write_all(self.as_str().as_bytes())?;
                Ok(IsNull::No)
            }
        }

        impl FromSql<Text, Pg> for $ty {
            fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, Pg>>::from_sql(bytes)?;
                Ok(text.parse()?)
            }
        }
    )+};
}

stored_as_text!(
    LineMethod,
    MeterKind,
    Service,
    Unit,
    ReadingSource,
    PaymentSource,
    RunStatus,
    Role,
    TimeZone,
    RunFailure
);

impl ToSql<Date, Pg> for Period {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        let date = NaiveDate::from(*self);
        <NaiveDate as ToSql<Date, Pg>>::to_sql(&date, &mut out.reborrow())
    }
}

impl FromSql<Date, Pg> for Period {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        let date = <NaiveDate as FromSql<Date, Pg>>::from_sql(bytes)?;
        Ok(Period::containing(date))
    }
}
