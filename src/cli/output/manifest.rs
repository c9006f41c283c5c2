//! `.tfc-manifest`: the files tfc wrote, each with its SHA-256, so that a
//! file someone changed or replaced is never taken for tfc's; and
//! `.tfc-pending`, the mark of a tree in the middle of a replacement.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// The list of files tfc wrote into a directory.
pub const MANIFEST: &str = ".tfc-manifest";
/// The mark of a tree tfc is replacing; says which side of the swap it is.
pub const PENDING: &str = ".tfc-pending";

const HEADER: &str = "# Files written by tfc, with their SHA-256. tfc replaces or removes a file\n\
                      # only while it is listed here and unchanged; edit nothing in this file.\n";

/// Which side of a swap a marked tree is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The live directory, marked before its replacement was built.
    Live,
    /// A new tree being built beside the live one.
    Staged,
}

impl Side {
    pub fn mark(self) -> String {
        let side = match self {
            Side::Live => "live",
            Side::Staged => "staged",
        };
        format!("tfc output replacement in progress; do not edit\ntree: {side}\n")
    }

    /// The side a marker file names, if it is one of tfc's.
    pub fn read(dir: &Path) -> Option<Side> {
        let meta = std::fs::symlink_metadata(dir.join(PENDING)).ok()?;
        if !meta.is_file() || meta.len() > 4096 {
            return None;
        }
        let text = std::fs::read_to_string(dir.join(PENDING)).ok()?;
        if text == Side::Live.mark() {
            Some(Side::Live)
        } else if text == Side::Staged.mark() {
            Some(Side::Staged)
        } else {
            None
        }
    }
}

/// The SHA-256 of some bytes, in hex.
pub fn hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a regular file (never through a link), or None.
pub fn hash_file(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut f = std::fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(buf.get(..n)?);
    }
    Some(
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

/// The files of a manifest: name → hash (None for the names of a manifest
/// written before hashes were recorded).
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    pub files: BTreeMap<String, Option<String>>,
}

impl Manifest {
    /// The manifest of files about to be written.
    pub fn of(files: &[super::File]) -> Manifest {
        Manifest {
            files: files
                .iter()
                .map(|f| (f.name.clone(), Some(hash(f.contents.as_bytes()))))
                .collect(),
        }
    }

    /// The manifest in `dir`, empty when there is none (or it is not a plain file).
    pub fn read(dir: &Path) -> Manifest {
        let path = dir.join(MANIFEST);
        let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        let text = if is_file {
            std::fs::read_to_string(&path).unwrap_or_default()
        } else {
            String::new()
        };
        let mut files = BTreeMap::new();
        for line in text.lines() {
            let l = line.trim_end();
            if l.starts_with('#') || l.trim().is_empty() {
                continue;
            }
            match l.split_once("  ") {
                Some((h, name)) if h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()) => {
                    files.insert(name.to_string(), Some(h.to_string()));
                }
                _ => {
                    files.insert(l.trim().to_string(), None);
                }
            }
        }
        Manifest { files }
    }

    pub fn text(&self) -> String {
        let mut s = String::from(HEADER);
        for (name, h) in &self.files {
            if let Some(h) = h {
                s.push_str(h);
                s.push_str("  ");
            }
            s.push_str(name);
            s.push('\n');
        }
        s
    }

    /// Whether the entry `rel` of `dir` is a file tfc wrote and nobody changed since.
    pub fn owns(&self, dir: &Path, rel: &str) -> bool {
        match self.files.get(rel) {
            None => false,
            Some(None) => std::fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| m.is_file()),
            Some(Some(h)) => hash_file(&dir.join(rel)).as_deref() == Some(h.as_str()),
        }
    }
}
