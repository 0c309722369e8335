DROP TABLE meter_volumes;
DROP TABLE billing_run_rates;
ALTER TABLE billing_runs DROP COLUMN services;
ALTER TABLE charges DROP COLUMN excess, DROP COLUMN coefficient, DROP COLUMN method;
