-- One page of the /articles leaderboard (issue 12: a page of rows, not all of them).
-- Reads the table `hit`: the rows of article_rows for the view's filters that its
-- search finds (article_search.sql), registered by the runner (contentroi/sql.py
-- run_on), so every figure here is report_articles' own. Sorts by $sort_key (one of
-- viewstate.SORTABLE; $sort_desc: descending), nulls last; for a rate, articles whose
-- denominator (the column $denom, from contentroi/metrics.py; NULL for other keys) is
-- under $min_n (too few to judge) come after the judged ones; ties by article_id.
-- Returns $limit rows from $offset, with `small` (the row's "too few" marker: the
-- sorted rate's denominator, else report_articles' small_sample) and the rates' 95%
-- Wilson intervals (funnel_intervals, as report_articles has them), computed for these
-- rows only.
WITH k AS (
    SELECT *,
        CASE CAST($denom AS VARCHAR)
            WHEN 'reads' THEN coalesce(reads, 0) < $min_n
            WHEN 'joins' THEN coalesce(joins, 0) < $min_n
            WHEN 'contacted' THEN coalesce(contacted, 0) < $min_n
        END AS rate_small,
        CASE CAST($sort_key AS VARCHAR)
            WHEN 'revenue' THEN CAST(revenue AS DOUBLE)
            WHEN 'paid' THEN CAST(paid AS DOUBLE)
            WHEN 'joins' THEN CAST(joins AS DOUBLE)
            WHEN 'contacted' THEN CAST(contacted AS DOUBLE)
            WHEN 'reads' THEN CAST(reads AS DOUBLE)
            WHEN 'cost' THEN CAST(cost AS DOUBLE)
            WHEN 'roi' THEN CAST(roi AS DOUBLE)
            WHEN 'cost_per_paid' THEN CAST(cost_per_paid AS DOUBLE)
            WHEN 'overall_rate' THEN CAST(overall_rate AS DOUBLE)
            WHEN 'join_rate' THEN CAST(join_rate AS DOUBLE)
            WHEN 'contact_rate' THEN CAST(contact_rate AS DOUBLE)
            WHEN 'pay_rate' THEN CAST(pay_rate AS DOUBLE)
            WHEN 'published_at' THEN CAST(epoch_us(published_at) AS DOUBLE)
            WHEN 'revenue_per_1k_reads' THEN CAST(revenue_per_1k_reads AS DOUBLE)
            WHEN 'median_days_to_pay' THEN CAST(median_days_to_pay AS DOUBLE)
        END AS num_key,
        CASE CAST($sort_key AS VARCHAR)
            WHEN 'title' THEN title
            WHEN 'channel' THEN channel
            WHEN 'author' THEN author
        END AS txt_key
    FROM hit
),
o AS (  -- the order, as columns: the page's rows are picked by it, then shown in it
    SELECT * EXCLUDE (num_key, txt_key),
           coalesce(rate_small, false) AS o_small,
           CASE WHEN NOT $sort_desc THEN num_key END AS o_num_asc,
           CASE WHEN $sort_desc THEN num_key END AS o_num_desc,
           CASE WHEN NOT $sort_desc THEN txt_key END AS o_txt_asc,
           CASE WHEN $sort_desc THEN txt_key END AS o_txt_desc
    FROM k
),
pg AS (
    SELECT * FROM o
    ORDER BY o_small, o_num_asc ASC NULLS LAST, o_num_desc DESC NULLS LAST,
             o_txt_asc ASC NULLS LAST, o_txt_desc DESC NULLS LAST, article_id
    LIMIT $limit OFFSET $offset
)
SELECT * EXCLUDE (small_sample, rate_small, o_small, o_num_asc, o_num_desc, o_txt_asc, o_txt_desc),
       unnest(funnel_intervals(reads, joins, contacted, paid)), small_sample,  -- report_articles' columns
       coalesce(rate_small, small_sample) AS small
FROM pg
ORDER BY o_small, o_num_asc ASC NULLS LAST, o_num_desc DESC NULLS LAST,
         o_txt_asc ASC NULLS LAST, o_txt_desc DESC NULLS LAST, article_id;
