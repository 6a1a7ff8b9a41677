-- Per-day pre-aggregates of article_countries, so "articles naming A or B" per day is
-- n(A) + n(B) - n(A and B) over a few thousand rows instead of a count(DISTINCT article_id) over millions
-- (either_country_totals over 30 months at 1M articles: 330 ms). publish() rebuilds both from
-- article_countries before every snapshot (store/aggregates.py), so they start empty here: readers only
-- ever open snapshots.
-- No keys: see migration 0005.
CREATE TABLE country_daily (
    day DATE NOT NULL,
    iso3 VARCHAR NOT NULL,
    articles BIGINT NOT NULL
);
COMMENT ON TABLE country_daily IS 'Country x day: articles naming the country (derived from article_countries, rebuilt at every publish).';
COMMENT ON COLUMN country_daily.day IS 'Article day.';
COMMENT ON COLUMN country_daily.iso3 IS 'ISO3 country code.';
COMMENT ON COLUMN country_daily.articles IS 'Articles naming the country that day.';

CREATE TABLE comention_daily (
    day DATE NOT NULL,
    iso_a VARCHAR NOT NULL,
    iso_b VARCHAR NOT NULL,
    articles BIGINT NOT NULL
);
COMMENT ON TABLE comention_daily IS 'Country pair x day: articles naming both countries anywhere, any two countries (derived from article_countries, rebuilt at every publish; article_pairs holds focus pairs only).';
COMMENT ON COLUMN comention_daily.day IS 'Article day.';
COMMENT ON COLUMN comention_daily.iso_a IS 'First country (alphabetically smaller ISO3).';
COMMENT ON COLUMN comention_daily.iso_b IS 'Second country.';
COMMENT ON COLUMN comention_daily.articles IS 'Articles naming both countries that day.';
