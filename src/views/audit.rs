//! The audit log page: who did what, newest first, filtered by house, meter
//! and user; each entry names what it is about (linked while it exists) and
//! the values it changed.

use actix_web::http::StatusCode;
use askama::Template;
use chrono::{DateTime, Local, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::forms::{Choice, FormErrors, house_choices};
use super::pager::page_number;
use crate::db::models::{
    ApartmentId, AuditAction, AuditEntity, AuditEntry, BillingRunId, HouseId, MeterId, TariffId,
};
use crate::db::queries::audit::{Actor, Listing, Present, Wanted};
use crate::domain::{MeterKind, ReadingSource, Service};
use crate::error::FieldErrors;
use crate::i18n::Locale;
use crate::views::page::PageCtx;

/// Entries per page.
pub const PER_PAGE: i64 = 100;
/// The user filter's value for entries without a user. A user literally
/// named "-" could not be picked in the filter (the unfiltered list still
/// shows their entries).
pub const SYSTEM: &str = "-";

/// `?house=ID&meter=SERIAL-OR-ID&user=NAME&page=N`; all text, so a
/// hand-edited URL never fails to parse.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub house: String,
    #[serde(default)]
    pub meter: String,
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub page: String,
}

impl AuditQuery {
    pub fn page(&self) -> i64 {
        page_number(&self.page)
    }

    pub fn offset(&self) -> i64 {
        (self.page() - 1) * PER_PAGE
    }

    /// None without a house filter; Err for a value no select offers.
    pub fn house(&self) -> Result<Option<HouseId>, &'static str> {
        match self.house.trim() {
            "" => Ok(None),
            raw => raw
                .parse()
                .map(|id| Some(HouseId(id)))
                .map_err(|_| "Choose a house from the list."),
        }
    }

    /// The meter as typed: a serial or a meter id; empty for none.
    pub fn meter(&self) -> &str {
        self.meter.trim()
    }

    pub fn actor(&self) -> Option<Actor> {
        match self.user.trim() {
            "" => None,
            SYSTEM => Some(Actor::System),
            name => Some(Actor::User(name.to_owned())),
        }
    }

    /// This query on another page.
    pub fn href(&self, page: i64) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("house", self.house.trim()),
            ("meter", self.meter()),
            ("user", self.user.trim()),
        ] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        if page > 1 {
            query.append_pair("page", &page.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            "/audit".to_owned()
        } else {
            format!("/audit?{query}")
        }
    }

    /// The query for the database; None when the house is no house id.
    pub fn wanted(&self) -> Option<Wanted> {
        Some(Wanted {
            house: self.house().ok()?,
            meter: Some(self.meter().to_owned()).filter(|m| !m.is_empty()),
            actor: self.actor(),
            offset: self.offset(),
            limit: PER_PAGE,
        })
    }

    pub fn is_filtered(&self) -> bool {
        !(self.house.trim().is_empty() && self.meter().is_empty() && self.user.trim().is_empty())
    }
}

/// A name on the page, linked while what it names exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub href: Option<String>,
}

impl Link {
    fn new(text: impl Into<String>, href: Option<String>) -> Self {
        Self {
            text: text.into(),
            href,
        }
    }
}

/// One field's value before and after; None where the entry has no side
/// (a creation has no old value, a deletion no new one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AuditLine {
    pub id: i64,
    pub at: String,
    /// None: the system or the command line.
    pub actor: Option<String>,
    pub action: AuditAction,
    pub subject: Link,
    /// Where it belongs: the meter of a reading, the house.
    pub context: Vec<Link>,
    pub changes: Vec<Change>,
}

#[derive(Template)]
#[template(path = "audit/index.html")]
pub struct AuditPage {
    pub ctx: PageCtx,
    pub query: AuditQuery,
    pub houses: Vec<Choice>,
    pub users: Vec<Choice>,
    pub errors: FormErrors,
    pub lines: Vec<AuditLine>,
    pub page: i64,
    /// Whether older entries follow this page.
    pub has_next: bool,
}

impl AuditPage {
    pub fn new(ctx: PageCtx, query: AuditQuery, listing: Listing) -> Self {
        let mut errors = FieldErrors::new();
        if let Err(message) = query.house() {
            errors.insert("house".into(), message.into());
        }
        if listing.unknown_meter {
            errors.insert(
                "meter".into(),
                format!("No meter has the serial or id “{}”.", query.meter()).into(),
            );
        }
        let present = listing.present;
        Self {
            ctx,
            houses: house_choices("All houses", listing.houses),
            users: user_choices(listing.users),
            errors: errors.into(),
            lines: listing
                .entries
                .into_iter()
                .map(|e| AuditLine::new(e, &present))
                .collect(),
            page: query.page(),
            has_next: listing.has_next,
            query,
        }
    }

