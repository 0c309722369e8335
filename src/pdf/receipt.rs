//! Receipts (ЕПД) as PDF: the same sections, texts and figures as the
//! printable page (`templates/receipts/print.html`), one receipt a page
//! (a receipt too long for one continues on the next), every text from
//! [`PrintedReceipt`] or the Russian translations. A house's receipts go
//! into one document, so its fonts are embedded once whatever the count.

use krilla::Document;
use krilla::geom::Rect;
use krilla::metadata::Metadata;
use qrcode::{Color, EcLevel, QrCode};

use super::{Align, CONTENT_WIDTH, Cell, Column, Fonts, Layout, MARGIN, Style, columns, draw};
use crate::db::models::Organization;
use crate::i18n::Locale;
use crate::views::receipts::PrintedReceipt;

const TITLE: Style = Style::bold(10.5);
const HEADING: Style = Style::bold(9.0);
const BODY: Style = Style::regular(8.0);
const STRONG: Style = Style::bold(8.0);
const DUE: Style = Style::bold(9.5);
const TABLE: Style = Style::regular(7.0);
const TABLE_HEAD: Style = Style::bold(7.0);

/// The QR code's side with its quiet zone: 46 mm, larger than the page's
/// 40 mm so a phone reads it off paper at arm's length.
const QR_SIDE: f32 = 130.0;
/// The light modules a reader needs around the code.
const QUIET_ZONE: usize = 4;
/// Between two columns of a section.
const GAP: f32 = 14.0;

/// Receipts are Russian documents, whatever the interface's language.
fn t(key: &str) -> String {
    Locale::Ru.text(key)
}

/// `receipts` as one PDF, A4, one receipt a page, titled `title`; the
/// executor and payee is `executor` (None: no payee, no QR code, and the
/// warning the page shows).
pub fn receipts(
    receipts: &[PrintedReceipt],
    executor: Option<&Organization>,
    title: &str,
) -> anyhow::Result<Vec<u8>> {
    let fonts = Fonts::new()?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language("ru".to_owned()),
    );
    for printed in receipts {
        let mut layout = Layout::new(&fonts);
        receipt(&mut layout, printed, executor)?;
        draw(&mut document, &fonts, layout.finish());
    }
    if receipts.is_empty() {
        // A document has at least one page.
        draw(&mut document, &fonts, Layout::new(&fonts).finish());
    }
    document
        .finish()
        .map_err(|e| anyhow::anyhow!("the receipts' PDF could not be written: {e:?}"))
}

