ALTER TABLE billing_runs DROP COLUMN failure;
