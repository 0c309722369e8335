//! `kvartplata demo`: a realistic data set, so a newcomer sees a working app
//! right away — houses with Russian addresses, apartments with residents and
//! owners, cold and hot meters with their commissioning and verification,
//! six months of readings ending with the previous month, tariffs (sewerage
//! too) with a mid-year rise and one house's own price, and normatives. Each
//! house also has the cases the rules of ПП 354 treat apart: an apartment
//! where no meter can be installed, a meter past its verification, a meter
//! unread for three months, and a meter replaced three months ago. The first
//! three of the six months are billed and closed, as a company that has
//! been using the app would have them. Every apartment has its personal
//! account (the first house's are 1001001001, 1001001002, … as in the
//! sample bank register), some with an opening balance, a few with a
//! payment entered by hand; a key rate makes the unpaid months' penalties.
//!
//! Everything is derived from a seeded generator, so the same house always
//! gets the same apartments. Running it again adds nothing twice: a house
//! whose address exists is skipped (its readings are saved with it, in one
//! transaction), and a service that already has prices keeps them.

use std::collections::HashMap;
use std::fmt;

use anyhow::Context as _;
use chrono::{Days, Months, NaiveDate};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::models::{HouseId, NewReading};
use crate::db::queries;
use crate::domain::residents::ResidentsFrom;
use crate::domain::{MeterKind, Period, ReadingSource, Service, TimeZone};
use crate::error::AppError;
use crate::services;
use crate::services::accounts::SetAccount;
use crate::services::apartments::{AddApartment, People};
use crate::services::houses::AddHouse;
use crate::services::meters::{AddMeter, Replacement};
use crate::services::normatives::AddRate;
use crate::services::payments::AddPayment;
use crate::services::tariffs::AddTariff;

/// The demo's houses, in the order `--houses N` takes them.
const ADDRESSES: [&str; 20] = [
    "г. Казань, ул. Баумана, д. 12",
    "г. Казань, пр-т Победы, д. 46, корп. 2",
    "г. Москва, ул. Профсоюзная, д. 43",
    "г. Санкт-Петербург, Лиговский пр-т, д. 87",
    "г. Екатеринбург, ул. Малышева, д. 51",
    "г. Новосибирск, Красный пр-т, д. 29",
    "г. Нижний Новгород, ул. Большая Покровская, д. 18",
    "г. Самара, ул. Молодогвардейская, д. 204",
    "г. Уфа, ул. Ленина, д. 70",
    "г. Пермь, ул. Сибирская, д. 35",
    "г. Воронеж, ул. Плехановская, д. 22",
    "г. Ростов-на-Дону, ул. Большая Садовая, д. 113",
    "г. Краснодар, ул. Красная, д. 176",
    "г. Челябинск, пр-т Ленина, д. 64",
    "г. Тюмень, ул. Республики, д. 142",
    "г. Ярославль, ул. Свободы, д. 9",
    "г. Томск, пр-т Кирова, д. 58",
    "г. Иркутск, ул. Карла Маркса, д. 25",
    "г. Калининград, Ленинский пр-т, д. 83",
    "г. Владивосток, ул. Светланская, д. 31",
];

pub const MAX_HOUSES: u32 = ADDRESSES.len() as u32;
/// A large house: the size the app is built to handle (2,000 apartments).
pub const MAX_APARTMENTS: u32 = 2_000;
/// Months of readings, ending with the month before the current one.
const MONTHS: u32 = 6;
/// The first months of those, billed and closed.
const CLOSED_MONTHS: u32 = 3;
/// Readings per multi-row upsert (4 parameters each, far below 65535).
const READINGS_CHUNK: usize = 5_000;

