-- The zone a house's times are shown in (IANA name, one of
-- domain::TimeZone); the houses before it showed Moscow time.
ALTER TABLE houses ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Moscow';
