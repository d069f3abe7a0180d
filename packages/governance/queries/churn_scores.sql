-- The 100 customers most likely to churn, from the latest batch scoring run.
SELECT
  customer_id,
  churn_probability,
  scored_at
FROM churn_predictions
WHERE scored_at = (SELECT max(scored_at) FROM churn_predictions)
ORDER BY churn_probability DESC, customer_id
LIMIT 100
