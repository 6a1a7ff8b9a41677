-- Stored text keeps its paragraphs: feed HTML's paragraphs, list items, headings and line breaks (and a plain text's
-- paragraphs) part it with a blank line, which the tagger's sentence splitter ends a sentence at. Joined on one line,
-- two headlines of a list ("Russia sends troops ..." then "China warns Taiwan ...") were one sentence, and its pair a
-- false one. The content hash reads the text on one line, as every earlier version stored it: an article stored before
-- keeps its text, and is no new version of itself when a feed gives it again.

COMMENT ON COLUMN articles.text IS 'Plain-text summary or content used for tagging, cleaned as the title, each paragraph (an HTML block element: paragraph, list item, heading, line break, table cell; in plain text a blank line or a line break before an indent) on one line and parted from the next by a blank line ("\n\n" between them). Articles stored before migration 0071 hold one line. Cut to 50,000 characters of its one-line form. Untrusted: never render as HTML.';
COMMENT ON COLUMN articles.content_hash IS 'sha256 of title and text as first captured, the text read on one line (its paragraph breaks as spaces, as text was stored before migration 0071). A later version''s is article_revisions.content_hash.';
COMMENT ON COLUMN article_revisions.text IS 'Plain-text summary or content of this version, in paragraphs and cut as articles.text is (not tagged). Untrusted: never render as HTML.';
