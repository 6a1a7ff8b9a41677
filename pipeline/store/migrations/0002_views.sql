-- Analyst views: stable names for ad-hoc SQL, the dashboard and exports.
CREATE VIEW v_articles AS
SELECT
    a.article_id, a.url, a.title, a.text, a.published_at, a.first_seen_at,
    a.day,
    a.date_quality, a.outlet, a.outlet_country, a.language,
    (SELECT list(c.iso3 ORDER BY c.iso3) FROM article_countries c WHERE c.article_id = a.article_id) AS countries,
    (SELECT list(c.iso3 ORDER BY c.iso3) FROM article_countries c WHERE c.article_id = a.article_id AND c.is_focus) AS focus,
    (SELECT list(t.topic ORDER BY t.topic) FROM article_topics t WHERE t.article_id = a.article_id) AS topics
FROM articles a;
COMMENT ON VIEW v_articles IS 'Articles with their day, countries, focus countries and topics.';
COMMENT ON COLUMN v_articles.article_id IS 'articles.article_id.';
COMMENT ON COLUMN v_articles.url IS 'Canonical http(s) link.';
COMMENT ON COLUMN v_articles.title IS 'Plain-text title (untrusted).';
COMMENT ON COLUMN v_articles.text IS 'Plain-text summary (untrusted).';
COMMENT ON COLUMN v_articles.published_at IS 'Publication time (UTC), NULL when unknown.';
COMMENT ON COLUMN v_articles.first_seen_at IS 'When PactWatch first stored it.';
COMMENT ON COLUMN v_articles.day IS 'UTC day of published_at, else of first_seen_at: the day every daily series uses.';
COMMENT ON COLUMN v_articles.date_quality IS 'ok, missing, unparseable or future.';
COMMENT ON COLUMN v_articles.outlet IS 'Outlet.';
COMMENT ON COLUMN v_articles.outlet_country IS 'Outlet ISO3 country.';
COMMENT ON COLUMN v_articles.language IS 'Feed language.';
COMMENT ON COLUMN v_articles.countries IS 'All countries detected (ISO3).';
COMMENT ON COLUMN v_articles.focus IS 'Countries the article is about (ISO3).';
COMMENT ON COLUMN v_articles.topics IS 'Topic ids assigned.';

CREATE VIEW v_pair_daily AS
SELECT s.iso_a, s.iso_b, s.iso_a || '-' || s.iso_b AS pair, s.day, t.topic,
       count(DISTINCT s.article_id) AS articles, count(*) AS sentences
FROM pair_sentences s, unnest(CASE WHEN len(s.topics) = 0 THEN ['(none)'] ELSE s.topics END) AS t(topic)
GROUP BY ALL;
COMMENT ON VIEW v_pair_daily IS 'Pair x day x topic: articles and sentences naming both countries (topic (none) when no topic cue).';
COMMENT ON COLUMN v_pair_daily.iso_a IS 'First country (alphabetically smaller ISO3).';
COMMENT ON COLUMN v_pair_daily.iso_b IS 'Second country.';
COMMENT ON COLUMN v_pair_daily.pair IS 'iso_a-iso_b.';
COMMENT ON COLUMN v_pair_daily.day IS 'Article day.';
COMMENT ON COLUMN v_pair_daily.topic IS 'Topic cued in the sentence, or (none).';
COMMENT ON COLUMN v_pair_daily.articles IS 'Distinct articles with such a sentence.';
COMMENT ON COLUMN v_pair_daily.sentences IS 'Sentences naming both countries with that topic.';

CREATE VIEW v_country_daily AS
SELECT iso3, day, count(*) AS articles, count(*) FILTER (WHERE is_focus) AS focus_articles, sum(mentions) AS mentions
FROM article_countries
GROUP BY ALL;
COMMENT ON VIEW v_country_daily IS 'Country x day: articles mentioning the country, articles about it, mentions.';
COMMENT ON COLUMN v_country_daily.iso3 IS 'ISO3 country code.';
COMMENT ON COLUMN v_country_daily.day IS 'Article day.';
COMMENT ON COLUMN v_country_daily.articles IS 'Articles mentioning the country.';
COMMENT ON COLUMN v_country_daily.focus_articles IS 'Articles whose focus includes the country.';
COMMENT ON COLUMN v_country_daily.mentions IS 'Total mentions.';

CREATE VIEW v_topic_daily AS
SELECT topic, day, count(*) AS articles, avg(score) AS mean_score
FROM article_topics
GROUP BY ALL;
COMMENT ON VIEW v_topic_daily IS 'Topic x day: articles assigned the topic.';
COMMENT ON COLUMN v_topic_daily.topic IS 'Topic id.';
COMMENT ON COLUMN v_topic_daily.day IS 'Article day.';
COMMENT ON COLUMN v_topic_daily.articles IS 'Articles with the topic.';
COMMENT ON COLUMN v_topic_daily.mean_score IS 'Mean article-level topic score.';

CREATE VIEW v_feed_health AS
SELECT f.feed_id, f.name, f.url, f.outlet, f.outlet_country, f.enabled, f.gone,
       f.last_status, f.last_error, f.consecutive_failures, f.last_success_at, f.last_checked_at, f.next_check_at,
       (SELECT count(*) FROM article_feeds af WHERE af.feed_id = f.feed_id
          AND af.first_seen_at >= now() - INTERVAL 7 DAY) / 7.0 AS items_per_day,
       (SELECT count(*) FROM article_feeds af WHERE af.feed_id = f.feed_id) AS articles,
       CASE WHEN f.gone THEN 'gone'
            WHEN NOT f.enabled THEN 'disabled'
            WHEN f.consecutive_failures >= 3 THEN 'failing'
            WHEN f.consecutive_failures > 0 THEN 'degraded'
            WHEN f.last_success_at IS NULL THEN 'never polled'
            ELSE 'healthy' END AS health
FROM feeds f;
COMMENT ON VIEW v_feed_health IS 'Feed health: status, failures, last success and items per day over the last 7 days.';
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
COMMENT ON COLUMN v_feed_health.items_per_day IS 'Articles first carried by this feed per day, last 7 days.';
COMMENT ON COLUMN v_feed_health.articles IS 'Articles carried by this feed in total.';
COMMENT ON COLUMN v_feed_health.health IS 'healthy, degraded, failing (3+ failures), gone, disabled or never polled.';
