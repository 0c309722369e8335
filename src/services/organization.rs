//! The organisation's requisites, as the receipts print them and their QR
//! code pays them: read by everyone, set by an admin (the middleware keeps
//! the others to reading), every field checked in one pass so that a form
//! or a body with three mistakes hears of all three.

use diesel::PgConnection;
use serde::Deserialize;

use crate::db::models::{NewOrganization, Organization};
use crate::db::queries;
use crate::domain::input::{self, Checker};
use crate::domain::{Problem, requisites};
use crate::error::{AppError, FieldErrors};

/// The organisation's details as typed: a form's fields or a body's
/// strings, by the names both use.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Details {
    pub name: String,
    pub inn: String,
    pub kpp: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub bank_name: String,
    pub bic: String,
    /// р/с
    pub account: String,
    /// к/с
    pub corr_account: String,
}

impl From<Organization> for Details {
    fn from(o: Organization) -> Self {
        Self {
            name: o.name,
            inn: o.inn,
            kpp: o.kpp,
            address: o.address,
            phone: o.phone,
            email: o.email,
            bank_name: o.bank_name,
            bic: o.bic,
            account: o.account,
            corr_account: o.corr_account,
        }
    }
}

/// Every field checked, each problem under its field's name. An account is
/// keyed against the БИК only when both are well-formed (a key test of a
/// malformed number would only repeat its first problem).
pub fn check(d: &Details) -> Result<NewOrganization, FieldErrors> {
    let mut c = Checker::default();
    let name = c.check("name", input::organization_name(&d.name));
    let inn = c.check("inn", requisites::inn(&d.inn));
    let kpp = c.check("kpp", requisites::kpp(&d.kpp));
    let address = c.check("address", input::address(&d.address));
    let phone = c.check("phone", input::phone(&d.phone));
    let email = c.check("email", input::email(&d.email));
    let bank_name = c.check("bank_name", input::bank_name(&d.bank_name));
    let bic = c.check("bic", requisites::bic(&d.bic));
    let account = c.check("account", requisites::account(&d.account));
    let corr_account = c.check("corr_account", requisites::account(&d.corr_account));
    if let Some(bic) = &bic {
        if account
            .as_deref()
            .is_some_and(|a| !requisites::settlement_account_matches(bic, a))
        {
            c.fail("account", Problem::AccountNotOfBank);
        }
        if corr_account
            .as_deref()
            .is_some_and(|a| !requisites::corr_account_matches(bic, a))
        {
            c.fail("corr_account", Problem::CorrAccountNotOfBank);
        }
    }
    let row = (|| {
        Some(NewOrganization {
            name: name?,
            inn: inn?,
            kpp: kpp?,
            address: address?,
            phone: phone?,
            email: email?,
            bank_name: bank_name?,
            bic: bic?,
            account: account?,
            corr_account: corr_account?,
        })
    })();
    match row {
        Some(row) if c.is_ok() => Ok(row),
        _ => Err(c.into_errors()),
    }
}

/// The organisation, or None until an admin sets it.
pub fn find(conn: &mut PgConnection) -> Result<Option<Organization>, AppError> {
    Ok(queries::organization::find(conn)?)
}

/// Sets every field (the first time creates the row); 422 naming each bad
/// field. The audit trigger logs what changed.
pub fn set(conn: &mut PgConnection, details: &Details) -> Result<Organization, AppError> {
    let row = check(details).map_err(AppError::invalid)?;
    Ok(queries::organization::upsert(conn, &row)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ПАО Сбербанк's own requisites, with an account keyed to its БИК.
    fn sberbank() -> Details {
        Details {
            name: "ПАО Сбербанк".into(),
            inn: "7707083893".into(),
            kpp: "773601001".into(),
            address: "117312, г. Москва, ул. Вавилова, д. 19".into(),
            phone: "900".into(),
            email: String::new(),
            bank_name: "ПАО Сбербанк".into(),
            bic: "044525225".into(),
            account: "40702810938000012345".into(),
            corr_account: "30101810400000000225".into(),
        }
    }

    fn fields(d: &Details) -> Vec<(String, Problem)> {
        check(d).unwrap_err().into_iter().collect()
    }

    #[test]
    fn good_requisites_are_kept_trimmed() {
        let mut d = sberbank();
        d.inn = " 7707083893 ".into();
        d.email = " info@sberbank.ru ".into();
        let row = check(&d).unwrap();
        assert_eq!(row.inn, "7707083893");
        assert_eq!(row.email, "info@sberbank.ru");
        assert_eq!(row.account, "40702810938000012345");
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let d = Details {
            name: " ".into(),
            inn: "7707083894".into(),
            kpp: "77360100".into(),
            address: String::new(),
            phone: String::new(),
            email: "no".into(),
            bank_name: String::new(),
            bic: "04452522".into(),
            account: "4070281093800001234".into(),
            corr_account: "30101810400000000225".into(),
        };
        let names: Vec<String> = fields(&d).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            names,
            [
                "account",
                "address",
                "bank_name",
                "bic",
                "email",
                "inn",
                "kpp",
                "name"
            ]
        );
    }

    #[test]
    fn accounts_are_keyed_against_the_bic_when_both_are_well_formed() {
        let mut d = sberbank();
        d.account = "40702810938000012346".into();
        d.corr_account = "30101810400000000226".into();
        assert_eq!(
            fields(&d),
            [
                ("account".to_owned(), Problem::AccountNotOfBank),
                ("corr_account".to_owned(), Problem::CorrAccountNotOfBank),
            ]
        );
        // The к/с malformed: the р/с is still keyed, and fits.
        let mut d = sberbank();
        d.corr_account = "3010181040000000022".into();
        assert_eq!(
            fields(&d),
            [("corr_account".to_owned(), Problem::AccountDigits)]
        );
        // The БИК malformed: no key is tested, only the БИК named.
        let mut d = sberbank();
        d.bic = "04452522".into();
        d.account = "40702810938000012346".into();
        assert_eq!(fields(&d), [("bic".to_owned(), Problem::BicDigits)]);
    }
}
