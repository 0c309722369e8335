//! Fixtures written straight into a test's database, past the HTTP layer:
//! houses with their apartments, meters and readings, tariffs, billing runs
//! and charges. A builder names what the test cares about and leaves the
//! rest to plain defaults, so the set-up reads as the data it makes:
//!
//! ```text
//! let house = HouseBuilder::new("ул. Длинная, 120")
//!     .apartments(120)
//!     .meter_in_each(MeterKind::ColdWater, "C")
//!     .insert(&app);
//! ```

use chrono::NaiveDate;
use diesel::prelude::*;
use kvartplata::db::models::{
    Apartment, ApartmentId, BillingRunChangeset, BillingRunId, House, HouseId, Meter, MeterId,
    NewApartment, NewBillingRun, NewCharge, NewHouse, NewMeter, NewReading, NewResidents,
    NewTariff, Tariff,
};
use kvartplata::db::queries;
use kvartplata::domain::{
    MeterKind, Period, ReadingSource, RunFailure, RunStatus, Service, TimeZone, Unit,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};

use super::app::TestApp;

/// Where fixtures are written and read back: a test app's database, or a
/// connection the test holds (pass `&mut *conn` to go on using it).
pub trait Database {
    fn with_conn<T>(self, work: impl FnOnce(&mut PgConnection) -> T) -> T;
}

impl Database for &TestApp {
    fn with_conn<T>(self, work: impl FnOnce(&mut PgConnection) -> T) -> T {
        work(&mut self.db.conn())
    }
}

impl Database for &mut PgConnection {
    fn with_conn<T>(self, work: impl FnOnce(&mut PgConnection) -> T) -> T {
        work(self)
    }
}

/// A month written as YYYY-MM.
pub fn month(text: &str) -> Period {
    text.parse()
        .unwrap_or_else(|e| panic!("{text:?} is not a month: {e}"))
}

/// The area of an apartment whose test gives it none.
pub const DEFAULT_AREA: Decimal = dec!(45.50);

/// A house to insert, with its apartments, their meters and the meters'
/// readings.
#[must_use]
pub struct HouseBuilder {
    address: String,
    services: Vec<Service>,
    apartments: Vec<ApartmentBuilder>,
}

impl HouseBuilder {
    /// A house at `address` billing all four services, without apartments.
    pub fn new(address: &str) -> Self {
        Self {
            address: address.to_owned(),
            services: Service::ALL.to_vec(),
            apartments: Vec::new(),
        }
    }

    /// The services it bills (all four unless told).
    pub fn services(mut self, services: &[Service]) -> Self {
        self.services = services.to_vec();
        self
    }

    /// `count` more apartments of [`DEFAULT_AREA`] without meters, each
    /// numbered by its place in the house: the first apartment is "1".
    pub fn apartments(mut self, count: usize) -> Self {
        let first = self.apartments.len() + 1;
        self.apartments
            .extend((first..first + count).map(|n| ApartmentBuilder::new(&n.to_string())));
        self
    }

    pub fn apartment(mut self, apartment: ApartmentBuilder) -> Self {
        self.apartments.push(apartment);
        self
    }

    /// Gives every apartment so far `area` m².
    pub fn area(mut self, area: Decimal) -> Self {
        for apartment in &mut self.apartments {
            apartment.area = area;
        }
        self
    }

    /// A meter of `kind` in every apartment so far, serial
    /// `{prefix}-{apartment number}` (so serials differ between houses of
    /// different prefixes).
    pub fn meter_in_each(mut self, kind: MeterKind, prefix: &str) -> Self {
        for apartment in &mut self.apartments {
            let serial = format!("{prefix}-{}", apartment.number);
            apartment.meters.push(MeterBuilder::new(&serial, kind));
        }
        self
    }

