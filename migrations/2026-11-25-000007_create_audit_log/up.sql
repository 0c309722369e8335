-- The audit log: who created, changed or deleted readings, tariffs,
-- apartments and meters, and who started billing runs, with the old and new
-- values. PostgreSQL writes it, so no code path can forget to: statement-level
-- triggers read the statement's transition tables, and an import of 200,000
-- readings adds one INSERT … SELECT instead of 200,000 trigger calls.
-- The actor is what the app set on the connection (kvartplata.actor, see
-- src/audit.rs); NULL means the system or the command line.
-- No foreign keys: an entry outlives what it describes.
CREATE TABLE audit_log (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor     TEXT,
    action    TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'start')),
    entity    TEXT NOT NULL
              CHECK (entity IN ('reading', 'tariff', 'apartment', 'meter', 'billing_run')),
    entity_id BIGINT NOT NULL,
    -- Denormalised so the page filters by house and meter without joins to
    -- rows that may be gone; NULL for default tariffs.
    house_id  BIGINT,
    meter_id  BIGINT,
    old       JSONB,
    new       JSONB
);
-- The page lists newest first (id order), optionally filtered by one of these.
CREATE INDEX audit_log_house_id_idx ON audit_log (house_id, id);
CREATE INDEX audit_log_meter_id_idx ON audit_log (meter_id, id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id);
-- Time ranges (and pruning old entries): BRIN costs next to nothing per row
-- on an append-only table whose `at` grows with its order.
CREATE INDEX audit_log_at_idx ON audit_log USING brin (at);
-- Finds an apartment's house after it is gone (see audit_meters).
CREATE INDEX audit_log_apartment_idx ON audit_log (entity_id) WHERE entity = 'apartment';

-- What each entry keeps of a row: the fields a user knows, months as
-- YYYY-MM and decimals as strings (as the API shows them); no timestamps,
-- so a statement that rewrites a row unchanged compares equal and logs nothing.
CREATE FUNCTION audit_reading_doc(r readings) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('meter_id', r.meter_id, 'period', to_char(r.period, 'YYYY-MM'),
                              'value', r.value::text, 'source', r.source)
$$;
CREATE FUNCTION audit_tariff_doc(r tariffs) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('service', r.service, 'price', r.price::text,
                              'valid_from', to_char(r.valid_from, 'YYYY-MM'),
                              'house_id', r.house_id)
$$;
CREATE FUNCTION audit_apartment_doc(r apartments) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('house_id', r.house_id, 'number', r.number,
                              'area', r.area::text)
$$;
CREATE FUNCTION audit_meter_doc(r meters) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('apartment_id', r.apartment_id, 'serial', r.serial,
                              'kind', r.kind, 'initial_reading', r.initial_reading::text,
                              'installed_on', r.installed_on)
$$;

CREATE FUNCTION audit_actor() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('kvartplata.actor', true), '')
$$;

-- One function per table serves its three triggers (a trigger with
-- transition tables may have only one event); each branch reads only the
-- transition tables its event has.
CREATE FUNCTION audit_readings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, meter_id, new)
        SELECT audit_actor(), 'create', 'reading', n.id, a.house_id, n.meter_id,
               audit_reading_doc(n)
        FROM new_rows n
        JOIN meters m ON m.id = n.meter_id
        JOIN apartments a ON a.id = m.apartment_id;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, meter_id, old, new)
        SELECT audit_actor(), 'update', 'reading', c.id, a.house_id, c.meter_id, c.old, c.new
        FROM (SELECT n.id, n.meter_id, audit_reading_doc(o) AS old, audit_reading_doc(n) AS new
              FROM old_rows o JOIN new_rows n ON n.id = o.id) c
        JOIN meters m ON m.id = c.meter_id
        JOIN apartments a ON a.id = m.apartment_id
        WHERE c.old IS DISTINCT FROM c.new;
    ELSE
        -- Readings block deleting their meter, so it is still there
        -- (LEFT JOINs all the same: an entry is never lost for want of a house).
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, meter_id, old)
        SELECT audit_actor(), 'delete', 'reading', o.id, a.house_id, o.meter_id,
               audit_reading_doc(o)
        FROM old_rows o
        LEFT JOIN meters m ON m.id = o.meter_id
        LEFT JOIN apartments a ON a.id = m.apartment_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION audit_tariffs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, new)
        SELECT audit_actor(), 'create', 'tariff', n.id, n.house_id, audit_tariff_doc(n)
        FROM new_rows n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, old, new)
        SELECT audit_actor(), 'update', 'tariff', c.id, c.house_id, c.old, c.new
        FROM (SELECT n.id, n.house_id, audit_tariff_doc(o) AS old, audit_tariff_doc(n) AS new
              FROM old_rows o JOIN new_rows n ON n.id = o.id) c
        WHERE c.old IS DISTINCT FROM c.new;
    ELSE
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, old)
        SELECT audit_actor(), 'delete', 'tariff', o.id, o.house_id, audit_tariff_doc(o)
        FROM old_rows o;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION audit_apartments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, new)
        SELECT audit_actor(), 'create', 'apartment', n.id, n.house_id, audit_apartment_doc(n)
        FROM new_rows n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, old, new)
        SELECT audit_actor(), 'update', 'apartment', c.id, c.house_id, c.old, c.new
        FROM (SELECT n.id, n.house_id, audit_apartment_doc(o) AS old, audit_apartment_doc(n) AS new
              FROM old_rows o JOIN new_rows n ON n.id = o.id) c
        WHERE c.old IS DISTINCT FROM c.new;
    ELSE
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, old)
        SELECT audit_actor(), 'delete', 'apartment', o.id, o.house_id, audit_apartment_doc(o)
        FROM old_rows o;
    END IF;
    RETURN NULL;
