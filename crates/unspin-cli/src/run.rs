//! The driver: stream documents from every input, load and analyse them on a pool of workers,
//! and hand results to the writer in input order.
//!
//! Reading is sequential (it only cuts records); decoding, HTML extraction and analysis run in
//! parallel over batches; writing is sequential. The three overlap, a batch apart. Batches keep
//! memory bounded however large the input, and writing in batch order keeps the output identical
//! whatever `--jobs` is.

use std::sync::mpsc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use unspin::corpus::RecordKey;
use unspin::ingest::{self, Pending};

use crate::config::Sources;

/// Counts of a finished run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Outcome {
    pub documents: usize,
    pub errors: usize,
}

/// Documents per worker per batch: enough to keep workers busy despite uneven document sizes.
const BATCH_PER_JOB: usize = 16;

/// Run `work` on every document of `sources` on `sources.jobs` threads, then `sink` on each result
/// in input order. `sink` gets `Err` for inputs and records that failed, and for documents that
/// `work` failed on; it returns `Err` only to stop the run (output failed).
pub fn drive<T: Send>(
    sources: &Sources,
    work: impl Fn(unspin::Document) -> Result<T, unspin::Error> + Sync,
    mut sink: impl FnMut(Result<T, unspin::Error>) -> std::io::Result<()>,
) -> anyhow::Result<Outcome> {
    drive_keyed(sources, |_, doc| work(doc), |_, result| Ok(sink(result)?))
}

/// [`drive`], with each record's key (its input, and its index among the items that input
/// yields, errors included) given to `work` and `sink`; `unspin index` stores by it.
pub fn drive_keyed<T: Send>(
    sources: &Sources,
    work: impl Fn(&RecordKey, unspin::Document) -> Result<T, unspin::Error> + Sync,
    mut sink: impl FnMut(RecordKey, Result<T, unspin::Error>) -> anyhow::Result<()>,
) -> anyhow::Result<Outcome> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(sources.jobs).build()?;
    let progress = progress_bar(sources);
    let batch_size = sources.jobs * BATCH_PER_JOB;
    // Three stages, a batch apart: a reader cuts records, the pool analyses a batch, and this
    // thread writes the batch before it. The channels hold one batch each, so at most four
    // batches are alive at once, and the pool does not wait for reading or writing.
    let (read_tx, read_rx) = mpsc::sync_channel::<Vec<Item>>(1);
    let (done_tx, done_rx) = mpsc::sync_channel::<Vec<(RecordKey, Result<T, unspin::Error>)>>(1);
    let outcome = std::thread::scope(|scope| -> anyhow::Result<Outcome> {
        let reader_progress = progress.clone();
        scope.spawn(move || {
            let mut batch: Vec<Item> = Vec::with_capacity(batch_size);
            for input in &sources.inputs {
                let source = input.display_path().display().to_string();
                for (record, item) in ingest::read(input, &sources.ingest).enumerate() {
                    batch.push((RecordKey { source: source.clone(), record: record as u64 }, item));
                    // A failed send means the writer stopped (its error ends the run).
                    if batch.len() >= batch_size && read_tx.send(std::mem::take(&mut batch)).is_err() {
                        return;
                    }
                }
                reader_progress.inc(1);
            }
            if !batch.is_empty() {
                let _ = read_tx.send(batch);
            }
        });
        let work = &work;
        let pool = &pool;
        scope.spawn(move || {
            for mut batch in read_rx {
                let results = pool.install(|| {
                    batch
                        .par_drain(..)
                        .map(|(key, item)| {
                            let result = item.and_then(Pending::load).and_then(|doc| work(&key, doc));
                            (key, result)
                        })
                        .collect()
                });
                if done_tx.send(results).is_err() {
                    return;
                }
            }
        });
        let mut outcome = Outcome::default();
        for results in done_rx {
            for (key, result) in results {
                match &result {
                    Ok(_) => outcome.documents += 1,
                    Err(e) => {
                        outcome.errors += 1;
                        progress.suspend(|| eprintln!("unspin: {e}"));
                    }
                }
                sink(key, result)?;
            }
            let rate = outcome.documents as f64 / progress.elapsed().as_secs_f64().max(1e-3);
            progress.set_message(format!("{} docs · {} errors · {rate:.0} docs/s", outcome.documents, outcome.errors));
        }
        Ok(outcome)
    })?;
    progress.finish_and_clear();
    Ok(outcome)
}

type Item = (RecordKey, Result<Pending, unspin::Error>);

fn progress_bar(sources: &Sources) -> ProgressBar {
    if !sources.progress {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(sources.inputs.len() as u64);
    let style = ProgressStyle::with_template("{spinner} {elapsed_precise} {bar:20} {pos}/{len} inputs · {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
