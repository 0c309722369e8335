-- A house's closed months: every month up to and including closed_through
-- (none while NULL). A closed month's readings, runs and charges never
-- change; the first month after it is the house's current period.
ALTER TABLE houses ADD COLUMN closed_through DATE
    CHECK (closed_through = date_trunc('month', closed_through)::date);

-- Houses join the audited entities, so closing and reopening a month (and
-- a new address or time zone) say who and when.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check CHECK (entity IN (
    'reading', 'tariff', 'apartment', 'meter', 'billing_run', 'user', 'api_token', 'house'));

CREATE FUNCTION audit_house_doc(r houses) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('address', r.address, 'time_zone', r.time_zone,
                              'closed_through', to_char(r.closed_through, 'YYYY-MM'))
$$;

CREATE FUNCTION audit_houses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, new)
        SELECT audit_actor(), 'create', 'house', n.id, n.id, audit_house_doc(n)
        FROM new_rows n;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, old, new)
        SELECT audit_actor(), 'update', 'house', c.id, c.id, c.old, c.new
        FROM (SELECT n.id, audit_house_doc(o) AS old, audit_house_doc(n) AS new
              FROM old_rows o JOIN new_rows n ON n.id = o.id) c
        WHERE c.old IS DISTINCT FROM c.new;
    ELSE
        INSERT INTO audit_log (actor, action, entity, entity_id, house_id, old)
        SELECT audit_actor(), 'delete', 'house', o.id, o.id, audit_house_doc(o)
        FROM old_rows o;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_houses_insert AFTER INSERT ON houses
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_houses();
CREATE TRIGGER audit_houses_update AFTER UPDATE ON houses
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_houses();
CREATE TRIGGER audit_houses_delete AFTER DELETE ON houses
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_houses();
