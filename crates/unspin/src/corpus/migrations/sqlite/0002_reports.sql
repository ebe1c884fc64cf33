-- Schema v2: each document's report, the record `unspin analyze --format json` writes for it
-- (text, spans with explanations, sentences, claims), so that the corpus view of `unspin serve
-- --db` opens an article with its stored spans and claims without analysing it again.
-- Documents stored under v1 have no row here until they are analysed again (`--reanalyze`).

CREATE TABLE reports (
    doc            INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    schema_version TEXT    NOT NULL,  -- the JSON output's schema version when stored
    json           TEXT    NOT NULL
);
