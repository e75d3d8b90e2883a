-- One article's funnel and window status (the /articles detail), one row:
-- joins, contacted, paid, paid_without_contact exactly as report_articles;
-- open_users: users still inside the window who may yet convert (not paid, not
-- paid without contact, t0 + W after "now"); open_contacted: those of them
-- already contacted; dropped_users: not paid, not paid without contact, window
-- closed. now_at is the latest event in the store (data_now(), models/05_now.sql):
-- "now" is a property of the data, not of the clock, so links are reproducible.
-- joins = paid + paid_without_contact + open_users + dropped_users.
SELECT
    count(*) AS joins,
    count(*) FILTER (WHERE first_contact IS NOT NULL) AS contacted,
    count(*) FILTER (WHERE stage = 'paid') AS paid,
    count(*) FILTER (WHERE stage = 'paid_without_contact') AS paid_without_contact,
    count(*) FILTER (WHERE in_window) AS open_users,
    count(*) FILTER (WHERE stage = 'contacted_open') AS open_contacted,
    count(*) FILTER (WHERE stage IN ('contacted_dropped', 'joined_dropped')) AS dropped_users,
    data_now() AS now_at
FROM (
    SELECT
        f.t1 AS first_contact,
        CASE
            WHEN f.paid THEN 'paid'
            WHEN f.paid_without_contact THEN 'paid_without_contact'
            WHEN f.contacted AND f.t_end > n.now_at THEN 'contacted_open'
            WHEN f.contacted THEN 'contacted_dropped'
            WHEN f.t_end > n.now_at THEN 'joined_open'
            ELSE 'joined_dropped'
        END AS stage,
        (NOT f.paid AND NOT f.paid_without_contact AND f.t_end > n.now_at) AS in_window
    FROM fct_funnel($window_days) AS f
    CROSS JOIN (SELECT data_now() AS now_at) AS n
    WHERE f.article_id = CAST($article_id AS VARCHAR)
);
