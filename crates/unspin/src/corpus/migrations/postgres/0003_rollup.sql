-- Schema v3, PostgreSQL: migrations/sqlite/0003_rollup.sql in PostgreSQL's types.
-- `rollup`, the measures of `unspin trends` summed per outlet, day, language and
-- technique, kept up to date by every write (a document's rows add to its cell; replacing or
-- deleting it subtracts them). `trends` and the corpus view aggregate these cells instead of the
-- documents and spans, so a 1M-document corpus answers in well under a second. Keys are '' where
-- the document has no outlet, date or language; `technique` is '' for the documents' own sums.

CREATE TABLE rollup (
    outlet               TEXT    NOT NULL,  -- documents.outlet, or ''
    day                  TEXT    NOT NULL,  -- the first 10 characters of documents.date, or ''
    language             TEXT    NOT NULL,  -- lower(documents.language), or ''
    technique            TEXT    NOT NULL,  -- '' (the documents) or a SemEval label (those holding it)
    documents            BIGINT NOT NULL,  -- documents (technique rows: those with a span of it)
    words                BIGINT NOT NULL,  -- technique rows: 0
    sentences            BIGINT NOT NULL,  -- technique rows: 0
    span_sentences       BIGINT NOT NULL,  -- technique rows: 0
    claims               BIGINT NOT NULL,
    unattributed         BIGINT NOT NULL,
    subjective           BIGINT NOT NULL,  -- the sum of documents.subjective where not NULL
    subjective_documents BIGINT NOT NULL,  -- documents whose subjective is not NULL
    scored               BIGINT NOT NULL,
    spans                BIGINT NOT NULL,  -- '' rows: all spans; technique rows: that technique's
    technique_sentences  BIGINT NOT NULL,  -- technique rows: sentence_techniques rows; '' rows: 0
    PRIMARY KEY (outlet, day, language, technique)
);

-- Then filled from the rows already stored: migrations/rollup_rebuild.sql.

-- The corpus view's technique filter goes from spans to documents.
CREATE INDEX spans_technique_doc ON spans (technique, doc);
DROP INDEX spans_technique;
