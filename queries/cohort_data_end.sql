-- How far the cohorts' revenue is known (models/50_cohorts.sql): the latest sales
-- event, else the latest join; NULL for an empty store.
SELECT cohort_data_end() AS data_end;
