//! Load and soak test for a running `unspin serve`. Not run in CI; `bench/server/load.sh` starts a
//! server and runs this.
//!
//! ```sh
//! # 8 clients posting the article back to back for 20 s
//! cargo run -p unspin-server --example load -- http://127.0.0.1:8080 --clients 8 --seconds 20
//! # a burst: 32 clients at once, 6 requests each, a mix of small, large and malformed requests,
//! # 4 clients sending their bodies a byte at a time, the server's memory sampled
//! cargo run -p unspin-server --example load -- http://127.0.0.1:8080 --clients 32 --requests 6 \
//!     --mix --slow 4 --pid "$(pgrep -f 'unspin serve')"
//! ```
//!
//! Each kind of request has the answer a correct server gives it (200, or 400 / 413 / 415 for
//! the malformed ones); anything else counts as an error, except 503 (the server says it is
//! full), which is counted apart. With `--retry` a client honours `Retry-After` and tries again.
//! It prints, per kind, the answers and the latency percentiles; overall requests/s; and with
//! `--pid` the server's resident memory at the start, its peak and at the end. Exit status 1 if
//! any answer was wrong.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use reqwest::StatusCode;

struct Args {
    base: String,
    clients: usize,
    seconds: u64,
    requests: Option<usize>,
    file: String,
    mix: bool,
    slow: usize,
    retry: bool,
    pid: Option<u32>,
    max_body: usize,
}

const USAGE: &str = "usage: load BASE_URL [--clients N] [--seconds S | --requests R] [--file ARTICLE] \
                     [--mix] [--slow N] [--retry] [--pid PID] [--max-body BYTES]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        base: String::new(),
        clients: 8,
        seconds: 20,
        requests: None,
        file: "examples/article9001.txt".into(),
        mix: false,
        slow: 0,
        retry: false,
        pid: None,
        max_body: 10 << 20,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        fn number<T: std::str::FromStr>(name: &str, v: String) -> Result<T, String>
        where
            T::Err: std::fmt::Display,
        {
            v.parse().map_err(|e| format!("{name}: {e}"))
        }
        match arg.as_str() {
            "--clients" => args.clients = number("--clients", value("--clients")?)?,
            "--seconds" => args.seconds = number("--seconds", value("--seconds")?)?,
            "--requests" => args.requests = Some(number("--requests", value("--requests")?)?),
            "--slow" => args.slow = number("--slow", value("--slow")?)?,
            "--pid" => args.pid = Some(number("--pid", value("--pid")?)?),
            "--max-body" => args.max_body = number("--max-body", value("--max-body")?)?,
            "--file" => args.file = value("--file")?,
            "--mix" => args.mix = true,
            "--retry" => args.retry = true,
            base if !base.starts_with("--") && args.base.is_empty() => {
                args.base = base.trim_end_matches('/').into()
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if args.base.is_empty() {
        return Err(USAGE.into());
    }
    if args.clients == 0 {
        return Err("--clients must be at least 1".into());
    }
    Ok(args)
}

/// One kind of request, and the status a correct server answers it with.
#[derive(Clone)]
struct Kind {
    name: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    expect: StatusCode,
}

fn kinds(text: &str, max_body: usize) -> Vec<(Kind, u32)> {
    let json = |t: &str| serde_json::to_vec(&serde_json::json!({ "text": t })).unwrap_or_default();
    let small = Kind {
        name: "small",
        content_type: "application/json",
        body: json(text),
        expect: StatusCode::OK,
    };
    // Twenty times the article: a long read, several model windows.
    let large = Kind {
        name: "large",
        body: json(&format!("{text}\n\n").repeat(20)),
        ..small.clone()
    };
    let malformed = Kind {
        name: "malformed json",
        body: b"{\"text\": \"unterminated".to_vec(),
        expect: StatusCode::BAD_REQUEST,
        ..small.clone()
    };
    let wrong_type = Kind {
        name: "wrong type",
        content_type: "image/png",
        body: b"\x89PNG\r\n".to_vec(),
        expect: StatusCode::UNSUPPORTED_MEDIA_TYPE,
    };
    let oversized = Kind {
        name: "oversized",
        content_type: "text/plain",
        body: vec![b'a'; max_body + 1],
        expect: StatusCode::PAYLOAD_TOO_LARGE,
    };
    // Weights out of 100.
    vec![(small, 70), (large, 10), (malformed, 10), (wrong_type, 5), (oversized, 5)]
}

#[derive(Default)]
struct Tally {
    /// Per kind: latencies of right answers, and every answer by status.
    latencies: BTreeMap<&'static str, Vec<Duration>>,
    answers: BTreeMap<&'static str, BTreeMap<String, usize>>,
    wrong: Vec<String>,
    busy: usize,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        for (k, v) in other.latencies {
            self.latencies.entry(k).or_default().extend(v);
        }
        for (k, v) in other.answers {
            let e = self.answers.entry(k).or_default();
            for (status, n) in v {
                *e.entry(status).or_default() += n;
            }
        }
        self.wrong.extend(other.wrong);
        self.busy += other.busy;
    }
}

