DROP TABLE charges;
DROP TABLE billing_runs;
