//! A line's explanation as billing stores it — by the rules of ПП 354
//! (`domain::lines::Basis`), or, for the lines billed before them, by v1's
//! readings (previous → current per meter), which stay readable as they
//! were written.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Period;
use super::lines::Basis;

/// A line's explanation as stored. Untagged: a v1 water line lacks the
/// rules' per-meter `found` and reads as `V1`; an area line reads the same
/// either way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Explanation {
    Rules(Basis),
    V1(V1Basis),
}

/// How v1 explained a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum V1Basis {
    /// Maintenance: the apartment's area.
    Area { area: Decimal },
    /// Water: each meter's previous and current reading.
    Meters { meters: Vec<MeterLine> },
}

/// A reading as v1 saw it: the month it was taken, or none for a meter's
/// initial reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dial {
    pub period: Option<Period>,
    pub value: Decimal,
}

/// One meter of a v1 water line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterLine {
    pub serial: String,
    pub previous: Dial,
    /// None: no reading for the month; v1 added 0.
    pub current: Option<Decimal>,
    pub consumption: Decimal,
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn lines_billed_by_v1_read_back_as_they_were_stored() {
        let v1 = serde_json::json!({"basis": "meters", "meters": [{
            "serial": "C1", "previous": {"period": "2026-09", "value": "100.000"},
            "current": null, "consumption": "0"}]});
        let read: Explanation = serde_json::from_value(v1).unwrap();
        let Explanation::V1(V1Basis::Meters { meters }) = read else {
            panic!("not v1: {read:?}");
        };
        assert_eq!(meters[0].previous.value, dec!(100.000));
        let area: Explanation =
            serde_json::from_value(serde_json::json!({"basis": "area", "area": "54.30"})).unwrap();
        assert_eq!(area, Explanation::Rules(Basis::Area { area: dec!(54.30) }));
        let rules = Explanation::Rules(Basis::Sum {
            cold: dec!(1.5),
            hot: dec!(2),
        });
        let stored = serde_json::to_value(&rules).unwrap();
        assert_eq!(
            serde_json::from_value::<Explanation>(stored).unwrap(),
            rules
        );
    }
}
