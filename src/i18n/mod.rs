//! The interface's languages: Russian (the default) and English. Every
//! string a person reads is a Fluent message in `locales/<lang>/*.ftl`,
//! embedded in the binary and looked up in the locale of the request that
//! asked (there is no process-wide language).

use std::borrow::Cow;
use std::collections::HashMap;

use crate::domain::Named;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};

pub mod explain;
pub mod format;
mod problem;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "ru",
        // Fluent would wrap every argument in Unicode isolation marks,
        // invisible characters that pages, CSV files and tests would carry.
        customise: |bundle| {
            bundle.set_use_isolating(false);
            if bundle.locales.first().is_some_and(|l| l.language.as_str() == "ru") {
                bundle.set_formatter(Some(russian_count));
            }
        },
    };
}

/// A count in a Russian sentence: grouped from five digits, as Russian
/// typesetting does («50 000 показаний», «1234 показания»); tables group
/// from four (`format::decimal`). Counts are whole; anything else is left
/// to Fluent.
fn russian_count<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() >= 10_000.0 => {
            let whole = rust_decimal::Decimal::from_f64_retain(n.value)?;
            Some(format::decimal(whole, 0, Locale::Ru))
        }
        _ => None,
    }
}

static RUSSIAN: LanguageIdentifier = langid!("ru");
static ENGLISH: LanguageIdentifier = langid!("en");

/// A language of the interface.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    #[default]
    Ru,
    En,
}

/// A value put into a message: text as it is, or a count that also picks
/// the plural form («1 квартира», «2 квартиры», «5 квартир»).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Count(i64),
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_owned())
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}

impl From<i64> for Arg {
    fn from(count: i64) -> Self {
        Arg::Count(count)
    }
}

impl From<u64> for Arg {
    fn from(count: u64) -> Self {
        Arg::Count(i64::try_from(count).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Arg {
    fn from(count: usize) -> Self {
        Arg::Count(i64::try_from(count).unwrap_or(i64::MAX))
    }
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Ru, Locale::En];

    /// The language's code: `<html lang>`, the users' setting, the files.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Ru => "ru",
            Locale::En => "en",
        }
    }

    /// The locale of a code as stored or sent (`ru`, `en-GB`); None for a
    /// language the interface does not have.
    pub fn from_code(code: &str) -> Option<Locale> {
        let language = code.trim().split(['-', '_']).next()?;
        Locale::ALL
            .into_iter()
            .find(|locale| locale.code().eq_ignore_ascii_case(language))
    }

