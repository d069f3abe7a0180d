-- Revenue of the last 30 days: orders, customers and revenue per day, newest first.
-- order_month (yyyy-MM) is the partition key: the first condition reads only the months needed.
SELECT
  order_date,
  orders,
  customers,
  revenue
FROM daily_revenue
WHERE order_month >= date_format(CAST(current_date - INTERVAL '30' DAY AS timestamp), '%Y-%m')
  AND order_date >= current_date - INTERVAL '30' DAY
ORDER BY order_date DESC
