//! Personal accounts `{number, holder, opening_balance, opening_period,
//! apartment_id, house_id}`: set per apartment, found by number,
//! with their statement by month; a house's balances for a month.

use actix_web::web::{self, Json};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::body::{Reader, decimal, text};
use super::query::PeriodQuery;
use super::reply::{MONEY_PLACES, fixed};
use super::schema::{BalanceInput, DecimalString, ErrorBody};
use crate::db::models::{Account, ApartmentId, HouseId};
use crate::domain::ledger::StatementRow;
use crate::domain::{Period, input};
use crate::error::{ApiError, AppError};
use crate::services;
use crate::services::accounts::{Balances, Located, SetAccount, Totals};
use crate::state::AppState;

/// A personal account (лицевой счёт).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountBody {
    number: String,
    /// the holder's name; empty when unknown
    holder: String,
    /// ₽ as of the start of opening_period: + debt, − advance
    #[schema(value_type = DecimalString)]
    opening_balance: String,
    opening_period: Period,
    apartment_id: ApartmentId,
    house_id: HouseId,
}

impl AccountBody {
    pub(super) fn new(account: Account, house_id: HouseId) -> Self {
        Self {
            number: account.number,
            holder: account.holder,
            opening_balance: fixed(account.opening_balance, MONEY_PLACES),
            opening_period: account.opening_period,
            apartment_id: account.apartment_id,
            house_id,
        }
    }
}

impl From<Located> for AccountBody {
    fn from(located: Located) -> Self {
        AccountBody::new(located.account, located.house.id)
    }
}

/// An apartment's account as set.
#[derive(ToSchema)]
#[schema(examples(
    json!({"number": "1001001001", "holder": "Иванов Иван Иванович",
           "opening_balance": "1520.40", "opening_period": "2026-01"}),
    json!({"number": "ЛС42", "opening_balance": -300, "opening_period": "2026-06"})
))]
#[allow(dead_code)] // a schema only: `read_account` reads the body
pub struct AccountRequest {
    /// 1–20 letters and digits, unique (letters in any case)
    #[schema(pattern = r"^[0-9A-Za-zА-Яа-яЁё]{1,20}$")]
    number: String,
    /// the holder's name (ФИО); left out: unknown
    #[schema(
        nullable = false,
        max_length = 200,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"
    )]
    holder: Option<String>,
    opening_balance: BalanceInput,
    /// the month the account's ledger starts
    opening_period: Period,
}

/// Reads an account body; `path` prefixes the fields' names (an apartment
/// body's `account`).
pub(super) fn read_account(r: &mut Reader, obj: &super::body::Obj) -> Option<SetAccount> {
    let number = r.required(obj, "number", text(input::account_number));
    let holder = r.optional(obj, "holder", text(input::holder));
    let opening_balance = r.required(obj, "opening_balance", decimal(input::balance));
    let opening_period = r.required(obj, "opening_period", text(input::iso_period));
    Some(SetAccount {
        number: number?,
        holder: holder.unwrap_or_default(),
        opening_balance: opening_balance?,
        opening_period: opening_period?,
    })
}

pub(super) fn read_set(body: &Value) -> Result<SetAccount, AppError> {
    let mut r = Reader::default();
    let obj = r.root(body)?;
    let account = read_account(&mut r, &obj);
    r.finish(account)
}

/// PUT /apartments/{id}/account
#[utoipa::path(
    put,
    path = "/api/v1/apartments/{id}/account",
    tag = "accounts",
    summary = "Set an apartment's personal account (created or changed)",
    params(("id" = i64, Path, description = "Apartment id", example = 1)),
    request_body = AccountRequest,
    responses(
        (status = 200, description = "The account", body = AccountBody),
        (status = 404, description = "No such apartment", body = ErrorBody),
        (status = 409, description = "Another account has the number", body = ErrorBody),
        (status = 422, description = "Invalid fields", body = ErrorBody),
    ),
)]
pub async fn set(
    state: web::Data<AppState>,
    path: web::Path<ApartmentId>,
    body: Json<Value>,
) -> Result<Json<AccountBody>, ApiError> {
    let apartment = path.into_inner();
    let set = read_set(&body)?;
    let located = state
        .db(move |conn| {
            let account = services::accounts::set(conn, apartment, &set)?;
            services::accounts::find(conn, &account.number)
        })
        .await?;
    Ok(Json(located.into()))
}

/// GET /accounts/{number}
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{number}",
    tag = "accounts",
    summary = "A personal account by its number",
    params(("number" = String, Path, description = "Account number", example = "1001001001")),
    responses(
        (status = 200, description = "The account", body = AccountBody),
        (status = 404, description = "No such account", body = ErrorBody),
    ),
)]
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<Json<AccountBody>, ApiError> {
    let number = path.into_inner();
    let located = state
        .db(move |conn| services::accounts::find(conn, &number))
        .await?;
    Ok(Json(located.into()))
}

