//! Logins and API tokens: creating users (argon2 hashes), checking a
//! password, issuing, finding and revoking tokens (kept as SHA-256 only).
//! The pages, the API middleware, the CLI and the tests all go through here.

use std::sync::OnceLock;

use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::{hex, taken};
use crate::db::models::{
    ApiToken, ApiTokenId, ApiTokenListing, AuditAction, AuditEntity, NewApiToken, NewUser, User,
    UserId,
};
use crate::db::queries;
use crate::domain::input::{self, Checker};
use crate::domain::{Problem, Role};
use crate::error::AppError;
use crate::i18n::Locale;

/// Every token starts with this, so a leaked one is recognisable (secret
/// scanners, logs) and never mistaken for a password.
pub const TOKEN_PREFIX: &str = "kvp_";
/// How much of a token the tokens page shows to tell tokens apart.
const SHOWN_CHARS: usize = TOKEN_PREFIX.len() + 8;

fn hash_password(password: &str) -> Result<String, AppError> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| AppError::internal(anyhow_ph(e)))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::internal(anyhow_ph(e)))
}

/// password_hash's error is not `std::error::Error` without its `std` feature.
fn anyhow_ph(e: argon2::password_hash::Error) -> anyhow::Error {
    anyhow::anyhow!("password hashing: {e}")
}

/// Whether `password` matches the stored PHC string.
fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// A hash nobody's password matches, checked against when the name is
/// unknown so that a wrong name takes as long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("no user has this password").unwrap_or_default())
}

/// SHA-256 of a token, as stored and looked up.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Checks the name and password rules, then stores the user with an argon2
/// hash of the password. A taken name (in any case) is a 409 on `name`.
pub fn create_user(
    conn: &mut PgConnection,
    name: &str,
    password: &str,
    role: Role,
) -> Result<User, AppError> {
    create_user_with_full_name(conn, name, "", password, role)
}

/// [`create_user`] with a full name (optional: empty is none).
pub fn create_user_with_full_name(
    conn: &mut PgConnection,
    name: &str,
    full_name: &str,
    password: &str,
    role: Role,
) -> Result<User, AppError> {
    let mut checker = Checker::default();
    let name = checker.check("name", input::user_name(name));
    let full_name = checker.check("full_name", input::full_name(full_name));
    let password = checker.check("password", input::new_password(password));
    let (Some(name), Some(full_name), Some(password)) = (name, full_name, password) else {
        return Err(AppError::invalid(checker.into_errors()));
    };
    let password_hash = hash_password(&password)?;
    queries::users::insert(
        conn,
        &NewUser {
            name: &name,
            password_hash: &password_hash,
            role,
            full_name: full_name.as_deref(),
        },
    )
    .map_err(|e| {
        taken(
            e,
            "users_name_key",
            "name",
            Problem::UserTaken(name.to_owned()),
        )
    })
}

/// The first-run setup: creates the admin only while there is no user at
/// all (the table is locked so two browsers cannot both do it).
pub fn create_first_admin(
    conn: &mut PgConnection,
    name: &str,
    password: &str,
) -> Result<User, AppError> {
    conn.transaction(|conn| {
        queries::users::lock_all(conn)?;
        if queries::users::any(conn)? {
            return Err(AppError::Forbidden(Problem::AlreadySetUp));
        }
        create_user(conn, name, password, Role::Admin)
    })
}

/// Whether no one can sign in yet (the setup page is open).
pub fn needs_setup(conn: &mut PgConnection) -> Result<bool, AppError> {
    Ok(!queries::users::any(conn)?)
}

/// The user with this name and password, or None for a wrong name or a
/// wrong password (taking the same time for both).
pub fn authenticate(
    conn: &mut PgConnection,
    name: &str,
    password: &str,
) -> Result<Option<User>, AppError> {
    let user = queries::users::find_by_name(conn, name.trim())?;
    let matches = match &user {
        Some(user) => verify_password(password, &user.password_hash),
        None => {
            // Same work as for a real user; the result does not matter.
            let _ = verify_password(password, decoy_hash());
            false
        }
    };
    Ok(user.filter(|_| matches))
}

