-- Billing by the rules of ПП 354 (docs/billing.md): each line keeps how it
-- was found (method), the increasing coefficient that raised it and the
-- part of the amount it added; each run keeps the normatives and
-- coefficients it billed at, as it keeps its prices; and every counting
-- meter's volume of a billed month is kept, the history later months'
-- averages and "virtual readings" read.

-- Lines billed before: water by readings, maintenance by area.
ALTER TABLE charges
    ADD COLUMN method TEXT NOT NULL DEFAULT 'actual'
        CHECK (method IN ('actual', 'average', 'normative', 'mixed', 'sum', 'area')),
    ADD COLUMN coefficient NUMERIC(6, 2) CHECK (coefficient >= 1),
    ADD COLUMN excess NUMERIC(14, 2) NOT NULL DEFAULT 0;
UPDATE charges SET method = 'area' WHERE service = 'maintenance';
ALTER TABLE charges ALTER COLUMN method DROP DEFAULT;

-- The services a run bills, as the house named them when it started (NULL
-- for runs before: they bill the house's services).
ALTER TABLE billing_runs ADD COLUMN services TEXT[]
    CHECK (services <@ ARRAY['cold_water', 'hot_water', 'sewerage', 'maintenance']);

-- Per water service of the house: N (m³ per person per month) and K (1
-- when none is in effect).
CREATE TABLE billing_run_rates (
    run_id      BIGINT NOT NULL REFERENCES billing_runs (id) ON DELETE CASCADE,
    service     TEXT NOT NULL CHECK (service IN ('cold_water', 'hot_water')),
    normative   NUMERIC(10, 4) NOT NULL CHECK (normative > 0),
    normative_from DATE NOT NULL,
    coefficient NUMERIC(6, 2) NOT NULL CHECK (coefficient >= 1),
    PRIMARY KEY (run_id, service)
);

-- What each counting meter contributed to a month's bill (without K).
CREATE TABLE meter_volumes (
    meter_id BIGINT NOT NULL REFERENCES meters (id) ON DELETE CASCADE,
    period   DATE NOT NULL CHECK (EXTRACT(DAY FROM period) = 1),
    method   TEXT NOT NULL CHECK (method IN ('actual', 'average', 'normative')),
    volume   NUMERIC(14, 4) NOT NULL,
    run_id   BIGINT NOT NULL REFERENCES billing_runs (id) ON DELETE CASCADE,
    PRIMARY KEY (meter_id, period)
);
CREATE INDEX meter_volumes_run_id_idx ON meter_volumes (run_id);
