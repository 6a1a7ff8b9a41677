-- An article kept only our UTC reading of its date (published_at) and date_quality: the text the feed wrote
-- ("19/06/2024", "2024년 6월 19일 08:30", "Wed, 19 Jun 2024 08:30:00 KST", "1718753400") was thrown away, so an analyst
-- could not see why an article is "date unreadable" nor check a reading, and a better date reader could never read
-- old articles again. It is kept from now on; articles stored before have none (NULL).
ALTER TABLE articles ADD COLUMN published_as_written VARCHAR;
COMMENT ON COLUMN articles.published_as_written IS 'The date as the feed entry (or import record) wrote it, the text published_at was read from: its published date, else its updated or created one when that was the first readable; when none could be read (date_quality unparseable), the first one given. An import record''s published value as text (a Parquet timestamp in ISO 8601). On one line (control characters as spaces), cut to 100 characters. Untrusted: never render as HTML. NULL when the entry gave no date (missing), and for articles stored before migration 0056.';
COMMENT ON COLUMN articles.published_at IS 'Publication time in UTC as the feed stated it (published_as_written, read); NULL when missing or unparseable.';

CREATE OR REPLACE VIEW v_articles AS
SELECT
    a.article_id, a.url, a.title, a.text, a.published_at, a.published_as_written, a.first_seen_at,
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
COMMENT ON VIEW v_articles IS 'Articles with their day, date as written, language read, countries, focus countries and topics.';
COMMENT ON COLUMN v_articles.article_id IS 'articles.article_id.';
COMMENT ON COLUMN v_articles.url IS 'Canonical http(s) link.';
COMMENT ON COLUMN v_articles.title IS 'Plain-text title (untrusted).';
COMMENT ON COLUMN v_articles.text IS 'Plain-text summary (untrusted).';
COMMENT ON COLUMN v_articles.published_at IS 'Publication time (UTC), read from published_as_written; NULL when unknown.';
COMMENT ON COLUMN v_articles.published_as_written IS 'articles.published_as_written: the date as the feed or import record wrote it, which published_at reads (or could not: date_quality unparseable). Untrusted. NULL when none was given, and for articles stored before migration 0056.';
COMMENT ON COLUMN v_articles.first_seen_at IS 'When PactWatch first stored it.';
COMMENT ON COLUMN v_articles.day IS 'UTC day of published_at, but never after the day of first_seen_at (a date less than a day ahead is filed when seen; stored before schema 37, it may sit on the day after); of first_seen_at when published_at is missing, unreadable or flagged future: the day every daily series uses.';
COMMENT ON COLUMN v_articles.date_quality IS 'ok, missing, unparseable (also dates before 1900, and Unix time 0, 1970-01-01T00:00:00Z, since migration 0030) or future (published_at more than a day ahead of first_seen_at; filed under the day first seen).';
COMMENT ON COLUMN v_articles.outlet IS 'Outlet.';
COMMENT ON COLUMN v_articles.outlet_country IS 'Outlet ISO3 country.';
COMMENT ON COLUMN v_articles.language IS 'articles.language: as declared, case not normalised; NULL when none was declared (read_language says what the tagger read it as).';
COMMENT ON COLUMN v_articles.read_language IS 'The language the article was tagged in: the declared one as given (BCP 47, case not normalised: en, en-US and en-gb all occur), else the one the tagger read from its words or script (article_languages); NULL: none declared or read, tagged as English. English articles: coalesce(lower(split_part(read_language, ''-'', 1)), ''en'') = ''en''. Only English articles get topics and cues.';
COMMENT ON COLUMN v_articles.countries IS 'All countries detected (ISO3); [] when none.';
COMMENT ON COLUMN v_articles.focus IS 'Countries the article is about (ISO3); [] when none.';
COMMENT ON COLUMN v_articles.topics IS 'Topic ids assigned; [] when none (other languages than English get none).';
