-- A feed that corrected an entry under the same key ("CORRECTED: Russia and Iran sign military pact", same GUID) was
-- counted as a duplicate and nothing else: the stored article keeps its first capture (articles are immutable, and
-- its tags derive from it), and no table said that its feed later served another version. Each different version is
-- kept here from now on, beside the article; the article and its tags stay as first captured.
CREATE TABLE article_revisions (
    article_id VARCHAR NOT NULL,
    day DATE NOT NULL,
    run_id BIGINT NOT NULL,
    feed_id VARCHAR NOT NULL,
    seen_at TIMESTAMPTZ NOT NULL,
    title VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    url VARCHAR,
    content_hash VARCHAR NOT NULL
);
COMMENT ON TABLE article_revisions IS 'Versions of a stored article that a feed which had carried it served later under the same key (a corrected or updated entry: same GUID or link, another title or text), each different version once, in the order first seen: not a row per poll. The article itself keeps its first capture, which is what is tagged (articles are immutable: counts and evidence must not move under a cited article). At most 10 per article (the first 10 different versions: a feed rewriting an entry at every poll cannot grow the table without bound; an article with 10 may have had more). Recorded by polled feeds (ingest, replayed captures), not by `pactwatch import` (an archive id under another title or text is skipped, counted as id_reused). A version read differently only because PactWatch''s own text cleaning changed (an upgrade) can show here once. None before migration 0057. One row per (article_id, content_hash).';
COMMENT ON COLUMN article_revisions.article_id IS 'articles.article_id of the stored article this is a later version of.';
COMMENT ON COLUMN article_revisions.day IS 'articles.day of that article (not of this version): join on (article_id, day).';
COMMENT ON COLUMN article_revisions.run_id IS 'Run that first met this version.';
COMMENT ON COLUMN article_revisions.feed_id IS 'Feed that served this version (one that carried the article before: article_feeds).';
COMMENT ON COLUMN article_revisions.seen_at IS 'When this version was first met (the run''s start, UTC).';
COMMENT ON COLUMN article_revisions.title IS 'Plain-text title of this version, cut to 1,000 characters as articles are. Untrusted: never render as HTML.';
COMMENT ON COLUMN article_revisions.text IS 'Plain-text summary or content of this version, cut to 50,000 characters as articles are (not tagged). Untrusted: never render as HTML.';
COMMENT ON COLUMN article_revisions.url IS 'Canonical http(s) link this version gave (it may differ from articles.url); NULL when it gave none safe.';
COMMENT ON COLUMN article_revisions.content_hash IS 'sha256 of this version''s title and text, as articles.content_hash: it differs from the article''s and from every other version''s.';

COMMENT ON TABLE articles IS 'Immutable raw articles, as first captured, stored once however many feeds carried them; a different version a feed served later is in article_revisions. One row per (article_id).';
COMMENT ON COLUMN articles.content_hash IS 'sha256 of title and text as first captured (a later version''s is article_revisions.content_hash).';