/// One receipt from the top of a page.
fn receipt(
    layout: &mut Layout,
    r: &PrintedReceipt,
    executor: Option<&Organization>,
) -> anyhow::Result<()> {
    let (x, width) = (MARGIN, CONTENT_WIDTH);
    if executor.is_none() {
        layout.paragraph(x, width, STRONG, &t("receipt-no-organization"));
        layout.y += 4.0;
    }
    layout.paragraph(x, width, TITLE, &t("receipt-title"));
    // «за май 2026», the month in bold.
    let lead = format!("{} ", t("receipt-for"));
    let top = layout.y + 1.0;
    layout.text_at(x, top, BODY, &lead);
    let after = x + layout.fonts().width(&lead, BODY);
    layout.text_at(after, top, STRONG, &r.month);
    layout.y = top + BODY.line_height();
    if r.stale {
        layout.y += 2.0;
        layout.paragraph(x, width, STRONG, &t("receipt-stale"));
    }

    // Section 1: the payer and the executor side by side.
    section(layout, "receipt-section-1");
    let half = (width - GAP) / 2.0;
    let top = layout.y;
    let payer = [
        (t("receipt-payer"), r.holder.as_str()),
        (t("receipt-address"), r.address.as_str()),
        (t("receipt-area"), r.area.as_str()),
        (t("receipt-residents"), r.residents.as_str()),
        (t("receipt-account"), r.account.as_str()),
    ];
    let mut bottom = pairs(layout, x, 95.0, half - 95.0, top, &payer);
    if let Some(e) = executor {
        let inn_kpp = format!("{} / {}", e.inn, e.kpp);
        let mut executor_pairs = vec![
            (t("receipt-executor"), e.name.as_str()),
            (t("receipt-inn-kpp"), inn_kpp.as_str()),
            (t("receipt-executor-address"), e.address.as_str()),
        ];
        if !e.phone.is_empty() {
            executor_pairs.push((t("receipt-phone"), e.phone.as_str()));
        }
        if !e.email.is_empty() {
            executor_pairs.push((t("receipt-email"), e.email.as_str()));
        }
        let right = x + half + GAP;
        bottom = bottom.max(pairs(
            layout,
            right,
            85.0,
            half - 85.0,
            top,
            &executor_pairs,
        ));
    }
    layout.y = bottom;

    // Section 2: the payee, the sums and, on the right, the QR code.
    section(layout, "receipt-section-2");
    let left_width = width - QR_SIDE - GAP;
    let top = layout.y;
    if let Some(e) = executor {
        let payee = [
            (t("receipt-payee"), e.name.as_str()),
            (t("receipt-bank-account"), e.account.as_str()),
            (t("receipt-bank"), e.bank_name.as_str()),
            (t("receipt-bic"), e.bic.as_str()),
            (t("receipt-corr-account"), e.corr_account.as_str()),
        ];
        layout.y = pairs(layout, x, 95.0, left_width - 95.0, top, &payee) + 3.0;
    }
    let sums = columns(x, &[(left_width - 90.0, Align::Left), (90.0, Align::Right)]);
    for (key, value) in [
        ("receipt-opening", &r.opening),
        ("receipt-paid", &r.paid),
        ("receipt-charged", &r.charged),
        ("receipt-penalty", &r.penalty),
    ] {
        let label = t(key);
        layout.row(&sums, &[Cell::one(&label), Cell::one(value)], BODY, true);
    }
    let due = format!("{}, ₽", t("receipt-due"));
    layout.row(&sums, &[Cell::one(&due), Cell::one(&r.due)], DUE, true);
    if let Some(advance) = &r.advance {
        let label = t("receipt-advance");
        layout.row(&sums, &[Cell::one(&label), Cell::one(advance)], BODY, true);
    }
    let mut bottom = layout.y;
    if let Some(payload) = &r.qr_payload {
        let left = x + width - QR_SIDE;
        qr_code(layout, payload, left, top)?;
        let caption = t("receipt-qr");
        let caption_height =
            layout.block_at(left, top + QR_SIDE, QR_SIDE, Align::Left, BODY, &caption);
        bottom = bottom.max(top + QR_SIDE + caption_height);
    }
    layout.y = bottom;

    // Section 3: the charges, the penalty line and the total.
    section(layout, "receipt-section-3");
    let charges = columns(
        x,
        &[
            (100.0, Align::Left),
            (34.0, Align::Left),
            (48.0, Align::Right),
            (80.0, Align::Left),
            (44.0, Align::Right),
            (56.0, Align::Right),
            (37.0, Align::Right),
            (60.0, Align::Right),
            (64.0, Align::Right),
        ],
    );
    let head: Vec<String> = [
        "receipt-col-service",
        "receipt-col-unit",
        "receipt-col-volume",
        "receipt-col-method",
        "receipt-col-tariff",
        "receipt-col-at-tariff",
        "receipt-col-coefficient",
        "receipt-col-excess",
        "receipt-col-total",
    ]
    .into_iter()
    .map(t)
    .collect();
    header(layout, &charges, &head);
    for line in &r.lines {
        let cells = [
            &line.service,
            &line.unit,
            &line.volume,
            &line.method,
            &line.tariff,
            &line.at_tariff,
            &line.coefficient,
            &line.excess,
            &line.total,
        ]
        .map(|text| Cell::one(text));
        body_row(layout, &charges, &head, &cells);
    }
    if !r.penalty_debts.is_empty() {
        let label = t("receipt-penalty-line");
        let cells = [Cell::spanning(&label, 8), Cell::one(&r.penalty)];
        body_row(layout, &charges, &head, &cells);
    }
    let total = t("receipt-total");
    let cells = [Cell::spanning(&total, 8), Cell::one(&r.charged)];
    layout.row(&charges, &cells, TABLE_HEAD, true);

    // The meters' readings, the normatives used, the penalty's debts.
    if !r.meters.is_empty() {
        layout.y += 5.0;
        layout.paragraph(x, width, STRONG, &t("receipt-meters"));
        layout.y += 1.0;
        let meters = columns(
            x,
            &[
                (130.0, Align::Left),
                (110.0, Align::Left),
                (95.0, Align::Right),
                (95.0, Align::Right),
                (93.0, Align::Right),
            ],
        );
        let head: Vec<String> = [
            "receipt-col-meter",
            "receipt-col-kind",
            "receipt-col-previous",
            "receipt-col-current",
            "receipt-col-consumption",
        ]
        .into_iter()
        .map(t)
        .collect();
        header(layout, &meters, &head);
        for m in &r.meters {
            let cells = [&m.serial, &m.kind, &m.previous, &m.current, &m.consumption]
                .map(|text| Cell::one(text));
            body_row(layout, &meters, &head, &cells);
        }
    }
    if !r.normatives.is_empty() {
        layout.y += 4.0;
        layout.paragraph(x, width, STRONG, &t("receipt-normatives"));
        layout.paragraph(x, width, BODY, &format!("{}.", r.normatives.join("; ")));
    }
    if !r.penalty_debts.is_empty() {
        layout.y += 4.0;
        layout.paragraph(x, width, STRONG, &t("receipt-penalty-explained"));
        for debt in &r.penalty_debts {
            bullet(layout, debt);
        }
    }

    // Section 5: our recalculations.
    section(layout, "receipt-section-5");
    if r.recalculations.is_empty() {
        layout.paragraph(x, width, BODY, &t("receipt-no-recalculations"));
    } else {
        for line in &r.recalculations {
            bullet(layout, line);
        }
    }
    Ok(())
}