    /// `meter` in apartment `number`, which is added (of [`DEFAULT_AREA`])
    /// if the house has no apartment of that number yet.
    pub fn meter_in(mut self, number: &str, meter: MeterBuilder) -> Self {
        match self.apartments.iter_mut().find(|a| a.number == number) {
            Some(apartment) => apartment.meters.push(meter),
            None => self
                .apartments
                .push(ApartmentBuilder::new(number).meter(meter)),
        }
        self
    }

    /// A reading of `value` for `period` on every meter so far.
    pub fn reading_on_every_meter(mut self, period: Period, value: Decimal) -> Self {
        for meter in self.apartments.iter_mut().flat_map(|a| &mut a.meters) {
            meter.readings.push((period, value));
        }
        self
    }

    /// Inserts the house, then all its apartments, all their meters and all
    /// the readings, one statement each, in the order they were given: ids
    /// follow that order.
    pub fn insert(self, db: impl Database) -> SeededHouse {
        db.with_conn(|conn| {
            let house = queries::houses::insert(
                conn,
                &NewHouse {
                    address: &self.address,
                    time_zone: TimeZone::default(),
                    services: &self.services,
                },
            )
            .unwrap();
            let (apartments, meters) = insert_apartments(conn, house.id, &self.apartments);
            SeededHouse {
                house,
                apartments,
                meters,
            }
        })
    }
}

/// Inserts `apartments` into `house`, then their meters, then the meters'
/// readings, one statement each; returns the rows in the order given.
fn insert_apartments(
    conn: &mut PgConnection,
    house: HouseId,
    apartments: &[ApartmentBuilder],
) -> (Vec<Apartment>, Vec<Meter>) {
    let new_apartments: Vec<NewApartment> = apartments
        .iter()
        .map(|a| NewApartment {
            house_id: house,
            number: &a.number,
            area: a.area,
            owners: a.owners,
            meter_impossible: a.meter_impossible,
        })
        .collect();
    if new_apartments.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let rows = queries::apartments::insert_many(conn, &new_apartments).unwrap();
    let residents: Vec<NewResidents> = rows
        .iter()
        .zip(apartments)
        .flat_map(|(row, a)| {
            a.residents.iter().map(|&(valid_from, count)| NewResidents {
                apartment_id: row.id,
                valid_from,
                count,
            })
        })
        .collect();
    if !residents.is_empty() {
        queries::apartments::insert_residents(conn, &residents).unwrap();
    }
    let new_meters: Vec<NewMeter> = rows
        .iter()
        .zip(apartments)
        .flat_map(|(row, apartment)| apartment.meters.iter().map(|m| m.row(row.id)))
        .collect();
    if new_meters.is_empty() {
        return (rows, Vec::new());
    }
    let meters = queries::meters::insert_many(conn, &new_meters).unwrap();
    let readings: Vec<NewReading> = meters
        .iter()
        .zip(apartments.iter().flat_map(|a| &a.meters))
        .flat_map(|(row, meter)| meter.reading_rows(row.id))
        .collect();
    queries::readings::upsert(conn, &readings).unwrap();
    (rows, meters)
}

/// An apartment of a [`HouseBuilder`].
#[must_use]
pub struct ApartmentBuilder {
    number: String,
    area: Decimal,
    meters: Vec<MeterBuilder>,
    residents: Vec<(Option<Period>, i32)>,
    owners: i32,
    meter_impossible: bool,
}

impl ApartmentBuilder {
    /// Apartment `number` of [`DEFAULT_AREA`] without meters.
    pub fn new(number: &str) -> Self {
        Self {
            number: number.to_owned(),
            area: DEFAULT_AREA,
            meters: Vec::new(),
            residents: Vec::new(),
            owners: 1,
            meter_impossible: false,
        }
    }

    pub fn area(mut self, area: Decimal) -> Self {
        self.area = area;
        self
    }

    /// `count` people live there from `from` on (None: from always).
    pub fn residents(mut self, from: Option<Period>, count: i32) -> Self {
        self.residents.push((from, count));
        self
    }

