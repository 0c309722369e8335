-- A run's amount is its lines and its penalties, as its results list them
-- (docs/billing.md, "Penalties"); runs billed before gain the penalties
-- they still hold (one a newer run replaced is lost to its old run).
UPDATE billing_runs r SET amount = r.amount + p.amount
FROM (SELECT run_id, sum(amount) AS amount FROM penalties GROUP BY run_id) p
WHERE r.id = p.run_id;
