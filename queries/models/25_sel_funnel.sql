-- Funnel rows of the selected articles, with the article's channel.
CREATE OR REPLACE MACRO sel_funnel(window_days, date_from, date_to, channels) AS TABLE
SELECT f.*, a.channel
FROM fct_funnel(window_days) AS f
JOIN sel_articles(date_from, date_to, channels) AS a ON a.article_id = f.article_id;

-- (rate(), money() and every named measure: 35_metrics.sql, the metrics layer)
