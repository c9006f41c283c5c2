//! Records the git commit a binary was built from, for `tfc --version`.
//! A build from a packaged crate (no `.git` beside Cargo.toml) says
//! `unknown`: it never asks a git repository further up the tree.

use std::path::Path;
use std::process::Command;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let git = Path::new(&root).join(".git");
    println!("cargo:rerun-if-changed=build.rs");
    let mut commit = None;
    if git.exists() {
        println!("cargo:rerun-if-changed=.git/HEAD");
        println!("cargo:rerun-if-changed=.git/refs/heads");
        println!("cargo:rerun-if-changed=.git/packed-refs");
        commit = Command::new("git")
            .args(["rev-parse", "--short=12", "HEAD"])
            .current_dir(&root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_hexdigit()));
    }
    let commit = commit.unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=TFC_COMMIT={commit}");
}