/// Default tariffs: price from six months ago, then from three months ago
/// (kopecks per m³ or m²).
const DEFAULT_TARIFFS: [(Service, i64, i64); 4] = [
    (Service::ColdWater, 4_230, 4_618),
    (Service::HotWater, 21_476, 23_347),
    (Service::Sewerage, 3_513, 3_740),
    (Service::Maintenance, 2_450, 2_690),
];
/// Default normatives from six months ago, m³ per person a month (to 0.01).
const DEFAULT_NORMATIVES: [(MeterKind, i64); 2] =
    [(MeterKind::ColdWater, 485), (MeterKind::HotWater, 340)];
/// Months between verifications: cold water 6 years, hot water 4.
const VERIFICATION_MONTHS: [(MeterKind, u32); 2] =
    [(MeterKind::ColdWater, 72), (MeterKind::HotWater, 48)];
/// The first house pays its own maintenance price from six months ago.
const OVERRIDE_MAINTENANCE: i64 = 3_175;
/// The key rate (percent) from the month before the readings start, when
/// none is there yet.
const KEY_RATE: i64 = 165;
/// Account holders' names, given out in turn.
const HOLDERS: [&str; 12] = [
    "Иванов Иван Иванович",
    "Петрова Анна Сергеевна",
    "Сидоров Павел Андреевич",
    "Кузнецова Елена Викторовна",
    "Смирнов Алексей Николаевич",
    "Васильева Ольга Петровна",
    "Попов Дмитрий Юрьевич",
    "Соколова Мария Александровна",
    "Михайлов Сергей Владимирович",
    "Новикова Татьяна Игоревна",
    "Фёдоров Андрей Михайлович",
    "Морозова Наталья Олеговна",
];

/// What one run did, printed by the command.
#[derive(Debug)]
pub struct Summary {
    /// The months the readings span.
    pub first_month: Period,
    pub last_month: Period,
    pub houses: Vec<HouseOutcome>,
    pub tariffs_created: usize,
    pub tariffs_skipped: usize,
    pub normatives_created: usize,
    pub key_rates_created: usize,
    /// The demo company's details were set (none were).
    pub organization_created: bool,
}

#[derive(Debug)]
pub struct HouseOutcome {
    pub address: &'static str,
    /// `None`: the address already existed, nothing was added.
    pub created: Option<Created>,
}

#[derive(Debug, Clone, Copy)]
pub struct Created {
    pub apartments: usize,
    pub meters: usize,
    pub readings: usize,
    /// The last month billed and closed, once they are.
    pub closed_through: Option<Period>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Demo data (readings {} to {}):",
            self.first_month, self.last_month
        )?;
        for house in &self.houses {
            match house.created {
                Some(c) => {
                    write!(
                        f,
                        "  created  {}: {} apartments, {} meters, {} readings",
                        house.address, c.apartments, c.meters, c.readings
                    )?;
                    match c.closed_through {
                        Some(month) => writeln!(f, ", billed and closed through {month}")?,
                        None => writeln!(f)?,
                    }
                }
                None => writeln!(f, "  skipped  {}: already there", house.address)?,
            }
        }
        let created = self.houses.iter().filter(|h| h.created.is_some()).count();
        writeln!(
            f,
            "  tariffs: {} created, {} skipped (the service already has prices)",
            self.tariffs_created, self.tariffs_skipped
        )?;
        writeln!(f, "  normatives: {} created", self.normatives_created)?;
        writeln!(f, "  key rates: {} created", self.key_rates_created)?;
        if self.organization_created {
            writeln!(f, "  the organisation's details: set for the demo")?;
        }
        writeln!(
            f,
            "Houses: {created} created, {} skipped.",
            self.houses.len() - created
        )
    }
}

