-- v_feed_daily converted every fetch's time to UTC through the time-zone library (timezone('UTC', fetched_at)) to
-- find its UTC day: 3.7 s for a year of 60 feeds polled every 15 minutes (2.1M fetches), against 0.02 s for a day's.
-- The UTC day of a TIMESTAMPTZ is its microseconds since the epoch floor-divided by a day's, whatever the session's
-- TimeZone: the same days, 0.25 s (docs/benchmarks.md, "A year of unattended ingestion"). The view is 0049's
-- otherwise; its comments are restated (CREATE OR REPLACE drops them).
CREATE OR REPLACE VIEW v_feed_daily AS
WITH polls AS (  -- not sent: the run's fetch budget ran out (deferred), or its host had asked for a pause (a
                 -- rate_limited without a status: feeds.schedule treats both as no fault of the feed)
    SELECT *, outcome = 'deferred' OR (outcome = 'rate_limited' AND status_code IS NULL) AS not_sent FROM fetches
)
SELECT feed_id,
       DATE '1970-01-01' + CAST(fdiv(epoch_us(fetched_at), 86400000000) AS INTEGER) AS day,
       count(*) FILTER (WHERE NOT not_sent) AS fetches,
       count(*) FILTER (WHERE outcome IN ('ok', 'not_modified', 'unchanged')) AS successes,
       count(*) FILTER (WHERE NOT not_sent AND outcome NOT IN ('ok', 'not_modified', 'unchanged')) AS failures,
       count(*) FILTER (WHERE not_sent) AS deferred,
       CAST(coalesce(sum(entries) FILTER (WHERE outcome = 'ok'), 0) AS BIGINT) AS entries,
       CAST(coalesce(sum(new_articles), 0) AS BIGINT) AS new_articles,
       CAST(sum(bytes) AS BIGINT) AS bytes
FROM polls
GROUP BY ALL;
COMMENT ON VIEW v_feed_daily IS 'Feed x UTC day of the runs that fetched it (fetches.fetched_at): fetches, failures and the articles it brought. Days without a run are absent. For articles by publication day, count article_feeds.day instead.';
COMMENT ON COLUMN v_feed_daily.feed_id IS 'Feed (feeds.feed_id).';
COMMENT ON COLUMN v_feed_daily.day IS 'UTC day of the run (fetches.fetched_at is its start).';
COMMENT ON COLUMN v_feed_daily.fetches IS 'Fetches sent (deferred polls, never sent, are not counted).';
COMMENT ON COLUMN v_feed_daily.successes IS 'Fetches with outcome ok, not_modified or unchanged.';
COMMENT ON COLUMN v_feed_daily.failures IS 'Fetches with outcome soft_fail, gone, rate_limited, error or rejected (fetches.error says why).';
COMMENT ON COLUMN v_feed_daily.deferred IS 'Polls a run left for a later one, not sent: its fetch budget was spent (outcome deferred), or the feed''s host had asked for a pause (rate_limited without a status; error starts with "deferred:").';
COMMENT ON COLUMN v_feed_daily.entries IS 'Entries in the documents parsed (outcome ok); 0 on a day of only unchanged documents.';
COMMENT ON COLUMN v_feed_daily.new_articles IS 'Entries that became new articles (fetches.new_articles): what the feed added that day, dated by arrival, not publication.';
COMMENT ON COLUMN v_feed_daily.bytes IS 'Body bytes received (fetches.bytes); NULL when no fetch of the day sent a request or they are demo or import runs.';
