//! Sessions kept in PostgreSQL (actix-session's `SessionStore`): the
//! cookie holds only a random id, the row its SHA-256, the signed-in user
//! and the session's state. Ending a row ends the session everywhere, for
//! every process on the database, and a restart keeps them all.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use diesel::PgConnection;
use sha2::{Digest, Sha256};

use super::{SESSION_HOURS, USER_KEYS, user_in};
use crate::db::PgPool;
use crate::db::queries;

type State = HashMap<String, String>;

#[derive(Clone)]
pub struct PgSessionStore {
    pool: PgPool,
}

impl PgSessionStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    async fn run<T, F>(&self, work: F) -> anyhow::Result<T>
    where
        F: FnOnce(&mut PgConnection) -> diesel::QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            Ok(work(&mut conn)?)
        })
        .await?
    }

    async fn insert(&self, state: &State) -> anyhow::Result<SessionKey> {
        let id = new_session_id();
        let (hash, user, doc) = (id_hash(&id), user_in(state), serde_json::to_value(state)?);
        let expires_at = chrono::Utc::now() + chrono::TimeDelta::hours(SESSION_HOURS);
        self.run(move |conn| queries::sessions::insert(conn, &hash, user, &doc, expires_at))
            .await?;
        SessionKey::try_from(id).map_err(anyhow::Error::from)
    }
}

/// 256 random bits, hex: the cookie's value (before signing).
fn new_session_id() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the table keeps of a session id.
fn id_hash(id: &str) -> String {
    Sha256::digest(id.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl SessionStore for PgSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        let hash = id_hash(key.as_ref());
        let doc = self
            .run(move |conn| queries::sessions::load(conn, &hash))
            .await
            .map_err(LoadError::Other)?;
        doc.map(serde_json::from_value::<State>)
            .transpose()
            .map_err(|e| LoadError::Deserialization(e.into()))
    }

    /// The lifetime is absolute (from this save), whatever `ttl` says.
    async fn save(&self, state: State, _ttl: &Duration) -> Result<SessionKey, SaveError> {
        self.insert(&state).await.map_err(SaveError::Other)
    }

    async fn update(
        &self,
        key: SessionKey,
        state: State,
        _ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        let (hash, user) = (id_hash(key.as_ref()), user_in(&state));
        let doc = serde_json::to_value(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let updated = self
            .run(move |conn| queries::sessions::update(conn, &hash, user, &doc))
            .await
            .map_err(UpdateError::Other)?;
        if updated {
            return Ok(key);
        }
        // The session ended while this request ran (signed out elsewhere,
        // blocked): what it set goes to a new anonymous session, never
        // bringing the old one back.
        let mut anonymous = state;
        anonymous.retain(|name, _| !USER_KEYS.contains(&name.as_str()));
        self.insert(&anonymous).await.map_err(UpdateError::Other)
    }

    async fn update_ttl(&self, _key: &SessionKey, _ttl: &Duration) -> anyhow::Result<()> {
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> anyhow::Result<()> {
        let hash = id_hash(key.as_ref());
        self.run(move |conn| queries::sessions::delete(conn, &hash))
            .await
            .map(drop)
    }
}

/// The key that signs session cookies when SESSION_KEY is not set: made
/// once and kept in the database, so a restart and the other processes
/// read the cookies this one wrote.
pub fn stored_cookie_key(pool: &PgPool) -> anyhow::Result<actix_web::cookie::Key> {
    let candidate: String = {
        let bytes: [u8; 64] = rand::random();
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    };
    let mut conn = pool.get()?;
    let secret = queries::sessions::secret(&mut conn, "session_key", &candidate)?;
    Ok(actix_web::cookie::Key::derive_from(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (new_session_id(), new_session_id());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(id_hash(&a).len(), 64);
        assert_ne!(id_hash(&a), a);
    }
}
