DELETE FROM audit_log WHERE entity IN ('user', 'api_token');
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check
    CHECK (entity IN ('reading', 'tariff', 'apartment', 'meter', 'billing_run'));
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check
    CHECK (action IN ('create', 'update', 'delete', 'start'));

DROP TABLE pending_forms;
DROP TABLE login_attempts;
DROP TABLE server_secrets;
DROP TABLE sessions;

ALTER TABLE users
    DROP COLUMN blocked_at,
    DROP COLUMN last_sign_in_at,
    DROP COLUMN full_name;
