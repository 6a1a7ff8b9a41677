-- v_pair_daily unnested the topic lists as a lateral join; in the select list DuckDB runs it ~2.7x faster.
CREATE OR REPLACE VIEW v_pair_daily AS
SELECT iso_a, iso_b, iso_a || '-' || iso_b AS pair, day, topic,
       count(DISTINCT article_id) AS articles, count(*) AS sentences
FROM (SELECT iso_a, iso_b, day, article_id,
             unnest(CASE WHEN len(topics) = 0 THEN ['(none)'] ELSE topics END) AS topic
      FROM pair_sentences)
GROUP BY ALL;
COMMENT ON VIEW v_pair_daily IS 'Pair x day x topic: articles and sentences naming both countries (topic (none) when no topic cue).';
COMMENT ON COLUMN v_pair_daily.iso_a IS 'First country (alphabetically smaller ISO3).';
COMMENT ON COLUMN v_pair_daily.iso_b IS 'Second country.';
COMMENT ON COLUMN v_pair_daily.pair IS 'iso_a-iso_b.';
COMMENT ON COLUMN v_pair_daily.day IS 'Article day.';
COMMENT ON COLUMN v_pair_daily.topic IS 'Topic cued in the sentence, or (none).';
COMMENT ON COLUMN v_pair_daily.articles IS 'Distinct articles with such a sentence.';
COMMENT ON COLUMN v_pair_daily.sentences IS 'Sentences naming both countries with that topic.';
