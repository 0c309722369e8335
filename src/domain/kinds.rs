//! The closed sets of values the domain names: meter kinds, services, units,
//! reading sources and run states. Each is stored and sent as its snake_case
//! name; what a person reads is the interface's message `<family>-<name>`
//! (see `Named`), in the reader's language.

use std::fmt;
use std::str::FromStr;

/// A name that is none of an enum's variants.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} is not one of: {expected}", super::quoted(.value))]
pub struct UnknownVariant {
    pub value: String,
    pub expected: &'static str,
}

/// A closed set of values with a name for each: the messages that name them
/// to a person are keyed `<FAMILY>-<as_str>` (`meter-kind-cold_water`).
pub trait Named: Copy + 'static {
    /// The first part of the message keys of this set's values.
    const FAMILY: &'static str;

    /// Every value, for the tests that check each has its messages.
    fn all() -> &'static [Self];

    /// The name stored, sent and used in CSS classes.
    fn as_str(self) -> &'static str;

    /// The key of the message that names this value to a person.
    fn message_key(self) -> String {
        format!("{}-{}", Self::FAMILY, self.as_str())
    }
}

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident $family:literal { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[derive(serde::Serialize, serde::Deserialize)]
        // Stored as TEXT; the ToSql/FromSql impls live in db::sql_types.
        #[derive(diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

        }

        impl Named for $name {
            const FAMILY: &'static str = $family;

            fn all() -> &'static [Self] {
                $name::ALL
            }

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownVariant;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownVariant {
                        value: s.to_owned(),
                        expected: concat!($($text, " "),+).trim_ascii_end(),
                    }),
                }
            }
        }
    };
}

named_enum!(
    /// What a water meter measures.
    MeterKind "meter-kind" {
        ColdWater = "cold_water",
        HotWater = "hot_water",
    }
);

named_enum!(
    /// What a tariff prices and a charge line bills.
    Service "service" {
        ColdWater = "cold_water",
        HotWater = "hot_water",
        // Водоотведение: the apartment's cold and hot water, per m³.
        Sewerage = "sewerage",
        Maintenance = "maintenance",
    }
);

named_enum!(
    /// How a charge line's quantity was found: by the meters' readings, their
    /// averages or the normative (or several of these, `mixed`), as the sum
    /// of the water lines (sewerage) or by the area (maintenance).
    LineMethod "line-method" {
        Actual = "actual",
        Average = "average",
        Normative = "normative",
        Mixed = "mixed",
        Sum = "sum",
        Area = "area",
    }
);

named_enum!(
    /// The unit a charge line's quantity is measured in.
    Unit "unit" {
        CubicMetre = "m3",
        SquareMetre = "m2",
    }
);

named_enum!(
    /// Why a billing run failed: a service the run kept no price for turned
    /// up during it, the database refused its lines, or a fault of ours (a
    /// panic, logged).
    RunFailure "run-failure" {
        MissingTariff = "missing_tariff",
        Database = "database",
        Internal = "internal",
    }
);

named_enum!(
    /// How a reading reached us.
    ReadingSource "reading-source" {
        Form = "form",
        Csv = "csv",
        Api = "api",
        // The last reading of a decommissioned meter.
        Final = "final",
    }
);

named_enum!(
    /// How a payment reached us: entered by hand, or a bank register's row.
    PaymentSource "payment-source" {
        Manual = "manual",
        Bank = "bank",
    }
);

named_enum!(
    /// Where a billing run stands.
    RunStatus "run-status" {
        Queued = "queued",
        Running = "running",
        Completed = "completed",
        Failed = "failed",
    }
);

named_enum!(
    /// What a signed-in person may do: viewers only look, managers run the
    /// billing (everything but users and tariffs), admins do everything.
    Role "role" {
        Admin = "admin",
        Manager = "manager",
        Viewer = "viewer",
    }
);

impl MeterKind {
    /// The water service this kind of meter is billed under.
    pub fn service(self) -> Service {
        match self {
            MeterKind::ColdWater => Service::ColdWater,
            MeterKind::HotWater => Service::HotWater,
        }
    }
}

impl Service {
    pub fn unit(self) -> Unit {
        match self {
            Service::ColdWater | Service::HotWater | Service::Sewerage => Unit::CubicMetre,
            Service::Maintenance => Unit::SquareMetre,
        }
    }
}

impl RunStatus {
    /// Queued and running runs block another run of the same house and month.
    pub fn is_active(self) -> bool {
        matches!(self, RunStatus::Queued | RunStatus::Running)
    }
}

impl Role {
    /// Whether this role may change data at all (anything but GET/HEAD).
    pub fn can_write(self) -> bool {
        self != Role::Viewer
    }

    /// Whether this role may manage users and change tariffs.
    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in MeterKind::ALL {
            assert_eq!(kind.as_str().parse::<MeterKind>().unwrap(), *kind);
        }
        for service in Service::ALL {
            assert_eq!(service.to_string().parse::<Service>().unwrap(), *service);
        }
    }

    #[test]
    fn unknown_names_list_the_expected_ones() {
        let err = "gas".parse::<MeterKind>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"gas\" is not one of: cold_water hot_water"
        );
    }

    #[test]
    fn serde_matches_the_stored_names() {
        assert_eq!(
            serde_json::to_string(&Service::Maintenance).unwrap(),
            "\"maintenance\""
        );
        assert_eq!(serde_json::to_string(&Unit::CubicMetre).unwrap(), "\"m3\"");
        assert_eq!(
            serde_json::from_str::<MeterKind>("\"hot_water\"").unwrap(),
            MeterKind::HotWater
        );
    }

    #[test]
    fn roles_are_ordered_by_power() {
        assert_eq!("viewer".parse::<Role>().unwrap(), Role::Viewer);
        assert!(Role::Admin.is_admin() && Role::Admin.can_write());
        assert!(!Role::Manager.is_admin() && Role::Manager.can_write());
        assert!(!Role::Viewer.is_admin() && !Role::Viewer.can_write());
    }

    #[test]
    fn water_meters_bill_their_own_service() {
        assert_eq!(MeterKind::HotWater.service(), Service::HotWater);
        assert_eq!(Service::ColdWater.unit(), Unit::CubicMetre);
        assert_eq!(Service::Maintenance.unit(), Unit::SquareMetre);
    }
}
