//! `unspin serve`: load the model, hand it to the server crate, print where it listens.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use unspin::Pipeline;
use unspin_server::{Config, FetchLimits, Limits, Server};

use crate::args::ServeArgs;
use crate::config::load_model;

pub fn run(args: &ServeArgs) -> anyhow::Result<()> {
    let defaults = Limits::default();
    let concurrency = args.concurrency.unwrap_or(defaults.concurrency);
    if concurrency == 0 {
        bail!("--concurrency must be at least 1");
    }
    if args.timeout == 0 {
        bail!("--timeout must be at least 1 second");
    }
    if args.body_timeout == 0 {
        bail!("--body-timeout must be at least 1 second");
    }
    let max_body_bytes =
        usize::try_from(args.max_body).context("--max-body is too large for this machine")?;
    // One inference session per analysis slot; the cores are shared among them.
    let detector = load_model(&args.model, concurrency)?;
    let engine = detector.engine().to_owned();
    let pipeline = Pipeline::new().with_detector(detector);
    let config = Config {
        bind: args.bind,
        limits: Limits {
            max_body_bytes,
            timeout: Duration::from_secs(args.timeout),
            concurrency,
            queue: args.queue,
            max_wait: Duration::from_secs(args.max_wait),
            body_timeout: Duration::from_secs(args.body_timeout),
            ..defaults
        },
        fetch: FetchLimits {
            allow_private: args.allow_private_urls,
            ..FetchLimits::default()
        },
        corpus: args.db.clone(),
    };
    let server = Server::bind(config, Arc::new(pipeline))?;
    let addr = server.local_addr()?;
    eprintln!("unspin serve: listening on http://{addr}/ (Ctrl-C stops); model engine: {engine}");
    if let Some(db) = &args.db {
        eprintln!("unspin serve: corpus view of {db} at http://{addr}/#corpus");
    }
    server.run()?;
    Ok(())
}
