-- A run bills one state of its inputs: the prices in effect when it started
-- are kept with it, and a later change to its house and month's inputs
-- marks it stale instead of silently mixing two states.
ALTER TABLE billing_runs ADD COLUMN stale_at TIMESTAMPTZ;

-- The price per service a run bills at, copied from the tariff in effect
-- when it was started (runs started before this table existed have none and
-- bill at the tariffs in effect).
CREATE TABLE billing_run_prices (
    run_id     BIGINT NOT NULL REFERENCES billing_runs (id) ON DELETE CASCADE,
    service    TEXT NOT NULL CHECK (service IN ('cold_water', 'hot_water', 'maintenance')),
    -- No foreign key: the run keeps its price even if the tariff is deleted
    -- (the run is then stale; charges still refer to tariffs).
    tariff_id  BIGINT NOT NULL,
    price      NUMERIC(12, 4) NOT NULL,
    valid_from DATE NOT NULL CHECK (EXTRACT(DAY FROM valid_from) = 1),
    PRIMARY KEY (run_id, service)
);
