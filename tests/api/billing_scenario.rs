//! Six months of one house under the rules of ПП 354, billed and closed
//! month by month as a company would: a new meter that starts counting after
//! its commissioning, a reading missed for two months and caught up, one
//! missed for four (three months by a six-month average, then the normative,
//! then a reading that gives back what was billed too much), meters whose
//! verification ran out (raised by K, or not where no meter can be
//! installed), residents moving out, an apartment without a meter, and a
//! meter replaced. Every figure is worked out by hand in the comments.

use diesel::prelude::*;
use kvartplata::billing::{self, StartError};
use kvartplata::db::models::{ApartmentId, BillingRunId, HouseId, MeterId};
use kvartplata::db::queries;
use kvartplata::db::schema::meter_volumes;
use kvartplata::domain::billing::Explanation;
use kvartplata::domain::lines::Basis;
use kvartplata::domain::volume::{Base, Found};
use kvartplata::domain::{LineMethod, MeterKind, Period, ReadingSource, Service};
use kvartplata::services::meters::{self, Replacement};
use kvartplata::services::periods;
use kvartplata::services::readings::{self, MeterRef, ReadingEntry};
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
    apartments: [ApartmentId; 6],
    m1: MeterId,
    m2: MeterId,
    m4: MeterId,
    m5: MeterId,
    m6: MeterId,
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
///   reading 12) by M5 at 0.2, read 3.2, 6.2, 9.2, 12.2 from June;
/// - A5, 3 residents: M6 read 6.25 m³ a month from Sep 2025 (0) to Mar 2026
///   (37.5), then not until Aug 60 and Sep 66;
/// - A6, 2 residents, an act that no meter can be installed: M7 read 5 m³ a
///   month from Jan (5) to May (25), verified until 31.05.2026.
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
        .apartment(
            ApartmentBuilder::new("5").residents(None, 3).meter(
                MeterBuilder::cold("M6")
                    .readings_from(
                        month("2025-09"),
                        (0..7).map(|i| Decimal::from(i) * dec!(6.25)),
                    )
                    .reading(month("2026-08"), dec!(60))
                    .reading(month("2026-09"), dec!(66)),
            ),
        )
        .apartment(
            ApartmentBuilder::new("6")
                .residents(None, 2)
                .meter_impossible()
                .meter(
                    MeterBuilder::cold("M7")
                        .verified_until("2026-05-31")
                        .readings_from(month("2026-01"), (1..6).map(|i| Decimal::from(i * 5))),
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
        apartments: [0, 1, 2, 3, 4, 5].map(|i| house.apartments[i].id),
        m1: house.meter("M1").id,
        m2: house.meter("M2").id,
        m4,
        m5,
        m6: house.meter("M6").id,
    }
}

