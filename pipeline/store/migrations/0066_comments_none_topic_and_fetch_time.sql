-- Topics and cues are read in English articles only (the lexicons are English). The pair views' topic '(none)' said
-- "no topic word", so an analyst counting PRK-RUS by topic read a Korean or Russian article on the pair's military
-- ties as one about nothing in particular. The comments now say that '(none)' holds those too, and how to tell them
-- apart (v_articles.read_language); the dashboard and `export --topic` already said so.
COMMENT ON COLUMN v_pair_daily.topic IS 'A topic of the sentence, or (none) when the sentence has no topic word (not: no cooperation/confrontation cue). Only English articles are read for topics: every pair sentence of an article in another language is (none) here, whatever it says (v_articles.read_language tells them apart).';
COMMENT ON COLUMN v_pair_topic_daily.topic IS 'Topic of the pair in the article (article_pairs.topics), or (none). Only English articles are read for topics: an article in another language is (none) here, whatever it says (v_articles.read_language tells them apart).';
-- fetches.fetched_at said "when the fetch completed"; it is the run's clock, one time for every fetch of the run (an
-- analyst ordering one run's failures by it got them in no order), as feeds.last_checked_at is.
COMMENT ON COLUMN fetches.fetched_at IS 'The run''s time (runs.started_at): every fetch of one run shares it, as the feeds'' last_checked_at does; ms is the fetch''s own duration. The order of fetches within a run is not stored (they run in parallel).';
