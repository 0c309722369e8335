//! Six months of one house under the rules of ПП 354, billed month by month
//! as a company would: a new meter that starts counting after its
//! commissioning, a reading missed for two months and caught up, a meter
//! whose verification ran out, residents moving out, an apartment where no
//! meter can be installed, and a meter replaced. Every figure is worked out
//! by hand in the comments.

use diesel::prelude::*;
use kvartplata::billing;
use kvartplata::db::models::{ApartmentId, BillingRunId, HouseId, MeterId};
use kvartplata::db::queries;
use kvartplata::db::schema::meter_volumes;
use kvartplata::domain::billing::Explanation;
use kvartplata::domain::lines::Basis;
use kvartplata::domain::volume::{Base, Found};
use kvartplata::domain::{LineMethod, MeterKind, Period, Service};
use kvartplata::services::meters::{self, Replacement};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::helpers::db::TestDb;
use crate::helpers::fixtures::{
    ApartmentBuilder, HouseBuilder, MeterBuilder, TariffBuilder, add_normative, add_reading, month,
};

const MONTHS: [&str; 6] = [
    "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09",
];

struct House {
    id: HouseId,
    apartments: [ApartmentId; 4],
    m1: MeterId,
    m2: MeterId,
    m4: MeterId,
    m5: MeterId,
}

/// Cold water at 50.00 ₽/m³ and sewerage at 30.00, a normative of 4 m³ per
/// person, the seeded coefficient 3:
/// - A1, 2 residents: M1 commissioned 10.03.2026 at 100, read Apr 106, May
///   112, Jun 121, then not until Sep 140;
/// - A2, 3 residents, 1 from July: M2 verified until 31.05.2026, read Mar
///   10, Apr 20, May 30 and (no longer usable) Jun 40;
/// - A3, 2 owners, nobody registered, no meter and an act that none can be
///   installed;
/// - A4, 1 resident: M4 read Mar 5, Apr 9, replaced on 15.05.2026 (final
///   reading 12) by M5 at 0.2, read 3.2, 6.2, 9.2, 12.2 from June.
fn seed(conn: &mut PgConnection) -> House {
    let house = HouseBuilder::new("ул. Полугодовая, 6")
        .services(&[Service::ColdWater, Service::Sewerage])
        .apartment(
            ApartmentBuilder::new("1").residents(None, 2).meter(
                MeterBuilder::cold("M1")
                    .initial(dec!(100))
                    .commissioned_on("2026-03-10")
                    .readings_from(month("2026-04"), [dec!(106), dec!(112), dec!(121)])
                    .reading(month("2026-09"), dec!(140)),
            ),
        )
        .apartment(
            ApartmentBuilder::new("2")
                .residents(None, 3)
                .residents(Some(month("2026-07")), 1)
                .meter(
                    MeterBuilder::cold("M2")
                        .verified_until("2026-05-31")
                        .readings_from(month("2026-03"), [dec!(10), dec!(20), dec!(30), dec!(40)]),
                ),
        )
        .apartment(ApartmentBuilder::new("3").owners(2).meter_impossible())
        .apartment(
            ApartmentBuilder::new("4").residents(None, 1).meter(
                MeterBuilder::cold("M4").readings_from(month("2026-03"), [dec!(5), dec!(9)]),
            ),
        )
        .insert(&mut *conn);
    let m4 = house.meter("M4").id;
    let replacement = Replacement {
        on: "2026-05-15".parse().unwrap(),
        final_reading: dec!(12),
        serial: "M5".into(),
        initial_reading: dec!(0.2),
        commissioned_on: "2026-05-15".parse().ok(),
        verified_until: None,
    };
    let m5 = meters::replace(conn, m4, &replacement).unwrap().id;
    for (period, value) in [
        ("2026-06", "3.2"),
        ("2026-07", "6.2"),
        ("2026-08", "9.2"),
        ("2026-09", "12.2"),
    ] {
        add_reading(&mut *conn, "M5", period, value);
    }
    TariffBuilder::new(Service::ColdWater, dec!(50.00), month("2026-01")).insert(&mut *conn);
    TariffBuilder::new(Service::Sewerage, dec!(30.00), month("2026-01")).insert(&mut *conn);
    add_normative(&mut *conn, MeterKind::ColdWater, dec!(4), month("2026-01"));
    House {
        id: house.id(),
        apartments: [0, 1, 2, 3].map(|i| house.apartments[i].id),
        m1: house.meter("M1").id,
        m2: house.meter("M2").id,
        m4,
        m5,
    }
}