    /// The language a browser asks for first among ours (`Accept-Language:
    /// en-US,en;q=0.9,ru;q=0.8`); Russian when it names none of them.
    pub fn negotiate(accept_language: &str) -> Locale {
        let mut wanted: Vec<(f32, Locale)> = accept_language
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let locale = Locale::from_code(parts.next()?)?;
                let quality = parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (quality > 0.0).then_some((quality, locale))
            })
            .collect();
        // Stable: of equal qualities the one named first wins.
        wanted.sort_by(|a, b| b.0.total_cmp(&a.0));
        wanted
            .first()
            .map_or(Locale::default(), |(_, locale)| *locale)
    }

    fn language(self) -> &'static LanguageIdentifier {
        match self {
            Locale::Ru => &RUSSIAN,
            Locale::En => &ENGLISH,
        }
    }

    /// The name of a value of a closed set (a service, a meter kind, a
    /// run's status, …) in this language.
    pub fn name(self, value: impl Named) -> String {
        self.text(&value.message_key())
    }

    /// The message `key` in this language.
    pub fn text(self, key: &str) -> String {
        self.lookup(key, None)
    }

    /// The message `key` whose one argument, `month`, is `period` as this
    /// language writes it («ноябрь 2026»).
    pub fn with_month(self, key: &str, period: crate::domain::Period) -> String {
        self.text_with(key, &[("month", Arg::from(format::month(period, self)))])
    }

    /// The message `key` with its arguments.
    pub fn text_with(self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(text) => FluentValue::from(text.as_str()),
                    Arg::Count(count) => FluentValue::from(*count),
                };
                (Cow::Borrowed(*name), value)
            })
            .collect();
        self.lookup(key, Some(&args))
    }

    fn lookup(
        self,
        key: &str,
        args: Option<&HashMap<Cow<'static, str>, FluentValue<'_>>>,
    ) -> String {
        LOCALES
            .try_lookup_complete(self.language(), key, args)
            .unwrap_or_else(|| {
                // Tests keep every key in both languages; should one slip
                // through, the page shows the key rather than failing.
                tracing::warn!(locale = self.code(), key, "no such message");
                key.to_owned()
            })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use super::*;

    /// The message keys a language's files define, each with whether the
    /// message takes arguments (`{ $name }`).
    fn messages_of(locale: Locale) -> BTreeMap<String, bool> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(locale.code());
        let mut messages = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let mut current: Option<String> = None;
            for line in text.lines() {
                let starts_a_message = line.starts_with(|c: char| c.is_ascii_lowercase());
                if let Some((key, _)) = line.split_once(" =").filter(|_| starts_a_message) {
                    current = Some(key.trim().to_owned());
                    messages.insert(key.trim().to_owned(), false);
                }
                if let Some(key) = &current
                    && line.contains('$')
                {
                    messages.insert(key.clone(), true);
                }
            }
        }
        messages
    }

    fn keys_of(locale: Locale) -> BTreeSet<String> {
        messages_of(locale).into_keys().collect()
    }

    /// Every key written as a literal in a lookup — `ctx.t("key")` in a
    /// template, `.t("key")`, `.text("key")` or `.text_with("key", …)` in
    /// Rust — in `templates/` and `src/` (but for this file's tests).
    fn keys_used() -> BTreeSet<String> {
        fn walk(dir: &Path, keys: &mut BTreeSet<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, keys);
                    continue;
                }
                if path.ends_with("src/i18n/mod.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for call in [".t(\"", ".text(\"", ".text_with(\""] {
                    for (at, _) in text.match_indices(call) {
                        let rest = &text[at + call.len()..];
                        let key = &rest[..rest.find('"').unwrap()];
                        keys.insert(key.to_owned());
                    }
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut keys = BTreeSet::new();
        walk(&root.join("templates"), &mut keys);
        walk(&root.join("src"), &mut keys);
        keys
    }

    #[test]
    fn both_languages_have_the_same_messages() {
        let (ru, en) = (keys_of(Locale::Ru), keys_of(Locale::En));
        assert!(ru.len() > 10, "{ru:?}");
        assert_eq!(
            ru.symmetric_difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "messages in one language only"
        );
        // Each message loads in its own language (a message with
        // arguments is formatted in the tests that give them).
        for locale in Locale::ALL {
            for (key, takes_arguments) in messages_of(locale) {
                let loaded = LOCALES.lookup_single_language::<&str>(locale.language(), &key, None);
                assert!(
                    loaded.is_ok() || takes_arguments,
                    "{key} in {locale:?}: {loaded:?}"
                );
            }
        }
    }

    #[test]
    fn every_key_the_code_uses_exists_in_both_languages() {
        let used = keys_used();
        assert!(used.contains("nav-houses"), "{used:?}");
        for locale in Locale::ALL {
            let defined = keys_of(locale);
            let missing: Vec<&String> = used.difference(&defined).collect();
            assert!(missing.is_empty(), "missing in {locale:?}: {missing:?}");
        }
    }

    #[test]
    fn every_value_of_a_closed_set_has_its_name_in_both_languages() {
        use crate::db::models::AuditAction;
        use crate::domain::tariff::TariffStatus;
        use crate::domain::{
            MeterKind, PaymentSource, ReadingSource, Role, RunFailure, RunStatus, Service,
            TimeZone, Unit,
        };

        fn keys<N: Named>() -> Vec<String> {
            N::all().iter().map(|value| value.message_key()).collect()
        }
        let every_key = [
            keys::<MeterKind>(),
            keys::<Service>(),
            keys::<Unit>(),
            keys::<ReadingSource>(),
            keys::<PaymentSource>(),
            keys::<RunStatus>(),
            keys::<Role>(),
            keys::<TariffStatus>(),
            keys::<AuditAction>(),
            keys::<TimeZone>(),
            keys::<RunFailure>(),
        ]
        .concat();
        for locale in Locale::ALL {
            let defined = keys_of(locale);
            let missing: Vec<&String> =
                every_key.iter().filter(|k| !defined.contains(*k)).collect();
            assert!(missing.is_empty(), "missing in {locale:?}: {missing:?}");
        }
        assert_eq!(Locale::Ru.name(MeterKind::HotWater), "ГВС");
        assert_eq!(Locale::En.name(Service::Maintenance), "Maintenance");
    }

    #[test]
    fn counts_take_russian_plural_forms() {
        let apartments =
            |locale: Locale, n: i64| locale.text_with("count-apartments", &[("count", n.into())]);
        for (n, expected) in [
            (1, "1 квартира"),
            (2, "2 квартиры"),
            (4, "4 квартиры"),
            (5, "5 квартир"),
            (11, "11 квартир"),
            (21, "21 квартира"),
            (22, "22 квартиры"),
            (0, "0 квартир"),
            (1234, "1234 квартиры"),
            (50_000, "50\u{a0}000 квартир"),
            (1_000_001, "1\u{a0}000\u{a0}001 квартира"),
        ] {
            assert_eq!(apartments(Locale::Ru, n), expected);
        }
        assert_eq!(apartments(Locale::En, 1), "1 apartment");
        assert_eq!(apartments(Locale::En, 2), "2 apartments");
        assert_eq!(apartments(Locale::En, 50_000), "50000 apartments");
    }

    #[test]
    fn a_missing_key_shows_itself() {
        assert_eq!(Locale::Ru.text("no-such-key"), "no-such-key");
        assert_eq!(Locale::En.text("no-such-key"), "no-such-key");
    }

    #[test]
    fn the_browsers_first_language_of_ours_is_taken() {
        for (header, expected) in [
            ("", Locale::Ru),
            ("ru-RU,ru;q=0.9,en-US;q=0.8", Locale::Ru),
            ("en-US,en;q=0.9,ru;q=0.8", Locale::En),
            ("de-DE,en;q=0.5", Locale::En),
            ("de-DE,fr;q=0.5", Locale::Ru),
            ("ru;q=0.3,en;q=0.7", Locale::En),
            ("en;q=0, ru", Locale::Ru),
            ("EN", Locale::En),
            ("en;q=abc", Locale::Ru),
            (";;,,;q=", Locale::Ru),
        ] {
            assert_eq!(Locale::negotiate(header), expected, "{header:?}");
        }
        assert_eq!(Locale::from_code("en_GB"), Some(Locale::En));
        assert_eq!(Locale::from_code("uk"), None);
    }
}
