ALTER TABLE billing_runs DROP COLUMN started_by;
DROP TABLE api_tokens;
DROP TABLE users;
