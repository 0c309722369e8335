DROP FUNCTION audit_coefficient_doc(coefficients);
DROP FUNCTION audit_normative_doc(normatives);
DROP FUNCTION audit_residents_doc(apartment_residents);
DROP TABLE coefficients;
DROP TABLE normatives;
DROP TABLE apartment_residents;
DROP FUNCTION audit_coefficients();
DROP FUNCTION audit_normatives();
DROP FUNCTION audit_residents();
DELETE FROM audit_log WHERE entity IN ('residents', 'normative', 'coefficient');
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check CHECK (entity IN (
    'reading', 'tariff', 'apartment', 'meter', 'billing_run', 'user', 'api_token', 'house'));

CREATE OR REPLACE FUNCTION audit_house_doc(r houses) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('address', r.address, 'time_zone', r.time_zone,
                              'closed_through', to_char(r.closed_through, 'YYYY-MM'))
$$;
CREATE OR REPLACE FUNCTION audit_apartment_doc(r apartments) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('house_id', r.house_id, 'number', r.number,
                              'area', r.area::text)
$$;
CREATE OR REPLACE FUNCTION audit_meter_doc(r meters) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('apartment_id', r.apartment_id, 'serial', r.serial,
                              'kind', r.kind, 'initial_reading', r.initial_reading::text,
                              'installed_on', r.installed_on)
$$;

DELETE FROM readings WHERE source = 'final';
ALTER TABLE readings DROP CONSTRAINT readings_source_check;
ALTER TABLE readings ADD CONSTRAINT readings_source_check
    CHECK (source IN ('form', 'csv', 'api'));
ALTER TABLE meters DROP CONSTRAINT meters_decommissioned_after_commissioned,
    DROP COLUMN commissioned_on, DROP COLUMN verified_until, DROP COLUMN decommissioned_on;
ALTER TABLE apartments DROP COLUMN owners, DROP COLUMN meter_impossible;
ALTER TABLE houses DROP COLUMN services;

DELETE FROM charges WHERE service = 'sewerage';
DELETE FROM billing_run_prices WHERE service = 'sewerage';
DELETE FROM tariffs WHERE service = 'sewerage';
ALTER TABLE tariffs DROP CONSTRAINT tariffs_service_check;
ALTER TABLE tariffs ADD CONSTRAINT tariffs_service_check
    CHECK (service IN ('cold_water', 'hot_water', 'maintenance'));
ALTER TABLE charges DROP CONSTRAINT charges_service_check;
ALTER TABLE charges ADD CONSTRAINT charges_service_check
    CHECK (service IN ('cold_water', 'hot_water', 'maintenance'));
ALTER TABLE billing_run_prices DROP CONSTRAINT billing_run_prices_service_check;
ALTER TABLE billing_run_prices ADD CONSTRAINT billing_run_prices_service_check
    CHECK (service IN ('cold_water', 'hot_water', 'maintenance'));
