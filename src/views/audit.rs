//! The audit log page: who did what, newest first, filtered by house, meter
//! and user; each entry names what it is about (linked while it exists) and
//! the values it changed.

use actix_web::http::StatusCode;
use askama::Template;
use serde::Deserialize;
use serde_json::Value;

use super::forms::{Choice, FormErrors, house_choices};
use super::pager::page_number;
use crate::db::models::{
    ApartmentId, AuditAction, AuditEntity, AuditEntry, BillingRunId, HouseId, MeterId, TariffId,
};
use crate::db::queries::audit::{Actor, Listing, Present, Wanted};
use crate::domain::{MeterKind, PaymentSource, Problem, ReadingSource, Role, Service, TimeZone};
use crate::error::FieldErrors;
use crate::i18n::format::{self, DEFAULT_TIME_ZONE};
use crate::i18n::{Arg, Locale};
use crate::views::page::PageCtx;

/// Entries per page.
pub const PER_PAGE: i64 = 100;
/// The user filter's value for entries without a user. A user literally
/// named "-" could not be picked in the filter (the unfiltered list still
/// shows their entries).
pub const SYSTEM: &str = "-";

/// A house filter that is no house id (only a hand-edited URL has one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAHouse;

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
    pub fn house(&self) -> Result<Option<HouseId>, NotAHouse> {
        match self.house.trim() {
            "" => Ok(None),
            raw => raw
                .parse()
                .map(|id| Some(HouseId(id)))
                .map_err(|_| NotAHouse),
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
    pub field: String,
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
        let locale = ctx.locale;
        let mut errors = FieldErrors::new();
        if query.house().is_err() {
            errors.insert("house".into(), Problem::ChooseHouse);
        }
        if listing.unknown_meter {
            errors.insert("meter".into(), Problem::NoMeterNamed(query.meter().into()));
        }
        let present = listing.present;
        Self {
            ctx,
            houses: house_choices(&locale.text("audit-all-houses"), listing.houses),
            users: user_choices(listing.users, locale),
            errors: FormErrors::new(&errors, locale),
            lines: listing
                .entries
                .into_iter()
                .map(|e| AuditLine::new(e, &present, locale))
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

    pub fn no_page(&self) -> String {
        self.ctx
            .locale
            .text_with("audit-no-page", &[("page", self.page.into())])
    }

    pub fn previous(&self) -> Option<String> {
        (self.page > 1).then(|| self.query.href(self.page - 1))
    }

    pub fn next(&self) -> Option<String> {
        self.has_next.then(|| self.query.href(self.page + 1))
    }
}

/// The user select: everyone, each user, and the system.
pub fn user_choices(names: Vec<String>, locale: Locale) -> Vec<Choice> {
    let mut choices = vec![Choice::new("", locale.text("audit-everyone"))];
    choices.extend(names.into_iter().map(|n| Choice::new(n.clone(), n)));
    choices.push(Choice::new(SYSTEM, locale.text("audit-system-choice")));
    choices
}

/// A stored month ("2026-11") as the page's language writes it.
fn month_text(raw: &str, locale: Locale) -> String {
    raw.parse::<crate::domain::Period>()
        .map_or_else(|_| raw.to_owned(), |p| format::month(p, locale))
}

impl AuditLine {
    pub fn new(entry: AuditEntry, present: &Present, locale: Locale) -> Self {
        let doc = entry.new.as_ref().or(entry.old.as_ref());
        let field = |name: &str| doc.and_then(|d| d.get(name)).map(plain).unwrap_or_default();
        let say = |key: &str, args: &[(&'static str, Arg)]| locale.text_with(key, args);
        let house = entry.house_id.map(|id| house_link(id, present, locale));
        let id = entry.entity_id;
        let (subject, mut context) = match entry.entity {
            AuditEntity::Reading => {
                let meter = entry.meter_id.map(|m| meter_link(m, present, locale));
                let month = month_text(&field("period"), locale);
                (
                    Link::new(say("audit-reading-for", &[("month", month.into())]), None),
                    meter.into_iter().collect(),
                )
            }
            AuditEntity::Meter => {
                let href = entry
                    .meter_id
                    .filter(|m| present.meters.contains_key(m))
                    .map(|m| format!("/meters/{m}"));
                (
                    Link::new(
                        say("audit-meter-subject", &[("serial", field("serial").into())]),
                        href,
                    ),
                    Vec::new(),
                )
            }
            AuditEntity::Apartment => {
                let href = present
                    .apartments
                    .contains(&ApartmentId(id))
                    .then(|| format!("/apartments/{id}"));
                (
                    Link::new(
                        say(
                            "audit-apartment-subject",
                            &[("number", field("number").into())],
                        ),
                        href,
                    ),
                    Vec::new(),
                )
            }
            AuditEntity::Tariff => {
                let href = present
                    .tariffs
                    .contains(&TariffId(id))
                    .then(|| format!("/tariffs/{id}/edit"));
                let service = label("service", &field("service"), locale);
                let month = month_text(&field("valid_from"), locale);
                let text = say(
                    "audit-tariff-subject",
                    &[("service", service.into()), ("month", month.into())],
                );
                let scope = match house {
                    None => vec![Link::new(locale.text("audit-all-houses-default"), None)],
                    Some(_) => Vec::new(),
                };
                (Link::new(text, href), scope)
            }
            AuditEntity::BillingRun => {
                let href = present
                    .runs
                    .contains(&BillingRunId(id))
                    .then(|| format!("/billing-runs/{id}"));
                let month = month_text(&field("period"), locale);
                let text = say(
                    "audit-run-subject",
                    &[("run", id.to_string().into()), ("month", month.into())],
                );
                (Link::new(text, href), Vec::new())
            }
            // A failed sign-in may name nobody (entity id 0).
            AuditEntity::User => {
                let href = (id > 0).then(|| format!("/users/{id}"));
                (
                    Link::new(
                        say("audit-user-subject", &[("name", field("name").into())]),
                        href,
                    ),
                    Vec::new(),
                )
            }
            // The house is the subject; no second link to it.
            AuditEntity::House => {
                let text = say(
                    "audit-house-subject",
                    &[("address", field("address").into())],
                );
                let href = present
                    .houses
                    .contains_key(&HouseId(id))
                    .then(|| format!("/houses/{id}"));
                (Link::new(text, href), Vec::new())
            }
            AuditEntity::Residents => {
                let apartment = doc
                    .and_then(|d| d.get("apartment_id"))
                    .and_then(Value::as_i64)
                    .map(ApartmentId);
                let href = apartment
                    .filter(|a| present.apartments.contains(a))
                    .map(|a| format!("/apartments/{a}"));
                let text = match doc
                    .and_then(|d| d.get("valid_from"))
                    .and_then(Value::as_str)
                {
                    Some(month) => say(
                        "audit-residents-subject",
                        &[("month", month_text(month, locale).into())],
                    ),
                    None => locale.text("audit-residents-subject-always"),
                };
                (Link::new(text, href), Vec::new())
            }
            AuditEntity::Normative => {
                let service = label("service", &field("service"), locale);
                let month = month_text(&field("valid_from"), locale);
                let text = say(
                    "audit-normative-subject",
                    &[("service", service.into()), ("month", month.into())],
                );
                let scope = match house {
                    None => vec![Link::new(locale.text("audit-all-houses-default"), None)],
                    Some(_) => Vec::new(),
                };
                (Link::new(text, Some("/normatives".to_owned())), scope)
            }
            AuditEntity::Coefficient => {
                let service = label("service", &field("service"), locale);
                let month = month_text(&field("valid_from"), locale);
                let text = say(
                    "audit-coefficient-subject",
                    &[("service", service.into()), ("month", month.into())],
                );
                (Link::new(text, Some("/normatives".to_owned())), Vec::new())
            }
            AuditEntity::Account => {
                let number = field("number");
                let text = say(
                    "audit-account-subject",
                    &[("number", number.clone().into())],
                );
                (
                    Link::new(text, Some(format!("/accounts/{number}"))),
                    Vec::new(),
                )
            }
            AuditEntity::Payment => {
                let account = field("account");
                let amount = shown("amount", &Value::String(field("amount")), locale);
                let text = say(
                    "audit-payment-subject",
                    &[
                        ("amount", amount.into()),
                        ("account", account.clone().into()),
                    ],
                );
                (
                    Link::new(text, Some(format!("/accounts/{account}"))),
                    Vec::new(),
                )
            }
            AuditEntity::PaymentImport => {
                let text = say(
                    "audit-payment-import-subject",
                    &[("file", field("file_name").into())],
                );
                (
                    Link::new(text, Some("/payments/imports".to_owned())),
                    Vec::new(),
                )
            }
            AuditEntity::KeyRate => {
                let day = shown("from_day", &Value::String(field("from_day")), locale);
                let text = say("audit-key-rate-subject", &[("day", day.into())]);
                (Link::new(text, Some("/key-rates".to_owned())), Vec::new())
            }
            AuditEntity::Organization => {
                let text = locale.text("audit-organization-subject");
                (
                    Link::new(text, Some("/organization".to_owned())),
                    Vec::new(),
                )
            }
            AuditEntity::ApiToken => {
                let text = say(
                    "audit-token-subject",
                    &[
                        ("token", field("token").into()),
                        ("owner", field("owner").into()),
                    ],
                );
                (Link::new(text, None), Vec::new())
            }
        };
        if entry.entity != AuditEntity::House {
            context.extend(house);
        }
        Self {
            id: entry.id.0,
            at: format::date_time_seconds(entry.at, DEFAULT_TIME_ZONE, locale),
            actor: entry.actor,
            action: entry.action,
            subject,
            context,
            changes: changes(
                entry.entity,
                entry.action,
                entry.old.as_ref(),
                entry.new.as_ref(),
                locale,
            ),
        }
    }
}

fn house_link(id: HouseId, present: &Present, locale: Locale) -> Link {
    match present.houses.get(&id) {
        Some(address) => Link::new(address.clone(), Some(format!("/houses/{id}"))),
        None => Link::new(
            locale.text_with("audit-house-deleted", &[("id", id.to_string().into())]),
            None,
        ),
    }
}

fn meter_link(id: MeterId, present: &Present, locale: Locale) -> Link {
    match present.meters.get(&id) {
        Some(serial) => Link::new(
            locale.text_with("audit-meter-link", &[("serial", serial.clone().into())]),
            Some(format!("/meters/{id}")),
        ),
        None => Link::new(
            locale.text_with("audit-meter-deleted", &[("id", id.to_string().into())]),
            None,
        ),
    }
}

/// The fields each entity's entries keep (see the audit_*_doc functions of
/// the migration), in the order the page lists them; each is named by the
/// message `audit-field-<name>`.
fn fields(entity: AuditEntity) -> &'static [&'static str] {
    match entity {
        AuditEntity::Reading => &["value", "period", "source", "meter_id"],
        AuditEntity::Tariff => &["price", "service", "valid_from", "house_id"],
        AuditEntity::Apartment => &["number", "area", "owners", "meter_impossible", "house_id"],
        AuditEntity::Meter => &[
            "serial",
            "kind",
            "initial_reading",
            "installed_on",
            "commissioned_on",
            "verified_until",
            "decommissioned_on",
            "apartment_id",
        ],
        AuditEntity::BillingRun => &["period"],
        AuditEntity::User => &["role", "address"],
        AuditEntity::ApiToken => &[],
        AuditEntity::House => &["address", "time_zone", "closed_through", "services"],
        AuditEntity::Residents => &["residents", "valid_from", "apartment_id"],
        AuditEntity::Normative => &["normative", "service", "valid_from", "house_id"],
        AuditEntity::Coefficient => &["coefficient", "service", "valid_from"],
        AuditEntity::Account => &[
            "number",
            "holder",
            "opening_balance",
            "opening_period",
            "apartment_id",
        ],
        AuditEntity::Payment => &[
            "amount",
            "paid_on",
            "account",
            "period",
            "payment_source",
            "operation",
            "deleted_reason",
            "account_id",
        ],
        AuditEntity::PaymentImport => {
            &["file_name", "imported", "unmatched", "duplicates", "amount"]
        }
        AuditEntity::KeyRate => &["rate", "from_day"],
        AuditEntity::Organization => &[
            "name",
            "inn",
            "kpp",
            "address",
            "phone",
            "email",
            "bank_name",
            "bic",
            "settlement_account",
            "corr_account",
        ],
    }
}

/// What an entry changed: for an update only the fields that differ; for a
/// creation or deletion every field but the ids (the line names those).
pub fn changes(
    entity: AuditEntity,
    action: AuditAction,
    old: Option<&Value>,
    new: Option<&Value>,
    locale: Locale,
) -> Vec<Change> {
    let value = |doc: Option<&Value>, name: &str| doc.and_then(|d| d.get(name)).cloned();
    fields(entity)
        .iter()
        .filter_map(|&name| {
            let (before, after) = (value(old, name), value(new, name));
            let keep = match action {
                AuditAction::Update => before != after,
                _ => !name.ends_with("_id"),
            };
            keep.then(|| Change {
                field: locale.text(&format!("audit-field-{name}")),
                old: before.map(|v| shown(name, &v, locale)),
                new: after.map(|v| shown(name, &v, locale)),
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

/// A stored value as the page shows it: a house's services by their names,
/// a yes or no in words, anything else by [`label`].
fn shown(field: &str, value: &Value, locale: Locale) -> String {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|item| label(field, &plain(item), locale))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Bool(yes) => locale.text(if *yes { "audit-yes" } else { "audit-no" }),
        other => label(field, &plain(other), locale),
    }
}

/// The label of a named value ("cold_water" → "Cold water").
fn label(field: &str, value: &str, locale: Locale) -> String {
    let named = match field {
        "kind" => value.parse::<MeterKind>().ok().map(|v| locale.name(v)),
        "service" | "services" => value.parse::<Service>().ok().map(|v| locale.name(v)),
        "source" => value.parse::<ReadingSource>().ok().map(|v| locale.name(v)),
        "payment_source" => value.parse::<PaymentSource>().ok().map(|v| locale.name(v)),
        "opening_period" => Some(month_text(value, locale)),
        "paid_on" | "from_day" => value
            .parse::<chrono::NaiveDate>()
            .ok()
            .map(|day| format::date(day, locale)),
        "amount" | "opening_balance" => value
            .parse::<rust_decimal::Decimal>()
            .ok()
            .map(|amount| format::money(amount, locale)),
        "role" => value.parse::<Role>().ok().map(|v| locale.name(v)),
        "period" | "valid_from" | "closed_through" => Some(month_text(value, locale)),
        "time_zone" => value.parse::<TimeZone>().ok().map(|v| locale.name(v)),
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
            Locale::En,
        );
        assert_eq!(
            shown,
            vec![
                Change {
                    field: "Value, m³".into(),
                    old: Some("12.000".into()),
                    new: Some("13.500".into())
                },
                Change {
                    field: "Source".into(),
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
        let shown = changes(
            AuditEntity::Meter,
            AuditAction::Create,
            None,
            Some(&new),
            Locale::En,
        );
        let fields: Vec<_> = shown
            .iter()
            .map(|c| (c.field.as_str(), c.new.as_deref()))
            .collect();
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
    fn services_and_yes_or_no_are_named_in_the_readers_language() {
        let old = json!({"address": "x", "services": ["cold_water", "maintenance"]});
        let new = json!({"address": "x", "services": ["sewerage"]});
        let shown = changes(
            AuditEntity::House,
            AuditAction::Update,
            Some(&old),
            Some(&new),
            Locale::Ru,
        );
        assert_eq!(
            shown,
            vec![Change {
                field: "Услуги".into(),
                old: Some("Холодное водоснабжение, Содержание жилого помещения".into()),
                new: Some("Водоотведение".into()),
            }]
        );
        let flag = |yes: bool| json!({"number": "1", "owners": 1, "meter_impossible": yes});
        let shown = changes(
            AuditEntity::Apartment,
            AuditAction::Update,
            Some(&flag(false)),
            Some(&flag(true)),
            Locale::Ru,
        );
        assert_eq!(
            (shown[0].old.as_deref(), shown[0].new.as_deref()),
            (Some("нет"), Some("да"))
        );
        let row = json!({"apartment_id": 3, "valid_from": null, "residents": 2});
        let shown = changes(
            AuditEntity::Residents,
            AuditAction::Create,
            None,
            Some(&row),
            Locale::En,
        );
        let fields: Vec<_> = shown
            .iter()
            .map(|c| (c.field.as_str(), c.new.as_deref()))
            .collect();
        assert_eq!(
            fields,
            [("Residents", Some("2")), ("Valid from", Some("—"))]
        );
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
