-- The evidence of article-level topics: every topic an article was tagged with came with the words that raised
-- it (pactwatch tag reports them), but the warehouse kept only a count per topic, so no page or query could
-- show why an article counts under `sanctions`. Articles stored before this migration get theirs from
-- `pactwatch retag`.
CREATE TABLE topic_hits (
    article_id VARCHAR NOT NULL,
    day DATE NOT NULL,
    topic VARCHAR NOT NULL,
    field VARCHAR NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    surface VARCHAR NOT NULL,
    tagger_version VARCHAR NOT NULL
);
COMMENT ON TABLE topic_hits IS 'Every topic word behind an article''s topics (article_topics), with its place in the title or text (derived; empty for articles tagged before migration 0021 until `pactwatch retag`).';
COMMENT ON COLUMN topic_hits.article_id IS 'articles.article_id.';
COMMENT ON COLUMN topic_hits.day IS 'The article''s day (v_articles.day), copied here so daily series need no join.';
COMMENT ON COLUMN topic_hits.topic IS 'The article_topics topic the words count for.';
COMMENT ON COLUMN topic_hits.field IS 'title or text.';
COMMENT ON COLUMN topic_hits.start_offset IS 'Character offset where the words start in that field.';
COMMENT ON COLUMN topic_hits.end_offset IS 'Character offset where the words end (exclusive).';
COMMENT ON COLUMN topic_hits.surface IS 'The words as written (e.g. sanctioned, arms deal).';
COMMENT ON COLUMN topic_hits.tagger_version IS 'Tagger version that produced the row.';
