-- Why a failed run failed, as a kind (domain::RunFailure) the pages say in
-- their language; `error` keeps the English sentence the API answers.
ALTER TABLE billing_runs ADD COLUMN failure TEXT;
