//! Logins and API tokens: creating users (argon2 hashes), checking a
//! password, issuing, finding and revoking tokens (kept as SHA-256 only).
//! The pages, the API middleware, the CLI and the tests all go through here.

use std::sync::OnceLock;

use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::taken;
use crate::db::models::{
    ApiToken, ApiTokenId, ApiTokenListing, NewApiToken, NewUser, User, UserId,
};
use crate::db::queries;
use crate::domain::Role;
use crate::domain::input::{self, Checker};
use crate::error::AppError;

/// Every token starts with this, so a leaked one is recognisable (secret
/// scanners, logs) and never mistaken for a password.
pub const TOKEN_PREFIX: &str = "kvp_";
/// How much of a token the tokens page shows to tell tokens apart.
const SHOWN_CHARS: usize = TOKEN_PREFIX.len() + 8;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

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
    let mut checker = Checker::default();
    let name = checker.check("name", input::user_name(name));
    let password = checker.check("password", input::new_password(password));
    let (Some(name), Some(password)) = (name, password) else {
        return Err(AppError::invalid(checker.into_errors()));
    };
    let password_hash = hash_password(&password)?;
    queries::users::insert(
        conn,
        &NewUser {
            name: &name,
            password_hash: &password_hash,
            role,
        },
    )
    .map_err(|e| {
        taken(
            e,
            "users_name_key",
            "name",
            format!("A user named {name} already exists."),
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
            return Err(AppError::Forbidden(
                "kvartplata is already set up. Sign in instead.".into(),
            ));
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
    queries::tokens::insert(
        conn,
        &NewApiToken {
            user_id: user.id,
            name: &name,
            token_hash: &token_hash(&token),
            prefix: &token[..SHOWN_CHARS],
        },
    )?;
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
        AppError::invalid_field("user", format!("There is no user named {user_name:?}."))
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
    queries::tokens::revoke(conn, id)?;
    Ok(queries::tokens::find(conn, id)?)
}

pub fn list_users(conn: &mut PgConnection) -> Result<Vec<User>, AppError> {
    Ok(queries::users::list(conn)?)
}

/// Changes a user's role; the last admin cannot be demoted (nobody could
/// manage users any more).
pub fn set_role(conn: &mut PgConnection, id: UserId, role: Role) -> Result<User, AppError> {
    conn.transaction(|conn| {
        queries::users::lock_all(conn)?;
        let user = queries::users::find(conn, id)?;
        if user.role == Role::Admin
            && role != Role::Admin
            && queries::users::count_admins(conn)? <= 1
        {
            return Err(AppError::conflict_field(
                "role",
                format!(
                    "{} is the only admin; make someone else admin first.",
                    user.name
                ),
            ));
        }
        Ok(queries::users::set_role(conn, id, role)?)
    })
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
