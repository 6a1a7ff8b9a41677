-- 0013 took a known feed's key scope from its outlet at upgrade time. A feed renamed before the upgrade had
-- stored its articles under the old outlet's name, so the next poll keyed them anew, stored them again and
-- switched the feed to link keys. A feed's scope is now the one its latest opaque-GUID article was stored
-- under; feeds without such an article keep 0013's.
UPDATE feeds SET key_scope = stored.scope
FROM (SELECT af.feed_id, arg_max(split_part(a.article_key, ':guid:', 1), af.first_seen_at) AS scope
      FROM article_feeds af JOIN articles a USING (article_id)
      WHERE a.article_key LIKE '%:guid:%' AND NOT starts_with(a.article_key, 'guid:') AND NOT starts_with(a.article_key, 'url:')
      GROUP BY af.feed_id) stored
WHERE feeds.feed_id = stored.feed_id AND feeds.key_scope IS DISTINCT FROM stored.scope;
