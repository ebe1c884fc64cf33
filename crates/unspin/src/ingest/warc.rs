//! WARC and WARC.gz (the CC-NEWS layout): one document per HTML `response` record.

use std::io::BufRead;
use std::path::PathBuf;

use crate::error::Result;
use crate::ingest::IngestOptions;
use crate::Document;

/// Iterator over the HTML documents of a WARC stream (already un-gzipped).
pub struct Records<R> {
    reader: R,
    path: PathBuf,
    opts: IngestOptions,
}

impl<R: BufRead> Records<R> {
    pub fn new(reader: R, path: PathBuf, opts: IngestOptions) -> Self {
        Records { reader, path, opts }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Self::Item> {
        let _ = (&mut self.reader, &self.path, &self.opts);
        todo!("warc")
    }
}