/// Loads `houses` demo houses of `apartments` apartments each, with readings
/// up to the month before `current`, and the tariffs. Errors name the house.
pub fn load(
    conn: &mut PgConnection,
    houses: u32,
    apartments: u32,
    current: Period,
) -> anyhow::Result<Summary> {
    let houses = houses.clamp(1, MAX_HOUSES) as usize;
    let apartments = apartments.clamp(1, MAX_APARTMENTS) as usize;
    let first = months_before(current, MONTHS);
    let mut summary = Summary {
        first_month: first,
        last_month: current.previous(),
        houses: Vec::with_capacity(houses),
        tariffs_created: 0,
        tariffs_skipped: 0,
        normatives_created: 0,
        key_rates_created: 0,
        organization_created: false,
    };

    let existing: HashMap<String, HouseId> = queries::houses::list_summaries(conn)?
        .into_iter()
        .map(|h| (same_address(&h.address), h.id))
        .collect();
    let mut ids = Vec::with_capacity(houses);
    for (index, address) in ADDRESSES.iter().take(houses).enumerate() {
        if let Some(id) = existing.get(&same_address(address)) {
            ids.push(*id);
            summary.houses.push(HouseOutcome {
                address,
                created: None,
            });
            continue;
        }
        let plan = plan_house(index, apartments, current);
        let (id, created) = add_house(conn, address, &plan)
            .map_err(|e| cli_error(e).context(format!("adding the demo house {address}")))?;
        ids.push(id);
        summary.houses.push(HouseOutcome {
            address,
            created: Some(created),
        });
    }

    let (created, skipped) = add_tariffs(conn, current, ids[0])
        .map_err(|e| cli_error(e).context("adding the demo tariffs"))?;
    summary.tariffs_created = created;
    summary.tariffs_skipped = skipped;
    summary.normatives_created = add_normatives(conn, current)
        .map_err(|e| cli_error(e).context("adding the demo normatives"))?;
    if summary.houses.iter().any(|h| h.created.is_some()) {
        summary.key_rates_created = add_key_rate(conn, current)
            .map_err(|e| cli_error(e).context("adding the demo key rate"))?;
        summary.organization_created = add_organization(conn)
            .map_err(|e| cli_error(e).context("setting the demo organisation"))?;
    }
    for (house, id) in summary.houses.iter_mut().zip(ids) {
        if let Some(created) = house.created.as_mut() {
            let closed = bill_and_close(conn, id, first, current)
                .with_context(|| format!("billing the demo house {}", house.address))?;
            created.closed_through = Some(closed);
        }
    }
    Ok(summary)
}

/// Bills and closes the first `CLOSED_MONTHS` months of a new demo house,
/// one after another, here rather than by the server's workers; returns the
/// last month closed.
fn bill_and_close(
    conn: &mut PgConnection,
    house: HouseId,
    first: Period,
    current: Period,
) -> anyhow::Result<Period> {
    let mut month = first;
    for _ in 0..CLOSED_MONTHS {
        let run = crate::billing::start(conn, house, month, current)
            .map_err(|e| anyhow::anyhow!("{month}: {e}"))?;
        crate::billing::bill_here(conn, run.id, 500)?;
        services::periods::close(conn, house, month).map_err(cli_error)?;
        month = month.next();
    }
    Ok(month.previous())
}

/// The key under which the database deems two addresses the same.
fn same_address(address: &str) -> String {
    address.trim().to_lowercase()
}

fn months_before(period: Period, months: u32) -> Period {
    (0..months).fold(period, |p, _| p.previous())
}

/// The AppError's own text for the person, except where it hides the cause
/// (that text is meant for a web page whose log has the details).
fn cli_error(e: AppError) -> anyhow::Error {
    match e {
        AppError::Internal(cause) | AppError::Unavailable(cause) => cause,
        e => anyhow::Error::msg(e.to_string()),
    }
}

