-- An analyst's review of the daily views: an article without a usable publication date (articles.date_quality not
-- 'ok') is filed under the day it was stored, so a replay of old captures put 208 stories of 2016-2018 on one day
-- of 2026 and "which pairs rose most this week" listed only those; and a pair named only inside a list of countries
-- ("... Compares to France, Russia and North Korea") counted like a pair the sentence relates, with no way to leave
-- it out as the Pair explorer's "Hide sentences that only list ..." switch does. Each daily view gains
-- dated_articles (dated, not undated: sum(dated_articles) replaces sum(articles) as it stands, a share divides
-- one dated count by another); the pair views gain unlisted_articles and unlisted_sentences, counted by the
-- switch's rule (pair_sentences.listed IS NOT TRUE: NULL, tagged before migration 0025, is kept). New
-- columns come last, so a reader of the old ones by position reads the same. The undated articles are few: the
-- views that did not join articles look them up in a small set (undated), not through the whole table.
CREATE OR REPLACE VIEW v_country_daily AS
WITH undated AS (
    SELECT article_id FROM articles WHERE date_quality <> 'ok'
)
SELECT c.iso3, c.day, count(*) AS articles, count(*) FILTER (WHERE c.is_focus) AS focus_articles,
       sum(c.mentions) AS mentions, count(*) FILTER (WHERE u.article_id IS NULL) AS dated_articles
FROM article_countries c LEFT JOIN undated u USING (article_id)
GROUP BY ALL;
COMMENT ON VIEW v_country_daily IS 'Country x day: articles mentioning the country, articles about it, mentions; dated_articles leaves out those filed under the day first stored (no usable publication date).';
COMMENT ON COLUMN v_country_daily.iso3 IS 'ISO3 country code.';
COMMENT ON COLUMN v_country_daily.day IS 'Article day (articles.day: the day first stored for an article without a usable publication date).';
COMMENT ON COLUMN v_country_daily.articles IS 'Articles mentioning the country.';
COMMENT ON COLUMN v_country_daily.focus_articles IS 'Articles whose focus includes the country.';
COMMENT ON COLUMN v_country_daily.mentions IS 'Total mentions.';
COMMENT ON COLUMN v_country_daily.dated_articles IS 'Of articles, those dated by their publication (articles.date_quality = ''ok''); the others (missing, unparseable or future date) sit on the day PactWatch first stored them, which a replay of old captures makes today. Count these for what was news that day.';

CREATE OR REPLACE VIEW v_topic_daily AS
WITH undated AS (
    SELECT article_id FROM articles WHERE date_quality <> 'ok'
)
SELECT t.topic, t.day, count(*) AS articles, avg(t.score) AS mean_score,
       count(*) FILTER (WHERE u.article_id IS NULL) AS dated_articles
FROM article_topics t LEFT JOIN undated u USING (article_id)
GROUP BY ALL;
COMMENT ON VIEW v_topic_daily IS 'Topic x day: articles assigned the topic; dated_articles leaves out those filed under the day first stored (no usable publication date).';
COMMENT ON COLUMN v_topic_daily.topic IS 'Topic id.';
COMMENT ON COLUMN v_topic_daily.day IS 'Article day (articles.day: the day first stored for an article without a usable publication date).';
COMMENT ON COLUMN v_topic_daily.articles IS 'Articles with the topic.';
COMMENT ON COLUMN v_topic_daily.mean_score IS 'Mean article-level topic score. Since tagger 1.17 it includes diplomacy raised by a pair sentence (article_topics.raised), whose score is under the threshold, often 0: not comparable with the mean of earlier taggers.';
COMMENT ON COLUMN v_topic_daily.dated_articles IS 'Of articles, those dated by their publication (articles.date_quality = ''ok''); the others (missing, unparseable or future date) sit on the day PactWatch first stored them, which a replay of old captures makes today. Count these for what was news that day.';

