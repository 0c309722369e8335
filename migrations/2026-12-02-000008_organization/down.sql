DROP FUNCTION audit_organization_doc(organization);
DROP TABLE organization;
DROP FUNCTION audit_organization();
DELETE FROM audit_log WHERE entity = 'organization';
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check CHECK (entity IN (
    'reading', 'tariff', 'apartment', 'meter', 'billing_run', 'user', 'api_token', 'house',
    'residents', 'normative', 'coefficient', 'account', 'payment', 'payment_import',
    'key_rate'));
