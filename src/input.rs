//! Reading files other than the source, safely: only regular files, and
//! never more than one byte over a limit (so the caller can refuse it).

use std::io::Read;
use std::path::Path;

/// The bytes of a regular file, at most `limit + 1` of them: a FIFO, a
/// device such as `/dev/zero` or a directory is refused before anything is
/// read.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let not_regular =
        || std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file");
    // Before opening: opening a FIFO would wait for a writer.
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}