/// A deterministic stream of choices per client (xorshift), so runs are comparable.
struct Choices(u64);

impl Choices {
    fn pick(&mut self, weights: &[(Kind, u32)]) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        let total: u32 = weights.iter().map(|w| w.1).sum();
        let mut r = (self.0 % u64::from(total)) as u32;
        for (i, (_, w)) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        0
    }
}

async fn client(
    client: reqwest::Client,
    url: String,
    kinds: std::sync::Arc<Vec<(Kind, u32)>>,
    seed: u64,
    requests: Option<usize>,
    end: Instant,
    retry: bool,
) -> Tally {
    let mut tally = Tally::default();
    let mut choices = Choices(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut sent = 0;
    while requests.map_or(Instant::now() < end, |r| sent < r) {
        sent += 1;
        let kind = &kinds[choices.pick(&kinds)].0;
        let t = Instant::now();
        loop {
            let result = client
                .post(&url)
                .header("content-type", kind.content_type)
                .body(kind.body.clone())
                .send()
                .await;
            let (status, retry_after) = match result {
                Ok(r) => {
                    let status = r.status();
                    let after = r
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
                    match r.bytes().await {
                        Ok(_) => (status.as_u16().to_string(), after),
                        Err(e) => (format!("body: {e}"), None),
                    }
                }
                // A body over the limit is refused on its Content-Length, before it is read;
                // the server closes the connection, and a client still sending sees that.
                Err(_) if kind.expect == StatusCode::PAYLOAD_TOO_LARGE => ("413 (closed while sending)".into(), None),
                Err(e) => (format!("request: {e}"), None),
            };
            if status == "503" {
                tally.busy += 1;
                if let (true, Some(after)) = (retry, retry_after) {
                    tokio::time::sleep(Duration::from_secs(after)).await;
                    continue;
                }
            }
            *tally
                .answers
                .entry(kind.name)
                .or_default()
                .entry(status.clone())
                .or_default() += 1;
            if status.starts_with(&kind.expect.as_u16().to_string()) {
                tally.latencies.entry(kind.name).or_default().push(t.elapsed());
            } else if status != "503" {
                tally.wrong.push(format!("{}: {status}", kind.name));
            }
            break;
        }
    }
    tally
}

/// A client that sends its headers, then its body one byte every 500 ms, until answered.
async fn slow_client(base: String, stop: Instant) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://").to_owned();
    let Ok(mut s) = tokio::net::TcpStream::connect(&addr).await else {
        return "connect failed".into();
    };
    let head = "POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 10000\r\n\r\n";
    if s.write_all(head.as_bytes()).await.is_err() {
        return "write failed".into();
    }
    let mut answer = [0u8; 12];
    loop {
        tokio::select! {
            r = s.read(&mut answer) => {
                return match r {
                    Ok(n) if n > 0 => String::from_utf8_lossy(&answer[..n]).trim().to_owned(),
                    _ => "closed without an answer".into(),
                };
            }
            () = tokio::time::sleep(Duration::from_millis(500)) => {
                if Instant::now() > stop || s.write_all(b"a").await.is_err() {
                    return "still open at the end".into();
                }
            }
        }
    }
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
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
    let mut all = kinds(&text, args.max_body);
    if !args.mix {
        all.truncate(1);
    }
    let kinds = std::sync::Arc::new(all);
    let http = reqwest::Client::new();
    let url = format!("{}/v1/analyze", args.base);
    let started = Instant::now();
    let end = started + Duration::from_secs(args.seconds);
    // Memory: sampled once a second until the clients are done.
    let (done_tx, mut done_rx) = tokio::sync::oneshot::channel::<()>();
    let sampler = args.pid.map(|pid| {
        tokio::spawn(async move {
            let mut samples = Vec::new();
            loop {
                if let Some(kib) = rss_kib(pid) {
                    samples.push((started.elapsed(), kib));
                }
                tokio::select! {
                    _ = &mut done_rx => break,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
            samples
        })
    });
    let slow: Vec<_> = (0..args.slow)
        .map(|_| tokio::spawn(slow_client(args.base.clone(), end.max(started + Duration::from_secs(120)))))
        .collect();
    let tasks: Vec<_> = (0..args.clients)
        .map(|i| {
            tokio::spawn(client(
                http.clone(),
                url.clone(),
                kinds.clone(),
                i as u64 + 1,
                args.requests,
                end,
                args.retry,
            ))
        })
        .collect();
    let mut tally = Tally::default();
    for task in tasks {
        match task.await {
            Ok(t) => tally.merge(t),
            Err(e) => tally.wrong.push(e.to_string()),
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let _ = done_tx.send(());

    let answered: usize = tally.answers.values().flat_map(|m| m.values()).sum();
    println!(
        "{} clients{}, {:.1} s: {} answers ({:.1}/s), {} × 503 busy, {} wrong",
        args.clients,
        args.requests.map_or(String::new(), |r| format!(" × {r} requests")),
        elapsed,
        answered,
        answered as f64 / elapsed,
        tally.busy,
        tally.wrong.len()
    );
    println!("{:<15} {:>6} {:>9} {:>9} {:>9}  answers", "kind", "right", "p50 ms", "p99 ms", "max ms");
    for (kind, _) in kinds.iter() {
        let mut l = tally.latencies.remove(kind.name).unwrap_or_default();
        l.sort();
        let answers = tally.answers.get(kind.name).map_or(String::new(), |m| {
            m.iter().map(|(s, n)| format!("{s}×{n}")).collect::<Vec<_>>().join(" ")
        });
        println!(
            "{:<15} {:>6} {:>9.0} {:>9.0} {:>9.0}  {answers}",
            kind.name,
            l.len(),
            percentile(&l, 0.5),
            percentile(&l, 0.99),
            percentile(&l, 1.0)
        );
    }
    if !slow.is_empty() {
        let mut answers = BTreeMap::<String, usize>::new();
        for s in slow {
            *answers.entry(s.await.unwrap_or_else(|e| e.to_string())).or_default() += 1;
        }
        println!("slow senders: {answers:?}");
    }
    if let Some(sampler) = sampler {
        let samples = sampler.await.unwrap_or_default();
        if let (Some(first), Some(last)) = (samples.first(), samples.last()) {
            let peak = samples.iter().map(|s| s.1).max().unwrap_or(0);
            // Growth after warm-up: the last minute against the first minute after 10% of the run.
            let warm = samples.len() / 10;
            let window = 60.min(samples.len() / 4).max(1);
            let mean = |s: &[(Duration, u64)]| s.iter().map(|x| x.1).sum::<u64>() as f64 / s.len().max(1) as f64;
            let early = mean(&samples[warm..(warm + window).min(samples.len())]);
            let late = mean(&samples[samples.len().saturating_sub(window)..]);
            println!(
                "server RSS: {:.0} MiB at start, {:.0} MiB peak, {:.0} MiB at the end; \
                 mean {:.0} MiB early vs {:.0} MiB late ({:+.1}%)",
                first.1 as f64 / 1024.0,
                peak as f64 / 1024.0,
                last.1 as f64 / 1024.0,
                early / 1024.0,
                late / 1024.0,
                (late / early - 1.0) * 100.0
            );
        }
    }
    if let Some(first) = tally.wrong.first() {
        println!("first wrong answer: {first}");
        std::process::exit(1);
    }
}
