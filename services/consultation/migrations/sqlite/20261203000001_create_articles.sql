-- News items and plain-language pages, written by staff in each of the platform's languages.
-- A language version may be missing; the public reads only published articles.
CREATE TABLE articles (
    article_id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    published_at INTEGER
);
CREATE INDEX articles_published ON articles (status, published_at, article_id);

CREATE TABLE article_translations (
    article_id TEXT NOT NULL REFERENCES articles (article_id),
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (article_id, language)
);
