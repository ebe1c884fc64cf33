//! Load benchmark for a running `unspin serve`: N clients post the same article to
//! `/v1/analyze` back to back for a bounded time, then requests/s, latency percentiles and
//! errors are printed. Not run in CI; `bench/server/load.sh` starts a server and runs this.
//!
//! ```sh
//! cargo run -p unspin-server --example load -- http://127.0.0.1:8080 --clients 8 --seconds 20 \
//!     --file examples/article9001.txt
//! ```

use std::time::{Duration, Instant};

use reqwest::StatusCode;

struct Args {
    base: String,
    clients: usize,
    seconds: u64,
    file: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        base: String::new(),
        clients: 8,
        seconds: 20,
        file: "examples/article9001.txt".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--clients" => {
                args.clients = value("--clients")?
                    .parse()
                    .map_err(|e| format!("--clients: {e}"))?
            }
            "--seconds" => {
                args.seconds = value("--seconds")?
                    .parse()
                    .map_err(|e| format!("--seconds: {e}"))?
            }
            "--file" => args.file = value("--file")?,
            base if !base.starts_with("--") && args.base.is_empty() => {
                args.base = base.trim_end_matches('/').into()
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.base.is_empty() {
        return Err("usage: load BASE_URL [--clients N] [--seconds S] [--file ARTICLE]".into());
    }
    if args.clients == 0 {
        return Err("--clients must be at least 1".into());
    }
    Ok(args)
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    /// Answers other than 200 (busy, timeouts) and failed connections.
    errors: Vec<String>,
}

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", args.file);
            std::process::exit(2);
        }
    };
    let body = serde_json::to_vec(&serde_json::json!({ "text": text })).unwrap_or_default();
    let words = text.split_whitespace().count();
    let client = reqwest::Client::new();
    let url = format!("{}/v1/analyze", args.base);
    let end = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.clients {
        let (client, url, body) = (client.clone(), url.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            while Instant::now() < end {
                let t = Instant::now();
                let result = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await;
                match result {
                    Ok(r) if r.status() == StatusCode::OK => match r.bytes().await {
                        Ok(_) => tally.latencies.push(t.elapsed()),
                        Err(e) => tally.errors.push(e.to_string()),
                    },
                    Ok(r) => tally.errors.push(r.status().to_string()),
                    Err(e) => tally.errors.push(e.to_string()),
                }
            }
            tally
        }));
    }
    let mut all = Tally::default();
    for task in tasks {
        match task.await {
            Ok(t) => {
                all.latencies.extend(t.latencies);
                all.errors.extend(t.errors);
            }
            Err(e) => all.errors.push(e.to_string()),
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.latencies.sort();
    let pct = |p: f64| -> f64 {
        if all.latencies.is_empty() {
            return f64::NAN;
        }
        let i = ((all.latencies.len() as f64 - 1.0) * p).round() as usize;
        all.latencies[i].as_secs_f64() * 1000.0
    };
    let ok = all.latencies.len();
    println!(
        "{} clients, {:.1} s, {} words per request: {} ok, {} errors",
        args.clients,
        elapsed,
        words,
        ok,
        all.errors.len()
    );
    println!(
        "{:.1} requests/s ({:.0} words/s); latency p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        ok as f64 / elapsed,
        (ok * words) as f64 / elapsed,
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
    if let Some(first) = all.errors.first() {
        println!("first error: {first}");
        std::process::exit(1);
    }
}
