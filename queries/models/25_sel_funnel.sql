-- Funnel rows of the selected articles, with the article's channel.
CREATE OR REPLACE MACRO sel_funnel(window_days, date_from, date_to, channels) AS TABLE
SELECT f.*, a.channel
FROM fct_funnel(window_days) AS f
JOIN sel_articles(date_from, date_to, channels) AS a ON a.article_id = f.article_id;

-- A rate: null, never 0 and never an error, when the denominator is 0 or unknown.
CREATE OR REPLACE MACRO rate(n, d) AS round(CAST(n AS DOUBLE) / nullif(d, 0), 4);
-- Money, rounded to the cent.
CREATE OR REPLACE MACRO money(x) AS CAST(round(x, 2) AS DOUBLE);
