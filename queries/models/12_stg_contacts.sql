-- Contact events of the sales log.
CREATE OR REPLACE TABLE stg_contacts AS
SELECT user_id, occurred_at AS contacted_at, rep
FROM inc_log('sales')
WHERE event = 'contact';
