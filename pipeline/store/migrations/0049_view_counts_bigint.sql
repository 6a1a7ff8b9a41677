-- Ten count columns of the daily views were sums of INTEGER or BIGINT left uncast, which DuckDB types HUGEINT: a
-- notebook's .df() read them as float64 (sentences 4.0 beside articles 4), Arrow as decimal128(38, 0), and one
-- column name had two types (v_pair_indicators_daily.cooperation BIGINT, v_pair_topic_daily.cooperation HUGEINT).
-- Each sum is now cast to BIGINT, like the counts beside it; the views are 0045's (v_country_daily), 0038's
-- (v_feed_daily) and 0048's (the pair views) otherwise, with the same rows. Their comments are restated as they
-- stood (CREATE OR REPLACE drops them).
CREATE OR REPLACE VIEW v_country_daily AS
WITH undated AS (
    SELECT article_id FROM articles WHERE date_quality <> 'ok'
)
SELECT c.iso3, c.day, count(*) AS articles, count(*) FILTER (WHERE c.is_focus) AS focus_articles,
       CAST(sum(c.mentions) AS BIGINT) AS mentions, count(*) FILTER (WHERE u.article_id IS NULL) AS dated_articles
FROM article_countries c LEFT JOIN undated u USING (article_id)
GROUP BY ALL;
COMMENT ON VIEW v_country_daily IS 'Country x day: articles mentioning the country, articles about it, mentions; dated_articles leaves out those filed under the day first stored (no usable publication date).';
COMMENT ON COLUMN v_country_daily.iso3 IS 'ISO3 country code.';
COMMENT ON COLUMN v_country_daily.day IS 'Article day (articles.day: the day first stored for an article without a usable publication date).';
COMMENT ON COLUMN v_country_daily.articles IS 'Articles mentioning the country.';
COMMENT ON COLUMN v_country_daily.focus_articles IS 'Articles whose focus includes the country.';
COMMENT ON COLUMN v_country_daily.mentions IS 'Total mentions.';
COMMENT ON COLUMN v_country_daily.dated_articles IS 'Of articles, those dated by their publication (articles.date_quality = ''ok''); the others (missing, unparseable or future date) sit on the day PactWatch first stored them, which a replay of old captures makes today. Count these for what was news that day.';

CREATE OR REPLACE VIEW v_feed_daily AS
WITH polls AS (  -- not sent: the run's fetch budget ran out (deferred), or its host had asked for a pause (a
                 -- rate_limited without a status: feeds.schedule treats both as no fault of the feed)
    SELECT *, outcome = 'deferred' OR (outcome = 'rate_limited' AND status_code IS NULL) AS not_sent FROM fetches
)
SELECT feed_id,
       CAST(timezone('UTC', fetched_at) AS DATE) AS day,
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

CREATE OR REPLACE VIEW v_pair_topic_daily AS
-- Every CTE carries day so a day filter on the view reaches all of them; unnest in the select list (not
-- a lateral join) is 25x faster at 1M articles.
WITH sentences_of AS (
    SELECT article_id, iso_a, iso_b, day,
           count(*) FILTER (WHERE cue = 'cooperation') AS cooperation,
           count(*) FILTER (WHERE cue = 'confrontation') AS confrontation,
           count(*) FILTER (WHERE listed IS NOT TRUE) AS unlisted
    FROM pair_sentences GROUP BY ALL
), pair_rows AS (
    SELECT article_id, iso_a, iso_b, day, sentences,
           unnest(CASE WHEN len(topics) = 0 THEN ['(none)'] ELSE topics END) AS topic
    FROM article_pairs
)
SELECT p.iso_a, p.iso_b, p.iso_a || '-' || p.iso_b AS pair, p.topic, p.day,
       count(*) AS articles, CAST(sum(p.sentences) AS BIGINT) AS sentences, count(DISTINCT a.outlet) AS outlets,
       CAST(coalesce(sum(s.cooperation), 0) AS BIGINT) AS cooperation,
       CAST(coalesce(sum(s.confrontation), 0) AS BIGINT) AS confrontation,
       count(*) FILTER (WHERE a.date_quality = 'ok') AS dated_articles,
       -- listed-only: the pair has sentences in the article and every one of them lists it (no row: none at all)
       count(*) FILTER (WHERE s.article_id IS NULL OR s.unlisted > 0) AS unlisted_articles,
       CAST(coalesce(sum(s.unlisted), 0) AS BIGINT) AS unlisted_sentences,
       count(*) FILTER (WHERE a.date_quality = 'ok' AND (s.article_id IS NULL OR s.unlisted > 0))
           AS dated_unlisted_articles
FROM pair_rows p
JOIN articles a USING (article_id)
LEFT JOIN sentences_of s ON s.article_id = p.article_id AND s.iso_a = p.iso_a AND s.iso_b = p.iso_b AND s.day = p.day
GROUP BY ALL;

