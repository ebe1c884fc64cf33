-- Fills `rollup` from the documents, spans and sentence techniques (both databases): what
-- migration 3 runs once, and `schema::rebuild_rollup` after bulk loads that bypass the writer.

INSERT INTO rollup
SELECT COALESCE(outlet, ''), COALESCE(substr(date, 1, 10), ''), COALESCE(lower(language), ''), '',
       COUNT(*), SUM(words), SUM(sentences), SUM(span_sentences), SUM(claims), SUM(unattributed),
       COALESCE(SUM(subjective), 0), COUNT(subjective), SUM(scored), SUM(spans), 0
FROM documents GROUP BY 1, 2, 3;

INSERT INTO rollup
SELECT COALESCE(d.outlet, ''), COALESCE(substr(d.date, 1, 10), ''), COALESCE(lower(d.language), ''), t.technique,
       COUNT(*), 0, 0, 0, SUM(d.claims), SUM(d.unattributed), COALESCE(SUM(d.subjective), 0), COUNT(d.subjective),
       SUM(d.scored), SUM(t.spans), SUM(COALESCE(st.n, 0))
FROM documents d
JOIN (SELECT doc, technique, COUNT(*) AS spans FROM spans GROUP BY doc, technique) t ON t.doc = d.id
LEFT JOIN (SELECT doc, technique, COUNT(*) AS n FROM sentence_techniques GROUP BY doc, technique) st
       ON st.doc = d.id AND st.technique = t.technique
GROUP BY 1, 2, 3, 4;
