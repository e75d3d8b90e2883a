-- Channel display names (Data page; store table channel_names): every channel of the
-- article log and every named one, with its English and Chinese name (NULL: the code).
WITH d AS (SELECT DISTINCT channel FROM articles),
c AS (SELECT channel FROM d UNION SELECT channel FROM channel_names)
SELECT c.channel, n.name_en, n.name_zh, d.channel IS NOT NULL AS in_data
FROM c
LEFT JOIN channel_names AS n ON n.channel = c.channel
LEFT JOIN d ON d.channel = c.channel
ORDER BY d.channel IS NULL, c.channel;