COMMENT ON VIEW v_pair_topic_daily IS 'Pair x topic x day at article level: the series the spike alerts watch (topic (none) when the pair has none). dated_articles leaves out the articles filed under the day first stored, unlisted_* the articles whose sentences naming the pair only list it among other countries, dated_unlisted_articles both at once.';
COMMENT ON COLUMN v_pair_topic_daily.iso_a IS 'First country (alphabetically smaller ISO3).';
COMMENT ON COLUMN v_pair_topic_daily.iso_b IS 'Second country.';
COMMENT ON COLUMN v_pair_topic_daily.pair IS 'iso_a-iso_b.';
COMMENT ON COLUMN v_pair_topic_daily.topic IS 'Topic of the pair in the article (article_pairs.topics), or (none).';
COMMENT ON COLUMN v_pair_topic_daily.day IS 'Article day (articles.day: the day first stored for an article without a usable publication date).';
COMMENT ON COLUMN v_pair_topic_daily.articles IS 'Articles that connect the pair (article_pairs) with this topic; an article with two topics counts under each, so summing over topics counts it twice.';
COMMENT ON COLUMN v_pair_topic_daily.sentences IS 'Sentences naming both countries in those articles (all of each article''s pair sentences, whatever their topics); summed over topics, an article''s count twice when it has two.';
COMMENT ON COLUMN v_pair_topic_daily.outlets IS 'Distinct outlets of those articles (the source-diversity gate counts these).';
COMMENT ON COLUMN v_pair_topic_daily.cooperation IS 'Pair sentences with a cooperation cue in those articles, whatever their topics (pair_sentences has each sentence''s topics; a cue is right about half the time: pair_sentences.cue).';
COMMENT ON COLUMN v_pair_topic_daily.confrontation IS 'Pair sentences with a confrontation cue in those articles, whatever their topics (a cue is right about six times in ten: pair_sentences.cue).';
COMMENT ON COLUMN v_pair_topic_daily.dated_articles IS 'Of articles, those dated by their publication (articles.date_quality = ''ok''); the others (missing, unparseable or future date) sit on the day PactWatch first stored them, which a replay of old captures makes today. Count these for what was news that day.';
COMMENT ON COLUMN v_pair_topic_daily.unlisted_articles IS 'Of articles, those not connecting the pair only through sentences that list the two among other countries: with a sentence naming both where listed IS NOT TRUE (the Pair explorer''s "Hide sentences that only list ..." rule), or about both with no sentence naming both.';
COMMENT ON COLUMN v_pair_topic_daily.unlisted_sentences IS 'Of sentences, those that do not only list the two among other countries (pair_sentences.listed IS NOT TRUE; NULL, tagged before migration 0025, counts).';
COMMENT ON COLUMN v_pair_topic_daily.dated_unlisted_articles IS 'Of articles, those counted in both dated_articles and unlisted_articles: dated by their publication and not naming the pair only in lists of countries. What the dashboard counts with both sidebar switches on ("Leave out undated articles" and "Leave out list-only pairs"), and `pactwatch export --dated-only --unlisted-only` keeps.';

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
), unlisted_of AS (
    SELECT article_id, iso_a, iso_b, day, count(*) FILTER (WHERE listed IS NOT TRUE) AS unlisted
    FROM pair_sentences GROUP BY ALL
), pairs AS (
    SELECT p.iso_a, p.iso_b, p.day, count(*) AS articles, CAST(sum(p.sentences) AS BIGINT) AS sentences,
           count(DISTINCT a.outlet) AS outlets, count(*) FILTER (WHERE a.date_quality = 'ok') AS dated_articles,
           -- listed-only: the pair has sentences in the article and every one of them lists it (no row: none at all)
           count(*) FILTER (WHERE u.article_id IS NULL OR u.unlisted > 0) AS unlisted_articles,
           CAST(coalesce(sum(u.unlisted), 0) AS BIGINT) AS unlisted_sentences,
           count(*) FILTER (WHERE a.date_quality = 'ok' AND (u.article_id IS NULL OR u.unlisted > 0))
               AS dated_unlisted_articles
    FROM article_pairs p JOIN articles a USING (article_id)
    LEFT JOIN unlisted_of u ON u.article_id = p.article_id AND u.iso_a = p.iso_a AND u.iso_b = p.iso_b AND u.day = p.day
    GROUP BY ALL
)
SELECT p.iso_a, p.iso_b, p.iso_a || '-' || p.iso_b AS pair, p.day, p.articles,
       greatest(coalesce(n.articles, 0), p.articles) AS named_both, p.sentences, p.outlets,
       p.articles / t.all_articles AS share_of_day,
       p.articles / (ca.articles + cb.articles - greatest(coalesce(n.articles, 0), p.articles)) AS share_of_either,
       p.articles * t.all_articles / (ca.articles * cb.articles) AS lift,
       log2(p.articles * t.all_articles / (ca.articles * cb.articles)) AS pmi,
       coalesce(c.cooperation, 0) AS cooperation, coalesce(c.confrontation, 0) AS confrontation,
       (coalesce(c.cooperation, 0) - coalesce(c.confrontation, 0))
           / nullif(coalesce(c.cooperation, 0) + coalesce(c.confrontation, 0), 0) AS balance,
       p.dated_articles, p.unlisted_articles, p.unlisted_sentences, p.dated_unlisted_articles
