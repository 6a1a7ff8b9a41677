-- Analysts found the documented views and comments misleading in eight places. v_pair_indicators_daily divided by
-- n(A) + n(B) - articles, where "articles" (the pairs articles connect) is smaller than the articles naming both,
-- so share_of_either mixed two definitions; it now subtracts named_both (comention_daily), which it also shows.
-- v_articles gives [] instead of NULL for an article without countries or topics (as pair_sentences does), so
-- NOT list_contains(topics, ...) keeps those rows. The rest are comments that said something else than the data.
CREATE OR REPLACE VIEW v_pair_indicators_daily AS
WITH totals AS (
    SELECT day, count(*) AS all_articles FROM articles GROUP BY day
), countries AS (
    SELECT iso3, day, count(*) AS articles FROM article_countries GROUP BY ALL
), cues AS (
    SELECT iso_a, iso_b, day,
           count(*) FILTER (WHERE cue = 'cooperation') AS cooperation,
           count(*) FILTER (WHERE cue = 'confrontation') AS confrontation
    FROM pair_sentences GROUP BY ALL
), pairs AS (
    SELECT p.iso_a, p.iso_b, p.day, count(*) AS articles, sum(p.sentences) AS sentences,
           count(DISTINCT a.outlet) AS outlets
    FROM article_pairs p JOIN articles a USING (article_id) GROUP BY ALL
)
SELECT p.iso_a, p.iso_b, p.iso_a || '-' || p.iso_b AS pair, p.day, p.articles,
       greatest(coalesce(n.articles, 0), p.articles) AS named_both, p.sentences, p.outlets,
       p.articles / t.all_articles AS share_of_day,
       p.articles / (ca.articles + cb.articles - greatest(coalesce(n.articles, 0), p.articles)) AS share_of_either,
       p.articles * t.all_articles / (ca.articles * cb.articles) AS lift,
       log2(p.articles * t.all_articles / (ca.articles * cb.articles)) AS pmi,
       coalesce(c.cooperation, 0) AS cooperation, coalesce(c.confrontation, 0) AS confrontation,
       (coalesce(c.cooperation, 0) - coalesce(c.confrontation, 0))
           / nullif(coalesce(c.cooperation, 0) + coalesce(c.confrontation, 0), 0) AS balance
FROM pairs p
JOIN totals t USING (day)
JOIN countries ca ON ca.iso3 = p.iso_a AND ca.day = p.day
JOIN countries cb ON cb.iso3 = p.iso_b AND cb.day = p.day
LEFT JOIN comention_daily n ON n.iso_a = p.iso_a AND n.iso_b = p.iso_b AND n.day = p.day
LEFT JOIN cues c ON c.iso_a = p.iso_a AND c.iso_b = p.iso_b AND c.day = p.day;
COMMENT ON VIEW v_pair_indicators_daily IS 'Pair x day, normalised: share of the day''s coverage, lift/PMI and cooperation-confrontation balance of the articles that connect the pair (article_pairs).';
COMMENT ON COLUMN v_pair_indicators_daily.iso_a IS 'First country (alphabetically smaller ISO3).';
COMMENT ON COLUMN v_pair_indicators_daily.iso_b IS 'Second country.';
COMMENT ON COLUMN v_pair_indicators_daily.pair IS 'iso_a-iso_b.';
COMMENT ON COLUMN v_pair_indicators_daily.day IS 'Article day.';
COMMENT ON COLUMN v_pair_indicators_daily.articles IS 'Articles that connect the pair (article_pairs: both focus countries, or named in one sentence).';
COMMENT ON COLUMN v_pair_indicators_daily.named_both IS 'Articles naming both countries anywhere (comention_daily); at least articles.';
COMMENT ON COLUMN v_pair_indicators_daily.sentences IS 'Sentences naming both countries.';
COMMENT ON COLUMN v_pair_indicators_daily.outlets IS 'Distinct outlets of those articles.';
COMMENT ON COLUMN v_pair_indicators_daily.share_of_day IS 'articles / all articles of the day (GDELT-style share of coverage).';
COMMENT ON COLUMN v_pair_indicators_daily.share_of_either IS 'articles / articles that day naming either country (n(A) + n(B) - named_both).';
COMMENT ON COLUMN v_pair_indicators_daily.lift IS 'articles x all articles of the day / (n(A) n(B)): how much more often the day''s articles connect the pair than independent mentions would name both; > 1 means more than chance.';
COMMENT ON COLUMN v_pair_indicators_daily.pmi IS 'log2(lift): pointwise mutual information in bits.';
COMMENT ON COLUMN v_pair_indicators_daily.cooperation IS 'Pair sentences with a cooperation cue.';
COMMENT ON COLUMN v_pair_indicators_daily.confrontation IS 'Pair sentences with a confrontation cue.';
COMMENT ON COLUMN v_pair_indicators_daily.balance IS '(cooperation - confrontation) / (cooperation + confrontation), -1..1; NULL without cues.';

