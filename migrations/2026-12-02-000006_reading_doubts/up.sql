-- The readings saved with a warning (consumption above three times the
-- meter's average and above 1 m³), as judged when they were saved: the
-- dashboard lists those of each house's current period. Saving a reading
-- again judges it again.
CREATE TABLE reading_doubts (
    meter_id BIGINT NOT NULL REFERENCES meters (id) ON DELETE CASCADE,
    period   DATE NOT NULL CHECK (EXTRACT(DAY FROM period) = 1),
    PRIMARY KEY (meter_id, period)
);
CREATE INDEX reading_doubts_period_idx ON reading_doubts (period);
