-- v_pair_daily had no cue columns: an analyst asking on which topics two countries cooperate or clash counted
-- v_pair_topic_daily's, which count the cues of every pair sentence of an article under each of its topics (for
-- CHN-USA sanctions on the demo, 751 confrontation cues where its sanctions sentences carry 327). The view now counts
-- the cues of the sentences of each topic itself, in two columns added last (a reader by position reads the same).
-- The view is 0048's otherwise; its comments are restated as they stood after 0066 (CREATE OR REPLACE drops them).
CREATE OR REPLACE VIEW v_pair_daily AS
WITH undated AS (
    SELECT article_id FROM articles WHERE date_quality <> 'ok'
)
SELECT iso_a, iso_b, iso_a || '-' || iso_b AS pair, day, topic,
       count(DISTINCT article_id) AS articles, count(*) AS sentences,
       count(DISTINCT article_id) FILTER (WHERE dated) AS dated_articles,
       count(DISTINCT article_id) FILTER (WHERE listed IS NOT TRUE) AS unlisted_articles,
       count(*) FILTER (WHERE listed IS NOT TRUE) AS unlisted_sentences,
       count(DISTINCT article_id) FILTER (WHERE dated AND listed IS NOT TRUE) AS dated_unlisted_articles,
       count(*) FILTER (WHERE cue = 'cooperation') AS cooperation_sentences,
       count(*) FILTER (WHERE cue = 'confrontation') AS confrontation_sentences
FROM (SELECT s.iso_a, s.iso_b, s.day, s.article_id, s.listed, s.cue, u.article_id IS NULL AS dated,
             unnest(CASE WHEN len(s.topics) = 0 THEN ['(none)'] ELSE s.topics END) AS topic
      FROM pair_sentences s LEFT JOIN undated u USING (article_id))
GROUP BY ALL;

COMMENT ON VIEW v_pair_daily IS 'Pair x day x topic, from the pair''s sentences (pair_sentences): one row per topic a sentence naming both countries carries, (none) for a sentence without a topic. An article counts under every topic of its sentences, so summing articles over topics counts it more than once; and an article that connects the pair through its focus countries only (no shared sentence) is not here: v_pair_indicators_daily counts the articles that connect a pair. dated_articles leaves out the articles filed under the day first stored, unlisted_* the sentences that only list the two among other countries, dated_unlisted_articles both at once.';
COMMENT ON COLUMN v_pair_daily.iso_a IS 'First country (alphabetically smaller ISO3).';
COMMENT ON COLUMN v_pair_daily.iso_b IS 'Second country.';
COMMENT ON COLUMN v_pair_daily.pair IS 'iso_a-iso_b.';
COMMENT ON COLUMN v_pair_daily.day IS 'Article day (articles.day: the day first stored for an article without a usable publication date).';
COMMENT ON COLUMN v_pair_daily.topic IS 'A topic of the sentence, or (none) when the sentence has no topic word (not: no cooperation/confrontation cue). Only English articles are read for topics: every pair sentence of an article in another language is (none) here, whatever it says (v_articles.read_language tells them apart).';
COMMENT ON COLUMN v_pair_daily.articles IS 'Distinct articles with a sentence naming both countries with this topic; summing over topics counts an article once per topic.';
COMMENT ON COLUMN v_pair_daily.sentences IS 'Sentences naming both countries with that topic; a sentence with two topics counts under each, so summing over topics counts it twice.';
COMMENT ON COLUMN v_pair_daily.dated_articles IS 'Of articles, those dated by their publication (articles.date_quality = ''ok''); the others (missing, unparseable or future date) sit on the day PactWatch first stored them, which a replay of old captures makes today. Count these for what was news that day.';
COMMENT ON COLUMN v_pair_daily.unlisted_articles IS 'Of articles, those with such a sentence that does not only list the two among other countries (pair_sentences.listed IS NOT TRUE): what the Pair explorer keeps with "Hide sentences that only list ..." on.';
COMMENT ON COLUMN v_pair_daily.unlisted_sentences IS 'Of sentences, those that do not only list the two among other countries (pair_sentences.listed IS NOT TRUE; NULL, tagged before migration 0025, counts): the Pair explorer''s evidence with "Hide sentences that only list ..." on.';
COMMENT ON COLUMN v_pair_daily.dated_unlisted_articles IS 'Of articles, those counted in both dated_articles and unlisted_articles: dated by their publication and not naming the pair only in lists of countries. What the dashboard counts with both sidebar switches on ("Leave out undated articles" and "Leave out list-only pairs"), and `pactwatch export --dated-only --unlisted-only` keeps.';
COMMENT ON COLUMN v_pair_daily.cooperation_sentences IS 'Of sentences, those whose cue is cooperation (pair_sentences.cue: agreement, aid, visit, ...; right about half the time): the cue of this topic''s sentences alone, where v_pair_topic_daily counts every pair sentence of its articles. Only English articles are read for cues.';
COMMENT ON COLUMN v_pair_daily.confrontation_sentences IS 'Of sentences, those whose cue is confrontation (pair_sentences.cue: sanctions, condemn, strike, accuse, threat, ...; right about six times in ten), of this topic''s sentences alone. Only English articles are read for cues.';
