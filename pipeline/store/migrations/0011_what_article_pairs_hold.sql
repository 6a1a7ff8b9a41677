-- The comments on article_pairs and comention_daily disagreed with each other and with the code: article_pairs
-- holds the pairs an article connects (its focus countries, plus any two countries named in one sentence), and
-- comention_daily counts every article naming both countries anywhere. Comments only; no data changes.
COMMENT ON TABLE article_pairs IS 'Country pairs an article connects (derived): both among its focus countries (article_countries.is_focus), or named together in one sentence (pair_sentences). An article naming a country only in passing pairs it with no one; comention_daily counts every article naming both.';
COMMENT ON TABLE comention_daily IS 'Country pair x day: articles naming both countries anywhere, any two countries (derived from article_countries, rebuilt at every publish). Wider than article_pairs, which keeps the pairs an article connects (focus countries, or one sentence).';
