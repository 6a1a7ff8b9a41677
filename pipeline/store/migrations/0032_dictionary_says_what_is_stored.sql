-- A read of the data dictionary against the stored data (a demo home, an import of odd records, a hostile local
-- server, the captured feeds) found columns and views that hold something else than their comments say.
--
-- Two feeds of one run that carried one entry under different pubDates linked it each on its own day (0017 fixed
-- the case of an article stored in an earlier run): 75 links of the captured feeds. Links now take the stored
-- article's day; the rows written before are set to it.
UPDATE article_feeds SET day = a.day FROM articles a WHERE a.article_id = article_feeds.article_id AND article_feeds.day <> a.day;

-- v_coverage_daily had no row for a day without articles, so an outage (articles = 0) could never be found in it:
-- every day from the first article day to the last run's has a row now. The calendar starts at 1900: an archive
-- record of 1899 keeps its row, but a placeholder day (0001-01-01, 9999-12-31: migration 0009) must not make it
-- millions of days long.
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
COMMENT ON VIEW v_coverage_daily IS 'Day: how much we collected (articles, outlets and feeds that published), to tell an outage from news; every day from the first article day (from 1900) to the day of the last run has a row, 0 where nothing was collected, and so has every other day with articles.';
COMMENT ON COLUMN v_coverage_daily.day IS 'Article day (UTC).';
COMMENT ON COLUMN v_coverage_daily.articles IS 'Articles of the day (all outlets); 0 on a day with none.';
COMMENT ON COLUMN v_coverage_daily.outlets IS 'Distinct outlets with at least one article that day.';
COMMENT ON COLUMN v_coverage_daily.feeds IS 'Distinct feeds that carried at least one article of that day.';

-- A fetch's new_articles was its feed's count for the whole run, repeated on each fetch of that feed (a demo or
-- replay run reads several captures of one feed); it now counts that fetch's own entries. feeds_polled counted
-- the feeds a spent fetch budget deferred, which were never asked.
COMMENT ON COLUMN fetches.new_articles IS 'Entries of this fetch that became new articles (an entry several fetches of the run carried counts for the one whose text was stored); before migration 0032 the feed''s count for the whole run, on each of its fetches.';
COMMENT ON COLUMN runs.feeds_polled IS 'Feed documents fetched in this run: one per feed polled, several for a demo or replay run that reads several captures of one feed, none for a feed deferred by the fetch budget (counted before migration 0032) (an import run: one per source among its records, each source''s feed import-<source>; a retag run: 0).';
COMMENT ON COLUMN runs.failures IS 'Fetches that failed: every outcome but ok, not_modified, unchanged and deferred (soft_fail, gone, rate_limited, error, rejected), and a fetched body that did not parse.';

-- v_pair_daily holds one row per topic of a pair's day and counts sentences, not articles that connect the pair:
-- summed over topics it counted PRK-RUS's articles 4,746 times where article_pairs holds 2,655.
COMMENT ON VIEW v_pair_daily IS 'Pair x day x topic, from the pair''s sentences (pair_sentences): one row per topic a sentence naming both countries carries, (none) for a sentence without a topic. An article counts under every topic of its sentences, so summing articles over topics counts it more than once; and an article that connects the pair through its focus countries only (no shared sentence) is not here: v_pair_indicators_daily counts the articles that connect a pair.';
COMMENT ON COLUMN v_pair_daily.topic IS 'A topic of the sentence, or (none) when the sentence has no topic word (not: no cooperation/confrontation cue).';
COMMENT ON COLUMN v_pair_daily.articles IS 'Distinct articles with a sentence naming both countries with this topic; summing over topics counts an article once per topic.';

COMMENT ON COLUMN articles.language IS 'Language declared for the article: its own (an import record''s), else its feed''s in the feed list, else the feed document''s; a BCP 47 tag with its first subtag lower-cased and _ read as - (en-US and en-us both occur: the rest keeps its case); NULL when none, and then the tagger reads it from the words (article_languages, v_articles.read_language).';

-- A feed the fetch budget deferred, or a host's pause held back, sent no request: its fetch has no size or duration
-- (it stored 0 and 0), and it still counts as checked.
COMMENT ON COLUMN fetches.bytes IS 'Body bytes received; NULL for the demo corpus and imports, and when no request was sent (deferred, or rate_limited by a pause of its host: error starts with "deferred:").';
COMMENT ON COLUMN fetches.ms IS 'Fetch duration in milliseconds; NULL for the demo corpus and imports, and when no request was sent.';
COMMENT ON COLUMN feeds.last_checked_at IS 'When a run last took the feed up: a fetch of any outcome, or none sent (deferred by the fetch budget, held by a pause of its host).';
