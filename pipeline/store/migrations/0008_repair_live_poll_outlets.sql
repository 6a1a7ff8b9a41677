-- Live polls (`pactwatch ingest`) up to this version stamped each article with its feed id as outlet and
-- no outlet country or language: they read the feeds' polling state only. Such articles (outlet still the
-- id of a feed they came from, neither country nor language) get that feed's outlet, country and language,
-- and their title_key the outlet. Demo corpora, imports and later polls were right and are left alone.
-- Stories an outlet's feeds each stored once under an opaque GUID stay separate rows: merging them would
-- rewrite article ids other tables point to.
UPDATE articles
SET outlet = f.outlet, outlet_country = f.outlet_country, language = f.language,
    title_key = CASE WHEN articles.title_key IS NULL THEN NULL
                     ELSE f.outlet || substr(articles.title_key, length(af.feed_id) + 1) END
FROM article_feeds af JOIN feeds f USING (feed_id)
WHERE af.article_id = articles.article_id AND articles.outlet = af.feed_id
  AND articles.outlet_country IS NULL AND articles.language IS NULL AND f.outlet IS NOT NULL;
