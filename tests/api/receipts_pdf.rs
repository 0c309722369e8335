//! An account's receipt as a PDF download (page and API): the text that
//! poppler's `pdftotext` reads out of it has the account, the address,
//! every line's amount and the amount to pay exactly as the ledger has
//! them, and the QR code that `zbarimg` reads off the page rasterised by
//! `pdftoppm` is the payload a banking app pays by. scripts/test.sh
//! installs both tools (poppler-utils, zbar-tools).

use std::path::{Path, PathBuf};
use std::process::Command;

use kvartplata::domain::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::api::{bill, create_house, get, pay, post, put};
use crate::helpers::app::{TestApp, api_client, spawn_app};

/// A long street name, so the address wraps in its column.
const ADDRESS: &str = "г. Тверь, Пролетарский район, проспект Маршала Конева, д. 105, корп. 2";

/// A scratch directory removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("kvartplata-pdf-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `program` and answers its standard output; a missing tool fails
/// the test saying what to install.
fn run(program: &str, package: &str, args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e} (apt-get install {package})"));
    assert!(
        output.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Every run of whitespace (line breaks of wrapped text, the figures'
/// non-breaking spaces) as one space.
fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The PDF's text in drawing order (`-raw`: a wrapped value's lines stay
/// together), whitespace normalized.
fn pdf_text(pdf: &Path) -> String {
    let text = run(
        "pdftotext",
        "poppler-utils",
        &[
            "-raw".as_ref(),
            "-enc".as_ref(),
            "UTF-8".as_ref(),
            pdf.as_os_str(),
            "-".as_ref(),
        ],
    );
    normalized(&String::from_utf8(text).unwrap())
}

/// The QR code's text, read off the first page rasterised at 200 dpi.
fn pdf_qr(pdf: &Path, scratch: &Scratch) -> String {
    let image = scratch.path("page");
    run(
        "pdftoppm",
        "poppler-utils",
        &[
            "-png".as_ref(),
            "-r".as_ref(),
            "200".as_ref(),
            "-f".as_ref(),
            "1".as_ref(),
            "-singlefile".as_ref(),
            pdf.as_os_str(),
            image.as_os_str(),
        ],
    );
    let png = image.with_extension("png");
    // The bytes as encoded (UTF-8), not re-guessed as another charset.
    let decoded = run(
        "zbarimg",
        "zbar-tools",
        &[
            "--quiet".as_ref(),
            "--raw".as_ref(),
            "-Sbinary".as_ref(),
            png.as_os_str(),
        ],
    );
    let text = String::from_utf8(decoded).unwrap();
    text.strip_suffix('\n').unwrap_or(&text).to_owned()
}

/// An API amount as the receipt prints it, whitespace normalized:
/// `1 234,56`.
fn printed(amount: &Value) -> String {
    let text = amount.as_str().unwrap_or_else(|| panic!("{amount}"));
    let (whole, kopecks) = text.split_once('.').unwrap_or((text, ""));
    let (sign, digits) = match whole.strip_prefix('-') {
        Some(digits) => ("-", digits),
        None => ("", whole),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    match kopecks {
        "" => format!("{sign}{grouped}"),
        _ => format!("{sign}{grouped},{kopecks}"),
    }
}

/// A unit price as the receipt prints it: to kopecks, the third and
/// fourth decimal only where not zero (`50.0000` → `50,00`).
fn printed_price(price: &Value) -> String {
    let text = price.as_str().unwrap_or_else(|| panic!("{price}"));
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let fraction = format!("{fraction:0<2}");
    let kept = fraction.trim_end_matches('0');
    let places = kept.len().max(2);
    printed(&json!(format!("{whole}.{}", &fraction[..places])))
}

/// GETs `path` with `client` and saves the PDF it answers, checking the
/// download's headers.
async fn download(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    filename: &str,
    scratch: &Scratch,
) -> PathBuf {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf", "{path}");
    assert_eq!(
        headers["content-disposition"].to_str().unwrap(),
        format!("attachment; filename=\"{filename}\""),
        "{path}"
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "{path}");
    let file = scratch.path(&format!("{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&file, &bytes).unwrap();
    file
}

/// Maintenance at 30.00 ₽/m² and cold water at 50.00 ₽/m³ (normative
/// 4.85 m³); apartment 1 (60 m², account 5005001, owing 1 000.00 from
/// May) with a cold-water meter read 10 → 17 m³ and 400.00 paid;
/// apartment 2 (account 5005002) with an advance of 5 000.00.
async fn billed_house(app: &TestApp) -> i64 {
    for (service, price) in [("maintenance", "30.00"), ("cold_water", "50.00")] {
        let (status, json) = post(
            app,
            "/api/v1/tariffs",
            json!({"service": service, "price": price, "valid_from": "2026-01"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
    }
    let (status, json) = post(
        app,
        "/api/v1/normatives",
        json!({"service": "cold_water", "value": "4.85", "valid_from": "2026-01"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{json}");
    let account = |number: &str, balance: &str| {
        json!({"number": number, "holder": format!("Жилец {number}"),
               "opening_balance": balance, "opening_period": "2026-05"})
    };
    let house = create_house(
        app,
        json!({"address": ADDRESS, "services": ["maintenance", "cold_water"],
               "apartments": [
            {"number": "1", "area": "60", "residents": 2, "account": account("5005001", "1000.00"),
             "meters": [{"serial": "ХВ-5-1", "kind": "cold_water", "initial_reading": "10"}]},
            {"number": "2", "area": "40", "residents": 3, "account": account("5005002", "-5000.00")}
        ]}),
    )
    .await;
    let id = house["id"].as_i64().unwrap();
    let meter = house["apartments"][0]["meters"][0]["id"].as_i64().unwrap();
    let (status, json) = post(
        app,
        "/api/v1/readings",
        json!({"readings": [{"meter_id": meter, "period": "2026-05", "value": "17"}]}),
    )
    .await;
    assert!(status.is_success(), "{json}");
    pay(app, "5005001", "2026-05-20", "400.00").await;
    let (status, json) = put(
        app,
        "/api/v1/organization",
        json!({"name": "ООО «УК Тверь|Дом»", "inn": "7707083893", "kpp": "773601001",
               "address": "г. Тверь, ул. Новая, д. 1", "phone": "+7 4822 00-00-00",
               "email": "uk@example.ru", "bank_name": "ПАО Сбербанк", "bic": "044525225",
               "account": "40702810938000012345", "corr_account": "30101810400000000225"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    id
}

#[tokio::test]
async fn a_receipt_pdf_reads_as_the_ledger_and_its_qr_code_pays_what_is_due() {
    let app = spawn_app().await;
    let id = billed_house(&app).await;
    let scratch = Scratch::new();
    let path = "/api/v1/accounts/5005001/receipts/2026-05.pdf";

    // Not billed yet: 409 as the page, in JSON on the API.
    let (status, json) = get(&app, path).await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert!(
        json["error"].as_str().unwrap().contains("2026-05"),
        "{json}"
    );
    let response = app
        .browser_client()
        .get(app.url("/accounts/5005001/receipts/2026-05.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);

    bill(&app, id, "2026-05").await;
    let (_, charges) = get(&app, &format!("/api/v1/houses/{id}/charges?period=2026-05")).await;
    let (_, balances) = get(
        &app,
        &format!("/api/v1/houses/{id}/balances?period=2026-05"),
    )
    .await;
    let balance = |number: &str| {
        balances["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["number"] == number)
            .unwrap_or_else(|| panic!("{number}: {balances}"))
            .clone()
    };

    // The page's download and the API's, signed in either way.
    let page_pdf = download(
        &app.browser_client(),
        &app,
        "/accounts/5005001/receipts/2026-05.pdf",
        "receipt-5005001-2026-05.pdf",
        &scratch,
    )
    .await;
    let api_pdf = download(
        &api_client(&app.user_with_token("vera", Role::Viewer)),
        &app,
        path,
        "receipt-5005001-2026-05.pdf",
        &scratch,
    )
    .await;
    let text = pdf_text(&page_pdf);
    assert_eq!(pdf_text(&api_pdf), text);

    // The payer: account, holder, the whole address (wrapped in its
    // column), the month.
    for expected in [
        "Лицевой счёт 5005001",
        "Жилец 5005001",
        &format!("{ADDRESS}, кв. 1"),
        "за май 2026",
        "ООО «УК Тверь|Дом»",
        "7707083893 / 773601001",
        "40702810938000012345",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }

    // Every line of the ledger: its tariff, the amount at it and the
    // total side by side in the table; the penalty as its own line.
    let first = &charges["apartments"][0];
    assert_eq!(first["number"], "1");
    let lines = first["lines"].as_array().unwrap();
    assert!(lines.len() >= 2, "{first}");
    for line in lines {
        let amount = printed(&line["amount"]);
        let expected = match line["unit_price"].as_str() {
            Some(_) if line["excess"].as_str().is_none_or(|e| e == "0.00") => {
                format!("{} {amount} {amount}", printed_price(&line["unit_price"]))
            }
            _ => amount.clone(),
        };
        assert!(
            text.contains(&expected),
            "{line} → {expected:?} in:\n{text}"
        );
    }

    // The statement's figures, and the amount to pay: 1 000.00 owed,
    // 400.00 paid, 2 150.00 charged, 2 750.00 to pay.
    let row = balance("5005001");
    assert_eq!(row["closing"], "2750.00", "{row}");
    for (label, figure) in [
        ("на начало месяца", &row["opening"]),
        ("Оплачено в месяце", &row["paid"]),
        ("Начислено за месяц", &row["charged"]),
        ("Всего начислено за месяц (без пени)", &row["charged"]),
        ("Итого к оплате, ₽", &row["closing"]),
    ] {
        let expected = format!("{label} {}", printed(figure));
        assert!(text.contains(&expected), "{expected:?} in:\n{text}");
    }
    // The meter's readings: 10 → 17, 7 m³.
    assert!(text.contains("ХВ-5-1 ХВС 10,000 17,000 7,000"), "{text}");

    // The QR code drawn on the page is the ГОСТ payload of what is due.
    assert_eq!(
        pdf_qr(&page_pdf, &scratch),
        format!(
            "ST00012|Name=ООО «УК Тверь Дом»|PersonalAcc=40702810938000012345\
             |BankName=ПАО Сбербанк|BIC=044525225|CorrespAcc=30101810400000000225\
             |PayeeINN=7707083893|KPP=773601001|Sum=275000\
             |Purpose=Оплата ЖКУ за 05.2026, л/с 5005001|PersAcc=5005001|PaymPeriod=052026\
             |PayerAddress={ADDRESS}, кв. 1|TechCode=02"
        )
    );

    // The advance: nothing to pay, the advance shown as such, a code that
    // asks no sum, the normative it was billed by.
    let advance_pdf = download(
        &app.browser_client(),
        &app,
        "/accounts/5005002/receipts/2026-05.pdf",
        "receipt-5005002-2026-05.pdf",
        &scratch,
    )
    .await;
    let text = pdf_text(&advance_pdf);
    let closing = balance("5005002")["closing"].as_str().unwrap().to_owned();
    let advance = printed(&json!(closing.trim_start_matches('-')));
    for expected in [
        "Итого к оплате, ₽ 0,00".to_owned(),
        format!("Аванс на конец месяца (к оплате ничего) {advance}"),
        "норматив 4,850 м³ на человека, 3 чел.".to_owned(),
    ] {
        assert!(text.contains(&expected), "{expected:?} in:\n{text}");
    }
    let code = pdf_qr(&advance_pdf, &scratch);
    assert!(
        code.starts_with("ST00012|") && code.contains("|PersAcc=5005002|"),
        "{code}"
    );
    assert!(!code.contains("|Sum="), "{code}");

    // The account page links each billed month's PDF.
    let html = app
        .text_of(&app.browser_client(), "/accounts/5005001")
        .await;
    assert!(
        html.contains(r#"href="/accounts/5005001/receipts/2026-05.pdf" download>PDF</a>"#),
        "{html}"
    );

    // No receipt: an unknown account, a month that is none, one before
    // the account opened; the API answers in JSON.
    for (file, status) in [
        ("9999/receipts/2026-05.pdf", StatusCode::NOT_FOUND),
        ("5005001/receipts/2026-13.pdf", StatusCode::NOT_FOUND),
        ("5005001/receipts/2026-04.pdf", StatusCode::NOT_FOUND),
        ("5005001/receipts/2026-05.txt", StatusCode::NOT_FOUND),
        ("5005001/receipts/.pdf", StatusCode::NOT_FOUND),
    ] {
        let (got, json) = get(&app, &format!("/api/v1/accounts/{file}")).await;
        assert_eq!(got, status, "{file}: {json}");
        assert!(json["code"].is_string(), "{file}: {json}");
        let response = app
            .browser_client()
            .get(app.url(&format!("/accounts/{file}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "page {file}");
    }
}
