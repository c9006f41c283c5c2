//! The file-system operations of an output transaction: the lock, the
//! atomic swap, hard links, and a walk that never follows a link.

use super::{OutputError, Target};
use rustix::fs::{self as rfs, FlockOperation, RenameFlags};
use std::fs;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// What is at a path, without following a link.
pub enum Kind {
    Missing,
    Symlink,
    Dir,
    Other,
}

pub fn kind(path: &Path) -> Result<Kind, OutputError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Ok(Kind::Symlink),
        Ok(m) if m.is_dir() => Ok(Kind::Dir),
        Ok(_) => Ok(Kind::Other),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Kind::Missing),
        Err(e) => Err(OutputError::io("cannot look at", path, &e)),
    }
}

/// For tests: `TFC_FAULT=POINT` aborts the process at that point of a write,
/// as `kill -9` would, so that recovery is tested without timing.
pub fn fault(point: &str) {
    if std::env::var("TFC_FAULT").is_ok_and(|v| v == point) {
        std::process::abort();
    }
}

/// An exclusive lock on the live output directory, held until dropped.
pub struct Lock {
    _dir: fs::File,
}

impl Lock {
    /// Locks the directory; None when it was replaced while we waited.
    pub fn acquire(t: &Target) -> Result<Option<Lock>, OutputError> {
        let dir = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc_flags())
            .open(&t.path)
            .map_err(|e| OutputError::io("cannot open", &t.path, &e))?;
        if rfs::flock(&dir, FlockOperation::NonBlockingLockExclusive).is_err() {
            crate::cli::common::note(&format!(
                "waiting for another tfc to finish writing `{}`",
                t.path.display()
            ));
            rfs::flock(&dir, FlockOperation::LockExclusive)
                .map_err(|e| OutputError::io("cannot lock", &t.path, &std::io::Error::from(e)))?;
        }
        let held = dir
            .metadata()
            .map_err(|e| OutputError::io("cannot look at", &t.path, &e))?;
        let now = fs::symlink_metadata(&t.path).ok();
        let same = now.is_some_and(|m| m.dev() == held.dev() && m.ino() == held.ino());
        Ok(same.then_some(Lock { _dir: dir }))
    }
}

/// Locks a directory tfc just made (the new tree), before anyone else can
/// see it: a run that finds it in place after the swap waits until this
/// run has finished cleaning up.
pub fn hold(dir: &Path) -> Result<Lock, OutputError> {
    let f = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc_flags())
        .open(dir)
        .map_err(|e| OutputError::io("cannot open", dir, &e))?;
    rfs::flock(&f, FlockOperation::LockExclusive)
        .map_err(|e| OutputError::io("cannot lock", dir, &std::io::Error::from(e)))?;
    Ok(Lock { _dir: f })
}

/// `O_DIRECTORY | O_NOFOLLOW`: open the directory itself, never a link.
fn libc_flags() -> i32 {
    (rfs::OFlags::DIRECTORY | rfs::OFlags::NOFOLLOW).bits() as i32
}

/// Creates a new empty directory beside the target, with a random name.
pub fn sibling(t: &Target) -> Result<PathBuf, OutputError> {
    tempfile::Builder::new()
        .prefix(&format!(".{}.tfc-", t.name))
        .tempdir_in(&t.parent)
        .map(tempfile::TempDir::keep)
        .map_err(|e| OutputError::io("cannot create a directory in", &t.parent, &e))
}

/// Whether a directory is one of the random siblings tfc makes for `t`.
pub fn is_sibling_name(t: &Target, name: &str) -> bool {
    name.strip_prefix(&format!(".{}.tfc-", t.name))
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Swaps two directories atomically (both names stay taken throughout).
pub fn exchange(a: &Path, b: &Path) -> Result<(), OutputError> {
    match rfs::renameat_with(rfs::CWD, a, rfs::CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            // A file system without RENAME_EXCHANGE: two renames, with a
            // moment in which `b` does not exist.
            let aside = PathBuf::from(format!("{}.tfc-old", a.display()));
            fs::rename(b, &aside).map_err(|e| OutputError::io("cannot move aside", b, &e))?;
            if let Err(e) = fs::rename(a, b) {
                let _ = fs::rename(&aside, b);
                return Err(OutputError::io("cannot move into place", b, &e));
            }
            fs::rename(&aside, a).map_err(|e| OutputError::io("cannot move", &aside, &e))
        }
        Err(e) => Err(OutputError::io(
            "cannot swap in the new output at",
            b,
            &std::io::Error::from(e),
        )),
    }
}

/// Renames `a` to `b` unless `b` exists; Ok(false) when it does.
pub fn rename_new(a: &Path, b: &Path) -> Result<bool, OutputError> {
    match rfs::renameat_with(rfs::CWD, a, rfs::CWD, b, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(true),
        Err(e) if e == rustix::io::Errno::EXIST || e == rustix::io::Errno::NOTEMPTY => Ok(false),
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            if fs::symlink_metadata(b).is_ok() {
                return Ok(false);
            }
            fs::rename(a, b).map_err(|e| OutputError::io("cannot move into place", b, &e))?;
            Ok(true)
        }
        Err(e) => Err(OutputError::io(
            "cannot move the output into",
            b,
            &std::io::Error::from(e),
        )),
    }
}

/// Writes a new file (never an existing one); Secret files get mode 0600.
pub fn write_file(path: &Path, contents: &[u8], private: bool) -> Result<(), OutputError> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(if private { 0o600 } else { 0o644 })
        .custom_flags(rfs::OFlags::NOFOLLOW.bits() as i32)
        .open(path)
        .map_err(|e| OutputError::io("cannot write", path, &e))?;
    f.write_all(contents)
        .map_err(|e| OutputError::io("cannot write", path, &e))
}

/// Makes `to` another name of the entry at `from` (a link is linked, not followed).
pub fn link(from: &Path, to: &Path) -> Result<(), OutputError> {
    fs::hard_link(from, to).map_err(|e| {
        OutputError::io("cannot carry over", from, &e)
            .help("tfc keeps files it did not write by hard-linking them into the new output")
    })
}

/// One entry of a tree walk, by its path relative to the root.
pub struct Entry {
    pub rel: PathBuf,
    pub dir: bool,
    pub meta: fs::Metadata,
}

impl Entry {
    /// The relative path as a manifest names it (`templates/x.yaml`).
    pub fn name(&self) -> Option<&str> {
        self.rel.to_str()
    }
}

/// Every entry under `root` (not following links), parents before children.
pub fn walk(root: &Path) -> Result<Vec<Entry>, OutputError> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = root.join(&rel);
        let mut names = Vec::new();
        for e in fs::read_dir(&dir).map_err(|e| OutputError::io("cannot read", &dir, &e))? {
            let e = e.map_err(|e| OutputError::io("cannot read", &dir, &e))?;
            names.push(e.file_name());
        }
        names.sort();
        for name in names.into_iter().rev() {
            let child = rel.join(name);
            let meta = fs::symlink_metadata(root.join(&child))
                .map_err(|e| OutputError::io("cannot look at", &root.join(&child), &e))?;
            let is_dir = meta.is_dir();
            if is_dir {
                stack.push(child.clone());
            }
            out.push(Entry {
                rel: child,
                dir: is_dir,
                meta,
            });
        }
    }
    Ok(out)
}

/// Whether two entries are the same file.
pub fn same_file(a: &fs::Metadata, b: &Path) -> bool {
    fs::symlink_metadata(b).is_ok_and(|m| m.dev() == a.dev() && m.ino() == a.ino())
}
