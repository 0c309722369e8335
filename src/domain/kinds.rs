//! The closed sets of values the domain names: meter kinds, services, units,
//! reading sources and run states. Each is stored and sent as its snake_case
//! name; `label` is what a person reads.

use std::fmt;
use std::str::FromStr;

/// A name that is none of an enum's variants.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} is not one of: {expected}", super::quoted(.value))]
pub struct UnknownVariant {
    pub value: String,
    pub expected: &'static str,
}

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal / $label:literal),+ $(,)? }) => {
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

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
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
    MeterKind {
        ColdWater = "cold_water" / "Cold water",
        HotWater = "hot_water" / "Hot water",
    }
);

named_enum!(
    /// What a tariff prices and a charge line bills.
    Service {
        ColdWater = "cold_water" / "Cold water",
        HotWater = "hot_water" / "Hot water",
        Maintenance = "maintenance" / "Maintenance",
    }
);

named_enum!(
    /// The unit a charge line's quantity is measured in.
    Unit {
        CubicMetre = "m3" / "m³",
        SquareMetre = "m2" / "m²",
    }
);

named_enum!(
    /// How a reading reached us.
    ReadingSource {
        Form = "form" / "Form",
        Csv = "csv" / "CSV upload",
        Api = "api" / "API",
    }
);

named_enum!(
    /// Where a billing run stands.
    RunStatus {
        Queued = "queued" / "Queued",
        Running = "running" / "Running",
        Completed = "completed" / "Completed",
        Failed = "failed" / "Failed",
    }
);

named_enum!(
    /// What a signed-in person may do: viewers only look, managers run the
    /// billing (everything but users and tariffs), admins do everything.
    Role {
        Admin = "admin" / "Admin",
        Manager = "manager" / "Manager",
        Viewer = "viewer" / "Viewer",
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
            Service::ColdWater | Service::HotWater => Unit::CubicMetre,
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
