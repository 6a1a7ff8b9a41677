-- From this version an article whose date lies more than a day ahead of when it was first seen (date_quality
-- 'future': clock skew, time-zone bugs, "9999-12-31" placeholders) is filed under the day it was first seen,
-- so one article "from 2100" no longer moves every "latest day". Articles already filed under a future day keep
-- it: stored articles are immutable. Dates before 1900 (.NET's 0001-01-01 "no date") now count as unparseable.
COMMENT ON COLUMN articles.day IS 'UTC day of published_at, else (published_at missing, unreadable or flagged future) of first_seen_at: the day every daily series uses.';
COMMENT ON COLUMN v_articles.day IS 'UTC day of published_at, else (published_at missing, unreadable or flagged future) of first_seen_at: the day every daily series uses.';
COMMENT ON COLUMN articles.date_quality IS 'ok, missing, unparseable (also dates before 1900) or future (published_at more than a day ahead of first_seen_at; filed under the day first seen).';
