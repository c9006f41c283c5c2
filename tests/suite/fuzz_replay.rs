//! Replays the fuzzing corpus (fuzz/corpus/seed) and every input that ever
//! crashed a fuzz target (fuzz/artifacts/TARGET/crash-*, kept in git):
//! none may panic, in any phase.

use crate::support::{files_with, root};
use std::path::PathBuf;

fn inputs() -> Vec<PathBuf> {
    let mut all = files_with(&root().join("fuzz/corpus/seed"), "taskflow");
    let artifacts = root().join("fuzz/artifacts");
    if artifacts.is_dir() {
        for dir in std::fs::read_dir(&artifacts).unwrap() {
            let dir = dir.unwrap().path();
            if dir.is_dir() {
                for f in std::fs::read_dir(&dir).unwrap() {
                    all.push(f.unwrap().path());
                }
            }
        }
    }
    all
}

#[test]
fn the_fuzzing_corpus_and_past_crashes_never_panic() {
    let inputs = inputs();
    assert!(
        inputs.len() >= 100,
        "the seed corpus is missing ({} inputs)",
        inputs.len()
    );
    for path in inputs {
        let bytes = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| {
            if let Ok(text) = tfc::decode(bytes) {
                let _ = tfc::syntax::parse(&text);
                let _ = tfc::check_all(&text, &Default::default());
                let compiled = tfc::compile(&text, &Default::default());
                if let Some(objects) = compiled.objects {
                    let _ = tfc::emit::yaml::stream(&objects);
                    let _ = tfc::compile_chart(&text, &Default::default());
                }
            }
        });
        assert!(outcome.is_ok(), "{} panics", path.display());
    }
}
