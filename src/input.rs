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

/// The deepest `[`/`{` nesting a YAML text tfc reads may have: parsers
/// take time that grows with the square of it.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Whether the flow collections (`[...]`, `{...}`) of a YAML text nest at
/// most `max` deep, outside quotes and comments; else the line where they
/// go deeper. A bound, not a parser: a bracket it miscounts can only make
/// it stricter by one level.
pub fn flow_depth(text: &str, max: usize) -> Result<(), usize> {
    let mut depth = 0usize;
    for (i, line) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '#') if prev == ' ' || prev == '\t' => break,
                (None, '"' | '\'') if " :[{,".contains(prev) => quote = Some(c),
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > max {
                        return Err(i + 1);
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
            prev = c;
        }
    }
    Ok(())
}
