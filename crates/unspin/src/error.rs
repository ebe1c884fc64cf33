//! The library's one error type.
//!
//! Every variant that comes from outside data names where it came from (a file, and the record or
//! line within it) so the front ends can print it as it is.

use std::path::PathBuf;

/// Where in the input an error happened: a file (or `-` for stdin) and, for containers, a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: PathBuf,
    /// "line 12" for JSON Lines, "record 3 (offset 5120)" for WARC; `None` for a whole file.
    pub record: Option<String>,
}

impl Origin {
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Origin { path: path.into(), record: None }
    }

    pub fn record(path: impl Into<PathBuf>, record: impl Into<String>) -> Self {
        Origin { path: path.into(), record: Some(record.into()) }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(record) = &self.record {
            write!(f, ", {record}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{origin}: {source}")]
    Io {
        origin: Origin,
        #[source]
        source: std::io::Error,
    },

    /// The input is not text in any encoding unspin can read (or not valid in the one it claims).
    #[error("{origin}: {message}")]
    Encoding { origin: Origin, message: String },

    /// The input looks like a binary file (NUL bytes, control characters).
    #[error("{origin}: looks like a binary file, not text ({detail})")]
    Binary { origin: Origin, detail: String },

    #[error("{origin}: document is larger than the limit of {limit} bytes (raise it with --max-doc-bytes)")]
    TooLarge { origin: Origin, limit: u64 },

    #[error("{origin}: empty document")]
    Empty { origin: Origin },

    /// A record of a container format (JSON Lines, WARC) is malformed.
    #[error("{origin}: {message}")]
    Malformed { origin: Origin, message: String },

    /// HTML in which no article text could be found.
    #[error("{origin}: no article text found in the HTML")]
    NoContent { origin: Origin },

    /// A label file given to import spans from is malformed.
    #[error("{path}:{line}: {message}")]
    Labels { path: PathBuf, line: usize, message: String },

    /// A WordPiece vocabulary (`vocab.txt`) that cannot be used: unreadable, not UTF-8, or missing
    /// one of the special tokens the model needs.
    #[error("{origin}: not a usable WordPiece vocabulary: {message}")]
    Vocab { origin: Origin, message: String },

    /// A setting given to the library (by a front end, from its user) is out of range.
    #[error("{0}")]
    Setting(String),

    /// A directory given as label files holds none.
    #[error("{path}: no *.labels files in this directory")]
    NoLabelFiles { path: PathBuf },

    /// A model folder is missing, incomplete or does not fit this version of unspin.
    #[error("model {path}: {message}")]
    Model { path: PathBuf, message: String },

    /// The inference runtime (ONNX Runtime) could not be loaded or failed.
    #[error("{0}")]
    Runtime(String),

    /// A sentence scorer (check-worthiness, subjectivity) failed or answered out of turn.
    #[error("sentence scorer {scorer}: {message}")]
    Scorer { scorer: String, message: String },

    /// Writing output failed.
    #[error("writing output: {0}")]
    Output(#[source] std::io::Error),

    /// A corpus database that cannot be opened, read or written (corpus mode).
    /// `db` names it: the SQLite path, or the PostgreSQL URL without its password.
    #[error("database {db}: {message}")]
    Database { db: String, message: String },

    /// A corpus database written by a newer unspin.
    #[error("database {db}: schema version {found} is newer than this unspin supports ({supported}); use a newer unspin")]
    SchemaTooNew { db: String, found: i64, supported: i64 },

    /// A table could not be written as a file (`unspin export`).
    #[error("writing {path}: {message}")]
    Export { path: PathBuf, message: String },

    /// Another process is writing to the same corpus database.
    /// `lock` says which lock: the SQLite lock file, or PostgreSQL's advisory lock.
    #[error("database {db}: another unspin process is writing to it (it holds {lock}); wait for it to finish")]
    Locked { db: String, lock: String },
}

impl Error {
    /// Where the failing input came from, if the error is about an input.
    pub fn origin(&self) -> Option<&Origin> {
        match self {
            Error::Io { origin, .. }
            | Error::Encoding { origin, .. }
            | Error::Binary { origin, .. }
            | Error::TooLarge { origin, .. }
            | Error::Empty { origin }
            | Error::Malformed { origin, .. }
            | Error::NoContent { origin }
            | Error::Vocab { origin, .. } => Some(origin),
            Error::Labels { .. }
            | Error::NoLabelFiles { .. }
            | Error::Setting(_)
            | Error::Model { .. }
            | Error::Runtime(_)
            | Error::Scorer { .. }
            | Error::Output(_)
            | Error::Database { .. }
            | Error::SchemaTooNew { .. }
            | Error::Export { .. }
            | Error::Locked { .. } => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