    /// 422 when a filter names nothing (the page says which).
    pub fn status(&self) -> StatusCode {
        if self.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    pub fn previous(&self) -> Option<String> {
        (self.page > 1).then(|| self.query.href(self.page - 1))
    }

    pub fn next(&self) -> Option<String> {
        self.has_next.then(|| self.query.href(self.page + 1))
    }
}

/// The user select: everyone, each user, and the system.
pub fn user_choices(names: Vec<String>) -> Vec<Choice> {
    let mut choices = vec![Choice::new("", "Everyone")];
    choices.extend(names.into_iter().map(|n| Choice::new(n.clone(), n)));
    choices.push(Choice::new(SYSTEM, "System / command line"));
    choices
}

/// "2026-11-25 14:03:07" in the server's time zone.
fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

impl AuditLine {
    pub fn new(entry: AuditEntry, present: &Present) -> Self {
        let doc = entry.new.as_ref().or(entry.old.as_ref());
        let field = |name: &str| doc.and_then(|d| d.get(name)).map(plain).unwrap_or_default();
        let house = entry.house_id.map(|id| house_link(id, present));
        let id = entry.entity_id;
        let (subject, mut context) = match entry.entity {
            AuditEntity::Reading => {
                let meter = entry.meter_id.map(|m| meter_link(m, present));
                (
                    Link::new(format!("Reading for {}", field("period")), None),
                    meter.into_iter().collect(),
                )
            }
            AuditEntity::Meter => {
                let href = entry
                    .meter_id
                    .filter(|m| present.meters.contains_key(m))
                    .map(|m| format!("/meters/{m}"));
                (
                    Link::new(format!("Meter {}", field("serial")), href),
                    Vec::new(),
                )
            }
            AuditEntity::Apartment => {
                let href = present
                    .apartments
                    .contains(&ApartmentId(id))
                    .then(|| format!("/apartments/{id}"));
                (
                    Link::new(format!("Apartment {}", field("number")), href),
                    Vec::new(),
                )
            }
            AuditEntity::Tariff => {
                let href = present
                    .tariffs
                    .contains(&TariffId(id))
                    .then(|| format!("/tariffs/{id}/edit"));
                let service = label("service", &field("service"));
                let text = format!("{service} tariff from {}", field("valid_from"));
                let scope = match house {
                    None => vec![Link::new("all houses (default)", None)],
                    Some(_) => Vec::new(),
                };
                (Link::new(text, href), scope)
            }
            AuditEntity::BillingRun => {
                let href = present
                    .runs
                    .contains(&BillingRunId(id))
                    .then(|| format!("/billing-runs/{id}"));
                let text = format!("Billing run #{id} for {}", field("period"));
                (Link::new(text, href), Vec::new())
            }
            // A failed sign-in may name nobody (entity id 0).
            AuditEntity::User => {
                let href = (id > 0).then(|| format!("/users/{id}"));
                (
                    Link::new(format!("User {}", field("name")), href),
                    Vec::new(),
                )
            }
            AuditEntity::ApiToken => {
                let text = format!("API token {} of {}", field("token"), field("owner"));
                (Link::new(text, None), Vec::new())
            }
        };
        context.extend(house);
        Self {
            id: entry.id.0,
            at: local_time(entry.at),
            actor: entry.actor,
            action: entry.action,
            subject,
            context,
            changes: changes(
                entry.entity,
                entry.action,
                entry.old.as_ref(),
                entry.new.as_ref(),
            ),
        }
    }
}

fn house_link(id: HouseId, present: &Present) -> Link {
    match present.houses.get(&id) {
        Some(address) => Link::new(address.clone(), Some(format!("/houses/{id}"))),
        None => Link::new(format!("house #{id} (deleted)"), None),
    }
}

fn meter_link(id: MeterId, present: &Present) -> Link {
    match present.meters.get(&id) {
        Some(serial) => Link::new(format!("meter {serial}"), Some(format!("/meters/{id}"))),
        None => Link::new(format!("meter #{id} (deleted)"), None),
    }
}

/// The fields each entity's entries keep (see the audit_*_doc functions of
/// the migration), in the order the page lists them.
fn fields(entity: AuditEntity) -> &'static [(&'static str, &'static str)] {
    match entity {
        AuditEntity::Reading => &[
            ("value", "Value, m³"),
            ("period", "Month"),
            ("source", "Source"),
            ("meter_id", "Meter id"),
        ],
        AuditEntity::Tariff => &[
            ("price", "Price, ₽"),
            ("service", "Service"),
            ("valid_from", "Valid from"),
            ("house_id", "House id"),
        ],
        AuditEntity::Apartment => &[
            ("number", "Number"),
            ("area", "Area, m²"),
            ("house_id", "House id"),
        ],
        AuditEntity::Meter => &[
            ("serial", "Serial"),
            ("kind", "Kind"),
            ("initial_reading", "Initial reading, m³"),
            ("installed_on", "Installed on"),
            ("apartment_id", "Apartment id"),
        ],
        AuditEntity::BillingRun => &[("period", "Month")],
        AuditEntity::User => &[("role", "Role"), ("address", "Address")],
        AuditEntity::ApiToken => &[],
    }
}