/// Bills `period` as the workers do and returns the run.
fn bill(conn: &mut PgConnection, house: HouseId, period: &str) -> BillingRunId {
    let run = billing::start(conn, house, month(period), month("2026-12")).unwrap();
    let claimed = queries::run_queue::claim(conn, "scenario/1", std::time::Duration::from_secs(60))
        .unwrap()
        .unwrap();
    assert_eq!(claimed.run.id, run.id);
    while !billing::run_batch(conn, run.id, "scenario/1", 4)
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
fn six_months_of_a_house_billed_and_closed_by_the_rules() {
    let db = TestDb::migrated();
    let conn = &mut db.conn();
    let h = seed(conn);
    let mut runs = Vec::new();
    for period in MONTHS {
        runs.push(bill(conn, h.id, period));
        let closed = periods::close(conn, h.id, month(period)).unwrap();
        assert_eq!(closed.closed_through, Some(month(period)));
    }
    use LineMethod::{Actual, Average, Normative};
    let plain = |q: Decimal, method| (q, q * dec!(50), method, None, dec!(0));
    let raised = |q: Decimal| (q, q * dec!(150), Normative, Some(dec!(3)), q * dec!(100));
    let a3 = plain(dec!(8), Normative);
    let five = plain(dec!(5), Actual);
    let expected: [[Cold; 6]; 6] = [
        // April: M1 counts from the month after its commissioning: 106 −
        // 100; M2 20 − 10; A3 2 owners × 4 m³, no K where no meter fits;
        // M4 9 − 5; M6 unread: (37.5 − 0) / 6 months; M7 20 − 15.
        [
            plain(dec!(6), Actual),
            plain(dec!(10), Actual),
            a3,
            plain(dec!(4), Actual),
            plain(dec!(6.25), Average),
            five,
        ],
        // May: M4's final reading 12 − 9; M5, commissioned in May, not yet.
        [
            plain(dec!(6), Actual),
            plain(dec!(10), Actual),
            a3,
            plain(dec!(3), Actual),
            plain(dec!(6.25), Average),
            five,
        ],
        // June: M2's verification ran out and it has no average (its
        // readings span two months): 3 residents × 4 m³ at K 3. M5 3.2 −
        // 0.2. M7's ran out too, but it has one: (25 − 5) / 4 months.
        [
            plain(dec!(9), Actual),
            raised(dec!(12)),
            a3,
            plain(dec!(3), Actual),
            plain(dec!(6.25), Average),
            plain(dec!(5), Average),
        ],
        // July: M1 unread: (121 − 100 as of March's commissioning) / 3 = 7;
        // A2 now has 1 resident: 4 m³ at K 3; M6's fourth month unread:
        // 3 × 4 m³ by the normative, without K (it is not faulty).
        [
            plain(dec!(7), Average),
            raised(dec!(4)),
            a3,
            plain(dec!(3), Actual),
            plain(dec!(12), Normative),
            plain(dec!(5), Average),
        ],
        // August: M6 reads 60 against 37.5 + 6.25 × 3 + 12 = 68.25: a
        // reduction of 8.25 m³, sewerage too.
        [
            plain(dec!(7), Average),
            raised(dec!(4)),
            a3,
            plain(dec!(3), Actual),
            plain(dec!(-8.25), Actual),
            plain(dec!(5), Average),
        ],
        // September: M1 140 − (121 + 7 + 7) = 5; M6 66 − 60; M7 four months
        // after its last usable reading: 2 × 4 m³, not raised by K where
        // no meter can be installed.
        [
            plain(dec!(5), Actual),
            raised(dec!(4)),
            a3,
            plain(dec!(3), Actual),
            plain(dec!(6), Actual),
            plain(dec!(8), Normative),
        ],
    ];
    for (period, expected) in MONTHS.iter().zip(&expected) {
        assert_eq!(cold_lines(conn, &h, period), expected, "{period}");
    }
    // Each run's amount: cold + sewerage of the six apartments.
    let amounts: Vec<Decimal> = runs
        .iter()
        .map(|&run| queries::run_queue::find(conn, run).unwrap().amount)
        .collect();
    assert_eq!(
        amounts,
        [
            dec!(3140),
            dec!(3060),
            dec!(4660),
            dec!(3520),
            dec!(1900),
            dec!(3120)
        ]
    );

    // What M1 and M6 were billed adds up to what they counted.
    let m1 = volumes(conn, h.m1);
    assert_eq!(
        m1.iter().map(|v| v.1).collect::<Vec<_>>(),
        [Actual, Actual, Actual, Average, Average, Actual]
    );
    assert_eq!(
        m1.iter().map(|v| v.2).sum::<Decimal>(),
        dec!(140) - dec!(100)
    );
    let m6: Decimal = volumes(conn, h.m6).iter().map(|v| v.2).sum();
    assert_eq!(m6, dec!(66) - dec!(37.5));
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

    // Closed months stay as billed: no run and no reading for them.
    assert!(matches!(
        billing::start(conn, h.id, month("2026-07"), month("2026-12")),
        Err(StartError::PeriodClosed(_))
    ));
    let late = ReadingEntry {
        meter: MeterRef::Serial("M1".into()),
        period: month("2026-08"),
        value: dec!(130),
    };
    let refused = readings::save(
        conn,
        ReadingSource::Api,
        &[Ok(late)],
        None,
        month("2026-12"),
    );
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(cold_lines(conn, &h, "2026-08"), expected[4]);
}

/// The months up to the reduction, billed through the API, and how the
/// API and the results page tell it.
#[tokio::test]
async fn a_reduction_is_told_as_a_recalculation_by_the_api_and_the_page() {
    use reqwest::StatusCode;

    use crate::helpers::api::{get, post};
    use crate::helpers::app::eventually;
    use crate::helpers::pages::Visitor;

    let v = Visitor::start().await;
    let h = seed(&mut v.app.db.conn());
    for period in &MONTHS[..5] {
        let path = format!("/api/v1/houses/{}/billing-runs", h.id);
        let (status, run) = post(&v.app, &path, serde_json::json!({ "period": period })).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{run}");
        let path = format!("/api/v1/billing-runs/{}", run["id"]);
        let done = eventually(std::time::Duration::from_secs(20), || async {
            get(&v.app, &path).await.1["status"] == "completed"
        })
        .await;
        assert!(done, "{period} not billed");
    }
    let (status, august) = get(
        &v.app,
        &format!("/api/v1/houses/{}/charges?period=2026-08", h.id),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{august}");
    assert_eq!(august["total"], "1900.00");
    let a5 = &august["apartments"][4];
    assert_eq!(a5["total"], "-660.00", "{a5}");
    let cold = &a5["lines"][0];
    assert_eq!(
        (&cold["quantity"], &cold["amount"], &cold["method"]),
        (
            &serde_json::json!("-8.250"),
            &serde_json::json!("-412.50"),
            &serde_json::json!("actual")
        ),
        "{cold}"
    );
    assert_eq!(
        cold["note"],
        "recalculation: M6 by readings: 60.000 − 68.250 (37.500 for 2026-03 + 30.750 \
         estimated for 2026-04 – 2026-07) = -8.250 m³"
    );
    let meter = &cold["explanation"]["meters"][0];
    assert_eq!(
        meter["estimated_months"],
        serde_json::json!(["2026-04", "2026-07"])
    );
    assert_eq!(
        meter["base"],
        serde_json::json!({"period": "2026-03", "value": "37.500"})
    );
    assert_eq!(
        a5["lines"][1]["amount"], "-247.50",
        "sewerage gives back too"
    );

    let page = v
        .page(&format!("/houses/{}/charges?period=2026-08", h.id))
        .await;
    let row = &page[page.find("M6 по показаниям").expect("M6's line")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.starts_with(
            "M6 по показаниям: 60,000 − 68,250 (37,500 за март 2026 + 30,750 по оценке за \
             апрель 2026 – июль 2026) = -8,250 м³"
        ),
        "{row}"
    );
    let line = &page[..page.find("M6 по показаниям").unwrap()];
    let line = &line[line.rfind("<tr").unwrap()..];
    assert!(line.contains("tag-recalculation"), "{line}");
    assert!(line.contains("перерасчёт"), "{line}");
}
