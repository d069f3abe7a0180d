-- Revenue per customer country over the last 30 days, highest first.
-- revenue_by_country maps each country to its revenue of the day; UNNEST turns it into rows.
SELECT
  r.country,
  sum(r.country_revenue) AS revenue,
  count(*) AS days_with_orders
FROM daily_revenue
CROSS JOIN UNNEST(revenue_by_country) AS r (country, country_revenue)
WHERE order_month >= date_format(CAST(current_date - INTERVAL '30' DAY AS timestamp), '%Y-%m')
  AND order_date >= current_date - INTERVAL '30' DAY
GROUP BY r.country
ORDER BY revenue DESC