    pub fn owners(mut self, owners: i32) -> Self {
        self.owners = owners;
        self
    }

    /// An act says no meter can be installed.
    pub fn meter_impossible(mut self) -> Self {
        self.meter_impossible = true;
        self
    }

    pub fn meter(mut self, meter: MeterBuilder) -> Self {
        self.meters.push(meter);
        self
    }
}

/// A meter with its readings, for an [`ApartmentBuilder`] or on its own
/// into an apartment that exists.
#[must_use]
pub struct MeterBuilder {
    serial: String,
    kind: MeterKind,
    initial: Decimal,
    installed_on: Option<NaiveDate>,
    commissioned_on: Option<NaiveDate>,
    verified_until: Option<NaiveDate>,
    readings: Vec<(Period, Decimal)>,
}

impl MeterBuilder {
    /// A meter that starts at 0, installed on no particular day, unread.
    pub fn new(serial: &str, kind: MeterKind) -> Self {
        Self {
            serial: serial.to_owned(),
            kind,
            initial: Decimal::ZERO,
            installed_on: None,
            commissioned_on: None,
            verified_until: None,
            readings: Vec::new(),
        }
    }

    /// It counts from the month after `day`'s.
    pub fn commissioned_on(mut self, day: &str) -> Self {
        self.commissioned_on = Some(day.parse().unwrap());
        self
    }

    /// It is faulty from the month after `day`'s.
    pub fn verified_until(mut self, day: &str) -> Self {
        self.verified_until = Some(day.parse().unwrap());
        self
    }

    pub fn cold(serial: &str) -> Self {
        Self::new(serial, MeterKind::ColdWater)
    }

    pub fn hot(serial: &str) -> Self {
        Self::new(serial, MeterKind::HotWater)
    }

    pub fn initial(mut self, reading: Decimal) -> Self {
        self.initial = reading;
        self
    }

    pub fn installed_on(mut self, day: NaiveDate) -> Self {
        self.installed_on = Some(day);
        self
    }

    pub fn reading(mut self, period: Period, value: Decimal) -> Self {
        self.readings.push((period, value));
        self
    }

    /// Readings of consecutive months, the first of them `first`: one a
    /// month for each of `values`.
    pub fn readings_from(
        mut self,
        first: Period,
        values: impl IntoIterator<Item = Decimal>,
    ) -> Self {
        let mut period = first;
        for value in values {
            self.readings.push((period, value));
            period = period.next();
        }
        self
    }

    /// Inserts the meter into `apartment`, then its readings.
    pub fn insert(self, apartment: ApartmentId, db: impl Database) -> Meter {
        db.with_conn(|conn| {
            let meter = queries::meters::insert(conn, &self.row(apartment)).unwrap();
            queries::readings::upsert(conn, &self.reading_rows(meter.id)).unwrap();
            meter
        })
    }

    fn row(&self, apartment: ApartmentId) -> NewMeter<'_> {
        NewMeter {
            apartment_id: apartment,
            serial: &self.serial,
            kind: self.kind,
            initial_reading: self.initial,
            installed_on: self.installed_on,
            commissioned_on: self.commissioned_on,
            verified_until: self.verified_until,
        }
    }

    /// The readings as the month's form saves them.
    fn reading_rows(&self, meter: MeterId) -> Vec<NewReading> {
        self.readings
            .iter()
            .map(|&(period, value)| NewReading {
                meter_id: meter,
                period,
                value,
                source: ReadingSource::Form,
            })
            .collect()
    }
}

/// What a [`HouseBuilder`] inserted, as the database returned it.
pub struct SeededHouse {
    pub house: House,
    /// In the order they were given.
    pub apartments: Vec<Apartment>,
    /// Apartment by apartment, each apartment's in the order given.
    pub meters: Vec<Meter>,
}

impl SeededHouse {
    pub fn id(&self) -> HouseId {
        self.house.id
    }