/// The house, its apartments and meters, and its readings: all or nothing,
/// so an interrupted run leaves no house without its readings.
fn add_house(
    conn: &mut PgConnection,
    address: &str,
    plan: &[PlannedApartment],
) -> Result<(HouseId, Created), AppError> {
    let inputs: Vec<AddApartment> = plan
        .iter()
        .map(|a| AddApartment {
            number: a.number.clone(),
            area: a.area,
            people: a.people.clone(),
            meters: a.meters.iter().map(|m| m.input.clone()).collect(),
            account: Some(a.account.clone()),
        })
        .collect();
    let planned: HashMap<&str, &[(Period, Decimal)]> = plan
        .iter()
        .flat_map(|a| &a.meters)
        .map(|m| (m.input.serial.as_str(), m.readings.as_slice()))
        .collect();
    conn.transaction(|conn| {
        let new = AddHouse {
            address: address.to_owned(),
            time_zone: TimeZone::default(),
            services: Service::ALL.to_vec(),
            apartments: inputs,
        };
        let house = services::houses::create(conn, &new)?;
        let apartment_ids: Vec<_> = queries::apartments::list_for_house(conn, house.id)?
            .iter()
            .map(|a| a.id)
            .collect();
        let meters = queries::meters::list_for_apartments(conn, &apartment_ids)?;
        let readings: Vec<NewReading> = meters
            .iter()
            .flat_map(|m| {
                let values = planned.get(m.serial.as_str()).copied().unwrap_or_default();
                values.iter().map(|&(period, value)| NewReading {
                    meter_id: m.id,
                    period,
                    value,
                    source: ReadingSource::Csv,
                })
            })
            .collect();
        let mut written = 0;
        for chunk in readings.chunks(READINGS_CHUNK) {
            written += queries::readings::upsert(conn, chunk)?;
        }
        // Before any run: a payment marks the runs after it stale.
        for planned in plan {
            for (paid_on, amount) in &planned.payments {
                let payment = AddPayment {
                    account: planned.account.number.clone(),
                    paid_on: *paid_on,
                    amount: *amount,
                    period: None,
                };
                services::payments::add(conn, &payment)?;
            }
        }
        let mut meter_count = meters.len();
        for planned in plan.iter().flat_map(|a| &a.meters) {
            let (Some(successor), Some(old)) = (
                &planned.replaced_by,
                meters.iter().find(|m| m.serial == planned.input.serial),
            ) else {
                continue;
            };
            let new = services::meters::replace(conn, old.id, &successor.replacement)?;
            let rows: Vec<NewReading> = successor
                .readings
                .iter()
                .map(|&(period, value)| NewReading {
                    meter_id: new.id,
                    period,
                    value,
                    source: ReadingSource::Csv,
                })
                .collect();
            written += 1 + queries::readings::upsert(conn, &rows)?;
            meter_count += 1;
        }
        Ok((
            house.id,
            Created {
                apartments: apartment_ids.len(),
                meters: meter_count,
                readings: written,
                closed_through: None,
            },
        ))
    })
}

/// The default prices with their rise three months ago, and the first
/// house's own maintenance price. A service that already has prices (for
/// all houses, or for that house) keeps them: the demo never adds a second
/// price history, whichever month it runs in. Returns (created, skipped).
fn add_tariffs(
    conn: &mut PgConnection,
    current: Period,
    override_house: HouseId,
) -> Result<(usize, usize), AppError> {
    let first = months_before(current, MONTHS);
    let rise = months_before(current, 3);
    let mut planned = Vec::new();
    for (service, before, after) in DEFAULT_TARIFFS {
        planned.push((service, Decimal::new(before, 2), first, None));
        planned.push((service, Decimal::new(after, 2), rise, None));
    }
    planned.push((
        Service::Maintenance,
        Decimal::new(OVERRIDE_MAINTENANCE, 2),
        first,
        Some(override_house),
    ));

    conn.transaction(|conn| {
        let existing = queries::tariffs::list(conn)?;
        let (mut created, mut skipped) = (0, 0);
        for (service, price, valid_from, house) in planned {
            if existing
                .iter()
                .any(|t| t.service == service && t.house_id == house)
            {
                skipped += 1;
                continue;
            }
            let new = AddTariff {
                service,
                price,
                valid_from,
                house,
            };
            match services::tariffs::create(conn, &new) {
                Ok(_) => created += 1,
                // Someone added the same tariff meanwhile: keep theirs.
                Err(AppError::Conflict { .. }) => skipped += 1,
                Err(e) => return Err(e),
            }
        }
        Ok((created, skipped))
    })
}

