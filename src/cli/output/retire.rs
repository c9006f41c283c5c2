//! Taking a tree apart after a swap, or after a run that was killed. Only
//! three kinds of entries are ever removed: files the tree's manifest lists
//! (unchanged, for a tree that was live), second names of files that are
//! also in the live output (the hard links tfc made), and tfc's own marker
//! and manifest. Anything else is moved into the live output, or kept where
//! it is and reported.

use super::Target;
use super::fsops;
use super::manifest::{MANIFEST, Manifest, PENDING, Side};
use std::fs;
use std::path::Path;

/// Cleans up after killed runs: the live marker, and every marked sibling.
pub fn recover(t: &Target) -> Vec<String> {
    let mut notes = Vec::new();
    if Side::read(&t.path).is_some() {
        let _ = fs::remove_file(t.path.join(PENDING));
    }
    let Ok(entries) = fs::read_dir(&t.parent) else {
        return notes;
    };
    let mut siblings: Vec<_> = entries
        .flatten()
        .filter(|e| fsops::is_sibling_name(t, &e.file_name().to_string_lossy()))
        .filter(|e| e.file_type().is_ok_and(|ft| ft.is_dir()))
        .map(|e| e.path())
        .collect();
    siblings.sort();
    for s in siblings {
        match Side::read(&s) {
            Some(Side::Staged) => notes.extend(discard(&s, &t.path)),
            Some(Side::Live) => notes.extend(retire(&s, &t.path)),
            // Not marked: not provably tfc's (at most an empty directory
            // from a run killed right after making it), so it stays.
            None => {}
        }
    }
    notes
}

/// Removes a new tree that never went live (tfc made all of it).
pub fn discard(staged: &Path, live: &Path) -> Vec<String> {
    let manifest = Manifest::read(staged);
    take_apart(staged, |rel, meta| {
        bookkeeping(rel)
            || manifest.files.contains_key(rel)
            || fsops::same_file(meta, &live.join(rel))
    })
}

/// Removes the old tree after a swap; entries of yours that did not come
/// over (made during the compile) are moved into the live output.
pub fn retire(old: &Path, live: &Path) -> Vec<String> {
    let manifest = Manifest::read(old);
    let mut notes = Vec::new();
    let mut moved = Vec::new();
    notes.extend(take_apart(old, |rel, meta| {
        if bookkeeping(rel) || fsops::same_file(meta, &live.join(rel)) || manifest.owns(old, rel) {
            return true;
        }
        let to = live.join(rel);
        if fs::symlink_metadata(&to).is_err() {
            let made = to.parent().is_none_or(|p| fs::create_dir_all(p).is_ok());
            if made && fs::rename(old.join(rel), &to).is_ok() {
                moved.push(rel.to_string());
            }
        }
        false
    }));
    for m in moved {
        notes.push(format!(
            "`{}` appeared while tfc was writing; it was moved into the new output",
            live.join(m).display()
        ));
    }
    notes
}

fn bookkeeping(rel: &str) -> bool {
    rel == MANIFEST || rel == PENDING
}

/// Removes the entries `removable` allows, children first, then every
/// directory left empty; says what was kept.
fn take_apart(root: &Path, mut removable: impl FnMut(&str, &fs::Metadata) -> bool) -> Vec<String> {
    let Ok(entries) = fsops::walk(root) else {
        return vec![format!("kept `{}`: it could not be read", root.display())];
    };
    for e in entries.iter().rev() {
        let p = root.join(&e.rel);
        if e.dir {
            let _ = fs::remove_dir(&p);
        } else if e.name().is_some_and(|n| removable(n, &e.meta)) {
            let _ = fs::remove_file(&p);
        }
    }
    if fs::remove_dir(root).is_ok() || fs::symlink_metadata(root).is_err() {
        return Vec::new();
    }
    vec![format!(
        "kept `{}`: it holds entries tfc did not write",
        root.display()
    )]
}