/// A month's turnover of an account (or the sum of a house's), ₽.
#[derive(Debug, Serialize, ToSchema)]
pub struct TurnoverBody {
    /// what was owed at the month's start: + debt, − advance
    #[schema(value_type = DecimalString)]
    opening: String,
    /// the month's charges but the penalty
    #[schema(value_type = DecimalString)]
    charged: String,
    #[schema(value_type = DecimalString)]
    penalty: String,
    /// payments dated in the month
    #[schema(value_type = DecimalString)]
    paid: String,
    /// opening + charged + penalty − paid
    #[schema(value_type = DecimalString)]
    closing: String,
}

impl TurnoverBody {
    fn new(
        opening: Decimal,
        charged: Decimal,
        penalty: Decimal,
        paid: Decimal,
        closing: Decimal,
    ) -> Self {
        let money = |d| fixed(d, MONEY_PLACES);
        Self {
            opening: money(opening),
            charged: money(charged),
            penalty: money(penalty),
            paid: money(paid),
            closing: money(closing),
        }
    }
}

impl From<&StatementRow> for TurnoverBody {
    fn from(r: &StatementRow) -> Self {
        Self::new(r.opening, r.charged, r.penalty, r.paid, r.closing)
    }
}

impl From<&Totals> for TurnoverBody {
    fn from(t: &Totals) -> Self {
        Self::new(t.opening, t.charged, t.penalty, t.paid, t.closing)
    }
}

/// One month of a statement.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementRowBody {
    period: Period,
    #[serde(flatten)]
    turnover: TurnoverBody,
}

impl From<&StatementRow> for StatementRowBody {
    fn from(row: &StatementRow) -> Self {
        Self {
            period: row.period,
            turnover: row.into(),
        }
    }
}

/// `?from=&to=` months of a statement.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// the first month, YYYY-MM; left out: the account's opening month
    #[param(value_type = Option<Period>)]
    from: Option<String>,
    /// the last month, YYYY-MM; left out: the house's current period
    #[param(value_type = Option<Period>)]
    to: Option<String>,
}

impl StatementQuery {
    fn months(&self) -> Result<(Option<Period>, Option<Period>), AppError> {
        let month = |field: &str, raw: &Option<String>| {
            raw.as_deref()
                .map(input::iso_period)
                .transpose()
                .map_err(|problem| AppError::invalid_field(field, problem))
        };
        // Months are bounded (domain::YEARS), so a statement is at most a
        // few thousand rows.
        Ok((month("from", &self.from)?, month("to", &self.to)?))
    }
}

/// GET /accounts/{number}/statement
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{number}/statement",
    tag = "accounts",
    summary = "An account's statement by month: opening, charged, penalty, paid, closing",
    params(
        ("number" = String, Path, description = "Account number", example = "1001001001"),
        StatementQuery,
    ),
    responses(
        (status = 200, description = "A row per month, oldest first", body = Vec<StatementRowBody>),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 422, description = "A malformed month", body = ErrorBody),
    ),
)]
pub async fn statement(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<StatementQuery>,
) -> Result<Json<Vec<StatementRowBody>>, ApiError> {
    let number = path.into_inner();
    let (from, to) = query.months()?;
    let rows = state
        .db(move |conn| {
            let located = services::accounts::find(conn, &number)?;
            services::accounts::statement(conn, &located, from, to)
        })
        .await?;
    Ok(Json(rows.iter().map(Into::into).collect()))
}

/// One account's row of a house's balances.
#[derive(Debug, Serialize, ToSchema)]
pub struct BalanceRowBody {
    number: String,
    /// the apartment's number
    apartment: String,
    #[serde(flatten)]
    turnover: TurnoverBody,
}

/// A house's оборотно-сальдовая ведомость for a month.
#[derive(Debug, Serialize, ToSchema)]
pub struct BalancesBody {
    period: Period,
    /// the sums of the accounts' rows
    totals: TurnoverBody,
    /// in the apartments' order; accounts opened after the month are left out
    accounts: Vec<BalanceRowBody>,
}

impl From<Balances> for BalancesBody {
    fn from(b: Balances) -> Self {
        Self {
            period: b.period,
            totals: (&b.totals).into(),
            accounts: b
                .accounts
                .into_iter()
                .map(|a| BalanceRowBody {
                    turnover: (&a.row).into(),
                    number: a.account.number,
                    apartment: a.apartment,
                })
                .collect(),
        }
    }
}

/// GET /houses/{id}/balances?period=
#[utoipa::path(
    get,
    path = "/api/v1/houses/{id}/balances",
    tag = "accounts",
    summary = "A house's balances for a month (оборотно-сальдовая ведомость)",
    params(("id" = i64, Path, description = "House id", example = 1), PeriodQuery),
    responses(
        (status = 200, description = "Per account and totals", body = BalancesBody),
        (status = 404, description = "No such house", body = ErrorBody),
        (status = 422, description = "Missing or malformed period", body = ErrorBody),
    ),
)]
pub async fn balances(
    state: web::Data<AppState>,
    path: web::Path<HouseId>,
    query: web::Query<PeriodQuery>,
) -> Result<Json<BalancesBody>, ApiError> {
    let house = path.into_inner();
    let period = query.period()?;
    let balances = state
        .db(move |conn| services::accounts::balances(conn, house, period))
        .await?;
    Ok(Json(balances.into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::api::schema::assert_examples_read;

    #[test]
    fn the_account_examples_are_read() {
        assert_examples_read::<AccountRequest, _>(read_set);
    }
}
