//! The audit log: telling a connection who is acting, and reading the log
//! back for the audit page. The log itself is written by the triggers of
//! migration 000007, never by the application.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::models::{
    ApartmentId, AuditAction, AuditEntity, AuditEntry, BillingRunId, HouseId, MeterId, TariffId,
};
use crate::db::schema::{apartments, audit_log, billing_runs, houses, meters, tariffs, users};

/// Tells this connection's triggers who is acting from now on (None = the
/// system). Session-wide, so `AppState::db` sets it on every checkout.
pub fn set_actor(conn: &mut PgConnection, actor: Option<&str>) -> QueryResult<()> {
    diesel::sql_query("SELECT set_config('kvartplata.actor', $1, false)")
        .bind::<Text, _>(actor.unwrap_or(""))
        .execute(conn)
        .map(drop)
}

/// Writes an account event (sign-ins, passwords, blocks, tokens), which
/// no row change of an audited table marks. `actor` None takes the
/// connection's acting user.
pub fn record(
    conn: &mut PgConnection,
    actor: Option<&str>,
    action: AuditAction,
    entity: AuditEntity,
    entity_id: i64,
    new: &serde_json::Value,
) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO audit_log (actor, action, entity, entity_id, new) \
         VALUES (COALESCE($1, audit_actor()), $2, $3, $4, $5)",
    )
    .bind::<diesel::sql_types::Nullable<Text>, _>(actor)
    .bind::<Text, _>(action.as_str())
    .bind::<Text, _>(entity.as_str())
    .bind::<diesel::sql_types::BigInt, _>(entity_id)
    .bind::<diesel::sql_types::Jsonb, _>(new)
    .execute(conn)
    .map(drop)
}

/// Whose entries to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User(String),
    /// Entries without a user: the command line and the system.
    System,
}

/// The audit page's filters; None shows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub house: Option<HouseId>,
    pub meter: Option<MeterId>,
    pub actor: Option<Actor>,
}

/// Entries matching `filter`, newest first: `limit` of them after `offset`.
/// Each filter has an index on (column, id), so a page costs the same
/// however long the log grows.
pub fn entries(
    conn: &mut PgConnection,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<AuditEntry>> {
    let mut query = audit_log::table
        .select(AuditEntry::as_select())
        .order_by(audit_log::id.desc())
        .offset(offset)
        .limit(limit)
        .into_boxed();
    if let Some(house) = filter.house {
        query = query.filter(audit_log::house_id.eq(house));
    }
    if let Some(meter) = filter.meter {
        query = query.filter(audit_log::meter_id.eq(meter));
    }
    match &filter.actor {
        Some(Actor::User(name)) => query = query.filter(audit_log::actor.eq(name.clone())),
        Some(Actor::System) => query = query.filter(audit_log::actor.is_null()),
        None => {}
    }
    query.load(conn)
}

/// What the audit page asked for: the filters as typed and the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub house: Option<HouseId>,
    /// A meter's serial or id as typed.
    pub meter: Option<String>,
    pub actor: Option<Actor>,
    pub offset: i64,
    pub limit: i64,
}

/// Everything the audit page shows.
#[derive(Debug, Default)]
pub struct Listing {
    /// The filters' choices: every house (id, address) and user name.
    pub houses: Vec<(HouseId, String)>,
    pub users: Vec<String>,
    /// The typed meter is no meter's serial or id: nothing is listed.
    pub unknown_meter: bool,
    pub entries: Vec<AuditEntry>,
    /// Whether older entries follow.
    pub has_next: bool,
    pub present: Present,
}

