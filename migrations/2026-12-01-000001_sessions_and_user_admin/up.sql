-- Users get an optional full name, the time they last signed in, and a
-- block: a blocked user can neither sign in nor use a session or a token.
ALTER TABLE users
    ADD COLUMN full_name TEXT
        CHECK (full_name = btrim(full_name) AND length(full_name) BETWEEN 1 AND 200),
    ADD COLUMN last_sign_in_at TIMESTAMPTZ,
    ADD COLUMN blocked_at TIMESTAMPTZ;

-- Server-side sessions. The cookie carries a random id; only its SHA-256
-- is kept, so a copy of this table opens no session. `user_id` is set
-- while someone is signed in, so all of a user's sessions can be ended at
-- once. `state` holds the CSRF token and a waiting flash message.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
    user_id      BIGINT REFERENCES users (id) ON DELETE CASCADE,
    state        JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- The secret that signs session cookies when SESSION_KEY is not set: made
-- once, shared by every process on this database, kept across restarts.
CREATE TABLE server_secrets (
    name   TEXT PRIMARY KEY,
    secret TEXT NOT NULL CHECK (length(secret) >= 64)
);

-- Sign-in attempts per key ('name:…' or 'address:…') in a fixed window,
-- counted before the password is checked so parallel attempts cannot
-- race past the limit.
CREATE TABLE login_attempts (
    key               TEXT PRIMARY KEY,
    attempts          INTEGER NOT NULL CHECK (attempts >= 0),
    window_started_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_attempts_window_started_at_idx ON login_attempts (window_started_at);

-- A form posted after its session had ended, kept for a short while so
-- the user can save it after signing in again. Found by the SHA-256 of a
-- random id held in the new (anonymous) session.
CREATE TABLE pending_forms (
    id_hash    TEXT PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
    action     TEXT NOT NULL CHECK (action LIKE '/%'),
    fields     JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX pending_forms_created_at_idx ON pending_forms (created_at);

-- The application writes the account events itself (no row change marks
-- a sign-in): users and API tokens join the audited entities.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'create', 'update', 'delete', 'start',
    'sign_in', 'sign_in_failed', 'role_change', 'password_change', 'password_reset',
    'block', 'unblock', 'sign_out_everywhere', 'token_create', 'token_revoke'));
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check CHECK (entity IN (
    'reading', 'tariff', 'apartment', 'meter', 'billing_run', 'user', 'api_token'));
