-- The organisation that bills the houses (the executor of the receipts and
-- the payee of their QR code): one row, set by an admin. The app checks the
-- requisites fully (domain::requisites: the ИНН's check digits, the
-- accounts' keys against the БИК); the table keeps what SQL can say, so a
-- row written around the app still has the shape a receipt needs.
CREATE TABLE organization (
    id           BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    name         TEXT NOT NULL CHECK (name <> '' AND char_length(name) <= 300),
    inn          TEXT NOT NULL CHECK (inn ~ '^([0-9]{10}|[0-9]{12})$'),
    kpp          TEXT NOT NULL CHECK (kpp ~ '^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$'),
    address      TEXT NOT NULL CHECK (address <> '' AND char_length(address) <= 300),
    -- Free text ("+7 (843) 123-45-67, диспетчерская 24/7"); may be empty.
    phone        TEXT NOT NULL CHECK (char_length(phone) <= 100),
    email        TEXT NOT NULL CHECK (email = '' OR (email LIKE '%_@_%' AND char_length(email) <= 254)),
    bank_name    TEXT NOT NULL CHECK (bank_name <> '' AND char_length(bank_name) <= 200),
    bic          TEXT NOT NULL CHECK (bic ~ '^[0-9]{9}$'),
    -- р/с and к/с
    account      TEXT NOT NULL CHECK (account ~ '^[0-9]{20}$'),
    corr_account TEXT NOT NULL CHECK (corr_account ~ '^[0-9]{20}$'),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The audit: every change of the requisites (a wrong account on a receipt
-- is money paid elsewhere), entity id 1 for the one row.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check CHECK (entity IN (
    'reading', 'tariff', 'apartment', 'meter', 'billing_run', 'user', 'api_token', 'house',
    'residents', 'normative', 'coefficient', 'account', 'payment', 'payment_import',
    'key_rate', 'organization'));

-- `account` is `settlement_account` here: the audit page names a personal
-- account `account` already.
CREATE FUNCTION audit_organization_doc(r organization) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('name', r.name, 'inn', r.inn, 'kpp', r.kpp,
                              'address', r.address, 'phone', r.phone, 'email', r.email,
                              'bank_name', r.bank_name, 'bic', r.bic,
                              'settlement_account', r.account,
                              'corr_account', r.corr_account)
$$;

CREATE FUNCTION audit_organization() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_log (actor, action, entity, entity_id, new)
        SELECT audit_actor(), 'create', 'organization', 1, audit_organization_doc(n)
        FROM new_rows n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO audit_log (actor, action, entity, entity_id, old, new)
        SELECT audit_actor(), 'update', 'organization', 1, audit_organization_doc(o),
               audit_organization_doc(n)
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE audit_organization_doc(o) IS DISTINCT FROM audit_organization_doc(n);
    ELSE
        INSERT INTO audit_log (actor, action, entity, entity_id, old)
        SELECT audit_actor(), 'delete', 'organization', 1, audit_organization_doc(o)
        FROM old_rows o;
    END IF;
    RETURN NULL;
END
$$;

-- An upsert (INSERT … ON CONFLICT DO UPDATE) fires both the INSERT and the
-- UPDATE trigger, each with only the rows it inserted or updated.
CREATE TRIGGER audit_organization_insert AFTER INSERT ON organization
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_organization();
CREATE TRIGGER audit_organization_update AFTER UPDATE ON organization
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_organization();
CREATE TRIGGER audit_organization_delete AFTER DELETE ON organization
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_organization();
