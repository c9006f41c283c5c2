//! Every example compiles cleanly, in every environment, to the snapshotted
//! YAML, deterministically and far more compactly than the YAML it replaces.

use crate::support::{examples, snapshot_settings, tfc};
use tfc::emit::yaml;

/// (example file stem, env) → the YAML stream.
pub fn compiled_examples() -> Vec<(String, Option<String>, String)> {
    let mut out = Vec::new();
    for path in examples() {
        let source = std::fs::read_to_string(&path).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        for (env, c) in crate::support::compiled_variants(&source, path.parent().unwrap()) {
            let errors: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
            assert!(errors.is_empty(), "{stem} {env:?}: {errors:#?}");
            let objects = c.objects.unwrap();
            out.push((stem.clone(), env, yaml::stream(&objects).unwrap()));
        }
    }
    out
}

#[test]
fn examples_compile_to_the_snapshotted_yaml() {
    let all = compiled_examples();
    assert!(
        all.len() >= 5,
        "expected the four examples and an environment"
    );
    for (stem, env, stream) in all {
        let name = match env {
            Some(e) => format!("example__{stem}__{e}"),
            None => format!("example__{stem}"),
        };
        snapshot_settings().bind(|| insta::assert_snapshot!(name, stream));
    }
}

#[test]
fn examples_have_no_warnings_but_missing_secret_values() {
    for path in examples() {
        let source = std::fs::read_to_string(&path).unwrap();
        let c = tfc::compile(&source, &tfc::CompileOptions::default());
        let other: Vec<_> = c
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() != "TF1005")
            .map(|d| d.message.clone())
            .collect();
        assert!(other.is_empty(), "{}: {other:#?}", path.display());
    }
}

/// Lines that carry content: not blank, not only a comment.
fn content_lines(text: &str) -> usize {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .count()
}

#[test]
fn each_example_is_at_most_a_third_of_its_yaml() {
    for (stem, env, stream) in compiled_examples() {
        if env.is_some() {
            continue;
        }
        let source = std::fs::read_to_string(
            crate::support::root().join(format!("examples/{stem}.taskflow")),
        )
        .unwrap();
        let (src, out) = (
            content_lines(&source),
            content_lines(&stream.replace("---\n", "")),
        );
        assert!(
            src * 3 <= out,
            "{stem}: {src} lines of .taskflow for {out} lines of YAML"
        );
    }
}

#[test]
fn compiling_twice_gives_byte_identical_trees() {
    let tmp = tempfile::tempdir().unwrap();
    for path in examples() {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (a, b) = (
            tmp.path().join(format!("{stem}-a")),
            tmp.path().join(format!("{stem}-b")),
        );
        for dir in [&a, &b] {
            let out = tfc(
                &[
                    "compile",
                    path.to_str().unwrap(),
                    "-o",
                    dir.to_str().unwrap(),
                ],
                tmp.path(),
            );
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let list = |d: &std::path::Path| {
            let mut v: Vec<String> = std::fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        assert_eq!(list(&a), list(&b), "{stem}: different file sets");
        for name in list(&a) {
            let (x, y) = (
                std::fs::read(a.join(&name)).unwrap(),
                std::fs::read(b.join(&name)).unwrap(),
            );
            assert!(x == y, "{stem}/{name} differs between two compiles");
        }
    }
}
