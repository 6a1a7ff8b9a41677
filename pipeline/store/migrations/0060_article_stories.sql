-- One wire story run by twelve outlets under twelve addresses is twelve articles (README, "An article is one story at
-- one address"), and nothing said how many of them were copies: an alert read "36 articles ... 12 outlets" where 24
-- were copies of two stories. Articles stay articles; each now has a story, the first stored of its copies, so
-- counts can say how many stories they are. Derived like the tags (written by every run, rebuilt by `retag`), so an
-- article stored before this migration has none until `pactwatch retag` (status: articles_without_stories).
CREATE TABLE article_stories (
    article_id VARCHAR NOT NULL,
    day DATE NOT NULL,
    story_key VARCHAR,
    story_id VARCHAR NOT NULL,
    tagger_version VARCHAR NOT NULL
);
COMMENT ON TABLE article_stories IS 'The story each article tells (derived): copies of one story (a wire story several outlets ran under their own addresses, an outlet''s reissue under another address) share a story_key, and an article''s story_id is the first stored copy of the first story with its key (by run, then day, then article_id) whose first copy''s day is within 7 days of its own, the window ingest reads an outlet''s repeats in; else its own article_id (it starts a story). Decided when the article is stored, from what was stored by then, and rebuilt the same way by `pactwatch retag`. Articles stay articles: count(DISTINCT story_id) says how many stories they are (v_article_stories counts each story''s copies). Empty for articles stored before migration 0060 until `pactwatch retag`: count such an article as its own story, coalesce(story_id, article_id). One row per (article_id).';
COMMENT ON COLUMN article_stories.article_id IS 'articles.article_id.';
COMMENT ON COLUMN article_stories.day IS 'articles.day of the article: join on (article_id, day).';
COMMENT ON COLUMN article_stories.story_key IS 'SHA-1 of the words of the article''s title and of the first 20 words of its text, case and punctuation folded and a leading dateline ("TEHRAN (AP) —") left out (pipeline/tagging/stories.py): what copies of one story share. NULL when title and lead hold fewer than 20 words together (too short to tell a copy from another story): the article is a story of its own. A copy under a rewritten headline gets another key, so counts of stories err towards more stories, never fewer.';
COMMENT ON COLUMN article_stories.story_id IS 'article_id of the story this article is a copy of: its first stored copy (its own article_id when it is that copy, or has no key). An article joins the first story with its key (in the order stored) whose first copy''s day is within 7 days of its own, else starts one: a text run again two weeks later is another story.';
COMMENT ON COLUMN article_stories.tagger_version IS 'Version of the code and seeds that derived the row, as in the other derived tables.';

CREATE VIEW v_article_stories AS
SELECT a.article_id, a.day, a.outlet, coalesce(s.story_id, a.article_id) AS story_id,
       count(*) OVER story AS copies, count(DISTINCT a.outlet) OVER story AS story_outlets
FROM articles a LEFT JOIN article_stories s ON s.article_id = a.article_id AND s.day = a.day
WINDOW story AS (PARTITION BY coalesce(s.story_id, a.article_id));
COMMENT ON VIEW v_article_stories IS 'Every article with its story and how many stored copies that story has, by how many outlets: the articles of a pair, topic or day count as count(DISTINCT story_id) stories. Sum no daily counts of stories: a story''s copies span days, so count distinct story_id over the whole span instead. An article stored before migration 0060 and not retagged since is a story of its own. One row per (article_id).';
COMMENT ON COLUMN v_article_stories.article_id IS 'articles.article_id.';
COMMENT ON COLUMN v_article_stories.day IS 'articles.day.';
COMMENT ON COLUMN v_article_stories.outlet IS 'articles.outlet: the outlet of the feed that first carried this copy.';
COMMENT ON COLUMN v_article_stories.story_id IS 'article_stories.story_id: the article_id of the story''s first stored copy (its own article_id for a story of one article, or one stored before migration 0060 and not retagged).';
COMMENT ON COLUMN v_article_stories.copies IS 'Stored articles of this story, this one included (1: no other copy).';
COMMENT ON COLUMN v_article_stories.story_outlets IS 'Distinct outlets of those copies.';