    /// The apartment numbered `number`.
    pub fn apartment(&self, number: &str) -> &Apartment {
        self.apartments
            .iter()
            .find(|a| a.number == number)
            .unwrap_or_else(|| panic!("no apartment {number} in {}", self.house.address))
    }

    /// The meter with `serial`.
    pub fn meter(&self, serial: &str) -> &Meter {
        self.meters
            .iter()
            .find(|m| m.serial == serial)
            .unwrap_or_else(|| panic!("no meter {serial} in {}", self.house.address))
    }
}

/// Stores a reading of the meter with `serial`, as the month's form does.
pub fn add_reading(db: impl Database, serial: &str, period: &str, value: &str) {
    db.with_conn(|conn| {
        let meter = queries::meters::find_by_serial(conn, serial).unwrap();
        queries::readings::upsert(
            conn,
            &[NewReading {
                meter_id: meter.id,
                period: period.parse::<Period>().unwrap(),
                value: value.parse().unwrap(),
                source: ReadingSource::Form,
            }],
        )
        .unwrap();
    });
}

/// The meter with `serial`, as stored now.
pub fn find_meter(db: impl Database, serial: &str) -> Meter {
    db.with_conn(|conn| queries::meters::find_by_serial(conn, serial))
        .unwrap_or_else(|e| panic!("meter {serial}: {e}"))
}

/// A tariff to insert: a price of a service from a month on.
#[must_use]
pub struct TariffBuilder {
    service: Service,
    price: Decimal,
    valid_from: Period,
    house: Option<HouseId>,
}

impl TariffBuilder {
    /// The default price of `service` from `valid_from` on: what every
    /// house without a price of its own pays.
    pub fn new(service: Service, price: Decimal, valid_from: Period) -> Self {
        Self {
            service,
            price,
            valid_from,
            house: None,
        }
    }

    /// Makes it `house`'s own price instead of the default.
    pub fn for_house(mut self, house: HouseId) -> Self {
        self.house = Some(house);
        self
    }

    pub fn insert(self, db: impl Database) -> Tariff {
        let new = NewTariff {
            service: self.service,
            price: self.price,
            valid_from: self.valid_from,
            house_id: self.house,
        };
        db.with_conn(|conn| queries::tariffs::insert(conn, &new))
            .unwrap()
    }
}

/// The default normative of `service` (m³ per person) from `valid_from` on.
pub fn add_normative(db: impl Database, service: MeterKind, value: Decimal, valid_from: Period) {
    let new = kvartplata::db::models::NewNormative {
        service,
        value,
        valid_from,
        house_id: None,
    };
    db.with_conn(|conn| queries::normatives::insert(conn, &new))
        .unwrap();
}

/// Default tariffs for every service and normatives for both waters, from
/// long ago: a house billing all four lacks no price.
pub fn price_everything(db: impl Database + Copy) {
    let since = Period::new(2000, 1).unwrap();
    for service in Service::ALL {
        TariffBuilder::new(*service, Decimal::new(4_000, 2), since).insert(db);
    }
    for kind in MeterKind::ALL {
        add_normative(db, *kind, Decimal::new(400, 2), since);
    }
}

/// A billing run put into the queue in a state of its own, as if a worker
/// had taken it that far.
#[must_use]
pub struct RunBuilder {
    run: NewBillingRun,
    state: BillingRunChangeset,
    changed: bool,
}

impl RunBuilder {
    /// A queued run of `house` for `period`, `total` apartments to bill.
    pub fn new(house: HouseId, period: Period, total: i32) -> Self {
        Self {
            run: NewBillingRun {
                house_id: house,
                period,
                total,
            },
            state: BillingRunChangeset::default(),
            changed: false,
        }
    }

    pub fn status(self, status: RunStatus) -> Self {
        self.with(|state| state.status = Some(status))
    }

    pub fn processed(self, apartments: i32) -> Self {
        self.with(|state| state.processed = Some(apartments))
    }

