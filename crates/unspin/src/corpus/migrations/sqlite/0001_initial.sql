-- Schema v1 of an unspin corpus, SQLite. docs/corpus.md describes every column;
-- migrations/postgres/0001_initial.sql is the same schema in PostgreSQL's types.

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    source        TEXT    NOT NULL,  -- input path as given (or `-`)
    record        INTEGER NOT NULL,  -- 0-based index of the record within `source`
    doc_id        TEXT    NOT NULL,  -- the document's own id (JSONL id, WARC record id, file stem)
    url           TEXT,
    outlet        TEXT,              -- host without `www.`
    outlet_name   TEXT,              -- the outlet's own name, when the page states it
    title         TEXT,
    date          TEXT,              -- ISO 8601 as found
    language      TEXT,
    chars         INTEGER NOT NULL,
    words         INTEGER NOT NULL,
    sentences     INTEGER NOT NULL,
    spans         INTEGER NOT NULL,
    span_sentences INTEGER NOT NULL, -- sentences overlapping at least one span
    claims        INTEGER NOT NULL,
    unattributed  INTEGER NOT NULL,  -- claims with no source
    subjective    INTEGER,           -- sentences scored subjective; NULL without scores
    scored        INTEGER NOT NULL,  -- sentences with a subjectivity score
    score         REAL    NOT NULL,  -- the document score of the JSON output
    content_hash  TEXT    NOT NULL,  -- SHA-256 of the document (id, text, metadata)
    model         TEXT    NOT NULL,
    model_version TEXT    NOT NULL,
    analysed_at   TEXT    NOT NULL,  -- UTC, ISO 8601
    UNIQUE (source, record)
);
CREATE INDEX documents_outlet ON documents (outlet);
CREATE INDEX documents_date ON documents (date);

CREATE TABLE spans (
    doc        INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    technique  TEXT    NOT NULL,  -- SemEval label
    char_start INTEGER NOT NULL,
    char_end   INTEGER NOT NULL,
    byte_start INTEGER NOT NULL,
    byte_end   INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    confidence REAL    NOT NULL
);
CREATE INDEX spans_doc ON spans (doc);
CREATE INDEX spans_technique ON spans (technique);

CREATE TABLE sentences (
    doc          INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    idx          INTEGER NOT NULL,
    char_start   INTEGER NOT NULL,
    char_end     INTEGER NOT NULL,
    checkworthy  REAL,
    subjective   REAL,
    source_kind  TEXT    NOT NULL,  -- named, vague, none
    claim        INTEGER NOT NULL,
    unattributed INTEGER NOT NULL,
    hedged       INTEGER NOT NULL,
    insinuation  INTEGER NOT NULL,
    PRIMARY KEY (doc, idx)
) WITHOUT ROWID;

-- Which techniques' spans overlap which sentence: one row per (sentence, technique).
CREATE TABLE sentence_techniques (
    doc       INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    sentence  INTEGER NOT NULL,
    technique TEXT    NOT NULL,
    PRIMARY KEY (doc, sentence, technique)
) WITHOUT ROWID;
CREATE INDEX sentence_techniques_technique ON sentence_techniques (technique);

CREATE TABLE errors (
    source  TEXT    NOT NULL,
    record  INTEGER NOT NULL,
    message TEXT    NOT NULL,
    at      TEXT    NOT NULL,
    PRIMARY KEY (source, record)
);
