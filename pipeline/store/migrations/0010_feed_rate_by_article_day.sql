-- items_per_day counted the articles a feed first carried in the last 7 days: a backfill (an import, the demo)
-- made a feed of one story a day read 150 a day for a week. It now counts the feed's articles dated in the last 7
-- whole UTC days, its publishing rate, which is the same for a live feed and honest for an archive.
CREATE OR REPLACE VIEW v_feed_health AS
SELECT f.feed_id, f.name, f.url, f.outlet, f.outlet_country, f.enabled, f.gone,
       f.last_status, f.last_error, f.consecutive_failures, f.last_success_at, f.last_checked_at, f.next_check_at,
       (SELECT count(*) FROM article_feeds af WHERE af.feed_id = f.feed_id
          AND af.day BETWEEN CAST(now() AT TIME ZONE 'UTC' AS DATE) - 7
                         AND CAST(now() AT TIME ZONE 'UTC' AS DATE) - 1) / 7.0 AS items_per_day,
       (SELECT count(*) FROM article_feeds af WHERE af.feed_id = f.feed_id) AS articles,
       CASE WHEN f.gone THEN 'gone'
            WHEN NOT f.enabled THEN 'disabled'
            WHEN f.consecutive_failures >= 3 THEN 'failing'
            WHEN f.consecutive_failures > 0 THEN 'degraded'
            WHEN f.last_success_at IS NULL THEN 'never polled'
            ELSE 'healthy' END AS health
FROM feeds f;
COMMENT ON VIEW v_feed_health IS 'Feed health: status, failures, last success, and articles per day over the last 7 whole UTC days.';
COMMENT ON COLUMN v_feed_health.feed_id IS 'Feed id.';
COMMENT ON COLUMN v_feed_health.name IS 'Feed name.';
COMMENT ON COLUMN v_feed_health.url IS 'Feed URL.';
COMMENT ON COLUMN v_feed_health.outlet IS 'Outlet.';
COMMENT ON COLUMN v_feed_health.outlet_country IS 'Outlet ISO3 country.';
COMMENT ON COLUMN v_feed_health.enabled IS 'Polling enabled.';
COMMENT ON COLUMN v_feed_health.gone IS 'HTTP 410 seen: polling stopped.';
COMMENT ON COLUMN v_feed_health.last_status IS 'Outcome of the last fetch.';
COMMENT ON COLUMN v_feed_health.last_error IS 'Last error message.';
COMMENT ON COLUMN v_feed_health.consecutive_failures IS 'Failures since the last success.';
COMMENT ON COLUMN v_feed_health.last_success_at IS 'Last successful fetch.';
COMMENT ON COLUMN v_feed_health.last_checked_at IS 'Last fetch attempt.';
COMMENT ON COLUMN v_feed_health.next_check_at IS 'Next scheduled poll.';
COMMENT ON COLUMN v_feed_health.items_per_day IS 'Articles of this feed per day whose day (articles.day) falls in the 7 whole UTC days before today: its publishing rate, backfills included at their own dates.';
COMMENT ON COLUMN v_feed_health.articles IS 'Articles carried by this feed in total.';
COMMENT ON COLUMN v_feed_health.health IS 'healthy, degraded, failing (3+ failures), gone, disabled or never polled.';