    pub fn amount(self, amount: Decimal) -> Self {
        self.with(|state| state.amount = Some(amount))
    }

    /// Completed: started at `at`, finished a minute later.
    pub fn completed_at(self, at: chrono::DateTime<chrono::Utc>) -> Self {
        self.with(|state| {
            state.status = Some(RunStatus::Completed);
            state.started_at = Some(Some(at));
            state.finished_at = Some(Some(at + chrono::Duration::minutes(1)));
        })
    }

    pub fn started_now(self) -> Self {
        self.with(|state| state.started_at = Some(Some(chrono::Utc::now())))
    }

    /// Leased for an hour by a worker of another process, so this app's
    /// workers leave it alone.
    pub fn leased_elsewhere(self) -> Self {
        self.with(|state| {
            state.lease_owner = Some(Some("another-host:1".into()));
            state.lease_expires_at = Some(Some(chrono::Utc::now() + chrono::Duration::hours(1)));
        })
    }

    /// Failed just now for `failure`, said by `error`.
    pub fn failed(self, failure: RunFailure, error: &str) -> Self {
        self.with(|state| {
            state.status = Some(RunStatus::Failed);
            state.failure = Some(Some(failure));
            state.error = Some(Some(error.to_owned()));
            state.finished_at = Some(Some(chrono::Utc::now()));
        })
    }

    fn with(mut self, change: impl FnOnce(&mut BillingRunChangeset)) -> Self {
        change(&mut self.state);
        self.changed = true;
        self
    }

    /// Inserts the run and gives it its state in one transaction, so no
    /// worker can claim it in between.
    pub fn insert(self, db: impl Database) -> BillingRunId {
        db.with_conn(|conn| {
            conn.transaction::<_, diesel::result::Error, _>(|conn| {
                let run = queries::run_queue::insert(conn, &self.run)?;
                if !self.changed {
                    return Ok(run.id);
                }
                Ok(queries::run_queue::update(conn, run.id, &self.state)?.id)
            })
        })
        .unwrap()
    }
}

/// A maintenance line billed at a tariff, saved by a (queued) billing run
/// of its own of one apartment: history that keeps the tariff, the
/// apartment and the house from being changed or deleted.
#[must_use]
pub struct ChargeBuilder {
    house: HouseId,
    apartment: ApartmentId,
    area: Decimal,
    tariff: Tariff,
    period: Period,
    explanation: Value,
}

impl ChargeBuilder {
    /// `area` m² of `apartment` (of `house`) billed for `period` at
    /// `tariff`'s price; explained by an empty object.
    pub fn maintenance(
        house: HouseId,
        apartment: ApartmentId,
        area: Decimal,
        tariff: &Tariff,
        period: Period,
    ) -> Self {
        Self {
            house,
            apartment,
            area,
            tariff: tariff.clone(),
            period,
            explanation: json!({}),
        }
    }

    pub fn explanation(mut self, explanation: Value) -> Self {
        self.explanation = explanation;
        self
    }

    pub fn insert(self, db: impl Database) {
        db.with_conn(|conn| {
            let run = queries::run_queue::insert(
                conn,
                &NewBillingRun {
                    house_id: self.house,
                    period: self.period,
                    total: 1,
                },
            )
            .unwrap();
            queries::charges::upsert(
                conn,
                &[NewCharge {
                    run_id: run.id,
                    apartment_id: self.apartment,
                    period: self.period,
                    service: Service::Maintenance,
                    quantity: self.area,
                    unit: Unit::SquareMetre,
                    unit_price: self.tariff.price,
                    amount: self.tariff.price * self.area,
                    tariff_id: self.tariff.id,
                    tariff_valid_from: self.tariff.valid_from,
                    missing_reading: false,
                    explanation: self.explanation,
                    method: kvartplata::domain::LineMethod::Area,
                    coefficient: None,
                    excess: Decimal::ZERO,
                }],
            )
            .unwrap();
        });
    }
}