/// Bills `period` as the workers do and returns the run.
fn bill(conn: &mut PgConnection, house: HouseId, period: &str) -> BillingRunId {
    let run = billing::start(conn, house, month(period), month("2026-12")).unwrap();
    let claimed = queries::run_queue::claim(conn, "scenario/1", std::time::Duration::from_secs(60))
        .unwrap()
        .unwrap();
    assert_eq!(claimed.run.id, run.id);
    while !billing::run_batch(conn, run.id, "scenario/1", 3)
        .unwrap()
        .done
    {}
    run.id
}

/// Each apartment's cold line: (quantity, amount, method, coefficient, excess).
type Cold = (Decimal, Decimal, LineMethod, Option<Decimal>, Decimal);

fn cold_lines(conn: &mut PgConnection, h: &House, period: &str) -> Vec<Cold> {
    let charges =
        queries::charges::list_for_apartments(conn, &h.apartments, month(period)).unwrap();
    // Sewerage is always the cold quantity at 30.00, without K.
    for apartment in h.apartments {
        let of = |s| {
            charges
                .iter()
                .find(|c| c.apartment_id == apartment && c.service == s)
                .unwrap()
        };
        let (cold, sewerage) = (of(Service::ColdWater), of(Service::Sewerage));
        assert_eq!(sewerage.quantity, cold.quantity, "{period}");
        assert_eq!(
            sewerage.amount,
            (cold.quantity * dec!(30)).round_dp(2),
            "{period}"
        );
        assert_eq!(sewerage.method, LineMethod::Sum);
    }
    charges
        .iter()
        .filter(|c| c.service == Service::ColdWater)
        .map(|c| (c.quantity, c.amount, c.method, c.coefficient, c.excess))
        .collect()
}

fn volumes(conn: &mut PgConnection, meter: MeterId) -> Vec<(Period, LineMethod, Decimal)> {
    meter_volumes::table
        .filter(meter_volumes::meter_id.eq(meter))
        .order_by(meter_volumes::period)
        .select((
            meter_volumes::period,
            meter_volumes::method,
            meter_volumes::volume,
        ))
        .load(conn)
        .unwrap()
}