/// The default normatives, unless the service already has one. Returns how
/// many were created.
fn add_normatives(conn: &mut PgConnection, current: Period) -> Result<usize, AppError> {
    let first = months_before(current, MONTHS);
    conn.transaction(|conn| {
        let existing = queries::normatives::list(conn)?;
        let mut created = 0;
        for (service, value) in DEFAULT_NORMATIVES {
            if existing.iter().any(|n| n.service == service) {
                continue;
            }
            let new = AddRate {
                service,
                value: Decimal::new(value, 2),
                valid_from: first,
                house: None,
            };
            match services::normatives::create(conn, &new) {
                Ok(_) => created += 1,
                Err(AppError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(created)
    })
}

/// The key rate penalties are computed by, from the month before the
/// readings start, unless there is one already (the demo never changes an
/// existing company's rates, which would make its runs stale). Returns how
/// many were created.
fn add_key_rate(conn: &mut PgConnection, current: Period) -> Result<usize, AppError> {
    if !queries::payments::key_rates(conn)?.is_empty() {
        return Ok(0);
    }
    let from = months_before(current, MONTHS + 1).first_day();
    match services::payments::add_key_rate(conn, from, Decimal::new(KEY_RATE, 1)) {
        Ok(_) => Ok(1),
        Err(AppError::Conflict { .. }) => Ok(0),
        Err(e) => Err(e),
    }
}

/// A management company for the demo's receipts, with requisites that
/// pass the banks' checks (ПАО Сбербанк's БИК and к/с, a р/с keyed to it),
/// unless the details are set already.
fn add_organization(conn: &mut PgConnection) -> Result<bool, AppError> {
    if services::organization::find(conn)?.is_some() {
        return Ok(false);
    }
    let details = services::organization::Details {
        name: "ООО «Управляющая компания „Демо“»".into(),
        inn: "7700000009".into(),
        kpp: "770001001".into(),
        address: "г. Москва, ул. Примерная, д. 1, офис 10".into(),
        phone: "+7 495 000-00-00".into(),
        email: "uk@example.ru".into(),
        bank_name: "ПАО Сбербанк".into(),
        bic: "044525225".into(),
        account: "40702810938000012345".into(),
        corr_account: "30101810400000000225".into(),
    };
    services::organization::set(conn, &details)?;
    Ok(true)
}

#[derive(Debug, Clone)]
struct PlannedMeter {
    input: AddMeter,
    /// Oldest first; rising month by month.
    readings: Vec<(Period, Decimal)>,
    /// Taken out with its final reading, and its successor's readings.
    replaced_by: Option<PlannedSuccessor>,
}

#[derive(Debug, Clone)]
struct PlannedSuccessor {
    replacement: Replacement,
    readings: Vec<(Period, Decimal)>,
}

#[derive(Debug, Clone)]
struct PlannedApartment {
    number: String,
    area: Decimal,
    people: People,
    meters: Vec<PlannedMeter>,
    account: SetAccount,
    /// Paid by hand: (day, amount).
    payments: Vec<(NaiveDate, Decimal)>,
}

/// The account of the `index`-th house's `ordinal`-th apartment: numbered
/// `1001001001` for the first house's first, opened with the readings; some
/// owe from before (a few are in advance), a few paid by hand in the second
/// month. A generator of its own, so the apartments stay as they were.
fn plan_account(
    index: usize,
    ordinal: usize,
    first: Period,
    rng: &mut Rng,
) -> (SetAccount, Vec<(NaiveDate, Decimal)>) {
    let opening_balance = match rng.between(0, 99) {
        0..=14 => Decimal::new(rng.between(50_000, 600_000), 2),
        15..=19 => -Decimal::new(rng.between(10_000, 150_000), 2),
        _ => Decimal::ZERO,
    };
    let account = SetAccount {
        number: format!("{}{:06}", 1000 + index + 1, 1000 + ordinal),
        holder: HOLDERS[(index + ordinal - 1) % HOLDERS.len()].to_owned(),
        opening_balance,
        opening_period: first,
    };
    let mut payments = Vec::new();
    if rng.chance(15) {
        let day = first.next().first_day() + Days::new(rng.between(2, 24) as u64);
        payments.push((day, Decimal::new(rng.between(10, 60) * 10_000, 2)));
    }
    (account, payments)
}

/// The day a meter of `kind` commissioned on `on` is verified until.
fn verified_until(kind: MeterKind, on: NaiveDate) -> Option<NaiveDate> {
    let (_, months) = VERIFICATION_MONTHS.iter().find(|(k, _)| *k == kind)?;
    on.checked_add_months(Months::new(*months))
}

/// The cases ПП 354 bills apart, on the first apartments that fit them: the
/// first without meters has an act that none can be installed; among those
/// with two or more meters, the first has a meter past its verification
/// for the last two months, the second a meter unread for the last three,
/// and the third a hot-water meter replaced three months ago.
fn add_rule_cases(plan: &mut [PlannedApartment], current: Period, rng: &mut Rng) {
    if let Some(flat) = plan.iter_mut().find(|a| a.meters.is_empty()) {
        flat.people.meter_impossible = true;
    }
    let mut metered = plan.iter_mut().filter(|a| a.meters.len() >= 2);
    if let Some(flat) = metered.next() {
        let expired = months_before(current, 2).first_day() - Days::new(1);
        flat.meters[0].input.verified_until = Some(expired);
    }
    if let Some(flat) = metered.next() {
        flat.meters[0].readings.truncate(3);
    }
    if let Some(flat) = metered.next()
        && let Some(meter) = flat.meters.last_mut()
    {
        let out = months_before(current, 3);
        let on = out.first_day() + Days::new(19);
        let Some(&(_, final_reading)) = meter.readings.iter().find(|(p, _)| *p == out) else {
            return;
        };
        meter.readings.retain(|(p, _)| *p < out);
        let mut value = Decimal::ZERO;
        let readings = std::iter::successors(Some(out.next()), |p| Some(p.next()))
            .take_while(|p| *p < current)
            .map(|period| {
                value += Decimal::new(rng.between(1_000, 5_000), 3);
                (period, value)
            })
            .collect();
        meter.replaced_by = Some(PlannedSuccessor {
            replacement: Replacement {
                on,
                final_reading,
                serial: format!("{}-З", meter.input.serial),
                initial_reading: Decimal::ZERO,
                commissioned_on: Some(on),
                verified_until: verified_until(meter.input.kind, on),
            },
            readings,
        });
    }
}

/// The apartments of the `index`-th demo house: the same whatever the other
/// houses are, so serials (which carry the house's index) never collide.
fn plan_house(index: usize, apartments: usize, current: Period) -> Vec<PlannedApartment> {
    let mut rng = Rng::new(index as u64 + 1);
    let mut account_rng = Rng::new(index as u64 + 1_001);
    let first = months_before(current, MONTHS);
    // Meters were replaced in a campaign the month before the readings start.
    let installed = months_before(current, MONTHS + 1).first_day();
    let mut plan = Vec::with_capacity(apartments);
    let mut number = 0;
    let mut lettered_last = false;
    for ordinal in 1..=apartments {
        // Now and then a split flat: "12А" right after 12.
        let name = if number > 0 && !lettered_last && rng.chance(3) {
            lettered_last = true;
            format!("{number}А")
        } else {
            lettered_last = false;
            number += 1;
            number.to_string()
        };
        let area = Decimal::new(rng.between(2_840, 11_890), 2);
        // One to four registered, now and then one more from two months ago.
        let residents = rng.between(1, 4) as u32;
        let mut history = vec![ResidentsFrom {
            valid_from: None,
            count: residents,
        }];
        if rng.chance(10) {
            history.push(ResidentsFrom {
                valid_from: Some(months_before(current, 2)),
                count: residents + 1,
            });
        }
        let people = People {
            residents: history,
            owners: if rng.chance(30) { 2 } else { 1 },
            meter_impossible: false,
        };
        let kinds: &[MeterKind] = match rng.between(0, 99) {
            0..=2 => &[],
            3..=12 => &[
                MeterKind::ColdWater,
                MeterKind::ColdWater,
                MeterKind::HotWater,
            ],
            _ => &[MeterKind::ColdWater, MeterKind::HotWater],
        };
        let mut cold = 0;
        let mut hot = 0;
        let meters = kinds
            .iter()
            .map(|&kind| {
                let (prefix, nth, monthly) = match kind {
                    MeterKind::ColdWater => {
                        cold += 1;
                        ("ХВ", cold, (2_000, 9_000))
                    }
                    MeterKind::HotWater => {
                        hot += 1;
                        ("ГВ", hot, (1_000, 5_000))
                    }
                };
                let initial = Decimal::new(rng.between(0, 3_000), 3);
                let mut value = initial;
                let mut readings: Vec<_> = std::iter::successors(Some(first), |p| Some(p.next()))
                    .take(MONTHS as usize)
                    .map(|period| {
                        value += Decimal::new(rng.between(monthly.0, monthly.1), 3);
                        (period, value)
                    })
                    .collect();
                // A few meters have not been read yet for the last month.
                if rng.chance(4) {
                    readings.pop();
                }
                let day = rng.between(0, 27) as u64;
                let on = installed.checked_add_days(Days::new(day));
                PlannedMeter {
                    input: AddMeter {
                        serial: format!("{prefix}-{:02}-{ordinal:04}-{nth:02}", index + 1),
                        kind,
                        initial_reading: initial,
                        installed_on: on,
                        commissioned_on: on,
                        verified_until: on.and_then(|on| verified_until(kind, on)),
                    },
                    readings,
                    replaced_by: None,
                }
            })
            .collect();
        let (account, payments) = plan_account(index, ordinal, first, &mut account_rng);
        plan.push(PlannedApartment {
            number: name,
            area,
            people,
            meters,
            account,
            payments,
        });
    }
    add_rule_cases(&mut plan, current, &mut rng);
    plan
}

/// SplitMix64: small, seeded and good enough for made-up data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi` (the modulo bias is irrelevant here).
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn month() -> Period {
        Period::new(2026, 3).unwrap()
    }

    #[test]
    fn a_house_is_the_same_every_time() {
        let a = plan_house(2, 50, month());
        let b = plan_house(2, 50, month());
        let serials = |p: &[PlannedApartment]| -> Vec<String> {
            p.iter()
                .flat_map(|a| a.meters.iter().map(|m| m.input.serial.clone()))
                .collect()
        };
        assert_eq!(serials(&a), serials(&b));
        assert_eq!(
            a.iter().map(|a| a.area).collect::<Vec<_>>(),
            b.iter().map(|a| a.area).collect::<Vec<_>>()
        );
    }

    #[test]
    fn apartments_look_real() {
        let plan = plan_house(0, 300, month());
        assert_eq!(plan.len(), 300);
        let numbers: HashSet<_> = plan.iter().map(|a| a.number.as_str()).collect();
        assert_eq!(numbers.len(), 300, "numbers are unique within a house");
        assert!(numbers.iter().any(|n| n.ends_with('А')), "some lettered");
        for a in &plan {
            assert!(a.area >= Decimal::new(2840, 2) && a.area <= Decimal::new(11890, 2));
            assert_eq!(a.area.scale(), 2);
        }
        assert!(plan.iter().any(|a| a.meters.is_empty()));
        assert!(plan.iter().any(|a| a.meters.len() == 3));
    }

    #[test]
    fn readings_rise_by_a_realistic_amount_and_end_last_month() {
        let plan = plan_house(1, 300, month());
        let mut missing_last = 0;
        for m in plan.iter().flat_map(|a| &a.meters) {
            let (lo, hi) = match m.input.kind {
                MeterKind::ColdWater => (2, 9),
                MeterKind::HotWater => (1, 5),
            };
            let mut previous = m.input.initial_reading;
            assert_eq!(m.readings[0].0, Period::new(2025, 9).unwrap());
            for (_, value) in &m.readings {
                let used = value - previous;
                assert!(
                    used >= Decimal::from(lo) && used <= Decimal::from(hi),
                    "{used}"
                );
                previous = *value;
            }
            match (m.readings.len(), &m.replaced_by) {
                (6, None) => assert_eq!(m.readings[5].0, Period::new(2026, 2).unwrap()),
                (5, None) => missing_last += 1,
                // Unread for three months.
                (3, None) => {}
                // Replaced in 2025-12: read up to November, the final
                // reading of December goes with the replacement.
                (3, Some(successor)) => {
                    assert_eq!(m.readings[2].0, Period::new(2025, 11).unwrap());
                    let on = successor.replacement.on;
                    assert_eq!(on, NaiveDate::from_ymd_opt(2025, 12, 20).unwrap());
                    assert!(successor.replacement.final_reading > m.readings[2].1);
                    let months: Vec<Period> = successor.readings.iter().map(|r| r.0).collect();
                    assert_eq!(
                        months,
                        [Period::new(2026, 1).unwrap(), Period::new(2026, 2).unwrap()]
                    );
                }
                (n, _) => panic!("{n} readings"),
            }
        }
        assert!(
            missing_last > 0,
            "a few meters wait for last month's reading"
        );
    }

    #[test]
    fn every_house_has_the_cases_the_rules_bill_apart() {
        let plan = plan_house(3, 40, month());
        let meters = || plan.iter().flat_map(|a| &a.meters);
        assert_eq!(plan.iter().filter(|a| a.people.meter_impossible).count(), 1);
        let expired = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        assert_eq!(
            meters()
                .filter(|m| m.input.verified_until == Some(expired))
                .count(),
            1,
            "one meter past its verification since January"
        );
        assert_eq!(meters().filter(|m| m.readings.len() == 3).count(), 2);
        assert_eq!(meters().filter(|m| m.replaced_by.is_some()).count(), 1);
        assert!(
            plan.iter()
                .all(|a| (1..=5).contains(&a.people.residents.last().unwrap().count))
        );
    }

    #[test]
    fn serials_are_unique_across_houses() {
        let mut seen = HashSet::new();
        for house in 0..ADDRESSES.len() {
            for m in plan_house(house, 40, month())
                .iter()
                .flat_map(|a| &a.meters)
            {
                assert!(seen.insert(m.input.serial.clone()), "{}", m.input.serial);
            }
        }
    }

    #[test]
    fn every_apartment_has_its_account_and_a_few_paid_by_hand() {
        let plan = plan_house(0, 100, month());
        let numbers: HashSet<_> = plan.iter().map(|a| a.account.number.as_str()).collect();
        assert_eq!(numbers.len(), 100);
        assert_eq!(plan[0].account.number, "1001001001");
        assert_eq!(plan[2].account.number, "1001001003");
        assert_eq!(plan_house(1, 1, month())[0].account.number, "1002001001");
        assert!(
            plan.iter()
                .all(|a| crate::domain::input::account_number(&a.account.number).is_ok())
        );
        assert!(
            plan.iter()
                .any(|a| a.account.opening_balance > Decimal::ZERO)
        );
        assert!(
            plan.iter()
                .any(|a| a.account.opening_balance < Decimal::ZERO)
        );
        let paid = plan.iter().filter(|a| !a.payments.is_empty()).count();
        assert!((1..50).contains(&paid), "{paid}");
        for (day, amount) in plan.iter().flat_map(|a| &a.payments) {
            assert_eq!(Period::containing(*day), Period::new(2025, 10).unwrap());
            assert!(*amount > Decimal::ZERO);
        }
    }

    #[test]
    fn addresses_are_distinct() {
        let set: HashSet<_> = ADDRESSES.iter().map(|a| same_address(a)).collect();
        assert_eq!(set.len(), ADDRESSES.len());
    }
}
