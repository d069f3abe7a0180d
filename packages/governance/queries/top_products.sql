-- The 10 products viewed by the most users over the last 7 days, with how many of those users
-- added them to the cart and bought them (processed clickstream).
SELECT
  product_id,
  count(DISTINCT user_id) FILTER (WHERE event_type = 'view') AS viewers,
  count(DISTINCT user_id) FILTER (WHERE event_type = 'add_to_cart') AS added_to_cart,
  count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') AS buyers
FROM clickstream
-- event_date is a partition key: the condition reads only the last week's partitions.
WHERE CAST(event_date AS date) >= current_date - INTERVAL '7' DAY
  AND product_id IS NOT NULL
GROUP BY product_id
ORDER BY viewers DESC
LIMIT 10
