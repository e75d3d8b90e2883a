-- The two windows a comparison uses (drops on the overview, the ranking race
-- on /channels). One row: basis, cur_from, cur_to, prev_from, prev_to.
--   basis 'period'        a full period [from, to] is selected: it is compared
--                         with the period of equal length just before it.
--   basis 'weeks_mature'  no full period: the 4 latest complete ISO weeks
--                         (Monday-Sunday) vs the 4 weeks before. A week is
--                         complete when its last user's conversion window of W
--                         days has passed by the last moment in the data
--                         (week's Sunday + 1 day + W <= last event), so recent
--                         cohorts that are still converting are not compared.
--   basis 'weeks'         as above, counting a week complete once it is over
--                         (used when there is not enough history for the first).
--   basis 'none'          not 8 weeks of history: nothing to compare.
WITH b AS (
    SELECT
        (SELECT min(CAST(published_at AS DATE)) FROM articles) AS first_day,
        data_now() AS last_at
),
e AS (
    SELECT first_day,
           CAST(last_at - to_days(CAST($window_days AS INTEGER) + 1) AS DATE) AS mature_end,
           CAST(last_at - to_days(1) AS DATE) AS plain_end
    FROM b
),
s AS (  -- the last Sunday on or before each end
    SELECT first_day,
           mature_end - CAST(isodow(mature_end) % 7 AS INTEGER) AS mature_sun,
           plain_end - CAST(isodow(plain_end) % 7 AS INTEGER) AS plain_sun
    FROM e
),
pick AS (
    SELECT CASE
               WHEN CAST($date_from AS DATE) IS NOT NULL AND CAST($date_to AS DATE) IS NOT NULL THEN 'period'
               WHEN mature_sun - 55 >= first_day THEN 'weeks_mature'
               WHEN plain_sun - 55 >= first_day THEN 'weeks'
               ELSE 'none'
           END AS basis,
           mature_sun, plain_sun
    FROM s
),
w AS (
    SELECT basis,
           CASE basis
               WHEN 'period' THEN CAST($date_from AS DATE)
               WHEN 'weeks_mature' THEN mature_sun - 27
               WHEN 'weeks' THEN plain_sun - 27
           END AS cur_from,
           CASE basis
               WHEN 'period' THEN CAST($date_to AS DATE)
               WHEN 'weeks_mature' THEN mature_sun
               WHEN 'weeks' THEN plain_sun
           END AS cur_to
    FROM pick
)
SELECT basis, cur_from, cur_to,
       cur_from - CAST(cur_to - cur_from + 1 AS INTEGER) AS prev_from,
       cur_from - 1 AS prev_to
FROM w;
