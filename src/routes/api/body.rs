//! Reading JSON request bodies field by field, so that every bad field is
//! named by its path (`apartments[3].meters[0].serial`) in one 422 answer,
//! instead of serde stopping at the first problem.
//!
//! Bodies arrive as `serde_json::Value` (malformed JSON is already a 400).
//! Values are checked with the same `domain::input` rules the forms use.
//! Unknown fields are ignored.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Map, Number, Value};

use crate::domain::Problem;
use crate::domain::input::{self, Checker};
use crate::error::AppError;

/// A body with thousands of bad rows names this many fields; the rest would
/// only make the answer huge.
pub(super) const MAX_REPORTED: usize = 1_000;

/// A JSON object and where it sits in the body.
pub struct Obj<'v> {
    map: &'v Map<String, Value>,
    path: String,
}

impl<'v> Obj<'v> {
    /// The value under `key`, as sent.
    pub fn get(&self, key: &str) -> Option<&'v Value> {
        self.map.get(key)
    }

    /// The path of `key` inside this object, as errors name it.
    pub fn path_of(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }
}

/// Collects the problems of a whole body.
#[derive(Default)]
pub struct Reader {
    checker: Checker,
    reported: usize,
    /// Set by every problem, also those past the reporting cap.
    invalid: bool,
    /// Problems past the cap, counted.
    unreported: usize,
}

/// Reads one JSON value into `T`, or says what is wrong with it.
pub trait Read<T>: Fn(&Value) -> Result<T, Problem> {}
impl<T, F: Fn(&Value) -> Result<T, Problem>> Read<T> for F {}

impl Reader {
    /// The body itself must be an object; anything else is refused at once.
    pub fn root<'v>(&mut self, body: &'v Value) -> Result<Obj<'v>, AppError> {
        match body {
            Value::Object(map) => Ok(Obj {
                map,
                path: String::new(),
            }),
            _ => Err(AppError::invalid_body("The body must be a JSON object.")),
        }
    }

    /// Records a problem with `field`; past the cap only marks the body bad.
    fn fail(&mut self, field: String, message: impl Into<Problem>) {
        self.invalid = true;
        if self.reported < MAX_REPORTED {
            self.reported += 1;
            self.checker.fail(field, message);
        } else {
            self.unreported += 1;
        }
    }

    fn read<T>(&mut self, obj: &Obj, key: &str, value: &Value, read: impl Read<T>) -> Option<T> {
        match read(value) {
            Ok(value) => Some(value),
            Err(message) => {
                self.fail(obj.path_of(key), message);
                None
            }
        }
    }

    /// Records a problem of the whole field `key` found after reading it.
    pub fn fail_field(&mut self, obj: &Obj, key: &str, problem: impl Into<Problem>) {
        self.fail(obj.path_of(key), problem);
    }

    /// A field that must be present and not null.
    pub fn required<T>(&mut self, obj: &Obj, key: &str, read: impl Read<T>) -> Option<T> {
        match obj.map.get(key) {
            None | Some(Value::Null) => {
                self.fail(obj.path_of(key), "This field is required.");
                None
            }
            Some(value) => self.read(obj, key, value, read),
        }
    }

    /// A field that may be left out (`None`), but not sent as null.
    pub fn optional<T>(&mut self, obj: &Obj, key: &str, read: impl Read<T>) -> Option<T> {
        match obj.map.get(key) {
            None => None,
            Some(Value::Null) => {
                self.fail(
                    obj.path_of(key),
                    "This field cannot be null; leave it out instead.",
                );
                None
            }
            Some(value) => self.read(obj, key, value, read),
        }
    }

    /// A field that may be left out (`None`) or null (`Some(None)`).
    pub fn nullable<T>(&mut self, obj: &Obj, key: &str, read: impl Read<T>) -> Option<Option<T>> {
        match obj.map.get(key) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(value) => self.read(obj, key, value, read).map(Some),
        }
    }

    /// An object under `key`, to read its fields from; a bad one is
    /// recorded.
    pub fn object<'v>(&mut self, obj: &Obj<'v>, key: &str) -> Option<Obj<'v>> {
        match obj.map.get(key) {
            Some(Value::Object(map)) => Some(Obj {
                map,
                path: obj.path_of(key),
            }),
            _ => {
                self.fail(obj.path_of(key), "Must be an object.");
                None
            }
        }
    }

    /// A list of objects under `key`, each read by `each`; left out or null
    /// is an empty list. `None` when any element is bad (all are checked).
    pub fn list<T>(
        &mut self,
        obj: &Obj,
        key: &str,
        mut each: impl FnMut(&mut Self, &Obj) -> Option<T>,
    ) -> Option<Vec<T>> {
        let items = match obj.map.get(key) {
            None | Some(Value::Null) => return Some(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.fail(obj.path_of(key), "Must be a list.");
                return None;
            }
        };
        let mut values = Some(Vec::with_capacity(items.len()));
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}[{i}]", obj.path_of(key));
            let value = match item {
                Value::Object(map) => each(self, &Obj { map, path }),
                _ => {
                    self.fail(path, "Must be an object.");
                    None
                }
            };
            match (value, &mut values) {
                (Some(value), Some(values)) => values.push(value),
                _ => values = None,
            }
        }
        values
    }

    /// The value read, if the whole body was valid; else a 422 naming every
    /// bad field.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, AppError> {
        match value {
            Some(value) if !self.invalid => Ok(value),
            _ => Err(AppError::invalid_listed(
                self.checker.into_errors(),
                self.unreported,
            )),
        }
    }
}