/// A signed-in user by id (the session keeps only the id, so role changes
/// apply at once); None when the user is gone.
pub fn find_user(conn: &mut PgConnection, id: UserId) -> Result<Option<User>, AppError> {
    match queries::users::find(conn, id) {
        Ok(user) => Ok(Some(user)),
        Err(diesel::result::Error::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn issue_token(conn: &mut PgConnection, user: &User, token_name: &str) -> Result<String, AppError> {
    let name = input::token_name(token_name).map_err(|m| AppError::invalid_field("name", m))?;
    let secret: [u8; 32] = rand::random();
    let token = format!("{TOKEN_PREFIX}{}", hex(&secret));
    let created = queries::tokens::insert(
        conn,
        &NewApiToken {
            user_id: user.id,
            name: &name,
            token_hash: &token_hash(&token),
            prefix: &token[..SHOWN_CHARS],
        },
    )?;
    record_token(conn, AuditAction::TokenCreate, &created, &user.name)?;
    Ok(token)
}

/// Issues a new API token for the user named `user_name` and returns it:
/// the only time it is seen, since only its SHA-256 is stored.
pub fn create_token(
    conn: &mut PgConnection,
    user_name: &str,
    token_name: &str,
) -> Result<String, AppError> {
    let user = queries::users::find_by_name(conn, user_name.trim())?.ok_or_else(|| {
        AppError::invalid_field("user", Problem::NoSuchUser(user_name.to_owned()))
    })?;
    issue_token(conn, &user, token_name)
}

/// Issues a token for a signed-in user (the tokens page).
pub fn create_token_for(
    conn: &mut PgConnection,
    user_id: UserId,
    token_name: &str,
) -> Result<String, AppError> {
    let user = queries::users::find(conn, user_id)?;
    issue_token(conn, &user, token_name)
}

/// The owner of a token that is not revoked; None for an unknown or
/// revoked one. Notes the use (at most once a minute).
pub fn user_for_token(conn: &mut PgConnection, token: &str) -> Result<Option<User>, AppError> {
    let Some((found, user)) = queries::tokens::find_active(conn, &token_hash(token))? else {
        return Ok(None);
    };
    queries::tokens::touch(conn, found.id)?;
    Ok(Some(user))
}

/// The tokens a user may see: their own, or everyone's for an admin.
pub fn list_tokens(
    conn: &mut PgConnection,
    user_id: UserId,
    role: Role,
) -> Result<Vec<ApiTokenListing>, AppError> {
    let owner = (!role.is_admin()).then_some(user_id);
    Ok(queries::tokens::list(conn, owner)?)
}

/// Revokes a token of the user's own (any token for an admin); another
/// user's token is "not found" rather than admitting it exists.
pub fn revoke_token(
    conn: &mut PgConnection,
    user_id: UserId,
    role: Role,
    id: ApiTokenId,
) -> Result<ApiToken, AppError> {
    let token = queries::tokens::find(conn, id)?;
    if token.user_id != user_id && !role.is_admin() {
        return Err(AppError::NotFound);
    }
    if queries::tokens::revoke(conn, id)? > 0 {
        let owner = queries::users::find(conn, token.user_id)?;
        record_token(conn, AuditAction::TokenRevoke, &token, &owner.name)?;
    }
    Ok(queries::tokens::find(conn, id)?)
}

fn record_token(
    conn: &mut PgConnection,
    action: AuditAction,
    token: &ApiToken,
    owner: &str,
) -> Result<(), AppError> {
    let doc = serde_json::json!({ "token": token.name, "owner": owner, "prefix": token.prefix });
    Ok(queries::audit::record(
        conn,
        None,
        action,
        AuditEntity::ApiToken,
        token.id.0,
        &doc,
    )?)
}

pub fn list_users(conn: &mut PgConnection) -> Result<Vec<User>, AppError> {
    Ok(queries::users::list(conn)?)
}

/// Refuses, on `field`, to take `user` away as an admin when they are the
/// last active one: nobody could manage users any more.
fn keep_an_admin(
    conn: &mut PgConnection,
    user: &User,
    field: &'static str,
) -> Result<(), AppError> {
    if user.role == Role::Admin && queries::users::count_admins(conn)? <= 1 {
        return Err(AppError::conflict_field(
            field,
            Problem::OnlyAdmin(user.name.clone()),
        ));
    }
    Ok(())
}

/// Changes a user's role; the last admin cannot be demoted (nobody could
/// manage users any more).
pub fn set_role(conn: &mut PgConnection, id: UserId, role: Role) -> Result<User, AppError> {
    conn.transaction(|conn| {
        queries::users::lock_all(conn)?;
        let user = queries::users::find(conn, id)?;
        if role != Role::Admin {
            keep_an_admin(conn, &user, "role")?;
        }
        let changed = queries::users::set_role(conn, id, role)?;
        if changed.role != user.role {
            let doc = serde_json::json!({
                "name": user.name, "role": changed.role.as_str(), "old_role": user.role.as_str(),
            });
            queries::audit::record(
                conn,
                None,
                AuditAction::RoleChange,
                AuditEntity::User,
                id.0,
                &doc,
            )?;
        }
        Ok(changed)
    })
}

/// Notes a user's account event in the audit log (`actor` None: whoever
/// the connection acts for).
fn record_user(
    conn: &mut PgConnection,
    actor: Option<&str>,
    action: AuditAction,
    user: &User,
    mut doc: serde_json::Value,
) -> Result<(), AppError> {
    doc["name"] = user.name.clone().into();
    Ok(queries::audit::record(
        conn,
        actor,
        action,
        AuditEntity::User,
        user.id.0,
        &doc,
    )?)
}

/// A successful sign-in from `address`: noted on the user and in the log.
pub fn record_sign_in(
    conn: &mut PgConnection,
    user: &User,
    address: Option<String>,
) -> Result<(), AppError> {
    queries::users::note_sign_in(conn, user.id)?;
    let doc = serde_json::json!({ "address": address });
    record_user(conn, Some(&user.name), AuditAction::SignIn, user, doc)
}

/// A failed sign-in with the name tried (entity id 0 for a name nobody has).
pub fn record_failed_sign_in(
    conn: &mut PgConnection,
    name: &str,
    address: Option<String>,
) -> Result<(), AppError> {
    let name: String = name
        .trim()
        .chars()
        .take(input::MAX_USER_NAME_CHARS)
        .collect();
    let id = queries::users::find_by_name(conn, &name)?.map_or(0, |u| u.id.0);
    let doc = serde_json::json!({ "name": name, "address": address });
    Ok(queries::audit::record(
        conn,
        None,
        AuditAction::SignInFailed,
        AuditEntity::User,
        id,
        &doc,
    )?)
}

fn new_password_hash(password: &str) -> Result<String, AppError> {
    let password =
        input::new_password(password).map_err(|m| AppError::invalid_field("password", m))?;
    hash_password(&password)
}

/// A user changes their own password (the current one is asked for). All
/// their sessions end; the caller signs the current one in again.
pub fn change_own_password(
    conn: &mut PgConnection,
    id: UserId,
    current: &str,
    new: &str,
) -> Result<User, AppError> {
    let user = queries::users::find(conn, id)?;
    if !verify_password(current, &user.password_hash) {
        return Err(AppError::invalid_field(
            "current_password",
            Problem::WrongCurrentPassword,
        ));
    }
    set_password(conn, id, new, AuditAction::PasswordChange)
}

/// An admin (or the command line) sets a user's password; the user's
/// sessions end.
pub fn reset_password(conn: &mut PgConnection, id: UserId, new: &str) -> Result<User, AppError> {
    set_password(conn, id, new, AuditAction::PasswordReset)
}

/// Stores the new password's hash, ends the user's sessions and notes
/// `action` (a change by the user, a reset by an admin) in the audit log.
fn set_password(
    conn: &mut PgConnection,
    id: UserId,
    new: &str,
    action: AuditAction,
) -> Result<User, AppError> {
    let hash = new_password_hash(new)?;
    conn.transaction(|conn| {
        let user = queries::users::set_password_hash(conn, id, &hash)?;
        queries::sessions::delete_for_user(conn, id)?;
        record_user(conn, None, action, &user, serde_json::json!({}))?;
        Ok(user)
    })
}

/// Blocks or unblocks a user. A blocked user's sessions end at once and
/// their tokens stop working; the last admin who can act is not blocked.
pub fn set_blocked(conn: &mut PgConnection, id: UserId, blocked: bool) -> Result<User, AppError> {
    conn.transaction(|conn| {
        queries::users::lock_all(conn)?;
        let user = queries::users::find(conn, id)?;
        if blocked && !user.is_blocked() {
            keep_an_admin(conn, &user, "blocked")?;
        }
        let changed = queries::users::set_blocked(conn, id, blocked)?;
        if blocked {
            queries::sessions::delete_for_user(conn, id)?;
        }
        if changed.is_blocked() != user.is_blocked() {
            let action = if blocked {
                AuditAction::Block
            } else {
                AuditAction::Unblock
            };
            record_user(conn, None, action, &changed, serde_json::json!({}))?;
        }
        Ok(changed)
    })
}

/// Ends every session of the user (an admin's "sign out everywhere");
/// how many were ended.
pub fn sign_out_everywhere(conn: &mut PgConnection, id: UserId) -> Result<usize, AppError> {
    conn.transaction(|conn| {
        let user = queries::users::find(conn, id)?;
        let ended = queries::sessions::delete_for_user(conn, id)?;
        let doc = serde_json::json!({ "sessions": ended });
        record_user(conn, None, AuditAction::SignOutEverywhere, &user, doc)?;
        Ok(ended)
    })
}

pub fn set_full_name(
    conn: &mut PgConnection,
    id: UserId,
    full_name: &str,
) -> Result<User, AppError> {
    let full_name =
        input::full_name(full_name).map_err(|m| AppError::invalid_field("full_name", m))?;
    Ok(queries::users::set_full_name(
        conn,
        id,
        full_name.as_deref(),
    )?)
}

/// The language the user reads the interface in from now on.
pub fn set_locale(conn: &mut PgConnection, id: UserId, locale: Locale) -> Result<User, AppError> {
    Ok(queries::users::set_locale(conn, id, locale.code())?)
}

/// A user by name, or a message naming the field `user` (the CLI).
pub fn find_by_name(conn: &mut PgConnection, name: &str) -> Result<User, AppError> {
    queries::users::find_by_name(conn, name.trim())?
        .ok_or_else(|| AppError::invalid_field("user", Problem::NoSuchUser(name.to_owned())))
}

/// A user's page for admins: the user and how many sessions are open.
pub fn user_with_sessions(conn: &mut PgConnection, id: UserId) -> Result<(User, i64), AppError> {
    let user = queries::users::find(conn, id)?;
    let sessions = queries::sessions::count_for_user(conn, id)?;
    Ok((user, sessions))
}

/// Deletes expired sessions and kept forms older than `form_lifetime`
/// (a bounded batch of each).
pub fn delete_expired_sessions(
    conn: &mut PgConnection,
    form_lifetime: chrono::TimeDelta,
) -> Result<usize, AppError> {
    Ok(queries::sessions::delete_expired(conn, form_lifetime)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hashed_with_a_salt_and_verified() {
        let a = hash_password("correct horse battery").unwrap();
        let b = hash_password("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "each hash has its own salt");
        assert!(!a.contains("correct horse"));
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("correct horse batterY", &a));
        assert!(!verify_password("anything", "not a phc string"));
    }

    #[test]
    fn token_hashes_are_sha256_hex() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