/// A section's heading under a line across the page.
fn section(layout: &mut Layout, key: &str) {
    layout.y += 6.0;
    // The heading stays with the start of what it heads.
    layout.keep(HEADING.line_height() + 4.0 * BODY.line_height());
    layout.rule();
    layout.y += 3.0;
    layout.paragraph(MARGIN, CONTENT_WIDTH, HEADING, &t(key));
    layout.y += 2.0;
}

/// Labels and values (the page's `<dl>`), from `top` in a column at `x`;
/// answers where they end.
fn pairs(
    layout: &mut Layout,
    x: f32,
    label_width: f32,
    value_width: f32,
    top: f32,
    pairs: &[(String, &str)],
) -> f32 {
    let mut y = top;
    for (label, value) in pairs {
        let label_height = layout.block_at(x, y, label_width - 4.0, Align::Left, BODY, label);
        let value_height =
            layout.block_at(x + label_width, y, value_width, Align::Left, STRONG, value);
        y += label_height.max(value_height) + 1.0;
    }
    y
}

/// A table's header row.
fn header(layout: &mut Layout, columns: &[Column], texts: &[String]) {
    let cells: Vec<Cell> = texts.iter().map(|text| Cell::one(text)).collect();
    layout.row(columns, &cells, TABLE_HEAD, true);
}

/// A row of a table under `head`, which a continuation page repeats.
fn body_row(layout: &mut Layout, columns: &[Column], head: &[String], cells: &[Cell]) {
    if !layout.fits(layout.height_of_row(columns, cells, TABLE)) {
        layout.new_page();
        header(layout, columns, head);
    }
    layout.row(columns, cells, TABLE, true);
}

/// An item of a list.
fn bullet(layout: &mut Layout, text: &str) {
    let indent = 10.0;
    let lines = layout
        .fonts()
        .wrap(text, BODY, CONTENT_WIDTH - indent)
        .len();
    layout.keep(lines as f32 * BODY.line_height());
    let top = layout.y;
    layout.text_at(MARGIN + 2.0, top, BODY, "•");
    layout.y += layout.block_at(
        MARGIN + indent,
        top,
        CONTENT_WIDTH - indent,
        Align::Left,
        BODY,
        text,
    );
}

