//! What is wrong with what a person entered or asked for, as data: the kind
//! of problem with what it is about (the field, the limit, the month, the
//! value as written). `i18n` turns a problem into a sentence in the reader's
//! language; nothing here builds text.

use rust_decimal::Decimal;

use super::{Period, Service};

/// What a text or number field holds, as a message names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum What {
    Address,
    ApartmentNumber,
    Serial,
    UserName,
    FullName,
    TokenName,
    Area,
    Reading,
    Price,
    Normative,
    Coefficient,
    AccountNumber,
    Holder,
    Amount,
    Balance,
    Reason,
    Rate,
    /// The organisation's name (наименование).
    OrganizationName,
    BankName,
    Phone,
    Email,
}

impl What {
    /// The selector the messages choose the field's name by.
    pub fn as_str(self) -> &'static str {
        match self {
            What::Address => "address",
            What::ApartmentNumber => "apartment-number",
            What::Serial => "serial",
            What::UserName => "user-name",
            What::FullName => "full-name",
            What::TokenName => "token-name",
            What::Area => "area",
            What::Reading => "reading",
            What::Price => "price",
            What::Normative => "normative",
            What::Coefficient => "coefficient",
            What::AccountNumber => "account-number",
            What::Holder => "holder",
            What::Amount => "amount",
            What::Balance => "balance",
            What::Reason => "reason",
            What::Rate => "rate",
            What::OrganizationName => "organization-name",
            What::BankName => "bank-name",
            What::Phone => "phone",
            What::Email => "email",
        }
    }
}

/// What an object of a refusal to delete is, as a message names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// A house, by its address.
    House(String),
    /// An apartment, by its number.
    Apartment(String),
    /// A meter, by its serial.
    Meter(String),
}

/// A cell of a bank's payment register (one payment a line, no header),
/// as a message names it: the twelve of a payment line, then the four of
/// the totals line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegisterColumn {
    Date,
    Time,
    Branch,
    Cashier,
    Operation,
    Account,
    Payer,
    Address,
    Period,
    Amount,
    Transferred,
    Commission,
    TotalCount,
    TotalAmount,
    TotalTransferred,
    TotalCommission,
}

impl RegisterColumn {
    /// A payment line's cells, in the order the bank writes them.
    pub const PAYMENT: [RegisterColumn; 12] = [
        RegisterColumn::Date,
        RegisterColumn::Time,
        RegisterColumn::Branch,
        RegisterColumn::Cashier,
        RegisterColumn::Operation,
        RegisterColumn::Account,
        RegisterColumn::Payer,
        RegisterColumn::Address,
        RegisterColumn::Period,
        RegisterColumn::Amount,
        RegisterColumn::Transferred,
        RegisterColumn::Commission,
    ];

    /// The totals line's cells: `=count;amount;transferred;commission`.
    pub const TOTALS: [RegisterColumn; 4] = [
        RegisterColumn::TotalCount,
        RegisterColumn::TotalAmount,
        RegisterColumn::TotalTransferred,
        RegisterColumn::TotalCommission,
    ];
}

/// What is wrong with one line of a bank's payment register: one part of
/// [`Problem::RegisterLine`], which names the line. Values as written are
/// cut (`domain::excerpt`); amounts to compare are figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterFault {
    /// Longer than a line may be (the limit, in bytes); never shown.
    LineTooLong {
        max_bytes: usize,
    },
    /// Not UTF-8, in a file whose byte-order mark says it is.
    NotUtf8,
    /// Fewer cells than the line's kind has: how many it has, out of how
    /// many, and the columns missing at its end.
    TooFewCells {
        found: usize,
        expected: usize,
        missing: Vec<RegisterColumn>,
    },
    /// More cells with something in them than the line's kind has, and
    /// what is beyond the last one.
    TooManyCells {
        found: usize,
        expected: usize,
        extra: String,
    },
    Empty(RegisterColumn),
    ControlCharacter(RegisterColumn),
    /// More than `max` characters.
    TooLong {
        column: RegisterColumn,
        max: usize,
    },
    /// Not `dd-MM-yyyy`, or no such day.
    NotADate(String),
    /// Not `HH-mm-ss`, or no such time.
    NotATime(String),
    NotANumber {
        column: RegisterColumn,
        value: String,
    },
    /// An amount with more than two decimals (kopecks).
    TooManyDecimals {
        column: RegisterColumn,
        value: String,
    },
    /// Above `max`, the most the column takes.
    TooLarge {
        column: RegisterColumn,
        value: String,
        max: Decimal,
    },
    /// A payment's amount of zero or less.
    AmountNotPositive(String),
    Negative {
        column: RegisterColumn,
        value: String,
    },
    /// Not 1 to 20 letters and digits.
    NotAnAccount(String),
    /// Not `MMYYYY` (and not empty).
    NotAPeriod(String),
    /// The totals line's count is not a whole number.
    NotACount(String),
    /// The totals line's count (`found`) differs from the payment lines'
    /// (`expected`).
    CountMismatch {
        expected: usize,
        found: usize,
    },
    /// A sum of the totals line (`found`, in `column`) differs from the
    /// payment lines' sum (`expected`).
    SumMismatch {
        column: RegisterColumn,
        expected: Decimal,
        found: Decimal,
    },
    /// A totals line after the first one, on line `first`.
    SecondTotals {
        first: usize,
    },
    /// A payment after the totals line (on line `totals`), which must be
    /// the last.
    AfterTotals {
        totals: usize,
    },
}

