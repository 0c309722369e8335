//! Printable receipts (ЕПД): the model form of Приказ Минстроя № 43/пр as
//! A4 pages, one receipt a page, always in Russian (a receipt is a
//! document for the resident, whatever language the manager reads), with
//! the payment QR code drawn as SVG. Every figure is the ledger's as stored,
//! only formatted.

use askama::Template;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use rust_decimal::Decimal;

use crate::db::models::Organization;
use crate::domain::billing::Explanation;
use crate::domain::lines::{Basis, NormativeVolume};
use crate::domain::payment_qr::{self, Bill, Payee};
use crate::i18n::{Arg, Locale, explain, format};
use crate::services::receipts::Receipt;

/// Receipts are Russian documents.
const RU: Locale = Locale::Ru;

/// The organisation as the QR code's payee.
fn payee(organization: &Organization) -> Payee<'_> {
    Payee {
        name: &organization.name,
        account: &organization.account,
        bank_name: &organization.bank_name,
        bic: &organization.bic,
        corr_account: &organization.corr_account,
        inn: &organization.inn,
        kpp: &organization.kpp,
    }
}

/// A row of the charges table (section 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeRow {
    pub service: String,
    pub unit: String,
    pub volume: String,
    pub method: String,
    pub tariff: String,
    /// At the tariff, before the increasing coefficient.
    pub at_tariff: String,
    pub coefficient: String,
    pub excess: String,
    pub total: String,
}

/// A meter's readings (previous and current) and what it counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeterRow {
    pub serial: String,
    pub kind: String,
    pub previous: String,
    pub current: String,
    pub consumption: String,
}

/// One receipt, every text and figure as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedReceipt {
    pub month: String,
    pub account: String,
    pub holder: String,
    pub address: String,
    pub area: String,
    pub residents: String,
    pub opening: String,
    pub charged: String,
    pub penalty: String,
    pub paid: String,
    pub closing: String,
    /// «Итого к оплате»: the closing balance when owed, else 0.
    pub due: String,
    pub advance: Option<String>,
    pub lines: Vec<ChargeRow>,
    pub meters: Vec<MeterRow>,
    pub normatives: Vec<String>,
    pub recalculations: Vec<String>,
    pub penalty_debts: Vec<String>,
    /// The QR code's text (ГОСТ Р 56042); None without the executor's
    /// requisites. The PDF draws its code from it.
    pub qr_payload: Option<String>,
    /// The QR code of `qr_payload` as an SVG element.
    pub qr_svg: Option<String>,
    pub stale: bool,
}

fn money(value: Decimal) -> String {
    format::money(value, RU)
}

/// The normative a line used, in words: «ХВС: норматив 4,85 м³ на человека,
/// 3 чел.».
fn normative_note(service: &str, normative: &NormativeVolume) -> String {
    RU.text_with(
        "receipt-normative",
        &[
            ("service", Arg::from(service)),
            (
                "normative",
                Arg::from(format::volume(normative.normative, RU)),
            ),
            ("people", Arg::from(u64::from(normative.people.counted()))),
            ("volume", Arg::from(format::volume(normative.volume, RU))),
        ],
    )
}

/// The SVG of a QR code of `text` (error correction M), or None if it
/// does not fit one (it always does: the payload is bounded).
pub fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    // Inline in HTML: the element without the XML declaration before it.
    svg.find("<svg").map(|start| svg[start..].to_owned())
}

impl PrintedReceipt {
    pub fn new(receipt: &Receipt, executor: Option<&Organization>) -> Self {
        let mut normatives = Vec::new();
        let mut recalculations = Vec::new();
        let lines = receipt
            .lines
            .iter()
            .map(|line| {
                let c = &line.charge;
                let service = RU.name(c.service);
                if let Some(Explanation::Rules(basis)) = &line.explanation {
                    match basis {
                        Basis::Meters {
                            normative: Some(normative),
                            ..
                        }
                        | Basis::NoMeter { normative } => {
                            normatives.push(normative_note(&service, normative))
                        }
                        _ => {}
                    }
                    if let Basis::Meters { meters, .. } = basis {
                        for meter in meters.iter().filter(|m| m.volume < Decimal::ZERO) {
                            recalculations.push(RU.text_with(
                                "receipt-recalculation",
                                &[
                                    ("service", Arg::from(service.as_str())),
                                    ("serial", Arg::from(meter.serial.as_str())),
                                    ("volume", Arg::from(format::volume(-meter.volume, RU))),
                                ],
                            ));
                        }
                    }
                }
                ChargeRow {
                    unit: RU.name(c.unit),
                    volume: format::volume(c.quantity, RU),
                    method: RU.name(c.method),
                    tariff: format::price(c.unit_price, RU),
                    at_tariff: money(c.amount - c.excess),
                    coefficient: c
                        .coefficient
                        .map(|k| format::coefficient(k, RU))
                        .unwrap_or_default(),
                    excess: match c.excess.is_zero() {
                        true => String::new(),
                        false => money(c.excess),
                    },
                    total: money(c.amount),
                    service,
                }
            })
            .collect();
        let meters = receipt
            .meters
            .iter()
            .map(|m| {
                let previous = m.previous_value.unwrap_or(m.initial_reading);
                MeterRow {
                    serial: m.serial.clone(),
                    kind: RU.name(m.kind),
                    previous: format::volume(previous, RU),
                    current: m
                        .value
                        .map(|v| format::volume(v, RU))
                        .unwrap_or_else(|| RU.text("receipt-no-reading")),
                    consumption: m
                        .value
                        .map(|v| format::volume(v - previous, RU))
                        .unwrap_or_default(),
                }
            })
            .collect();
        let penalty_debts = receipt
            .penalty
            .iter()
            .flat_map(|p| p.debts.iter())
            .map(|debt| explain::penalty_debt(debt, RU))
            .collect();
        let address = RU.text_with(
            "receipt-payer-address",
            &[
                ("house", Arg::from(receipt.house.address.as_str())),
                ("apartment", Arg::from(receipt.apartment.number.as_str())),
            ],
        );
        let qr_payload = executor.map(|e| {
            let bill = Bill {
                account_number: &receipt.account.number,
                period: receipt.period,
                due: receipt.statement.closing,
                payer_address: &address,
            };
            payment_qr::payload(&payee(e), &bill)
        });
        let qr_svg = qr_payload.as_deref().and_then(qr_svg);
        let s = &receipt.statement;
        PrintedReceipt {
            month: format::month(receipt.period, RU),
            account: receipt.account.number.clone(),
            holder: receipt.account.holder.clone(),
            address,
            area: format::area(receipt.apartment.area, RU),
            residents: receipt.residents.to_string(),
            opening: money(s.opening),
            charged: money(s.charged),
            penalty: money(s.penalty),
            paid: money(s.paid),
            closing: money(s.closing),
            due: money(receipt.due()),
            advance: receipt.advance().map(money),
            lines,
            meters,
            normatives,
            recalculations,
            penalty_debts,
            qr_payload,
            qr_svg,
            stale: receipt.stale,
        }
    }
}

/// Receipts printed one a page: an account's, or a house's for a month.
#[derive(Template)]
#[template(path = "receipts/print.html")]
pub struct ReceiptsPage {
    pub title: String,
    /// The executor and payee; None until an admin sets the details.
    pub executor: Option<Organization>,
    pub receipts: Vec<PrintedReceipt>,
}

impl ReceiptsPage {
    pub fn t(&self, key: &str) -> String {
        RU.text(key)
    }
}
