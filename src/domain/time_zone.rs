//! The time zone a house's times are shown in: one of Russia's eleven zones,
//! so the house form offers a short list a manager recognises («МСК+2,
//! Екатеринбург») and no typed name can be wrong.

use std::fmt;
use std::str::FromStr;

use chrono_tz::Tz;

use super::{Named, UnknownVariant};

macro_rules! time_zones {
    ($($variant:ident = $name:literal, $tz:path, $key:literal;)+) => {
        /// A Russian time zone, stored and sent as its IANA name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[derive(diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum TimeZone {
            $(
                #[serde(rename = $name)]
                $variant,
            )+
        }

        impl TimeZone {
            pub const ALL: &'static [TimeZone] = &[$(TimeZone::$variant),+];

            /// The IANA name: `Europe/Moscow`.
            pub fn as_str(self) -> &'static str {
                match self { $(TimeZone::$variant => $name),+ }
            }

            /// The zone's rules, for converting a moment to local time.
            pub fn tz(self) -> Tz {
                match self { $(TimeZone::$variant => $tz),+ }
            }

            /// The message keys cannot hold a `/`: `time-zone-moscow`.
            fn key(self) -> &'static str {
                match self { $(TimeZone::$variant => $key),+ }
            }
        }

        impl FromStr for TimeZone {
            type Err = UnknownVariant;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok(TimeZone::$variant),)+
                    _ => Err(UnknownVariant {
                        value: s.to_owned(),
                        expected: concat!($($name, " "),+).trim_ascii_end(),
                    }),
                }
            }
        }
    };
}

time_zones! {
    Kaliningrad = "Europe/Kaliningrad", chrono_tz::Europe::Kaliningrad, "time-zone-kaliningrad";
    Moscow = "Europe/Moscow", chrono_tz::Europe::Moscow, "time-zone-moscow";
    Samara = "Europe/Samara", chrono_tz::Europe::Samara, "time-zone-samara";
    Yekaterinburg = "Asia/Yekaterinburg", chrono_tz::Asia::Yekaterinburg, "time-zone-yekaterinburg";
    Omsk = "Asia/Omsk", chrono_tz::Asia::Omsk, "time-zone-omsk";
    Krasnoyarsk = "Asia/Krasnoyarsk", chrono_tz::Asia::Krasnoyarsk, "time-zone-krasnoyarsk";
    Irkutsk = "Asia/Irkutsk", chrono_tz::Asia::Irkutsk, "time-zone-irkutsk";
    Yakutsk = "Asia/Yakutsk", chrono_tz::Asia::Yakutsk, "time-zone-yakutsk";
    Vladivostok = "Asia/Vladivostok", chrono_tz::Asia::Vladivostok, "time-zone-vladivostok";
    Magadan = "Asia/Magadan", chrono_tz::Asia::Magadan, "time-zone-magadan";
    Kamchatka = "Asia/Kamchatka", chrono_tz::Asia::Kamchatka, "time-zone-kamchatka";
}

impl Named for TimeZone {
    const FAMILY: &'static str = "time-zone";

    fn all() -> &'static [Self] {
        TimeZone::ALL
    }

    fn as_str(self) -> &'static str {
        TimeZone::as_str(self)
    }

    fn message_key(self) -> String {
        self.key().to_owned()
    }
}

/// The capital's zone, where most houses are and times showed before houses
/// had a setting.
impl Default for TimeZone {
    fn default() -> Self {
        TimeZone::Moscow
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone as _, Timelike, Utc};

    use super::*;

    #[test]
    fn names_read_back_and_zones_have_their_offsets() {
        for zone in TimeZone::ALL {
            assert_eq!(zone.as_str().parse::<TimeZone>(), Ok(*zone));
            assert_eq!(zone.tz().name(), zone.as_str());
        }
        assert_eq!(TimeZone::default(), TimeZone::Moscow);
        let noon = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let hour = |zone: TimeZone| noon.with_timezone(&zone.tz()).hour();
        assert_eq!(hour(TimeZone::Kaliningrad), 14);
        assert_eq!(hour(TimeZone::Moscow), 15);
        assert_eq!(hour(TimeZone::Yekaterinburg), 17);
        assert_eq!(hour(TimeZone::Kamchatka), 0);
        assert!("Europe/Berlin".parse::<TimeZone>().is_err());
    }
}
