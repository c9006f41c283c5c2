//! Writing an output directory safely: everything is staged first and moved
//! into place only when all of it was written; files tfc did not write are
//! never overwritten or removed; Secret files are private (mode 0600).

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use tfc::emit::{Object, yaml};

/// The list of files tfc wrote into a directory, one name per line.
pub const MANIFEST: &str = ".tfc-manifest";

/// A file to write, relative to the output directory.
pub struct File {
    pub name: String,
    pub contents: String,
    pub private: bool,
}

/// Whether a relative name stays inside the output directory: a file name,
/// or one in `templates/`, never hidden.
fn safe_name(name: &str) -> bool {
    let file = name.strip_prefix("templates/").unwrap_or(name);
    !file.is_empty()
        && !file.contains(['/', '\\'])
        && !file.starts_with('.')
        && !name.starts_with('.')
}

/// The files of a YAML compile: one per object and kustomization.yaml.
pub fn object_files(objects: &[Object]) -> Result<Vec<File>, String> {
    let mut files = Vec::new();
    let mut names = Vec::new();
    for o in objects {
        let name = o.file_name();
        let contents =
            yaml::object(o).map_err(|e| format!("internal error while writing YAML: {}", e.0))?;
        names.push(name.clone());
        files.push(File {
            name,
            contents,
            private: matches!(o, Object::Secret(_)),
        });
    }
    let k = yaml::kustomization(&names)
        .map_err(|e| format!("internal error while writing YAML: {}", e.0))?;
    files.push(File {
        name: "kustomization.yaml".to_string(),
        contents: k,
        private: false,
    });
    Ok(files)
}

/// Creates the subdirectories the files need (only `templates/`).
fn make_subdirs(root: &Path, files: &[File]) -> Result<(), String> {
    if files.iter().any(|f| f.name.starts_with("templates/")) {
        let d = root.join("templates");
        fs::create_dir_all(&d).map_err(|e| io("cannot create", &d, e))?;
    }
    Ok(())
}

fn write_file(path: &Path, contents: &str, private: bool) -> std::io::Result<()> {
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut f = opts.open(path)?;
    f.write_all(contents.as_bytes())
}

fn read_manifest(dir: &Path) -> BTreeSet<String> {
    fs::read_to_string(dir.join(MANIFEST))
        .map(|t| {
            t.lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(|l| l.trim().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn manifest_text(files: &[File]) -> String {
    let mut s = String::from("# Files written by tfc; it removes only these when they go stale.\n");
    for f in files {
        s.push_str(&f.name);
        s.push('\n');
    }
    s
}

fn io(context: &str, path: &Path, e: std::io::Error) -> String {
    format!("{context} `{}`: {e}", path.display())
}

/// Writes the files into `dir`.
pub fn write_dir(dir: &Path, files: &[File]) -> Result<(), String> {
    if let Some(bad) = files.iter().find(|f| !safe_name(&f.name)) {
        return Err(format!(
            "refusing to write `{}`: it would leave the output directory",
            bad.name
        ));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(format!("`{}` exists and is not a directory", dir.display()));
    }
    if !dir.exists() {
        return write_new(dir, files);
    }
    let ours = read_manifest(dir);
    for f in files {
        let target = dir.join(&f.name);
        if target.exists() && !ours.contains(&f.name) {
            return Err(format!(
                "refusing to overwrite `{}`: tfc did not write it (it is not listed in {})",
                target.display(),
                MANIFEST
            ));
        }
    }
    let staging = dir.join(format!(".tfc-staging-{}", std::process::id()));
    let result = stage_and_swap(dir, &staging, files, &ours);
    let _ = fs::remove_dir_all(&staging);
    result
}

/// A new directory: build it beside the target, then rename it into place.
fn write_new(dir: &Path, files: &[File]) -> Result<(), String> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    fs::create_dir_all(&parent).map_err(|e| io("cannot create", &parent, e))?;
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    let tmp = parent.join(format!(".{base}.tfc-tmp-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let result = (|| {
        fs::create_dir(&tmp).map_err(|e| io("cannot create", &tmp, e))?;
        make_subdirs(&tmp, files)?;
        for f in files {
            let p = tmp.join(&f.name);
            write_file(&p, &f.contents, f.private).map_err(|e| io("cannot write", &p, e))?;
        }
        let m = tmp.join(MANIFEST);
        write_file(&m, &manifest_text(files), false).map_err(|e| io("cannot write", &m, e))?;
        fs::rename(&tmp, dir).map_err(|e| io("cannot move the output into", dir, e))
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// An existing directory: stage every file, then move each into place and
/// remove the files of the previous compile that are no longer produced.
fn stage_and_swap(
    dir: &Path,
    staging: &Path,
    files: &[File],
    ours: &BTreeSet<String>,
) -> Result<(), String> {
    let _ = fs::remove_dir_all(staging);
    fs::create_dir(staging).map_err(|e| io("cannot create", staging, e))?;
    make_subdirs(staging, files)?;
    make_subdirs(dir, files)?;
    for f in files {
        let p = staging.join(&f.name);
        write_file(&p, &f.contents, f.private).map_err(|e| io("cannot write", &p, e))?;
    }
    let m = staging.join(MANIFEST);
    write_file(&m, &manifest_text(files), false).map_err(|e| io("cannot write", &m, e))?;
    for f in files {
        let (from, to) = (staging.join(&f.name), dir.join(&f.name));
        fs::rename(&from, &to).map_err(|e| io("cannot move into place", &to, e))?;
    }
    let new: BTreeSet<&str> = files.iter().map(|f| f.name.as_str()).collect();
    for stale in ours.iter().filter(|n| !new.contains(n.as_str())) {
        if !safe_name(stale) {
            continue;
        }
        let p = dir.join(stale);
        if p.is_file() {
            fs::remove_file(&p).map_err(|e| io("cannot remove the stale file", &p, e))?;
        }
    }
    fs::rename(&m, dir.join(MANIFEST))
        .map_err(|e| io("cannot move into place", &dir.join(MANIFEST), e))
}