CREATE OR REPLACE VIEW v_coverage_daily AS
WITH days AS (
    SELECT day, count(*) AS articles, count(DISTINCT outlet) AS outlets,
           count(*) FILTER (WHERE date_quality = 'ok') AS dated_articles
    FROM articles GROUP BY day
), feeds_per_day AS (
    SELECT day, count(DISTINCT feed_id) AS feeds FROM article_feeds GROUP BY day
), calendar AS (
    SELECT day FROM days
    UNION
    SELECT CAST(unnest(generate_series(
        (SELECT min(day) FROM days WHERE day >= DATE '1900-01-01'),
        (SELECT max(CAST(timezone('UTC', started_at) AS DATE)) FROM runs),
        INTERVAL 1 DAY)) AS DATE)
)
SELECT c.day, coalesce(d.articles, 0) AS articles, coalesce(d.outlets, 0) AS outlets, coalesce(f.feeds, 0) AS feeds,
       coalesce(d.dated_articles, 0) AS dated_articles
FROM calendar c LEFT JOIN days d USING (day) LEFT JOIN feeds_per_day f USING (day);
COMMENT ON VIEW v_coverage_daily IS 'Day: how much we collected (articles, outlets and feeds that published), to tell an outage from news; every day from the first article day (from 1900) to the day of the last run has a row, 0 where nothing was collected, and so has every other day with articles.';
COMMENT ON COLUMN v_coverage_daily.day IS 'Article day (UTC).';
COMMENT ON COLUMN v_coverage_daily.articles IS 'Articles of the day (all outlets); 0 on a day with none.';
COMMENT ON COLUMN v_coverage_daily.outlets IS 'Distinct outlets with at least one article that day.';
COMMENT ON COLUMN v_coverage_daily.feeds IS 'Distinct feeds that carried at least one article of that day.';
COMMENT ON COLUMN v_coverage_daily.dated_articles IS 'Of articles, those dated by their publication (articles.date_quality = ''ok''): the denominator of a share of dated_articles; the others sit on the day PactWatch first stored them.';

CREATE OR REPLACE VIEW v_pair_daily AS
WITH undated AS (
    SELECT article_id FROM articles WHERE date_quality <> 'ok'
)
SELECT iso_a, iso_b, iso_a || '-' || iso_b AS pair, day, topic,
       count(DISTINCT article_id) AS articles, count(*) AS sentences,
       count(DISTINCT article_id) FILTER (WHERE dated) AS dated_articles,
       count(DISTINCT article_id) FILTER (WHERE listed IS NOT TRUE) AS unlisted_articles,
       count(*) FILTER (WHERE listed IS NOT TRUE) AS unlisted_sentences
FROM (SELECT s.iso_a, s.iso_b, s.day, s.article_id, s.listed, u.article_id IS NULL AS dated,
             unnest(CASE WHEN len(s.topics) = 0 THEN ['(none)'] ELSE s.topics END) AS topic
      FROM pair_sentences s LEFT JOIN undated u USING (article_id))
