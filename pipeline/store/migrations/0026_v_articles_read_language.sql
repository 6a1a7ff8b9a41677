-- Since tagger 1.14 (migration 0024) an article that declares no language is read in the one its words show, kept
-- in article_languages; v_articles still said "NULL is read as English", and neither it nor `pactwatch export
-- --table articles` (which exports v_articles) held the language read: on the captured feeds 269 articles with no
-- declared language (heise's German, Le Monde's French) were read as another language, and looked English there.
CREATE OR REPLACE VIEW v_articles AS
SELECT
    a.article_id, a.url, a.title, a.text, a.published_at, a.first_seen_at,
    a.day,
    a.date_quality, a.outlet, a.outlet_country, a.language,
    coalesce(a.language, (SELECT l.language FROM article_languages l
                          WHERE l.article_id = a.article_id AND l.day = a.day)) AS read_language,
    coalesce((SELECT list(c.iso3 ORDER BY c.iso3) FROM article_countries c WHERE c.article_id = a.article_id),
             []::VARCHAR[]) AS countries,
    coalesce((SELECT list(c.iso3 ORDER BY c.iso3) FROM article_countries c
              WHERE c.article_id = a.article_id AND c.is_focus), []::VARCHAR[]) AS focus,
    coalesce((SELECT list(t.topic ORDER BY t.topic) FROM article_topics t WHERE t.article_id = a.article_id),
             []::VARCHAR[]) AS topics
FROM articles a;
COMMENT ON VIEW v_articles IS 'Articles with their day, language read, countries, focus countries and topics.';
COMMENT ON COLUMN v_articles.article_id IS 'articles.article_id.';
COMMENT ON COLUMN v_articles.url IS 'Canonical http(s) link.';
COMMENT ON COLUMN v_articles.title IS 'Plain-text title (untrusted).';
COMMENT ON COLUMN v_articles.text IS 'Plain-text summary (untrusted).';
COMMENT ON COLUMN v_articles.published_at IS 'Publication time (UTC), NULL when unknown.';
COMMENT ON COLUMN v_articles.first_seen_at IS 'When PactWatch first stored it.';
COMMENT ON COLUMN v_articles.day IS 'UTC day of published_at, else (published_at missing, unreadable or flagged future) of first_seen_at: the day every daily series uses.';
COMMENT ON COLUMN v_articles.date_quality IS 'ok, missing, unparseable (also dates before 1900) or future (published_at more than a day ahead of first_seen_at; filed under the day first seen).';
COMMENT ON COLUMN v_articles.outlet IS 'Outlet.';
COMMENT ON COLUMN v_articles.outlet_country IS 'Outlet ISO3 country.';
COMMENT ON COLUMN v_articles.language IS 'articles.language: as declared, case not normalised; NULL when none was declared (read_language says what the tagger read it as).';
COMMENT ON COLUMN v_articles.read_language IS 'The language the article was tagged in: the declared one, else the one the tagger read from its words or script (article_languages); NULL: English. Only English articles get topics and cues.';
COMMENT ON COLUMN v_articles.countries IS 'All countries detected (ISO3); [] when none.';
COMMENT ON COLUMN v_articles.focus IS 'Countries the article is about (ISO3); [] when none.';
COMMENT ON COLUMN v_articles.topics IS 'Topic ids assigned; [] when none (other languages than English get none).';
COMMENT ON COLUMN articles.language IS 'Language declared for the article: its own (an import record''s), else its feed''s in the feed list, else the feed document''s; as given (BCP 47, case not normalised: en-US and en-us both occur); NULL when none, and then the tagger reads it from the words (article_languages, v_articles.read_language).';
