-- A gone feed (HTTP 410) that is also disabled was still told "`feeds disable ID` stops counting it": it is not
-- counted, and already disabled. Its reason now offers `feeds enable` alone.
-- A pause_until more than 24 h 5 min ahead (schedule.MAX_PAUSE + CLOCK_TOLERANCE: no server may ask for longer, a
-- clock that ran ahead set it) holds nothing for the scheduler since `host_blocks` ignores it, but the feed still
-- showed paused, in `feeds list`, on the Feeds page and in status's paused_feeds, until that far date. Such a feed
-- is judged as if unpaused now (degraded, say, as the scheduler polls it). The literal is that Python sum, tied to
-- it by tests/test_feed_health.py. The view is 0052's otherwise; its comments are restated (CREATE OR REPLACE drops
-- them).
CREATE OR REPLACE VIEW v_feed_health AS
WITH last_served AS (
    SELECT feed_id, max(run_id) FILTER (WHERE outcome = 'ok' AND entries > 0) AS run_id
    FROM fetches GROUP BY feed_id
), empty_streak AS (
    SELECT f.feed_id,
           count(*) FILTER (WHERE f.outcome IN ('ok', 'not_modified', 'unchanged')) AS empty_fetches,
           coalesce(bool_or(f.outcome = 'ok' AND f.entries = 0), false) AS served_empty,
           min(f.fetched_at) FILTER (WHERE f.outcome IN ('ok', 'not_modified', 'unchanged')) AS empty_since
    FROM fetches f JOIN last_served s USING (feed_id)
    WHERE s.run_id IS NULL OR f.run_id > s.run_id
    GROUP BY f.feed_id
), feed_days AS (
    SELECT DISTINCT feed_id, 'dated' AS kind, day FROM article_feeds
    UNION ALL
    SELECT DISTINCT feed_id, 'arrived' AS kind, CAST(timezone('UTC', first_seen_at) AS DATE) AS day FROM article_feeds
), recent_days AS (
    SELECT feed_id, kind, day, max(day) OVER (PARTITION BY feed_id, kind) AS newest FROM feed_days
), mean_gaps AS (
    SELECT feed_id, kind, CASE WHEN count(*) >= 3 THEN (max(day) - min(day)) / (count(*) - 1.0) END AS gap_days
    FROM recent_days WHERE day > newest - 90 GROUP BY feed_id, kind
), cadence AS (
    SELECT feed_id, max(gap_days) AS usual_days FROM mean_gaps GROUP BY feed_id
), arrivals AS (
    SELECT feed_id, max(first_seen_at) AS last_new_article_at FROM article_feeds GROUP BY feed_id
), judged AS (
    SELECT f.feed_id, f.name, f.url, f.outlet, f.outlet_country, f.enabled, f.gone,
           f.last_status, f.last_error, f.consecutive_failures, f.last_success_at, f.last_checked_at, f.next_check_at,
           f.pause_until,
           coalesce(e.empty_fetches, 0) AS empty_fetches, coalesce(e.served_empty, false) AS served_empty,
           e.empty_since,
           a.last_new_article_at, c.usual_days,
           CASE WHEN c.usual_days IS NULL THEN 30.0 ELSE least(greatest(3 * c.usual_days, 4.0), 30.0) END
               AS stale_after_days,
           epoch(f.last_success_at - a.last_new_article_at) / 86400 AS quiet_days,
           CASE WHEN f.gone THEN 'gone'
                WHEN NOT f.enabled THEN 'disabled'
                WHEN f.consecutive_failures >= 3 THEN 'failing'
                WHEN f.pause_until > now() AND f.pause_until <= now() + INTERVAL '24 hours 5 minutes' THEN 'paused'
                WHEN f.consecutive_failures > 0 THEN 'degraded'
                WHEN f.last_success_at IS NULL THEN 'never polled'
                WHEN coalesce(e.served_empty, false) AND e.empty_fetches >= 3 THEN 'empty'
                WHEN epoch(f.last_success_at - a.last_new_article_at) / 86400 > stale_after_days THEN 'stale'
                ELSE 'healthy' END AS health
    FROM feeds f
    LEFT JOIN empty_streak e USING (feed_id)
    LEFT JOIN cadence c USING (feed_id)
    LEFT JOIN arrivals a USING (feed_id)
)
SELECT feed_id, name, url, outlet, outlet_country, enabled, gone,
       last_status, last_error, consecutive_failures, last_success_at, last_checked_at, next_check_at,
       pause_until,
       (SELECT count(*) FROM article_feeds af WHERE af.feed_id = j.feed_id
          AND af.day BETWEEN CAST(now() AT TIME ZONE 'UTC' AS DATE) - 7
                         AND CAST(now() AT TIME ZONE 'UTC' AS DATE) - 1) / 7.0 AS items_per_day,
       (SELECT count(*) FROM article_feeds af WHERE af.feed_id = j.feed_id) AS articles,
       health,
       CASE health
           WHEN 'failing' THEN printf('%d failed fetches in a row', consecutive_failures)
           WHEN 'degraded' THEN printf('%d failed fetch%s in a row', consecutive_failures,
                                       CASE WHEN consecutive_failures = 1 THEN '' ELSE 'es' END)
           WHEN 'paused' THEN printf('its server asked for a pause (HTTP 429 or Retry-After): not asked before %s UTC',
                                     strftime(timezone('UTC', pause_until), '%Y-%m-%d %H:%M'))
           WHEN 'gone' THEN printf('the server answered 410 Gone at %s: not polled again; `pactwatch feeds enable %s` '
                                   || 'tries it again', coalesce(strftime(timezone('UTC', last_checked_at),
                                                                          '%Y-%m-%d %H:%M') || ' UTC', 'an unknown time'),
                                   feed_id)
                || CASE WHEN enabled THEN printf(', `feeds disable %s` stops counting it', feed_id)
                        ELSE ' (it is disabled: not counted)' END
           WHEN 'empty' THEN printf('no entries in the last %d successful fetches', empty_fetches)
           WHEN 'stale' THEN printf('no new article for %.1f days, ', quiet_days)
                || CASE WHEN usual_days IS NULL THEN 'too little history for a usual pace (stale after 30 days)'
                        ELSE printf('usually every %.1f days', usual_days) END
           END AS health_reason,
       empty_fetches, empty_since, last_new_article_at, usual_days, stale_after_days
