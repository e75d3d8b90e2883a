-- The record of every upload, newest first.
SELECT upload_id, log, file_name, uploaded_at, source, encoding, delimiter, sheet,
       rows_read, accepted, rejected, duplicates, updated
FROM uploads
ORDER BY upload_id DESC
LIMIT 500;
