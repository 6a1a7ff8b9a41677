-- `retag` printed what it changed (the tagger versions it replaced, how many articles' countries, focus, pairs and
-- topics differ, the countries gaining or losing most) and kept none of it: the swap leaves no old tags to compare
-- with, so a count that moved after a seed edit could not be explained later. A retag's run now keeps it.
ALTER TABLE runs ADD COLUMN details JSON;
COMMENT ON COLUMN runs.details IS 'What the run changed, as JSON: for a retag, what its output printed: replaced (tagger version -> articles its tags covered), articles_changed (articles whose countries, focus, pairs or topics differ), and the countries, pairs and topics gaining or losing the most articles (country_articles_changed, pair_articles_changed, topic_articles_changed: key -> articles gained, negative when lost). NULL for other kinds of run and for retags before migration 0058.';
