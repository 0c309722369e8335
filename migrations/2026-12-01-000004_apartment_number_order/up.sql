-- Apartments are listed in natural number order (2 before 10, "12А" after
-- 12). Computing the leading number with a regular expression for every
-- apartment of a house, then sorting them all, was most of a house page's
-- time; stored and indexed, a page of 50 is read off the index.
ALTER TABLE apartments
    ADD COLUMN number_order numeric
    GENERATED ALWAYS AS (substring(number from '^[0-9]+')::numeric) STORED;

CREATE INDEX apartments_house_number_order_idx
    ON apartments (house_id, number_order, number, id);
