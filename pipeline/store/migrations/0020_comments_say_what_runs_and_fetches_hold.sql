-- Comments that said something other than what the columns hold (found by reading sampled data against them):
-- an import batch polls one feed per source, not one; every fetch of a run carries the run's start; `seconds`
-- leaves out the write that follows; the local files of the demo and imports have no byte count or duration;
-- a pair whose sentences have no topic has none (the article's topics only when the pair shares no sentence);
-- an article with two topics counts under each in v_pair_topic_daily, as a sentence does in v_pair_daily.
COMMENT ON COLUMN runs.feeds_polled IS 'Feeds fetched in this run (an import run: one per source among its records, each source''s feed import-<source>; a retag run: 0).';
COMMENT ON COLUMN runs.started_at IS 'When the run started (an import run: when its batch of records was read, before they were cleaned).';
COMMENT ON COLUMN runs.finished_at IS 'When the run''s work was done, just before its rows were written (runs are all-or-nothing: the commit follows).';
COMMENT ON COLUMN runs.seconds IS 'Seconds of the run''s work before its rows were written: polls, dedup and tagging (a retag: re-tagging); neither the write, the publish and any compaction that follow nor an import batch''s cleaning are counted.';
COMMENT ON COLUMN fetches.fetched_at IS 'Start of the run that made the fetch (runs.started_at): every fetch of a run carries it (ms is the fetch''s own duration).';
COMMENT ON COLUMN fetches.bytes IS 'Body bytes received; NULL for the demo corpus and imports.';
COMMENT ON COLUMN fetches.ms IS 'Fetch duration in milliseconds; NULL for the demo corpus and imports.';
COMMENT ON COLUMN article_pairs.topics IS 'Topics of the pair''s sentences ([] when they have none); the article''s topics when the pair shares no sentence (sentences = 0).';
COMMENT ON COLUMN v_pair_topic_daily.articles IS 'Articles that connect the pair (article_pairs) with this topic; an article with two topics counts under each, so summing over topics counts it twice.';
COMMENT ON COLUMN v_pair_topic_daily.sentences IS 'Sentences naming both countries in those articles (all of each article''s pair sentences, whatever their topics); summed over topics, an article''s count twice when it has two.';
