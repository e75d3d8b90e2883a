-- Contact events of the sales log.
CREATE OR REPLACE TABLE stg_contacts AS
SELECT user_id, occurred_at AS contacted_at, rep
FROM sales
WHERE event = 'contact' AND inc_user(user_id);
