//! The examples' output validated by kubernetes-validate in strict mode, for
//! the oldest and newest Kubernetes versions tfc supports. Skips with a
//! message when the tool is not installed (scripts/get-tools installs it).

use crate::examples::compiled_examples;
use crate::support::{find_tool, skip};
use std::process::Command;

const VERSIONS: &[&str] = &["1.37.0", "1.33.0"];

#[test]
fn examples_pass_strict_schema_validation() {
    let all = compiled_examples()
        .into_iter()
        .map(|(stem, env, stream)| {
            let name = format!("{stem}-{}.yaml", env.as_deref().unwrap_or("default"));
            (name, stream)
        })
        .collect();
    validate(all);
}

/// Every example in the docs that compiles: what users copy first.
#[test]
fn doc_examples_pass_strict_schema_validation() {
    let all: Vec<(String, String)> = crate::docs::compiled_doc_examples()
        .into_iter()
        .map(|(at, stream)| (format!("{at}.yaml"), stream))
        .collect();
    assert!(all.len() >= 20, "only {} doc examples", all.len());
    validate(all);
}

/// Every construct's clean case (tests/cases, no error code), as written
/// and in each environment: what the new constructs emit is checked too.
#[test]
fn clean_cases_pass_strict_schema_validation() {
    let mut all = Vec::new();
    for path in crate::helm::clean_cases() {
        let source = std::fs::read_to_string(&path).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        for (env, c) in crate::support::compiled_variants(&source, path.parent().unwrap()) {
            if let Some(objects) = c
                .objects
                .filter(|_| !c.diagnostics.iter().any(|d| d.is_error()))
            {
                let name = format!("{stem}-{}.yaml", env.as_deref().unwrap_or("default"));
                all.push((name, tfc::emit::yaml::stream(&objects).unwrap()));
            }
        }
    }
    assert!(all.len() >= 60, "only {} clean case variants", all.len());
    validate(all);
}

/// Runs kubernetes-validate --strict over (file name, YAML stream) pairs.
fn validate(streams: Vec<(String, String)>) {
    let Some(kv) = find_tool("kubernetes-validate") else {
        skip(
            "strict schema validation",
            "kubernetes-validate is not installed",
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, stream) in streams {
        let path = tmp.path().join(name);
        std::fs::write(&path, stream).unwrap();
        files.push(path);
    }
    for version in VERSIONS {
        let out = Command::new(&kv)
            .args(["--strict", "--quiet", "-k", version])
            .args(&files)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "kubernetes-validate --strict -k {version} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
