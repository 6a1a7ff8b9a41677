-- Up to this version a same-story duplicate carried by several feeds in one run kept the links of all but the
-- first feed: rows pointing at an article that was never stored, counted by feed health and the alert source
-- gates. They carry nothing (the story's stored article is linked from the feed that stored it), so they go.
DELETE FROM article_feeds WHERE article_id NOT IN (SELECT article_id FROM articles);