GROUP BY ALL;
COMMENT ON VIEW v_pair_daily IS 'Pair x day x topic, from the pair''s sentences (pair_sentences): one row per topic a sentence naming both countries carries, (none) for a sentence without a topic. An article counts under every topic of its sentences, so summing articles over topics counts it more than once; and an article that connects the pair through its focus countries only (no shared sentence) is not here: v_pair_indicators_daily counts the articles that connect a pair. dated_articles leaves out the articles filed under the day first stored, unlisted_* the sentences that only list the two among other countries (both at once: count pair_sentences joined to articles).';
COMMENT ON COLUMN v_pair_daily.iso_a IS 'First country (alphabetically smaller ISO3).';
COMMENT ON COLUMN v_pair_daily.iso_b IS 'Second country.';
COMMENT ON COLUMN v_pair_daily.pair IS 'iso_a-iso_b.';
COMMENT ON COLUMN v_pair_daily.day IS 'Article day (articles.day: the day first stored for an article without a usable publication date).';
COMMENT ON COLUMN v_pair_daily.topic IS 'A topic of the sentence, or (none) when the sentence has no topic word (not: no cooperation/confrontation cue).';
COMMENT ON COLUMN v_pair_daily.articles IS 'Distinct articles with a sentence naming both countries with this topic; summing over topics counts an article once per topic.';
COMMENT ON COLUMN v_pair_daily.sentences IS 'Sentences naming both countries with that topic; a sentence with two topics counts under each, so summing over topics counts it twice.';
COMMENT ON COLUMN v_pair_daily.dated_articles IS 'Of articles, those dated by their publication (articles.date_quality = ''ok''); the others (missing, unparseable or future date) sit on the day PactWatch first stored them, which a replay of old captures makes today. Count these for what was news that day.';
COMMENT ON COLUMN v_pair_daily.unlisted_articles IS 'Of articles, those with such a sentence that does not only list the two among other countries (pair_sentences.listed IS NOT TRUE): what the Pair explorer keeps with "Hide sentences that only list ..." on.';
COMMENT ON COLUMN v_pair_daily.unlisted_sentences IS 'Of sentences, those that do not only list the two among other countries (pair_sentences.listed IS NOT TRUE; NULL, tagged before migration 0025, counts): the Pair explorer''s evidence with "Hide sentences that only list ..." on.';

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
       count(*) AS articles, sum(p.sentences) AS sentences, count(DISTINCT a.outlet) AS outlets,
       coalesce(sum(s.cooperation), 0) AS cooperation, coalesce(sum(s.confrontation), 0) AS confrontation,
       count(*) FILTER (WHERE a.date_quality = 'ok') AS dated_articles,
       -- listed-only: the pair has sentences in the article and every one of them lists it (no row: none at all)
       count(*) FILTER (WHERE s.article_id IS NULL OR s.unlisted > 0) AS unlisted_articles,
       coalesce(sum(s.unlisted), 0) AS unlisted_sentences
FROM pair_rows p
JOIN articles a USING (article_id)
LEFT JOIN sentences_of s ON s.article_id = p.article_id AND s.iso_a = p.iso_a AND s.iso_b = p.iso_b AND s.day = p.day
GROUP BY ALL;
COMMENT ON VIEW v_pair_topic_daily IS 'Pair x topic x day at article level: the series the spike alerts watch (topic (none) when the pair has none). dated_articles leaves out the articles filed under the day first stored, unlisted_* the articles whose sentences naming the pair only list it among other countries (both at once: count article_pairs joined to articles and pair_sentences).';
COMMENT ON COLUMN v_pair_topic_daily.iso_a IS 'First country (alphabetically smaller ISO3).';
COMMENT ON COLUMN v_pair_topic_daily.iso_b IS 'Second country.';
COMMENT ON COLUMN v_pair_topic_daily.pair IS 'iso_a-iso_b.';
COMMENT ON COLUMN v_pair_topic_daily.topic IS 'Topic of the pair in the article (article_pairs.topics), or (none).';
COMMENT ON COLUMN v_pair_topic_daily.day IS 'Article day (articles.day: the day first stored for an article without a usable publication date).';
COMMENT ON COLUMN v_pair_topic_daily.articles IS 'Articles that connect the pair (article_pairs) with this topic; an article with two topics counts under each, so summing over topics counts it twice.';
COMMENT ON COLUMN v_pair_topic_daily.sentences IS 'Sentences naming both countries in those articles (all of each article''s pair sentences, whatever their topics); summed over topics, an article''s count twice when it has two.';
COMMENT ON COLUMN v_pair_topic_daily.outlets IS 'Distinct outlets of those articles (the source-diversity gate counts these).';
COMMENT ON COLUMN v_pair_topic_daily.cooperation IS 'Pair sentences with a cooperation cue in those articles, whatever their topics (pair_sentences has each sentence''s topics).';
COMMENT ON COLUMN v_pair_topic_daily.confrontation IS 'Pair sentences with a confrontation cue in those articles, whatever their topics.';
COMMENT ON COLUMN v_pair_topic_daily.dated_articles IS 'Of articles, those dated by their publication (articles.date_quality = ''ok''); the others (missing, unparseable or future date) sit on the day PactWatch first stored them, which a replay of old captures makes today. Count these for what was news that day.';
COMMENT ON COLUMN v_pair_topic_daily.unlisted_articles IS 'Of articles, those not connecting the pair only through sentences that list the two among other countries: with a sentence naming both where listed IS NOT TRUE (the Pair explorer''s "Hide sentences that only list ..." rule), or about both with no sentence naming both.';
COMMENT ON COLUMN v_pair_topic_daily.unlisted_sentences IS 'Of sentences, those that do not only list the two among other countries (pair_sentences.listed IS NOT TRUE; NULL, tagged before migration 0025, counts).';

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
    SELECT p.iso_a, p.iso_b, p.day, count(*) AS articles, sum(p.sentences) AS sentences,
           count(DISTINCT a.outlet) AS outlets, count(*) FILTER (WHERE a.date_quality = 'ok') AS dated_articles,
           -- listed-only: the pair has sentences in the article and every one of them lists it (no row: none at all)
           count(*) FILTER (WHERE u.article_id IS NULL OR u.unlisted > 0) AS unlisted_articles,
           coalesce(sum(u.unlisted), 0) AS unlisted_sentences
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
       p.dated_articles, p.unlisted_articles, p.unlisted_sentences
