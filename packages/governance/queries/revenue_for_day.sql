-- Revenue per customer country on one day, highest first.
-- Run as: EXECUTE revenue_for_day USING DATE '2026-01-31'
SELECT
  r.country,
  r.country_revenue AS revenue
FROM daily_revenue
CROSS JOIN UNNEST(revenue_by_country) AS r (country, country_revenue)
WHERE order_date = ?
ORDER BY revenue DESC
