//! Replays the committed fuzz corpus (`fuzz/corpus/TARGET/`) and every crash found so far
//! (`fuzz/regressions/TARGET/`) through the target bodies, so `cargo test` keeps them passing
//! without a fuzzer.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files of `dir`, in name order; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> =
        entries.map(|e| e.expect("a readable directory entry").path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

fn replay(kind: &str) -> usize {
    let mut ran = 0;
    for &(name, target) in unspin_fuzz::TARGETS {
        for file in files(&root().join(kind).join(name)) {
            let data = std::fs::read(&file).expect("a readable corpus file");
            // A panic names the file that caused it.
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(outcome.is_ok(), "{name} panicked on {}", file.display());
            ran += 1;
        }
    }
    ran
}

#[test]
fn every_target_has_a_seed_corpus() {
    for &(name, _) in unspin_fuzz::TARGETS {
        let seeds = files(&root().join("corpus").join(name));
        assert!(seeds.len() >= 3, "fuzz/corpus/{name}/ has {} seeds; write a few", seeds.len());
        for seed in &seeds {
            let size = std::fs::metadata(seed).unwrap().len();
            assert!(size <= 16 * 1024, "{} is {size} bytes: seeds stay small", seed.display());
        }
    }
}

#[test]
fn every_corpus_folder_is_a_target() {
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root().join(kind)) else { continue };
        for entry in entries {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(unspin_fuzz::target(&name).is_some(), "fuzz/{kind}/{name} matches no target");
        }
    }
}

#[test]
fn the_seed_corpus_replays() {
    assert!(replay("corpus") > 0);
}

#[test]
fn the_regressions_replay() {
    replay("regressions");
}
