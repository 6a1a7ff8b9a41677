-- seeds/tracking.toml now grows by [[added]] tables (xtor, wt_mc, emc, traffic_source, ref=rss, partner=rss):
-- an article stored before a parameter was added keeps it in its link and key (raw articles are immutable), and the
-- ingest finds it under that key. The comments said every tracking parameter was removed.
COMMENT ON COLUMN articles.url IS 'Canonical http(s) link: fragment removed, and the tracking parameters seeds/tracking.toml listed when the article was stored (one added since stays in the links of articles stored before); NULL when the feed gave none safe.';
COMMENT ON COLUMN articles.article_key IS 'Identity: url:<canonical URL> when the GUID or, without one, the link is a URL, canonical under the tracking rules of when it was stored (guid:<URL> for URL GUIDs stored before migration 0016, and for GUID URLs with a fragment that is not a route); <feeds.key_scope>:guid:<id> for other GUIDs; else hash: of the title and date.';
