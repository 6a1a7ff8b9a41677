-- v_articles.read_language's comment gave "English articles" as the part of the tag before the first '-' being 'en':
-- a feed declaring en_US (underscore) or eng (ISO 639-2) is read as English by the tagger (tagging/text.py
-- is_english), so a share of English articles counted from the comment left those out of the denominator while
-- their topics were counted. The comment now gives the tagger's rule (tests/store/test_schema.py runs it).
COMMENT ON COLUMN v_articles.read_language IS 'The language the article was tagged in: the declared one as given (BCP 47, case not normalised: en, en-US and en-gb all occur), else the one the tagger read from its words or script (article_languages); NULL: none declared or read, tagged as English. English articles, as the tagger reads them: coalesce(lower(split_part(replace(trim(read_language), ''_'', ''-''), ''-'', 1)), ''en'') IN (''en'', ''eng''). Only English articles get topics and cues.';
