-- Back to exact-text uniqueness; look-alike twins saved meanwhile differ in
-- their text, so the old constraints hold again.
DROP TRIGGER meters_serial_key ON meters;
DROP TRIGGER apartments_number_key ON apartments;
DROP INDEX meters_serial_key;
ALTER TABLE meters ADD CONSTRAINT meters_serial_key UNIQUE (serial);
DROP INDEX apartments_house_id_number_key;
ALTER TABLE apartments ADD CONSTRAINT apartments_house_id_number_key UNIQUE (house_id, number);
ALTER TABLE meters DROP COLUMN serial_key;
ALTER TABLE apartments DROP COLUMN number_key;
DROP FUNCTION meters_set_serial_key();
DROP FUNCTION apartments_set_number_key();
DROP FUNCTION lookalike_key(TEXT);
