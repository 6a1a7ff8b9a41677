-- Tagger 1.17 gives an article diplomacy when one of its pair sentences carries it, whatever its score (migration
-- 0027): on the captured feeds most such articles score under the threshold, some at 0, and the Articles page showed
-- a topic with score 0 and no word of explanation. The column says which rule gave the topic. Taggers before 1.17
-- raised no topic, so their rows are false; rows 1.17 wrote before this migration are NULL until `pactwatch retag`.
ALTER TABLE article_topics ADD COLUMN raised BOOLEAN;
UPDATE article_topics SET raised = false WHERE NOT starts_with(tagger_version, '1.17+');
COMMENT ON COLUMN article_topics.raised IS 'False: the article''s score reached the topic''s threshold. True: it did not, and a pair sentence of the article that is not a list of countries carries the topic (seeds/topics/topics.toml raised_by_pair_sentence: diplomacy); topic_hits then holds that sentence''s words too. NULL for rows tagger 1.17 wrote before migration 0028 until `pactwatch retag`.';
