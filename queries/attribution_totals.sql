-- The Attribution page's tiles: the selected articles and their attributed (under
-- $model) and unattributed revenue, as report_totals gives them (the same sel_money and
-- article selection), without report_totals' funnel counts (joins, contacts, paid:
-- most of its time), which the page does not show.
SELECT
    (SELECT count(*)
     FROM sel_articles(CAST($date_from AS DATE), CAST($date_to AS DATE), CAST($channels AS VARCHAR[]))) AS articles,
    money(coalesce(revenue, 0)) AS revenue,
    money(coalesce(unattributed, 0)) AS unattributed_revenue
FROM sel_money($window_days, CAST($model AS VARCHAR), $date_from, $date_to, CAST($channels AS VARCHAR[]));
