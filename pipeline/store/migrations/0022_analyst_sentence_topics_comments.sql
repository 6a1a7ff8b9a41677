-- Comments an analyst needed on real news (the 178 captured feeds): a pair sentence's topics and its article's
-- differ by design, and nothing said so. "Opinion | Another Half-Measure for Ukraine" has no topic at all while
-- its RUS-UKR sentence carries finance and sanctions; "Trump's team is preparing for another summit" gives
-- RUS-USA education_culture from the weak word "team", and topic_hits, where the analyst looked for that word,
-- holds only the words of the article's own topics.
COMMENT ON COLUMN pair_sentences.topics IS 'Topics with at least one of their words inside this sentence (strong, weak or pair-only words of seeds/topics/topics.toml: "team", "travel" and "deal" count); one word suffices, where article_topics needs the topic''s threshold over the whole article, so a sentence can carry a topic its article lacks. The words are not stored (topic_hits holds those of article_topics only).';
COMMENT ON COLUMN article_pairs.topics IS 'Topics of the pair''s sentences ([] when they have none; one word of a topic in a sentence suffices, so a pair can carry a topic its article lacks: see pair_sentences.topics); the article''s topics when the pair shares no sentence (sentences = 0).';
COMMENT ON TABLE topic_hits IS 'Every topic word behind an article''s topics (article_topics), with its place in the title or text (derived; empty for articles tagged before migration 0021 until `pactwatch retag`). Only the article''s own topics: the word that gave a pair sentence a topic its article did not reach is not here.';
