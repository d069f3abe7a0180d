-- The 100 customers most likely to churn, from the latest batch scoring run (scored_date is the
-- partition the crawler adds for each run).
SELECT
  customer_id,
  churn_probability,
  scored_date
FROM churn_predictions
WHERE scored_date = (SELECT max(scored_date) FROM churn_predictions)
ORDER BY churn_probability DESC, customer_id
LIMIT 100