/// The audit page's data; with `wanted` None (a filter that cannot be
/// read) only the filters' choices.
pub fn listing(conn: &mut PgConnection, wanted: Option<&Wanted>) -> QueryResult<Listing> {
    let mut listing = Listing {
        houses: super::tariffs::house_choices(conn)?,
        users: user_names(conn)?,
        ..Listing::default()
    };
    let Some(wanted) = wanted else {
        return Ok(listing);
    };
    let meter = match wanted.meter.as_deref() {
        None => None,
        Some(typed) => match find_meter(conn, typed)? {
            Some(id) => Some(id),
            None => {
                listing.unknown_meter = true;
                return Ok(listing);
            }
        },
    };
    let filter = Filter {
        house: wanted.house,
        meter,
        actor: wanted.actor.clone(),
    };
    let mut entries = self::entries(conn, &filter, wanted.offset, wanted.limit + 1)?;
    listing.has_next = entries.len() as i64 > wanted.limit;
    entries.truncate(usize::try_from(wanted.limit).unwrap_or(0));
    listing.present = present(conn, &entries)?;
    listing.entries = entries;
    Ok(listing)
}

/// The meter a person typed: its serial, or else its id (also of a meter
/// deleted since, whose entries remain).
pub fn find_meter(conn: &mut PgConnection, serial_or_id: &str) -> QueryResult<Option<MeterId>> {
    let found = meters::table
        .filter(meters::serial.eq(serial_or_id))
        .select(meters::id)
        .first(conn)
        .optional()?;
    if found.is_some() {
        return Ok(found);
    }
    let Ok(id) = serial_or_id.parse::<i64>() else {
        return Ok(None);
    };
    let known = diesel::select(diesel::dsl::exists(
        audit_log::table.filter(audit_log::meter_id.eq(MeterId(id))),
    ))
    .get_result::<bool>(conn)?;
    Ok(known.then_some(MeterId(id)))
}

/// The names the user filter offers: everyone who can sign in.
pub fn user_names(conn: &mut PgConnection) -> QueryResult<Vec<String>> {
    users::table
        .select(users::name)
        .order_by(users::name)
        .load(conn)
}

/// What the page needs to name and link the rows a page of entries is
/// about: those still present (a deleted row gets no link).
#[derive(Debug, Default)]
pub struct Present {
    pub houses: HashMap<HouseId, String>,
    pub apartments: HashSet<ApartmentId>,
    /// Meters' serials, also naming the meter of a reading.
    pub meters: HashMap<MeterId, String>,
    pub tariffs: HashSet<TariffId>,
    pub runs: HashSet<BillingRunId>,
}

pub fn present(conn: &mut PgConnection, entries: &[AuditEntry]) -> QueryResult<Present> {
    let ids = |entity: AuditEntity| -> Vec<i64> {
        entries
            .iter()
            .filter(|e| e.entity == entity)
            .map(|e| e.entity_id)
            .collect()
    };
    let house_ids: Vec<HouseId> = entries.iter().filter_map(|e| e.house_id).collect();
    let meter_ids: Vec<MeterId> = entries.iter().filter_map(|e| e.meter_id).collect();
    let apartment_ids: Vec<ApartmentId> = ids(AuditEntity::Apartment)
        .into_iter()
        .map(ApartmentId)
        .collect();
    let tariff_ids: Vec<TariffId> = ids(AuditEntity::Tariff).into_iter().map(TariffId).collect();
    let run_ids: Vec<BillingRunId> = ids(AuditEntity::BillingRun)
        .into_iter()
        .map(BillingRunId)
        .collect();
    Ok(Present {
        houses: houses::table
            .filter(houses::id.eq_any(house_ids))
            .select((houses::id, houses::address))
            .load::<(HouseId, String)>(conn)?
            .into_iter()
            .collect(),
        apartments: apartments::table
            .filter(apartments::id.eq_any(apartment_ids))
            .select(apartments::id)
            .load(conn)?
            .into_iter()
            .collect(),
        meters: meters::table
            .filter(meters::id.eq_any(meter_ids))
            .select((meters::id, meters::serial))
            .load::<(MeterId, String)>(conn)?
            .into_iter()
            .collect(),
        tariffs: tariffs::table
            .filter(tariffs::id.eq_any(tariff_ids))
            .select(tariffs::id)
            .load(conn)?
            .into_iter()
            .collect(),
        runs: billing_runs::table
            .filter(billing_runs::id.eq_any(run_ids))
            .select(billing_runs::id)
            .load(conn)?
            .into_iter()
            .collect(),
    })
}
