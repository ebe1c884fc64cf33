//! Hostile bytes through every reader: errors are fine, panics are not.
//!
//! A seeded generator makes the cases reproducible; each case is either random bytes or a valid
//! input of the format with bytes flipped, cut or duplicated, which reaches deeper into the parsers
//! than noise does.

use std::io::Write;

use unspin::ingest::{self, IngestOptions, Input, InputKind};

/// xorshift64*: tiny, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    match rng.below(4) {
        0 => (0..rng.below(64) + 1).map(|_| rng.next() as u8).collect(),
        1 => {
            bytes.truncate(rng.below(seed.len() + 1));
            bytes
        }
        2 => {
            for _ in 0..rng.below(8) + 1 {
                let i = rng.below(bytes.len());
                if let Some(b) = bytes.get_mut(i) {
                    *b = rng.next() as u8;
                }
            }
            bytes
        }
        _ => {
            let from = rng.below(bytes.len());
            let to = (from + rng.below(64)).min(bytes.len());
            let piece = bytes[from..to].to_vec();
            let at = rng.below(bytes.len());
            bytes.splice(at..at, piece);
            bytes
        }
    }
}

const SEEDS: &[(InputKind, &str, &[u8])] = &[
    (InputKind::Text, "a.txt", "Title\r\n\r\nThe “regime” lied. Again… and again?! Mr. Smith said so.\n".as_bytes()),
    (InputKind::Jsonl, "a.jsonl", b"{\"id\":\"1\",\"text\":\"One.\"}\n{\"id\":2,\"html\":\"<p>Two paragraphs here.</p>\"}\n"),
    (
        InputKind::Html,
        "a.html",
        b"<html><head><meta charset=utf-8><title>T | Site</title></head><body><nav>Home</nav><article><p>The first paragraph of the story is long enough to count as text.</p><p>A second one follows it.</p></article></body></html>",
    ),
    (
        InputKind::Warc,
        "a.warc",
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Target-URI: http://example.com/a\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: 120\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>The article body is right here.</p></body></html>\r\n\r\n",
    ),
];

#[test]
fn mutated_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut cases = 0;
    for (kind, name, seed) in SEEDS {
        for i in 0..150 {
            let bytes = mutate(&mut rng, seed);
            let path = dir.path().join(format!("{i}-{name}"));
            std::fs::File::create(&path).unwrap().write_all(&bytes).unwrap();
            for forced in [None, Some(*kind)] {
                let opts = IngestOptions { kind: forced, max_doc_bytes: 1 << 20, ..IngestOptions::default() };
                let input = Input::Path(path.clone());
                // Errors must name the file.
                for result in ingest::read_all(&input, &opts) {
                    if let Err(e) = result {
                        assert!(e.to_string().contains(&format!("{i}-{name}")), "{e}");
                    }
                }
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 4 * 150 * 2);
}

/// Label files for `unspin eval`: every mutation either parses or is an error naming the file and
/// a line — and whatever parses scores perfectly against itself.
#[test]
fn mutated_label_files_never_panic() {
    use std::path::Path;
    use unspin::eval::{labels, score_flc, score_si, score_tc};

    let si_seed = "111\t10\t20\n111\t15\t40\n222\t0\t3\n".as_bytes();
    let tc_seed = "111\tName_Calling,Labeling\t10\t20\n111\tDoubt\t10\t20\n222\t?\t0\t3\n".as_bytes();
    let mut rng = Rng(0x1abe_15ee_d000_0002);
    let (mut parsed, mut refused) = (0, 0);
    for seed in [si_seed, tc_seed] {
        for _ in 0..300 {
            let bytes = mutate(&mut rng, seed);
            let text = String::from_utf8_lossy(&bytes);
            let path = Path::new("m.labels");
            let mut outcome = |ok: bool| if ok { parsed += 1 } else { refused += 1 };
            for result in [labels::parse_si(path, &text), labels::parse_template(path, &text)] {
                match result {
                    Ok(spans) => {
                        outcome(true);
                        assert!(spans.iter().all(|s| s.start < s.end));
                        let perfect = if spans.is_empty() { 0.0 } else { 1.0 };
                        assert_eq!(score_si(&spans, &spans).f1, perfect, "{text:?}");
                    }
                    Err(e) => {
                        outcome(false);
                        assert!(e.to_string().starts_with("m.labels:"), "{e}");
                    }
                }
            }
            match labels::parse_tc(path, &text) {
                Ok(lines) => {
                    outcome(true);
                    let perfect = if lines.is_empty() { 0.0 } else { 1.0 };
                    assert_eq!(score_tc(&lines, &lines).f1, perfect, "{text:?}");
                    assert_eq!(score_flc(&lines, &lines).overall.f1, perfect, "{text:?}");
                }
                Err(e) => {
                    outcome(false);
                    assert!(e.to_string().starts_with("m.labels:"), "{e}");
                }
            }
        }
    }
    // The mutations reach both outcomes, or the test would not be testing much.
    assert!(parsed > 50 && refused > 50, "{parsed} parsed, {refused} refused");
}
