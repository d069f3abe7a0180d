-- Users per funnel step over the last 7 days: view -> add_to_cart -> checkout -> purchase.
-- A user counts at a step once they reached it after reaching every earlier step (by occurred_at).
-- event_date and event_type are partition keys: the conditions on them read only the partitions needed.
WITH events AS (
  SELECT user_id, event_type, occurred_at
  FROM clickstream
  WHERE CAST(event_date AS date) >= current_date - INTERVAL '7' DAY
    AND event_type IN ('view', 'add_to_cart', 'checkout', 'purchase')
    AND user_id IS NOT NULL
),
viewed AS (
  SELECT user_id, min(occurred_at) AS reached_at
  FROM events
  WHERE event_type = 'view'
  GROUP BY user_id
),
added_to_cart AS (
  SELECT e.user_id, min(e.occurred_at) AS reached_at
  FROM events e
  JOIN viewed p ON e.user_id = p.user_id AND e.occurred_at >= p.reached_at
  WHERE e.event_type = 'add_to_cart'
  GROUP BY e.user_id
),
checked_out AS (
  SELECT e.user_id, min(e.occurred_at) AS reached_at
  FROM events e
  JOIN added_to_cart p ON e.user_id = p.user_id AND e.occurred_at >= p.reached_at
  WHERE e.event_type = 'checkout'
  GROUP BY e.user_id
),
purchased AS (
  SELECT e.user_id, min(e.occurred_at) AS reached_at
  FROM events e
  JOIN checked_out p ON e.user_id = p.user_id AND e.occurred_at >= p.reached_at
  WHERE e.event_type = 'purchase'
  GROUP BY e.user_id
),
funnel AS (
  SELECT 1 AS step_number, 'view' AS step, count(*) AS users FROM viewed
  UNION ALL SELECT 2, 'add_to_cart', count(*) FROM added_to_cart
  UNION ALL SELECT 3, 'checkout', count(*) FROM checked_out
  UNION ALL SELECT 4, 'purchase', count(*) FROM purchased
)
SELECT
  step,
  users,
  round(100.0 * users / nullif(first_value(users) OVER (ORDER BY step_number), 0), 1) AS percent_of_viewers
FROM funnel
ORDER BY step_number
