-- A date of exactly 1970-01-01T00:00:00Z (Unix time 0: a zero or NULL timestamp written out as a date) is read as no
-- date from now on: it filed articles on 1970-01-01 and started v_coverage_daily there. Articles stored with it keep
-- it (stored articles are immutable); only the column comments change.
COMMENT ON COLUMN articles.date_quality IS 'ok, missing, unparseable (also dates before 1900, and Unix time 0, 1970-01-01T00:00:00Z, since migration 0030) or future (published_at more than a day ahead of first_seen_at; filed under the day first seen).';
COMMENT ON COLUMN v_articles.date_quality IS 'ok, missing, unparseable (also dates before 1900, and Unix time 0, 1970-01-01T00:00:00Z, since migration 0030) or future (published_at more than a day ahead of first_seen_at; filed under the day first seen).';
