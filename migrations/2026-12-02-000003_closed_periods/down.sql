DROP TRIGGER audit_houses_insert ON houses;
DROP TRIGGER audit_houses_update ON houses;
DROP TRIGGER audit_houses_delete ON houses;
DROP FUNCTION audit_houses();
DROP FUNCTION audit_house_doc(houses);
DELETE FROM audit_log WHERE entity = 'house';
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check CHECK (entity IN (
    'reading', 'tariff', 'apartment', 'meter', 'billing_run', 'user', 'api_token'));
ALTER TABLE houses DROP COLUMN closed_through;
