//! The examples' output validated by kubernetes-validate in strict mode, for
//! the oldest and newest Kubernetes versions tfc supports. Skips with a
//! message when the tool is not installed (scripts/get-tools installs it).

use crate::examples::compiled_examples;
use crate::support::{find_tool, skip};
use std::process::Command;

const VERSIONS: &[&str] = &["1.37.0", "1.33.0"];

#[test]
fn examples_pass_strict_schema_validation() {
    let Some(kv) = find_tool("kubernetes-validate") else {
        skip(
            "strict schema validation",
            "kubernetes-validate is not installed",
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (stem, env, stream) in compiled_examples() {
        let name = format!("{stem}-{}.yaml", env.as_deref().unwrap_or("default"));
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
