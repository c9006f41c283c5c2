//! Helpers shared by the tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `examples/*.taskflow`, sorted.
pub fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "taskflow"))
        .collect();
    v.sort();
    v
}

/// Files under `dir` with the given extension, recursively, sorted.
pub fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The environments an example defines.
pub fn environments(source: &str) -> Vec<String> {
    let c = tfc::compile(source, &tfc::CompileOptions::default());
    c.app
        .map(|a| a.environments.iter().map(|e| e.node.clone()).collect())
        .unwrap_or_default()
}

/// The app as written, then each of its environments: the variant's name
/// and its compile. Files it names are read from `base`, its directory.
pub fn compiled_variants(source: &str, base: &Path) -> Vec<(Option<String>, tfc::Compiled)> {
    std::iter::once(None)
        .chain(environments(source).into_iter().map(Some))
        .map(|env| {
            let opts = tfc::CompileOptions {
                env: env.clone(),
                base_dir: Some(base.to_path_buf()),
                ..Default::default()
            };
            (env, tfc::compile(source, &opts))
        })
        .collect()
}

/// Runs the `tfc` binary.
pub fn tfc(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tfc"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A snapshot setting rooted at tests/snapshots.
pub fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(root().join("tests/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

/// Finds a tool the project's setup installs: `$TFC_TOOLS/bin`, the default cache, or PATH.
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(t) = std::env::var_os("TFC_TOOLS") {
        dirs.push(PathBuf::from(t).join("bin"));
    }
    if let Some(h) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(h).join(".cache/tfc-tools/bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// Reports a test that cannot run here; fails instead when the CI asks for every tool.
pub fn skip(what: &str, why: &str) {
    let msg = format!("SKIPPED {what}: {why} (run scripts/get-tools to install it)");
    if std::env::var_os("TFC_REQUIRE_TOOLS").is_some() {
        panic!("{msg}; TFC_REQUIRE_TOOLS is set");
    }
    eprintln!("{msg}");
    println!("{msg}");
}