/// A string checked by a text rule (`input::address`, `input::meter_kind`, …).
pub fn text<T>(rule: impl Fn(&str) -> Result<T, Problem>) -> impl Read<T> {
    move |value: &Value| match value {
        Value::String(s) => rule(s),
        _ => Err("Must be a string.".into()),
    }
}

/// A decimal given as a string (`"54.30"`, `"54,3"`) or a JSON number
/// (`54.3`), checked by a range rule (`input::area`, `input::price`, …).
pub fn decimal(rule: impl Fn(Decimal) -> Result<Decimal, Problem>) -> impl Read<Decimal> {
    move |value: &Value| match value {
        Value::String(s) => input::decimal(s).and_then(&rule),
        Value::Number(n) => number(n).and_then(&rule),
        _ => Err("Must be a number or a decimal string such as \"54.30\".".into()),
    }
}

/// serde_json keeps a number's digits (arbitrary_precision), so `54.30`
/// becomes exactly 54.30, never a float approximation.
fn number(n: &Number) -> Result<Decimal, Problem> {
    let text = n.as_str();
    let parsed = if text.contains(['e', 'E']) {
        Decimal::from_scientific(text)
    } else {
        Decimal::from_str(text)
    };
    parsed.map_err(|_| format!("{text} is not a number that can be stored.").into())
}

/// A record's id: a JSON integer.
pub fn id(value: &Value) -> Result<i64, Problem> {
    value
        .as_i64()
        .ok_or_else(|| "Must be an integer id.".into())
}

/// A field that names what a record belongs to may be sent back unchanged
/// (a GET body edited and PATCHed), but moving the record is refused: 422.
pub fn unchanged<T: PartialEq>(field: &str, given: Option<T>, current: T) -> Result<(), AppError> {
    match given {
        Some(given) if given != current => Err(AppError::invalid_field(
            field,
            format!("The {field} cannot be changed; create a new record instead."),
        )),
        _ => Ok(()),
    }
}

/// The fields an error names, with their messages, in name order.
#[cfg(test)]
pub(super) fn fields(e: AppError) -> Vec<(String, String)> {
    e.fields()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|(field, problem)| (field, problem.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_has_no_nul() {
        let address = text(input::address);
        assert_eq!(address(&json!(" ул. Ленина, 1 ")).unwrap(), "ул. Ленина, 1");
        assert!(address(&json!("ул.\u{0} Ленина")).is_err());
    }

    #[test]
    fn only_objects_are_bodies() {
        let mut r = Reader::default();
        assert!(r.root(&json!([1, 2])).is_err());
        assert!(r.root(&json!("x")).is_err());
    }

    #[test]
    fn optional_fields_may_be_left_out_but_not_null() {
        let mut r = Reader::default();
        let body = json!({"area": null});
        let obj = r.root(&body).unwrap();
        assert_eq!(
            r.optional(&obj, "number", text(input::apartment_number)),
            None
        );
        assert_eq!(r.optional(&obj, "area", decimal(input::area)), None);
        let err = r.finish(Some(())).unwrap_err();
        assert_eq!(fields(err)[0].0, "area");
    }

    #[test]
    fn owners_may_be_repeated_but_not_changed() {
        assert!(unchanged("house_id", None, 1).is_ok());
        assert!(unchanged("house_id", Some(1), 1).is_ok());
        let err = unchanged("house_id", Some(2), 1).unwrap_err();
        assert!(err.fields().unwrap().contains_key("house_id"));
    }
}