/// One problem, in no language yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A sentence made before messages were typed (the JSON API's own
    /// texts, which are English by contract). Never built in `domain/` or
    /// `services/`.
    Said(String),

    /// The first of several fields' problems, named by its field: the
    /// API's `error` ("area: …"); a page shows the problem alone.
    InField {
        field: String,
        problem: Box<Problem>,
    },
    /// A form posted without its CSRF token (expired, or not ours).
    FormExpired,
    /// Input refused as a whole, no field named.
    InputInvalid,
    /// A change another record's uniqueness forbids.
    RecordConflict,
    /// A delete other records (readings, charges) still refer to.
    StillReferenced,

    // Requests refused before any field is read.
    SignInFirst,
    OnlyAdminManagesUsers,
    ViewerChangesNothing,
    OnlyAdminChangesTariffs,
    OnlyAdminReopens,
    OnlyAdminChangesOrganization,
    /// A body sent as something else than JSON.
    SendJson,
    /// Not JSON at all, with the parser's own words (English, for programs).
    MalformedJson(String),
    BodyUnreadable,
    /// A query string that does not parse, with the parser's own words.
    QueryUnreadable(String),
    /// A query parameter, by its name, holding a NUL character.
    NulInQuery(String),
    FormUnreadable,
    UploadUnreadable,
    /// A language code no locale has, as sent.
    UnknownLanguage(String),
    /// `?run=` that is not a run's number.
    RunNotANumber,
    /// A charges export asked for without `?period=`.
    ExportNeedsMonth,

    /// Several problems of one thing (a line of an upload), said in turn.
    All(Vec<Problem>),

    // Uploads.
    /// A line with more cells than its header has columns.
    CellsBeyondHeader,
    /// A line longer than the 4096 bytes a line of data may have.
    LineTooLong,
    /// A line the CSV reader cannot take apart (not text in the file's encoding).
    NotCsvText,
    FileEmpty,
    MissingColumns {
        line: usize,
        missing: Vec<&'static str>,
        found: String,
    },
    NoReadings,
    LineUnreadable {
        line: usize,
        problem: Box<Problem>,
    },
    TooManyReadings {
        limit: usize,
    },

    // Apartment registers.
    /// A meter's line without its kind.
    MeterKindMissing,
    /// A later line of an apartment gives another value than its first.
    RegisterDisagrees {
        column: &'static str,
        first_line: usize,
    },
    RegisterSerialTwice {
        first_line: usize,
    },
    RegisterAccountTwice {
        first_line: usize,
    },
    RegisterTooLong {
        limit: usize,
    },
    RegisterEmpty,
    /// What is wrong with line `line` of a file.
    OnLine {
        line: usize,
        problem: Box<Problem>,
    },
    /// A meter the register names is in another apartment.
    MeterElsewhere {
        serial: String,
        apartment: String,
    },
    /// A stored meter whose kind or initial reading the register gives
    /// otherwise: changed on its page, not by a register.
    MeterDiffers {
        serial: String,
    },

    // Bank registers.
    /// What is wrong with line `line` of a register, each fault in turn.
    RegisterLine {
        line: usize,
        faults: Vec<RegisterFault>,
    },
    /// A file larger than a register can be, in MiB.
    RegisterFileTooLarge {
        max_mib: usize,
    },
    /// More payment lines than one register may have.
    RegisterTooManyPayments {
        limit: usize,
    },
    /// Lines, but none of them a payment.
    RegisterNoPayments,
    /// No `=count;amount;transferred;commission` line.
    RegisterNoTotals,
    /// The bad lines not listed: how many, from which line on.
    RegisterMoreBadLines {
        from_line: usize,
        count: usize,
    },

    // Text fields.
    Empty(What),
    ControlCharacter(What),
    TooLong {
        what: What,
        max: usize,
    },

    // Numbers.
    NoNumber,
    /// The value as written.
    NotANumber(String),
    TooManyDecimals {
        what: What,
        places: u32,
    },
    /// Beyond what the column holds; `max` is the largest value it takes.
    TooLarge {
        what: What,
        max: Decimal,
    },
    AreaNotPositive,
    AreaTooLarge {
        max: Decimal,
    },
    NegativeReading,
    PriceNotPositive,
    /// An account number with something but letters and digits.
    AccountNumberChars,
    /// A receipt for a month the house has no completed billing run of.
    ReceiptNotBilled(Period),
    // The organisation's requisites (`domain::requisites`).
    InnDigits,
    InnCheckDigits,
    KppFormat,
    BicDigits,
    AccountDigits,
    /// A settlement account whose key digit does not fit the БИК.
    AccountNotOfBank,
    /// A correspondent account whose key digit does not fit the БИК.
    CorrAccountNotOfBank,
    /// An e-mail address without the shape of one (`name@domain.ru`).
    EmailFormat,
    AmountNotPositive,
    /// A key rate outside 0 … 100 %.
    RateOutOfRange,
    /// A payment dated after today.
    PaidInFuture,
    /// A payment dated before its account's ledger starts.
    PaidBeforeOpening(Period),
    /// No account has this number.
    NoSuchAccount(String),
    /// Another apartment's account has this number.
    AccountNumberTaken(String),
    /// The payment is already deleted (or assigned, for an unmatched one).
    PaymentSettled,
    /// A key rate from this day exists already.
    KeyRateTaken,
    NormativeNotPositive,
    CoefficientBelowOne,
    /// A number of people as written, and the most allowed.
    NotAPeopleCount {
        value: String,
        max: u32,
    },

    // Choices.
    ChooseMeterKind,
    ChooseService,
    /// A house with no service ticked.
    ChooseServices,
    /// A normative or coefficient for another service than cold or hot water.
    ChooseWaterService,
    ChooseRole,
    ChooseHouse,
    ChooseTimeZone,
    /// A filter named a meter (serial or id) that no meter has.
    NoMeterNamed(String),

    // Months and dates, with the value as written.
    NotAMonth(String),
    /// A month cell of an upload (which names the forms a file may use).
    NotAMonthCell(String),
    YearOutOfRange(String),
    NotADate(String),
    /// A day the month does not have (`31.02.2026`).
    NoSuchDay {
        raw: String,
        year: i32,
        month: u32,
        day: u32,
    },

    // Accounts.
    UserNameNeedsLetter,
    PasswordTooShort {
        min: usize,
    },
    PasswordTooLong {
        max: usize,
    },
    PasswordNul,
    PasswordsDiffer,
    WrongCurrentPassword,
    UserTaken(String),
    NoSuchUser(String),
    OnlyAdmin(String),
    AlreadySetUp,

    // Readings.
    PeriodTooFarAhead {
        period: Period,
        latest: Period,
    },
    PeriodRepeated(Period),
    BelowInitialReading {
        value: Decimal,
        initial: Decimal,
    },
    BelowEarlierReading {
        value: Decimal,
        earlier: Period,
        earlier_value: Decimal,
    },
    AboveLaterReading {
        value: Decimal,
        later: Period,
        later_value: Decimal,
    },
    /// A month of a house that is closed: nothing of it changes.
    PeriodClosed(Period),
    /// A reading after the month the meter was taken out, on that day.
    MeterTakenOut(chrono::NaiveDate),
    /// A meter is taken out no earlier than its latest reading's month.
    ReadingsAfter(Period),
    /// Saved, but its consumption is far above the meter's average.
    DoubtfulConsumption {
        serial: String,
        period: Period,
        consumption: Decimal,
        average: Decimal,
    },
    NoSuchMeter(i64),
    NoSuchSerial(String),
    MeterOfAnotherHouse(String),
    /// A form's meter, by id, that belongs to another house.
    MeterNotInHouse,

    // Houses, apartments, meters.
    AddressTaken,
    NumberTaken,
    NumberListedTwice {
        number: String,
        first: String,
    },
    SerialTaken,
    SerialListedTwice {
        serial: String,
        first: String,
    },
    SerialUsed(String),
    HasHistory {
        holder: Holder,
        readings: i64,
        charges: i64,
    },

    // Closing months.
    CloseInOrder {
        next: Period,
    },
    /// No completed run of the month to close.
    CloseUnbilled(Period),
    /// Its latest run's lines disagree with the inputs now.
    CloseStale(Period),
    /// A run of the house, by its number, is queued or running.
    CloseWhileRunning(i64),
    ReopenLastOnly {
        last: Period,
    },
    NothingClosed,

    // Meters' dates and their replacement.
    DecommissionedBeforeCommissioned,
    /// The meter was already taken out, on that day.
    AlreadyDecommissioned(chrono::NaiveDate),

    // Normatives and coefficients.
    NormativeTaken,
    CoefficientTaken,

    // Tariffs.
    TariffTaken,
    NoSuchHouse(i64),
    TariffInRun(i64),
    TariffBilled {
        charges: i64,
        deleting: bool,
    },
    NoTariff {
        service: Service,
        period: Period,
    },
    NoNormative {
        service: Service,
        period: Period,
    },
}

impl From<String> for Problem {
    fn from(said: String) -> Self {
        Problem::Said(said)
    }
}

impl From<&str> for Problem {
    fn from(said: &str) -> Self {
        Problem::Said(said.to_owned())
    }
}
