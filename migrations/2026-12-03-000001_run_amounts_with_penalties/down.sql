-- The amounts of lines alone again.
UPDATE billing_runs r SET amount = r.amount - p.amount
FROM (SELECT run_id, sum(amount) AS amount FROM penalties GROUP BY run_id) p
WHERE r.id = p.run_id;
