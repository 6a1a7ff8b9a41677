-- Titles and texts are read as HTML only when they hold HTML's own tags: plain text keeps what it writes between
-- "<" and ">" (Reuters' "<Sedio N.V.>", "if a<b"), which stripping deleted. Articles stored before keep their text.

COMMENT ON COLUMN articles.title IS 'Plain-text title: HTML tags stripped when it held HTML (an element such as <p>, <br>, <a href=...>, </div>), else kept as written, "<" and ">" included; entities decoded. Untrusted: never render as HTML.';
COMMENT ON COLUMN articles.text IS 'Plain-text summary or content used for tagging, cleaned as the title. Untrusted: never render as HTML.';
