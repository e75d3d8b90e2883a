-- Wilson score interval (95%, z = 1.959963984540054, z^2 = 3.841458820694124)
-- for a rate k / n, rounded to 4 decimals like rate(). Null when n is 0 or
-- unknown. k / n is clamped to [0, 1] first (reads may be under-reported, so
-- joins > reads can happen), and so are the bounds.
--   centre    = (p + z^2 / 2n) / (1 + z^2 / n)
--   half-width = z * sqrt(p (1 - p) / n + z^2 / 4n^2) / (1 + z^2 / n)
CREATE OR REPLACE MACRO wilson_p(k, n) AS least(1.0, greatest(0.0, CAST(k AS DOUBLE) / n));
CREATE OR REPLACE MACRO wilson_bound(k, n, sgn) AS
    CASE WHEN k IS NULL OR n IS NULL OR n <= 0 THEN CAST(NULL AS DOUBLE)
    ELSE round(least(1.0, greatest(0.0,
        (wilson_p(k, n) + 3.841458820694124 / (2.0 * n)
         + sgn * 1.959963984540054
           * sqrt(wilson_p(k, n) * (1.0 - wilson_p(k, n)) / n + 3.841458820694124 / (4.0 * n * n)))
        / (1.0 + 3.841458820694124 / n))), 4)
    END;
CREATE OR REPLACE MACRO wilson_lo(k, n) AS wilson_bound(k, n, -1.0);
CREATE OR REPLACE MACRO wilson_hi(k, n) AS wilson_bound(k, n, 1.0);
