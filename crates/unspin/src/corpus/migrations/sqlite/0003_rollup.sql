-- Schema v3: `rollup`, the measures of `unspin trends` summed per outlet, day, language and
-- technique, kept up to date by every write (a document's rows add to its cell; replacing or
-- deleting it subtracts them). `trends` and the corpus view aggregate these cells instead of the
-- documents and spans, so a 1M-document corpus answers in well under a second. Keys are '' where
-- the document has no outlet, date or language; `technique` is '' for the documents' own sums.

CREATE TABLE rollup (
    outlet               TEXT    NOT NULL,  -- documents.outlet, or ''
    day                  TEXT    NOT NULL,  -- the first 10 characters of documents.date, or ''
    language             TEXT    NOT NULL,  -- lower(documents.language), or ''
    technique            TEXT    NOT NULL,  -- '' (the documents) or a SemEval label (those holding it)
    documents            INTEGER NOT NULL,  -- documents (technique rows: those with a span of it)
    words                INTEGER NOT NULL,  -- technique rows: 0
    sentences            INTEGER NOT NULL,  -- technique rows: 0
    span_sentences       INTEGER NOT NULL,  -- technique rows: 0
    claims               INTEGER NOT NULL,
    unattributed         INTEGER NOT NULL,
    subjective           INTEGER NOT NULL,  -- the sum of documents.subjective where not NULL
    subjective_documents INTEGER NOT NULL,  -- documents whose subjective is not NULL
    scored               INTEGER NOT NULL,
    spans                INTEGER NOT NULL,  -- '' rows: all spans; technique rows: that technique's
    technique_sentences  INTEGER NOT NULL,  -- technique rows: sentence_techniques rows; '' rows: 0
    PRIMARY KEY (outlet, day, language, technique)
) WITHOUT ROWID;

-- Then filled from the rows already stored: migrations/rollup_rebuild.sql.

-- The corpus view's technique filter goes from spans to documents.
CREATE INDEX spans_technique_doc ON spans (technique, doc);
DROP INDEX spans_technique;
