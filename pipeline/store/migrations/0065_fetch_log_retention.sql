-- `pactwatch compact --keep-fetches 90d` deletes the fetches older than its cut-off (docs/benchmarks.md, "A year of
-- unattended ingestion": 2.1M a year at 60 feeds every 15 minutes, copied whole by backup, compact and a masked
-- publish). The comments said every fetch is kept; they now say which old ones stay, and what v_feed_daily's days
-- before the cut-off count.
COMMENT ON TABLE fetches IS 'The fetches of every feed: the raw material of feed health. All of them, unless `pactwatch compact --keep-fetches` deleted those older than its cut-off; it keeps, whatever their age, each feed''s last 50 fetches, its last that served entries (outcome ok, entries > 0) and every one after it (all of them when none did), its first fetch and its first by an ingest run, so v_feed_health, `feeds list` and the Feeds page read the same.';
COMMENT ON VIEW v_feed_daily IS 'Feed x UTC day of the runs that fetched it (fetches.fetched_at): fetches, failures and the articles it brought. Days without a run are absent; days before a `compact --keep-fetches` cut-off count only the fetches it kept. For articles by publication day, count article_feeds.day instead.';
