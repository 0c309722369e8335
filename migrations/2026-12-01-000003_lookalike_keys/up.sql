-- Apartment numbers and meter serials are compared through one key, so that
-- 28А (Cyrillic), 28A (Latin) and 28а are one apartment and ХВ-000201 typed
-- with Latin X and B is the same meter. What people typed stays in number
-- and serial for display; number_key and serial_key carry the key.
--
-- The key (kept equal to domain::lookalike_key, a test checks both): trim,
-- upper-case Latin and Cyrillic letters, map the Cyrillic capitals drawn
-- like Latin ones to the Latin letter. The letters are listed rather than
-- left to upper(), whose result depends on the database's locale.
CREATE FUNCTION lookalike_key(raw TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT translate(
        translate(btrim(raw, E' \t\r\n'),
            'abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюя',
            'ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ'),
        'АВЕКМНОРСТХУ',
        'ABEKMHOPCTXY')
$$;

-- The keys are kept by triggers (every writer, COPY and psql included) and
-- recomputed only when the text changes: a row left with a clash below keeps
-- its marked key until someone renames it.
CREATE FUNCTION apartments_set_number_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.number IS DISTINCT FROM OLD.number THEN
        NEW.number_key := lookalike_key(NEW.number);
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION meters_set_serial_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.serial IS DISTINCT FROM OLD.serial THEN
        NEW.serial_key := lookalike_key(NEW.serial);
    END IF;
    RETURN NEW;
END
$$;

ALTER TABLE apartments ADD COLUMN number_key TEXT;
UPDATE apartments SET number_key = lookalike_key(number);
ALTER TABLE meters ADD COLUMN serial_key TEXT;
UPDATE meters SET serial_key = lookalike_key(serial);

-- A database may already hold look-alike twins. The upgrade must not fail on
-- them, nor guess which one is right: it names every group in a WARNING (in
-- the server log and the migrating process's output), keeps the first row
-- (lowest id) under the key, and marks the later ones' keys with a control
-- character and their id, which no typed number or serial can contain. The
-- marked rows keep working and can be found by search; renaming one (or
-- deleting it) puts it back under the unique index.
DO $$
DECLARE
    clash RECORD;
BEGIN
    FOR clash IN
        SELECT house_id, string_agg(format('%L (id %s)', number, id), ', ' ORDER BY id) AS rows
        FROM apartments GROUP BY house_id, number_key HAVING count(*) > 1
        ORDER BY house_id, min(id)
    LOOP
        RAISE WARNING 'house %: apartments % have numbers that differ only in case or look-alike letters; the later ones stay as they are until renamed',
            clash.house_id, clash.rows;
    END LOOP;
    FOR clash IN
        SELECT string_agg(format('%L (id %s)', serial, id), ', ' ORDER BY id) AS rows
        FROM meters GROUP BY serial_key HAVING count(*) > 1
        ORDER BY min(id)
    LOOP
        RAISE WARNING 'meters % have serials that differ only in case or look-alike letters; the later ones stay as they are until renamed',
            clash.rows;
    END LOOP;
END
$$;

UPDATE apartments a SET number_key = a.number_key || E'\x1f' || a.id
FROM (SELECT id, row_number() OVER (PARTITION BY house_id, number_key ORDER BY id) AS nth
      FROM apartments) d
WHERE d.id = a.id AND d.nth > 1;
UPDATE meters m SET serial_key = m.serial_key || E'\x1f' || m.id
FROM (SELECT id, row_number() OVER (PARTITION BY serial_key ORDER BY id) AS nth FROM meters) d
WHERE d.id = m.id AND d.nth > 1;

ALTER TABLE apartments ALTER COLUMN number_key SET NOT NULL;
ALTER TABLE meters ALTER COLUMN serial_key SET NOT NULL;

-- The same names as the constraints they replace: the services turn their
-- violations into "already exists" messages by these names.
ALTER TABLE apartments DROP CONSTRAINT apartments_house_id_number_key;
CREATE UNIQUE INDEX apartments_house_id_number_key ON apartments (house_id, number_key);
ALTER TABLE meters DROP CONSTRAINT meters_serial_key;
CREATE UNIQUE INDEX meters_serial_key ON meters (serial_key);

CREATE TRIGGER apartments_number_key BEFORE INSERT OR UPDATE OF number ON apartments
    FOR EACH ROW EXECUTE FUNCTION apartments_set_number_key();
CREATE TRIGGER meters_serial_key BEFORE INSERT OR UPDATE OF serial ON meters
    FOR EACH ROW EXECUTE FUNCTION meters_set_serial_key();
