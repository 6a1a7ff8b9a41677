-- Tagger 1.14 reads the language of an article that declares none (heise's German, Le Monde's French) from its
-- function words or script, and tags it as that language: no English topics, its own country words. What it
-- read is derived like every tag, so it is kept here, not in the immutable articles row. Articles stored
-- before this migration get theirs from `pactwatch retag`.
CREATE TABLE article_languages (
    article_id VARCHAR NOT NULL,
    day DATE NOT NULL,
    language VARCHAR NOT NULL,
    tagger_version VARCHAR NOT NULL
);
COMMENT ON TABLE article_languages IS 'The language the tagger read an article in when neither its feed nor its document declared one, guessed from its words or script (seeds/languages/guess.toml); only articles read as a language other than English have a row (derived; empty for articles tagged before migration 0024 until `pactwatch retag`). Declared languages are articles.language; coalesce(articles.language, article_languages.language) is the language an article was read in, NULL meaning English.';
COMMENT ON COLUMN article_languages.article_id IS 'articles.article_id.';
COMMENT ON COLUMN article_languages.day IS 'The article''s day (v_articles.day), copied here so daily series need no join.';
COMMENT ON COLUMN article_languages.language IS 'ISO 639-1 code of the language read (de, fr, ru, ...): such articles get countries in that language''s words too, and no topics or cues (the lexicons are English).';
COMMENT ON COLUMN article_languages.tagger_version IS 'Tagger version that produced the row.';