END
$$;

-- A meter's house is its apartment's. When an apartment is deleted its
-- meters go by cascade, and when their trigger runs the apartment row is
-- already gone: its house is then taken from the apartment's entries.
CREATE FUNCTION audit_meter_house(apartment BIGINT) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT COALESCE(
        (SELECT a.house_id FROM apartments a WHERE a.id = apartment),
        (SELECT l.house_id FROM audit_log l
         WHERE l.entity = 'apartment' AND l.entity_id = apartment
         ORDER BY l.id DESC LIMIT 1))
$$;

CREATE FUNCTION audit_meters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, meter_id, new)
        SELECT audit_actor(), 'create', 'meter', n.id, a.house_id, n.id, audit_meter_doc(n)
        FROM new_rows n
        JOIN apartments a ON a.id = n.apartment_id;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, meter_id, old, new)
        SELECT audit_actor(), 'update', 'meter', c.id, audit_meter_house(c.apartment_id), c.id,
               c.old, c.new
        FROM (SELECT n.id, n.apartment_id, audit_meter_doc(o) AS old, audit_meter_doc(n) AS new
              FROM old_rows o JOIN new_rows n ON n.id = o.id) c
        WHERE c.old IS DISTINCT FROM c.new;
    ELSE
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, meter_id, old)
        SELECT audit_actor(), 'delete', 'meter', o.id, audit_meter_house(o.apartment_id), o.id,
               audit_meter_doc(o)
        FROM old_rows o;
    END IF;
    RETURN NULL;
END
$$;

-- Only the start of a run is an act of a user; its progress is the workers'.
CREATE FUNCTION audit_billing_runs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (actor, action, entity, entity_id, house_id, new)
    SELECT audit_actor(), 'start', 'billing_run', n.id, n.house_id,
           jsonb_build_object('period', to_char(n.period, 'YYYY-MM'), 'status', n.status)
    FROM new_rows n;
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_readings_insert AFTER INSERT ON readings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_readings();
CREATE TRIGGER audit_readings_update AFTER UPDATE ON readings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_readings();
CREATE TRIGGER audit_readings_delete AFTER DELETE ON readings
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_readings();

CREATE TRIGGER audit_tariffs_insert AFTER INSERT ON tariffs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_tariffs();
CREATE TRIGGER audit_tariffs_update AFTER UPDATE ON tariffs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_tariffs();
CREATE TRIGGER audit_tariffs_delete AFTER DELETE ON tariffs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_tariffs();

CREATE TRIGGER audit_apartments_insert AFTER INSERT ON apartments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_apartments();
CREATE TRIGGER audit_apartments_update AFTER UPDATE ON apartments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_apartments();
CREATE TRIGGER audit_apartments_delete AFTER DELETE ON apartments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_apartments();

CREATE TRIGGER audit_meters_insert AFTER INSERT ON meters
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_meters();
CREATE TRIGGER audit_meters_update AFTER UPDATE ON meters
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_meters();
CREATE TRIGGER audit_meters_delete AFTER DELETE ON meters
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_meters();

CREATE TRIGGER audit_billing_runs_insert AFTER INSERT ON billing_runs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_billing_runs();
