DROP FUNCTION audit_key_rate_doc(key_rates);
DROP FUNCTION audit_payment_doc(payments);
DROP FUNCTION audit_account_doc(accounts);
DROP FUNCTION audit_payment_house(BIGINT);
DROP TABLE penalties;
DROP TABLE due_days;
DROP TABLE penalty_caps;
DROP TABLE key_rates;
DROP TABLE payments;
DROP TABLE payment_imports;
DROP TABLE accounts;
DROP FUNCTION audit_key_rates();
DROP FUNCTION audit_payment_imports();
DROP FUNCTION audit_payments();
DROP FUNCTION audit_accounts();
DELETE FROM audit_log WHERE entity IN ('account', 'payment', 'payment_import', 'key_rate');
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check CHECK (entity IN (
    'reading', 'tariff', 'apartment', 'meter', 'billing_run', 'user', 'api_token', 'house',
    'residents', 'normative', 'coefficient'));
