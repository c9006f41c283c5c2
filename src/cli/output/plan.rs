//! Building the new tree beside the output directory and swapping it in:
//! tfc's files, plus every entry of the old tree that is not tfc's, carried
//! over as a hard link (directories are made anew).

use super::fsops::{self, Entry};
use super::manifest::{MANIFEST, Manifest, PENDING, Side};
use super::{File, OutputError, Target, Written, retire};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// An entry of the old tree to bring into the new one.
enum Carry {
    /// A directory of the user's, made anew with its mode.
    Dir(PathBuf, fs::Permissions),
    Link(PathBuf),
}

/// A directory that does not exist yet: build it aside, then rename it into
/// place unless someone else made it first (then None: try again).
pub fn write_fresh(
    t: &Target,
    files: &[File],
    manifest: &Manifest,
) -> Result<Option<Written>, OutputError> {
    let staged = fsops::sibling(t)?;
    // Held until this run is done: a run that sees the tree in place waits.
    let held = fsops::hold(&staged);
    if let Err(e) = held
        .as_ref()
        .map_err(|e| OutputError::new(e.message.clone()))
        .and_then(|_| fill(&staged, files, manifest, &[], None))
    {
        retire::discard(&staged, &t.path);
        return Err(e);
    }
    fsops::fault("before-swap");
    match fsops::rename_new(&staged, &t.path) {
        Ok(true) => {
            let _ = fs::remove_file(t.path.join(PENDING));
            Ok(Some(Written::default()))
        }
        Ok(false) => {
            retire::discard(&staged, &t.path);
            Ok(None)
        }
        Err(e) => {
            retire::discard(&staged, &t.path);
            Err(e)
        }
    }
}

/// An existing directory, locked: recover from killed runs, check what is
/// whose, build the new tree and swap it in.
pub fn replace(t: &Target, files: &[File], manifest: &Manifest) -> Result<Written, OutputError> {
    let mut notes = retire::recover(t);
    let carry = carried(t, files)?;
    let marker = t.path.join(PENDING);
    fsops::write_file(&marker, Side::Live.mark().as_bytes(), false)?;
    let staged = match fsops::sibling(t) {
        Ok(s) => s,
        Err(e) => {
            let _ = fs::remove_file(&marker);
            return Err(e);
        }
    };
    // Held until this run is done: a run that sees the tree in place waits.
    let held = fsops::hold(&staged);
    let built = held
        .as_ref()
        .map_err(|e| OutputError::new(e.message.clone()))
        .and_then(|_| fill(&staged, files, manifest, &carry, Some(&t.path)))
        .and_then(|()| {
            let perms = fs::symlink_metadata(&t.path)
                .map_err(|e| OutputError::io("cannot look at", &t.path, &e))?
                .permissions();
            fs::set_permissions(&staged, perms)
                .map_err(|e| OutputError::io("cannot set the mode of", &staged, &e))?;
            fsops::fault("before-swap");
            fsops::exchange(&staged, &t.path)
        });
    if let Err(e) = built {
        retire::discard(&staged, &t.path);
        let _ = fs::remove_file(&marker);
        return Err(e);
    }
    fsops::fault("after-swap");
    // `staged` now holds the old tree.
    notes.extend(retire::retire(&staged, &t.path));
    let _ = fs::remove_file(&marker);
    Ok(Written { notes })
}

/// What of the live tree is carried over; every clash with a file tfc
/// writes is reported at once.
fn carried(t: &Target, files: &[File]) -> Result<Vec<Carry>, OutputError> {
    let live = Manifest::read(&t.path);
    let writes: BTreeSet<&str> = files.iter().map(|f| f.name.as_str()).collect();
    let dirs: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.name.rsplit_once('/').map(|(d, _)| d))
        .collect();
    // Directories tfc made (`templates/`) come over only with entries of yours in them.
    let ours: BTreeSet<&str> = live
        .files
        .keys()
        .filter_map(|n| n.rsplit_once('/').map(|(d, _)| d))
        .collect();
    let mut carry = Vec::new();
    let mut clashes = Vec::new();
    for e in fsops::walk(&t.path)? {
        let name = e.name().unwrap_or("");
        if name == MANIFEST || name == PENDING {
            continue;
        }
        if e.dir {
            if writes.contains(name) {
                clashes.push(clash(t, &e, "is a directory"));
            } else if !ours.contains(name) {
                carry.push(Carry::Dir(e.rel, e.meta.permissions()));
            }
            continue;
        }
        if live.owns(&t.path, name) {
            continue;
        }
        if writes.contains(name) || dirs.contains(name) {
            let why = if live.files.contains_key(name) {
                "changed since tfc wrote it"
            } else if e.meta.file_type().is_symlink() {
                "is a symbolic link tfc did not create"
            } else {
                "was not written by tfc"
            };
            clashes.push(clash(t, &e, why));
        } else {
            carry.push(Carry::Link(e.rel));
        }
    }
    if clashes.is_empty() {
        return Ok(carry);
    }
    Err(OutputError::new(format!(
        "refusing to replace what tfc does not own in `{}`: {}",
        t.path.display(),
        clashes.join("; ")
    ))
    .help("move these entries out of the output directory (or delete them), then compile again")
    .conflict())
}

fn clash(t: &Target, e: &Entry, why: &str) -> String {
    format!("`{}` {why}", t.path.join(&e.rel).display())
}

/// Writes the new tree: its marker and manifest first, then the files, then
/// the carried entries.
fn fill(
    staged: &Path,
    files: &[File],
    manifest: &Manifest,
    carry: &[Carry],
    live: Option<&Path>,
) -> Result<(), OutputError> {
    fsops::write_file(&staged.join(PENDING), Side::Staged.mark().as_bytes(), false)?;
    fsops::write_file(&staged.join(MANIFEST), manifest.text().as_bytes(), false)?;
    let mut made = BTreeSet::new();
    for f in files {
        if let Some((d, _)) = f.name.rsplit_once('/') {
            if made.insert(PathBuf::from(d)) {
                make_dir(&staged.join(d))?;
            }
        }
    }
    for c in carry {
        if let Carry::Dir(rel, perms) = c {
            if made.insert(rel.clone()) {
                make_dir(&staged.join(rel))?;
                let _ = fs::set_permissions(staged.join(rel), perms.clone());
            }
        }
    }
    let half = files.len() / 2;
    for (i, f) in files.iter().enumerate() {
        if i == half {
            fsops::fault("mid-write");
        }
        fsops::write_file(&staged.join(&f.name), f.contents.as_bytes(), f.private)?;
    }
    if let Some(live) = live {
        for c in carry {
            if let Carry::Link(rel) = c {
                let to = staged.join(rel);
                if let Some(parent) = to.parent() {
                    fs::create_dir_all(parent)
                        .map_err(|e| OutputError::io("cannot create", parent, &e))?;
                }
                fsops::link(&live.join(rel), &to)?;
            }
        }
    }
    Ok(())
}

fn make_dir(p: &Path) -> Result<(), OutputError> {
    fs::create_dir(p).map_err(|e| OutputError::io("cannot create", p, &e))
}