FROM pairs p
JOIN totals t USING (day)
JOIN countries ca ON ca.iso3 = p.iso_a AND ca.day = p.day
JOIN countries cb ON cb.iso3 = p.iso_b AND cb.day = p.day
LEFT JOIN comention_daily n ON n.iso_a = p.iso_a AND n.iso_b = p.iso_b AND n.day = p.day
LEFT JOIN cues c ON c.iso_a = p.iso_a AND c.iso_b = p.iso_b AND c.day = p.day;
COMMENT ON VIEW v_pair_indicators_daily IS 'Pair x day, normalised: share of the day''s coverage, lift/PMI and cooperation-confrontation balance of the articles that connect the pair (article_pairs). dated_articles and unlisted_articles count the articles that connect it without those filed under the day first stored, or without those that only list the two among other countries; the ratios are of all articles.';
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
COMMENT ON COLUMN v_pair_indicators_daily.cooperation IS 'Pair sentences with a cooperation cue.';
COMMENT ON COLUMN v_pair_indicators_daily.confrontation IS 'Pair sentences with a confrontation cue.';
COMMENT ON COLUMN v_pair_indicators_daily.balance IS '(cooperation - confrontation) / (cooperation + confrontation), -1..1; NULL without cues.';
COMMENT ON COLUMN v_pair_indicators_daily.dated_articles IS 'Of articles, those dated by their publication (articles.date_quality = ''ok''); the others (missing, unparseable or future date) sit on the day PactWatch first stored them, which a replay of old captures makes today. Count these for what was news that day (a dated share: sum(dated_articles) / sum(v_coverage_daily.dated_articles)).';
COMMENT ON COLUMN v_pair_indicators_daily.unlisted_articles IS 'Of articles, those not connecting the pair only through sentences that list the two among other countries: with a sentence naming both where listed IS NOT TRUE (the Pair explorer''s "Hide sentences that only list ..." rule), or about both with no sentence naming both.';
COMMENT ON COLUMN v_pair_indicators_daily.unlisted_sentences IS 'Of sentences, those that do not only list the two among other countries (pair_sentences.listed IS NOT TRUE; NULL, tagged before migration 0025, counts).';

COMMENT ON COLUMN article_pairs.day IS 'The article''s day (v_articles.day), copied here so daily series need no join: for an article without a usable publication date (articles.date_quality other than ''ok'') the day PactWatch first stored it, so leave those out with JOIN articles a USING (article_id) WHERE a.date_quality = ''ok''.';
COMMENT ON COLUMN pair_sentences.day IS 'The article''s day (v_articles.day), copied here so daily series need no join: for an article without a usable publication date (articles.date_quality other than ''ok'') the day PactWatch first stored it, so leave those out with JOIN articles a USING (article_id) WHERE a.date_quality = ''ok''.';
