-- Days whose daily aggregates (migration 0006) are stale: every write of article_countries adds its days,
-- a retag adds every day, and publish() recomputes only these days before clearing them. An ingest run
-- touches a few days, so its publish no longer recomputes 30 months (0.4 s at 1M articles).
CREATE TABLE aggregate_dirty_days (day DATE NOT NULL);
COMMENT ON TABLE aggregate_dirty_days IS 'Days whose country_daily / comention_daily rows are stale until the next publish (bookkeeping, not data).';
COMMENT ON COLUMN aggregate_dirty_days.day IS 'Article day written since the last publish (may repeat).';
INSERT INTO aggregate_dirty_days SELECT DISTINCT day FROM article_countries;
