DROP TABLE billing_run_prices;
ALTER TABLE billing_runs DROP COLUMN stale_at;