CREATE OR REPLACE VIEW v_articles AS
SELECT
    a.article_id, a.url, a.title, a.text, a.published_at, a.first_seen_at,
    a.day,
    a.date_quality, a.outlet, a.outlet_country, a.language,
    coalesce((SELECT list(c.iso3 ORDER BY c.iso3) FROM article_countries c WHERE c.article_id = a.article_id),
             []::VARCHAR[]) AS countries,
    coalesce((SELECT list(c.iso3 ORDER BY c.iso3) FROM article_countries c
              WHERE c.article_id = a.article_id AND c.is_focus), []::VARCHAR[]) AS focus,
    coalesce((SELECT list(t.topic ORDER BY t.topic) FROM article_topics t WHERE t.article_id = a.article_id),
             []::VARCHAR[]) AS topics
FROM articles a;
COMMENT ON VIEW v_articles IS 'Articles with their day, countries, focus countries and topics.';
COMMENT ON COLUMN v_articles.article_id IS 'articles.article_id.';
COMMENT ON COLUMN v_articles.url IS 'Canonical http(s) link.';
COMMENT ON COLUMN v_articles.title IS 'Plain-text title (untrusted).';
COMMENT ON COLUMN v_articles.text IS 'Plain-text summary (untrusted).';
COMMENT ON COLUMN v_articles.published_at IS 'Publication time (UTC), NULL when unknown.';
COMMENT ON COLUMN v_articles.first_seen_at IS 'When PactWatch first stored it.';
COMMENT ON COLUMN v_articles.day IS 'UTC day of published_at, else (published_at missing, unreadable or flagged future) of first_seen_at: the day every daily series uses.';
COMMENT ON COLUMN v_articles.date_quality IS 'ok, missing, unparseable (also dates before 1900) or future (published_at more than a day ahead of first_seen_at; filed under the day first seen).';
COMMENT ON COLUMN v_articles.outlet IS 'Outlet.';
COMMENT ON COLUMN v_articles.outlet_country IS 'Outlet ISO3 country.';
COMMENT ON COLUMN v_articles.language IS 'articles.language: as declared, case not normalised; NULL is read as English.';
COMMENT ON COLUMN v_articles.countries IS 'All countries detected (ISO3); [] when none.';
COMMENT ON COLUMN v_articles.focus IS 'Countries the article is about (ISO3); [] when none.';
COMMENT ON COLUMN v_articles.topics IS 'Topic ids assigned; [] when none (other languages than English get none).';

COMMENT ON TABLE meta IS 'Warehouse-wide settings: the tagger version of the last retag and the demo flag (schema version: schema_migrations; tag versions: each derived row''s tagger_version).';
COMMENT ON COLUMN meta.key IS 'Setting name: tagger_version (set by retag) or is_demo.';
COMMENT ON COLUMN feeds.url IS 'Current URL: the feed list''s, a permanent (301/308) redirect''s target, or the latest file an import of that source read.';
COMMENT ON COLUMN feeds.tier IS 'Source tier from the feed list: 1 wire, 2 national, 3 specialist (seeds/feeds.toml); text.';
COMMENT ON COLUMN feeds.language IS 'Feed language from the feed list (BCP 47 as given); NULL: take what the feed document declares.';
COMMENT ON COLUMN articles.language IS 'Language the article was read in: its own declared language (an import record''s), else its feed''s in the feed list, else the feed document''s; as given (BCP 47, case not normalised: en-US and en-us both occur); NULL when none, read as English.';
COMMENT ON COLUMN runs.feeds_polled IS 'Feeds fetched in this run (an import run: 1, the file).';
COMMENT ON COLUMN v_pair_daily.sentences IS 'Sentences naming both countries with that topic; a sentence with two topics counts under each, so summing over topics counts it twice.';
COMMENT ON COLUMN v_pair_topic_daily.cooperation IS 'Pair sentences with a cooperation cue in those articles, whatever their topics (pair_sentences has each sentence''s topics).';
COMMENT ON COLUMN v_pair_topic_daily.confrontation IS 'Pair sentences with a confrontation cue in those articles, whatever their topics.';