FROM pairs p
JOIN totals t USING (day)
JOIN countries ca ON ca.iso3 = p.iso_a AND ca.day = p.day
JOIN countries cb ON cb.iso3 = p.iso_b AND cb.day = p.day
LEFT JOIN comention_daily n ON n.iso_a = p.iso_a AND n.iso_b = p.iso_b AND n.day = p.day
LEFT JOIN cues c ON c.iso_a = p.iso_a AND c.iso_b = p.iso_b AND c.day = p.day;

COMMENT ON VIEW v_pair_indicators_daily IS 'Pair x day, normalised: share of the day''s coverage, lift/PMI and cooperation-confrontation balance of the articles that connect the pair (article_pairs). dated_articles and unlisted_articles count the articles that connect it without those filed under the day first stored, or without those that only list the two among other countries; dated_unlisted_articles both at once; the ratios are of all articles.';
COMMENT ON COLUMN v_pair_indicators_daily.iso_a IS 'First country (alphabetically smaller ISO3).';
COMMENT ON COLUMN v_pair_indicators_daily.iso_b IS 'Second country.';
COMMENT ON COLUMN v_pair_indicators_daily.pair IS 'iso_a-iso_b.';
COMMENT ON COLUMN v_pair_indicators_daily.day IS 'Article day (articles.day: the day first stored for an article without a usable publication date).';
COMMENT ON COLUMN v_pair_indicators_daily.articles IS 'Articles that connect the pair (article_pairs: both focus countries, or named in one sentence).';
COMMENT ON COLUMN v_pair_indicators_daily.named_both IS 'Articles naming both countries anywhere (comention_daily); at least articles.';
COMMENT ON COLUMN v_pair_indicators_daily.sentences IS 'Sentences naming both countries.';
COMMENT ON COLUMN v_pair_indicators_daily.outlets IS 'Distinct outlets of those articles.';
COMMENT ON COLUMN v_pair_indicators_daily.share_of_day IS 'articles / all articles of the day (GDELT-style share of coverage). Only days with the pair have a row: over a period, divide sums (sum(articles) / sum(v_coverage_daily.articles) of its days) rather than average this column, which skips the days without it.';
COMMENT ON COLUMN v_pair_indicators_daily.share_of_either IS 'articles / articles that day naming either country (n(A) + n(B) - named_both).';
COMMENT ON COLUMN v_pair_indicators_daily.lift IS 'articles x all articles of the day / (n(A) n(B)): how much more often the day''s articles connect the pair than independent mentions would name both; > 1 means more than chance.';
COMMENT ON COLUMN v_pair_indicators_daily.pmi IS 'log2(lift): pointwise mutual information in bits.';
COMMENT ON COLUMN v_pair_indicators_daily.cooperation IS 'Pair sentences with a cooperation cue (cue words, right about half the time: pair_sentences.cue).';
COMMENT ON COLUMN v_pair_indicators_daily.confrontation IS 'Pair sentences with a confrontation cue (cue words, right about six times in ten: pair_sentences.cue).';
COMMENT ON COLUMN v_pair_indicators_daily.balance IS '(cooperation - confrontation) / (cooperation + confrontation), -1..1; NULL without cues. A balance of word counts (pair_sentences.cue: right about half the time), for finding sentences to read, not a measured stance.';
COMMENT ON COLUMN v_pair_indicators_daily.dated_articles IS 'Of articles, those dated by their publication (articles.date_quality = ''ok''); the others (missing, unparseable or future date) sit on the day PactWatch first stored them, which a replay of old captures makes today. Count these for what was news that day (a dated share: sum(dated_articles) / sum(v_coverage_daily.dated_articles)).';
COMMENT ON COLUMN v_pair_indicators_daily.unlisted_articles IS 'Of articles, those not connecting the pair only through sentences that list the two among other countries: with a sentence naming both where listed IS NOT TRUE (the Pair explorer''s "Hide sentences that only list ..." rule), or about both with no sentence naming both.';
COMMENT ON COLUMN v_pair_indicators_daily.unlisted_sentences IS 'Of sentences, those that do not only list the two among other countries (pair_sentences.listed IS NOT TRUE; NULL, tagged before migration 0025, counts).';
COMMENT ON COLUMN v_pair_indicators_daily.dated_unlisted_articles IS 'Of articles, those counted in both dated_articles and unlisted_articles: dated by their publication and not naming the pair only in lists of countries. What the dashboard counts with both sidebar switches on ("Leave out undated articles" and "Leave out list-only pairs"), and `pactwatch export --dated-only --unlisted-only` keeps.';
