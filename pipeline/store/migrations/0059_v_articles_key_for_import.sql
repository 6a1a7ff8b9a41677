-- `pactwatch import` read an export of v_articles back under new ids for every article keyed by its feed's GUID
-- (about half of the captured real feeds' articles): the export held no GUID, so import keyed each by its link, and
-- derived tables exported from the old home joined the new one by url only. v_articles now gives what import reads as
-- a record's id and source: the GUID an article is keyed by, and the key scope it is keyed in. Imported into a fresh
-- home, an article is stored under the same article_key, hence the same article_id. The scope is read from the key as
-- migration 0018 reads it (what comes before its first ":guid:" or ":hash:"): a feed's key_scope may have changed
-- since an article was stored under another (renamed before 0013), and the key keeps the one it was stored under.
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
             []::VARCHAR[]) AS topics,
    CASE
        WHEN starts_with(a.article_key, 'url:') THEN nullif(substr(a.article_key, 5), a.url)
        WHEN a.key_scope IS NULL AND starts_with(a.article_key, 'guid:') THEN substr(a.article_key, 6)
        WHEN starts_with(a.article_key, a.key_scope || ':guid:') THEN substr(a.article_key, length(a.key_scope) + 7)
    END AS guid,
    a.key_scope
FROM (SELECT *, CASE WHEN NOT starts_with(article_key, 'url:')
                     THEN nullif(regexp_extract(article_key, '^(.+?):(guid|hash):', 1), '') END AS key_scope
      FROM articles) a;
COMMENT ON VIEW v_articles IS 'Articles with their day, date as written, language read, countries, focus countries and topics, and the GUID and key scope `pactwatch import` reads back as their id and source.';
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
COMMENT ON COLUMN v_articles.guid IS 'What the article is keyed by other than its link (articles.article_key), which `pactwatch import` reads as a record''s id: its feed''s GUID, or an import record''s id (keyed <key_scope>:guid:<guid>); the URL of its key when that is not its link (a GUID that is a URL; import keys it url:<guid> again); a GUID URL whose fragment sets it apart (keyed guid:<guid>). NULL for an article keyed by its link or by a hash of its title and date. Untrusted.';
COMMENT ON COLUMN v_articles.key_scope IS 'The scope its key is read in (articles.article_key <key_scope>:guid:<guid> or <key_scope>:hash:…): the feeds.key_scope it was stored under, its outlet''s name (else the feed id) when the outlet''s first feed was added, which `pactwatch import` reads as the source (before outlet), so that the key, and article_id, come back the same in a fresh home. It differs from outlet only for an outlet renamed since. NULL for a key that is a URL''s, the same in every scope.';