#[test]
fn six_months_of_a_house_billed_by_the_rules() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let h = seed(conn);
    let mut runs = Vec::new();
    for period in MONTHS {
        runs.push(bill(conn, h.id, period));
    }
    use LineMethod::{Actual, Average, Normative};
    let plain = |q: Decimal, method| (q, q * dec!(50), method, None, dec!(0));
    let raised = |q: Decimal| (q, q * dec!(150), Normative, Some(dec!(3)), q * dec!(100));
    let a3 = plain(dec!(8), Normative);
    let expected: [[Cold; 4]; 6] = [
        // April: M1 counts from the month after its commissioning: 106 −
        // 100; M2 20 − 10; A3 2 owners × 4 m³, no K where no meter fits;
        // M4 9 − 5.
        [
            plain(dec!(6), Actual),
            plain(dec!(10), Actual),
            a3,
            plain(dec!(4), Actual),
        ],
        // May: M4's final reading 12 − 9; M5, commissioned in May, not yet.
        [
            plain(dec!(6), Actual),
            plain(dec!(10), Actual),
            a3,
            plain(dec!(3), Actual),
        ],
        // June: M2's verification ran out and it has no average (its
        // readings span two months): 3 residents × 4 m³ at K 3. M5 3.2 − 0.2.
        [
            plain(dec!(9), Actual),
            raised(dec!(12)),
            a3,
            plain(dec!(3), Actual),
        ],
        // July: M1 unread: (121 − 100 as of March's commissioning) / 3 = 7;
        // A2 now has 1 resident: 4 m³ at K 3.
        [
            plain(dec!(7), Average),
            raised(dec!(4)),
            a3,
            plain(dec!(3), Actual),
        ],
        [
            plain(dec!(7), Average),
            raised(dec!(4)),
            a3,
            plain(dec!(3), Actual),
        ],
        // September: M1 140 − (121 + 7 + 7) = 5.
        [
            plain(dec!(5), Actual),
            raised(dec!(4)),
            a3,
            plain(dec!(3), Actual),
        ],
    ];
    for (period, expected) in MONTHS.iter().zip(&expected) {
        assert_eq!(cold_lines(conn, &h, period), expected, "{period}");
    }
    // Each run's amount: cold + sewerage of the four apartments.
    let amounts: Vec<Decimal> = runs
        .iter()
        .map(|&run| queries::run_queue::find(conn, run).unwrap().amount)
        .collect();
    assert_eq!(
        amounts,
        [
            dec!(2240),
            dec!(2160),
            dec!(3760),
            dec!(2160),
            dec!(2160),
            dec!(2000)
        ]
    );

    // What M1 was billed adds up to what it counted: 140 − 100.
    let m1 = volumes(conn, h.m1);
    assert_eq!(
        m1.iter().map(|v| v.1).collect::<Vec<_>>(),
        [Actual, Actual, Actual, Average, Average, Actual]
    );
    assert_eq!(m1.iter().map(|v| v.2).sum::<Decimal>(), dec!(40));
    let september =
        queries::charges::list_for_apartments(conn, &h.apartments[..1], month("2026-09"))
            .unwrap()
            .remove(0);
    let Ok(Explanation::Rules(Basis::Meters { meters, .. })) =
        serde_json::from_value(september.explanation)
    else {
        panic!("by meters");
    };
    assert_eq!(
        meters[0].found,
        Found::Actual {
            base: Base {
                period: Some(month("2026-06")),
                value: dec!(121)
            },
            estimated: dec!(14),
            estimated_months: Some((month("2026-07"), month("2026-08"))),
            reading: dec!(140),
            volume: dec!(5),
        }
    );
    // M2 was estimated from June on; M4 counted to May, M5 from June.
    assert_eq!(
        volumes(conn, h.m2)
            .iter()
            .map(|v| (v.1, v.2))
            .collect::<Vec<_>>(),
        [
            (Actual, dec!(10)),
            (Actual, dec!(10)),
            (Normative, dec!(12)),
            (Normative, dec!(4)),
            (Normative, dec!(4)),
            (Normative, dec!(4)),
        ]
    );
    let m4: Vec<Period> = volumes(conn, h.m4).iter().map(|v| v.0).collect();
    assert_eq!(m4, [month("2026-04"), month("2026-05")]);
    let m5: Vec<Period> = volumes(conn, h.m5).iter().map(|v| v.0).collect();
    assert_eq!(m5, MONTHS[2..].iter().map(|m| month(m)).collect::<Vec<_>>());

    // Billing July again gives the same lines, and the months after it,
    // billed from July's volumes, must be billed again.
    let stale =
        |conn: &mut PgConnection, run| queries::run_queue::find(conn, run).unwrap().is_stale();
    assert!(runs.iter().all(|&run| !stale(conn, run)));
    let july = bill(conn, h.id, "2026-07");
    assert_eq!(cold_lines(conn, &h, "2026-07"), expected[3]);
    assert!(!stale(conn, july) && !stale(conn, runs[2]));
    assert!(stale(conn, runs[4]) && stale(conn, runs[5]));
    assert_eq!(
        volumes(conn, h.m1).iter().map(|v| v.2).sum::<Decimal>(),
        dec!(40)
    );
}
