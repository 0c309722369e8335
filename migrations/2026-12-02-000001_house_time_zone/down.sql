ALTER TABLE houses DROP COLUMN time_zone;
