-- Every annotation (contentroi/annotations.py), oldest first; channel NULL = every channel.
SELECT annotation_id, date_from, date_to, channel, kind, note
FROM annotations
ORDER BY date_from, date_to, annotation_id;