/// The payment QR code of `payload` (error correction M, as on the page)
/// in a square of [`QR_SIDE`] from (left, top), quiet zone included: its
/// dark modules as filled squares, each row's runs merged into one.
fn qr_code(layout: &mut Layout, payload: &str, left: f32, top: f32) -> anyhow::Result<()> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)?;
    let width = code.width();
    let module = QR_SIDE / (width + 2 * QUIET_ZONE) as f32;
    let origin_x = left + QUIET_ZONE as f32 * module;
    let origin_y = top + QUIET_ZONE as f32 * module;
    let colors = code.to_colors();
    let mut rects = Vec::new();
    for (row, modules) in colors.chunks(width).enumerate() {
        let mut column = 0;
        while column < width {
            if modules[column] != Color::Dark {
                column += 1;
                continue;
            }
            let start = column;
            while column < width && modules[column] == Color::Dark {
                column += 1;
            }
            rects.extend(Rect::from_xywh(
                origin_x + start as f32 * module,
                origin_y + row as f32 * module,
                (column - start) as f32 * module,
                module,
            ));
        }
    }
    layout.squares(rects);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::receipts::{ChargeRow, MeterRow};

    fn organization() -> Organization {
        Organization {
            name: "ООО «УК»".into(),
            inn: "7707083893".into(),
            kpp: "773601001".into(),
            address: "г. Тверь, ул. Новая, д. 1".into(),
            phone: String::new(),
            email: String::new(),
            bank_name: "ПАО Сбербанк".into(),
            bic: "044525225".into(),
            account: "40702810938000012345".into(),
            corr_account: "30101810400000000225".into(),
            updated_at: chrono::Utc::now(),
        }
    }

    fn line(service: &str) -> ChargeRow {
        ChargeRow {
            service: service.into(),
            unit: "м³".into(),
            volume: "7,000".into(),
            method: "по счётчику".into(),
            tariff: "50,00".into(),
            at_tariff: "350,00".into(),
            coefficient: String::new(),
            excess: String::new(),
            total: "350,00".into(),
        }
    }

    fn printed(account: &str, lines: usize) -> PrintedReceipt {
        PrintedReceipt {
            month: "май 2026".into(),
            account: account.into(),
            holder: "Жилец".into(),
            address: "г. Тверь, ул. Советская, д. 5, кв. 1".into(),
            area: "60,00".into(),
            residents: "2".into(),
            opening: "1\u{a0}000,00".into(),
            charged: "2\u{a0}150,00".into(),
            penalty: "0,00".into(),
            paid: "400,00".into(),
            closing: "2\u{a0}750,00".into(),
            due: "2\u{a0}750,00".into(),
            advance: None,
            lines: (0..lines)
                .map(|i| {
                    line(&format!(
                        "Холодное водоснабжение, очень длинное название {i}"
                    ))
                })
                .collect(),
            meters: vec![MeterRow {
                serial: "ХВ-5-1".into(),
                kind: "ХВС".into(),
                previous: "10,000".into(),
                current: "17,000".into(),
                consumption: "7,000".into(),
            }],
            normatives: vec![],
            recalculations: vec![],
            penalty_debts: vec!["долг".into()],
            qr_payload: Some(format!("ST00012|Name=ООО «УК»|PersAcc={account}")),
            qr_svg: None,
            stale: false,
        }
    }

    /// Page objects (`/Type /Page`, spaced or not, but not the `/Pages`
    /// tree).
    fn pages(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        text.split("/Type")
            .skip(1)
            .filter(|rest| {
                let name = rest.trim_start();
                name.starts_with("/Page") && !name.starts_with("/Pages")
            })
            .count()
    }

    #[test]
    fn a_house_is_one_document_one_page_a_receipt() {
        let list: Vec<_> = ["1", "2", "3"].iter().map(|a| printed(a, 3)).collect();
        let pdf = receipts(&list, Some(&organization()), "Квитанции").unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(pages(&pdf), 3);
        // The font is embedded once, not once a receipt.
        assert_eq!(
            pdf.windows(b"/FontFile2".len())
                .filter(|w| *w == b"/FontFile2")
                .count(),
            2,
            "regular and bold"
        );
    }

    #[test]
    fn a_receipt_longer_than_a_page_goes_on_and_none_is_still_a_page() {
        let pdf = receipts(&[printed("1", 30)], None, "Квитанция").unwrap();
        assert_eq!(pages(&pdf), 2);
        let pdf = receipts(&[], None, "Квитанции").unwrap();
        assert_eq!(pages(&pdf), 1);
    }

    #[test]
    fn text_wraps_at_spaces_within_the_width_and_figures_stay_whole() {
        let fonts = Fonts::new().unwrap();
        let text = "Холодное водоснабжение для содержания общего имущества";
        let lines = fonts.wrap(text, TABLE, 100.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| fonts.width(l, TABLE) <= 100.0));
        assert_eq!(lines.join(" "), text);
        // A non-breaking space never breaks: the figure goes down whole.
        let figure = "1\u{a0}234\u{a0}567,89";
        let narrow = fonts.width(figure, TABLE) + fonts.width("и", TABLE);
        let total = format!("итого {figure}");
        assert_eq!(fonts.wrap(&total, TABLE, narrow), ["итого", figure]);
        assert!(fonts.wrap("", TABLE, 20.0).is_empty());
        // Bold is wider than regular.
        assert!(fonts.width(text, Style::bold(7.0)) > fonts.width(text, TABLE));
    }
}
