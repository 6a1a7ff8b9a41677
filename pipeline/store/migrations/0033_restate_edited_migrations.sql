-- Migrations 0027, 0029 and 0032 were edited on main after they were first committed. A warehouse that had applied
-- an earlier text kept it: migrate() applies each version once, by its number. An upgrade audit found the
-- differences: v_coverage_daily ended at the last article day (0032's first text) where it now runs to the last
-- run's day, and the view's comment and ten others said what the first texts said. This restates the final text of
-- every view and comment those three migrations write; on a warehouse that applied their final texts it changes
-- nothing. A migration is not edited once committed: tests/store/test_schema.py holds each file to its recorded hash.
CREATE OR REPLACE VIEW v_coverage_daily AS
WITH days AS (
    SELECT day, count(*) AS articles, count(DISTINCT outlet) AS outlets FROM articles GROUP BY day
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
SELECT c.day, coalesce(d.articles, 0) AS articles, coalesce(d.outlets, 0) AS outlets, coalesce(f.feeds, 0) AS feeds
FROM calendar c LEFT JOIN days d USING (day) LEFT JOIN feeds_per_day f USING (day);
COMMENT ON TABLE article_topics IS 'Topics assigned to an article (derived): its score reached the topic''s threshold (lower for an article under full_length characters where the topic has a short_threshold), or, for diplomacy, one of its pair sentences that is not a list of countries carries the topic (then the score may be under the threshold: see raised). seeds/topics/topics.toml says which.';
COMMENT ON COLUMN article_topics.score IS 'Article-level topic score: strong words 2, weak 1, title words times title_weight, each word once per field; pair-only words add nothing.';
COMMENT ON COLUMN article_topics.hits IS 'Number of the topic''s words found in the title and text (pair-only words not counted).';
COMMENT ON TABLE topic_hits IS 'Every topic word behind an article''s topics (article_topics), with its place in the title or text; for a topic a pair sentence raised (article_topics.raised), also the pair-only words ("deal") inside the unlisted pair sentences that carry it (derived; empty for articles tagged before migration 0021 until `pactwatch retag`). Only the article''s own topics: the word that gave a pair sentence a topic its article did not reach is not here.';
COMMENT ON COLUMN pair_sentences.topics IS 'Topics with at least one of their words inside this sentence (strong, weak or pair-only words of seeds/topics/topics.toml: "team", "travel" and "deal" count); one word suffices, where article_topics needs the topic''s threshold over the whole article, so a sentence can carry a topic its article lacks (diplomacy apart, which such a sentence gives its article when it is not a list of countries). The words are not stored (topic_hits holds those of article_topics only).';
COMMENT ON COLUMN article_pairs.topics IS 'Topics of the pair''s sentences ([] when they have none; one word of a topic in a sentence suffices, so a pair can carry a topic its article lacks: see pair_sentences.topics); when the pair shares no sentence (sentences = 0), the article''s topics that its score gave (not one another pair''s sentence raised).';
COMMENT ON COLUMN v_topic_daily.mean_score IS 'Mean article-level topic score. Since tagger 1.17 it includes diplomacy raised by a pair sentence (article_topics.raised), whose score is under the threshold, often 0: not comparable with the mean of earlier taggers.';
COMMENT ON COLUMN feeds.fetched_url IS 'URL the last fetch ended at, after any redirects (temporary ones included; url follows permanent ones only). A rate_limited feed pauses this URL''s host (and its own when both are one site, as example.com and www.example.com); the feed waits while either is paused. NULL: not fetched since migration 0029, or its URL changed since.';
COMMENT ON VIEW v_coverage_daily IS 'Day: how much we collected (articles, outlets and feeds that published), to tell an outage from news; every day from the first article day (from 1900) to the day of the last run has a row, 0 where nothing was collected, and so has every other day with articles.';
COMMENT ON COLUMN v_coverage_daily.day IS 'Article day (UTC).';
COMMENT ON COLUMN v_coverage_daily.articles IS 'Articles of the day (all outlets); 0 on a day with none.';
COMMENT ON COLUMN v_coverage_daily.outlets IS 'Distinct outlets with at least one article that day.';
COMMENT ON COLUMN v_coverage_daily.feeds IS 'Distinct feeds that carried at least one article of that day.';
COMMENT ON COLUMN fetches.new_articles IS 'Entries of this fetch that became new articles (an entry several fetches of the run carried counts for the one whose text was stored); before migration 0032 the feed''s count for the whole run, on each of its fetches.';
COMMENT ON COLUMN runs.feeds_polled IS 'Feed documents fetched in this run: one per feed polled, several for a demo or replay run that reads several captures of one feed, none for a feed deferred by the fetch budget (counted before migration 0032) (an import run: one per source among its records, each source''s feed import-<source>; a retag run: 0).';
COMMENT ON COLUMN runs.failures IS 'Fetches that failed: every outcome but ok, not_modified, unchanged and deferred (soft_fail, gone, rate_limited, error, rejected), and a fetched body that did not parse.';
COMMENT ON VIEW v_pair_daily IS 'Pair x day x topic, from the pair''s sentences (pair_sentences): one row per topic a sentence naming both countries carries, (none) for a sentence without a topic. An article counts under every topic of its sentences, so summing articles over topics counts it more than once; and an article that connects the pair through its focus countries only (no shared sentence) is not here: v_pair_indicators_daily counts the articles that connect a pair.';
COMMENT ON COLUMN v_pair_daily.topic IS 'A topic of the sentence, or (none) when the sentence has no topic word (not: no cooperation/confrontation cue).';
COMMENT ON COLUMN v_pair_daily.articles IS 'Distinct articles with a sentence naming both countries with this topic; summing over topics counts an article once per topic.';
COMMENT ON COLUMN articles.language IS 'Language declared for the article: its own (an import record''s), else its feed''s in the feed list, else the feed document''s; a BCP 47 tag with its first subtag lower-cased and _ read as - (en-US and en-us both occur: the rest keeps its case); NULL when none, and then the tagger reads it from the words (article_languages, v_articles.read_language).';
COMMENT ON COLUMN fetches.bytes IS 'Body bytes received; NULL for the demo corpus and imports, and when no request was sent (deferred, or rate_limited by a pause of its host: error starts with "deferred:").';
COMMENT ON COLUMN fetches.ms IS 'Fetch duration in milliseconds; NULL for the demo corpus and imports, and when no request was sent.';
COMMENT ON COLUMN feeds.last_checked_at IS 'When a run last took the feed up: a fetch of any outcome, or none sent (deferred by the fetch budget, held by a pause of its host).';
