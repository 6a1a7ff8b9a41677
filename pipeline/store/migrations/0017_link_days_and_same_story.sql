-- A feed that re-dated an entry already stored (a later capture with another pubDate) linked it on its own day,
-- so per-feed daily counts put the article on a day it is not filed under. Links now take the stored article's
-- day; the rows written before are set to it (the day is a copy of articles.day, not a fact of the feed's).
UPDATE article_feeds SET day = a.day FROM articles a WHERE a.article_id = article_feeds.article_id AND article_feeds.day <> a.day;
-- The same-story rule now also asks for mostly the same words: a title that recurs over another text is another story.
COMMENT ON COLUMN articles.title_key IS 'Outlet plus normalized title: the same story re-issued by one outlet within 7 days (same title, mostly the same words) counts once.';
