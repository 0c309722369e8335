-- The language each user reads the interface in; Russian unless they
-- choose English.
ALTER TABLE users
    ADD COLUMN locale text NOT NULL DEFAULT 'ru' CHECK (locale IN ('ru', 'en'));