FROM judged j;
COMMENT ON VIEW v_feed_health IS 'Feed health: status, failures, whether it still brings entries and new articles at its usual pace, last success, and articles per day over the last 7 whole UTC days.';
COMMENT ON COLUMN v_feed_health.feed_id IS 'Feed id.';
COMMENT ON COLUMN v_feed_health.name IS 'Feed name.';
COMMENT ON COLUMN v_feed_health.url IS 'Feed URL, credentials (a password, a secret parameter such as apikey=) shown as *** in the published snapshot.';
COMMENT ON COLUMN v_feed_health.outlet IS 'Outlet.';
COMMENT ON COLUMN v_feed_health.outlet_country IS 'Outlet ISO3 country.';
COMMENT ON COLUMN v_feed_health.enabled IS 'Polling enabled.';
COMMENT ON COLUMN v_feed_health.gone IS 'HTTP 410 seen: polling stopped.';
COMMENT ON COLUMN v_feed_health.last_status IS 'Outcome of the last fetch.';
COMMENT ON COLUMN v_feed_health.last_error IS 'Last error message.';
COMMENT ON COLUMN v_feed_health.consecutive_failures IS 'Failures since the last success.';
COMMENT ON COLUMN v_feed_health.last_success_at IS 'Last successful fetch.';
COMMENT ON COLUMN v_feed_health.last_checked_at IS 'Last fetch attempt.';
COMMENT ON COLUMN v_feed_health.next_check_at IS 'Next scheduled poll (a feed refused with a short Retry-After backs off past its server''s pause).';
COMMENT ON COLUMN v_feed_health.pause_until IS 'Until when its server asked to wait (feeds.pause_until); the feed is paused while it is ahead, by 24 hours and 5 minutes at most (further ahead, a clock that ran ahead set it, and it holds nothing). NULL: no pause asked.';
COMMENT ON COLUMN v_feed_health.items_per_day IS 'Articles of this feed per day whose day (articles.day) falls in the 7 whole UTC days before today: its publishing rate, backfills included at their own dates.';
COMMENT ON COLUMN v_feed_health.articles IS 'Articles carried by this feed in total.';
COMMENT ON COLUMN v_feed_health.health IS 'The first that holds: gone (HTTP 410), disabled, failing (3+ failures since the last success), paused (its last fetch was rate_limited, a 429 or a 503 with Retry-After of its own or of another feed of its server, and the pause it asked for lasts till pause_until, still ahead but by no more than 24 hours and 5 minutes: a pause further ahead was set by a clock that ran ahead, and the scheduler ignores it), degraded (1-2), never polled, empty (its last 3 or more successful fetches, since it last served an entry, brought a document without entries: empty_fetches), stale (no article it had not carried before for more than stale_after_days, up to its last success: last_new_article_at), else healthy.';
COMMENT ON COLUMN v_feed_health.health_reason IS 'Why a feed is gone, failing, paused, degraded, empty or stale, in words, with what to do where it is ours to do ("the server answered 410 Gone at 2026-12-03 12:09 UTC: not polled again; `pactwatch feeds enable ID` tries it again, `feeds disable ID` stops counting it" for an enabled one, "(it is disabled: not counted)" ending a disabled one''s, "its server asked for a pause (HTTP 429 or Retry-After): not asked before 2026-11-28 14:00 UTC", "no entries in the last 12 successful fetches", "no new article for 9.0 days, usually every 1.2 days"); NULL for the other states.';
COMMENT ON COLUMN v_feed_health.empty_fetches IS 'Successful fetches (ok, not_modified, unchanged) since the last one that served entries (all of them if none did); the feed is empty when 3 or more and one of them parsed a document without entries.';
COMMENT ON COLUMN v_feed_health.empty_since IS 'When the first of empty_fetches was fetched: an empty feed has brought nothing since. NULL when empty_fetches is 0.';
COMMENT ON COLUMN v_feed_health.last_new_article_at IS 'When this feed last carried an article it had not carried before (article_feeds.first_seen_at; the article may have come through another feed first). NULL: none yet.';
COMMENT ON COLUMN v_feed_health.usual_days IS 'Its usual gap between new articles, in days: the longer of the mean gap between the days its articles are dated on and the mean gap between the days it brought new ones, each over the 90 days before its newest such day. NULL with fewer than 3 such days (too little history).';
COMMENT ON COLUMN v_feed_health.stale_after_days IS 'Days without a new article after which the feed is stale: 3 times usual_days, at least 4 and at most 30; 30 when usual_days is NULL.';
