-- Each article table's comment names the columns that identify one of its rows, the key a notebook joins on
-- (no table declares it: a constraint would slow every insert). Derived rows are rebuilt by `pactwatch retag`; a
-- row keeps its key as long as the new tagger finds the same thing (a change in sentence splitting renumbers
-- sentence_index, a new surface moves start_offset).

COMMENT ON TABLE articles IS 'Immutable raw articles, stored once however many feeds carried them. One row per (article_id).';
COMMENT ON TABLE article_feeds IS 'Which feeds carried which article (an article can arrive through several feeds). One row per (article_id, feed_id).';
COMMENT ON TABLE mentions IS 'Every country mention found in an article (derived). One row per (article_id, field, start_offset).';
COMMENT ON TABLE article_countries IS 'Countries detected per article, with salience and focus (derived). One row per (article_id, iso3).';
COMMENT ON TABLE article_topics IS 'Topics assigned to an article (derived): its score reached the topic''s threshold (lower for an article under full_length characters where the topic has a short_threshold), or, for diplomacy, one of its pair sentences that is not a list of countries carries the topic (then the score may be under the threshold: see raised). seeds/topics/topics.toml says which. One row per (article_id, topic).';
COMMENT ON TABLE article_pairs IS 'Country pairs an article connects (derived): both among its focus countries (article_countries.is_focus), or named together in one sentence (pair_sentences). An article naming a country only in passing pairs it with no one; comention_daily counts every article naming both. One row per (article_id, iso_a, iso_b) with iso_a < iso_b.';
COMMENT ON TABLE pair_sentences IS 'Sentences naming two countries: the evidence behind every pair (derived). One row per (article_id, iso_a, iso_b, field, sentence_index) with iso_a < iso_b.';
COMMENT ON TABLE article_languages IS 'The language the tagger read an article in when neither its feed nor its document declared one, guessed from its words or script (seeds/languages/guess.toml); only articles read as a language other than English have a row (derived; empty for articles tagged before migration 0024 until `pactwatch retag`). Declared languages are articles.language; coalesce(articles.language, article_languages.language) is the language an article was read in, NULL meaning English. One row per (article_id).';
