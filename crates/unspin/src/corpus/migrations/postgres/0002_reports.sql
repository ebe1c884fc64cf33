-- Schema v2, PostgreSQL: migrations/sqlite/0002_reports.sql in PostgreSQL's types.

CREATE TABLE reports (
    doc            BIGINT  PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    schema_version TEXT    NOT NULL,  -- the JSON output's schema version when stored
    json           TEXT    NOT NULL
);
