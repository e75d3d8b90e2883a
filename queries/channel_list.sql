-- Every channel in the article log, for the channel filter.
SELECT DISTINCT channel FROM articles ORDER BY channel;