/// What an entry changed: for an update only the fields that differ; for a
/// creation or deletion every field but the ids (the line names those).
pub fn changes(
    entity: AuditEntity,
    action: AuditAction,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Vec<Change> {
    let value = |doc: Option<&Value>, name: &str| doc.and_then(|d| d.get(name)).cloned();
    fields(entity)
        .iter()
        .filter_map(|&(name, field)| {
            let (before, after) = (value(old, name), value(new, name));
            let keep = match action {
                AuditAction::Update => before != after,
                _ => !name.ends_with("_id"),
            };
            keep.then(|| Change {
                field,
                old: before.map(|v| label(name, &plain(&v))),
                new: after.map(|v| label(name, &plain(&v))),
            })
        })
        .filter(|c| c.old.is_some() || c.new.is_some())
        .collect()
}

/// A stored value as text: strings as they are, null as a dash.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    }
}

/// The label of a named value ("cold_water" → "Cold water").
fn label(field: &str, value: &str) -> String {
    let named = match field {
        "kind" => value.parse::<MeterKind>().ok().map(|v| Locale::En.name(v)),
        "service" => value.parse::<Service>().ok().map(|v| Locale::En.name(v)),
        "source" => value
            .parse::<ReadingSource>()
            .ok()
            .map(|v| Locale::En.name(v)),
        _ => None,
    };
    named.unwrap_or_else(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_update_shows_only_what_changed() {
        let old = json!({"meter_id": 4, "period": "2026-10", "value": "12.000", "source": "form"});
        let new = json!({"meter_id": 4, "period": "2026-10", "value": "13.500", "source": "api"});
        let shown = changes(
            AuditEntity::Reading,
            AuditAction::Update,
            Some(&old),
            Some(&new),
        );
        assert_eq!(
            shown,
            vec![
                Change {
                    field: "Value, m³",
                    old: Some("12.000".into()),
                    new: Some("13.500".into())
                },
                Change {
                    field: "Source",
                    old: Some("Form".into()),
                    new: Some("API".into())
                },
            ]
        );
    }

    #[test]
    fn a_creation_lists_its_fields_without_ids() {
        let new = json!({"apartment_id": 3, "serial": "X-1", "kind": "hot_water",
                         "initial_reading": "0.000", "installed_on": null});
        let shown = changes(AuditEntity::Meter, AuditAction::Create, None, Some(&new));
        let fields: Vec<_> = shown.iter().map(|c| (c.field, c.new.as_deref())).collect();
        assert_eq!(
            fields,
            vec![
                ("Serial", Some("X-1")),
                ("Kind", Some("Hot water")),
                ("Initial reading, m³", Some("0.000")),
                ("Installed on", Some("—")),
            ]
        );
        assert!(shown.iter().all(|c| c.old.is_none()));
    }

    #[test]
    fn links_keep_the_filters() {
        let query = AuditQuery {
            house: "7".into(),
            meter: " СВ-1 ".into(),
            user: String::new(),
            page: "2".into(),
        };
        assert_eq!(query.href(3), "/audit?house=7&meter=%D0%A1%D0%92-1&page=3");
        assert_eq!(query.href(1), "/audit?house=7&meter=%D0%A1%D0%92-1");
        assert_eq!(query.offset(), PER_PAGE);
        assert_eq!(
            AuditQuery {
                user: SYSTEM.into(),
                ..AuditQuery::default()
            }
            .actor(),
            Some(Actor::System)
        );
    }
}
