use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::id_type;
use crate::db::schema::users;
use crate::domain::Role;

id_type!(UserId);

/// A login. `password_hash` is an argon2 PHC string; it never leaves the
/// server (no Serialize, and Debug hides it).
#[derive(Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    /// How the user is called, shown beside the login name.
    pub full_name: Option<String>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    /// Set while the user is blocked: no sign-in, session or token works.
    pub blocked_at: Option<DateTime<Utc>>,
    /// The interface language's code (`ru`, `en`).
    pub locale: String,
}

impl User {
    pub fn is_blocked(&self) -> bool {
        self.blocked_at.is_some()
    }
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("blocked_at", &self.blocked_at)
            .finish_non_exhaustive()
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub full_name: Option<&'a str>,
}
