//! How one string is written as a YAML scalar so that every reader takes it
//! back byte for byte: a YAML 1.2 reader, a YAML 1.1 reader (PyYAML,
//! go-yaml v2 in Helm) and kustomize (go-yaml v3). Plain when no reader can
//! take it for anything but that string, single-quoted when it is printable
//! text, double-quoted with escapes otherwise.

/// Characters that kustomize cannot carry at all, escaped or not: DEL, the
/// C1 controls (NEL, U+0085, comes back as a space) and the non-characters
/// U+FFFE and U+FFFF. The compiler rejects text holding one (TF0321); the
/// writer still escapes them.
pub fn uncarriable(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether a character may appear unescaped in a scalar: printable, not a
/// YAML 1.1 line break (NEL, U+2028, U+2029) and not a byte-order mark.
fn printable(c: char) -> bool {
    !(c.is_control() || uncarriable(c) || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}'))
}

/// The block-literal header (`|` or `|-`) for a multi-line string that
/// reads back exactly, or None when it must be quoted instead.
pub fn block_literal(s: &str) -> Option<&'static str> {
    if !s.contains('\n') || s.starts_with([' ', '\t', '\n']) || s.ends_with("\n\n") {
        return None;
    }
    let clean = s
        .split('\n')
        .all(|l| !l.ends_with([' ', '\t']) && !l.starts_with('\t') && l.chars().all(printable));
    if !clean {
        return None;
    }
    Some(if s.ends_with('\n') { "|" } else { "|-" })
}

/// A string scalar: plain when no reader can mistake it, else quoted.
pub fn scalar(out: &mut String, s: &str) {
    if is_plain(s) {
        out.push_str(s);
    } else if !s.contains('\'') && s.chars().all(printable) {
        out.push('\'');
        out.push_str(s);
        out.push('\'');
    } else {
        double_quoted(out, s);
    }
}

/// A double-quoted scalar; every character that is not printable ASCII or
/// printable non-ASCII text is escaped in a form all readers know.
fn double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if printable(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", u32::from(c))),
        }
    }
    out.push('"');
}

/// Whether a string may be written without quotes.
pub fn is_plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let second = s.chars().nth(1);
    if s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) {
        return false;
    }
    if "#,[]{}&*!|>'\"%@`".contains(first) {
        return false;
    }
    if "-?:".contains(first) && second.is_none_or(|c| c.is_whitespace() || ",[]{}".contains(c)) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    // Only printable characters, and no other white space than the ASCII space.
    if !s
        .chars()
        .all(|c| c == ' ' || (printable(c) && !c.is_whitespace()))
    {
        return false;
    }
    !looks_typed(s)
}

/// Whether a YAML 1.1 or 1.2 reader could resolve the plain scalar to a
/// non-string: null, a boolean, a number, a date or timestamp, the merge
/// key `<<` or the YAML 1.1 value key `=`.
fn looks_typed(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf",
        ".nan", "=", "<<",
    ];
    if WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        return true;
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let Some(first) = body.chars().next() else {
        return false;
    };
    if !(first.is_ascii_digit() || first == '.') {
        return false;
    }
    // Numbers in any base or notation, sexagesimals (1:30), dates
    // (2001-12-14) and timestamps (2001-12-14 21:59:43.10 -5) start with a
    // digit or a dot: quote every such string made only of the characters
    // they use.
    body.chars()
        .all(|c| c.is_ascii_hexdigit() || "._:-+xXoObBtTzZ \t".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ambiguous_strings_are_quoted() {
        for s in [
            "60",
            "1.0",
            "true",
            "yes",
            "No",
            "null",
            "~",
            "0x1F",
            "1e3",
            "2001-12-14",
            "2024-01-15 10:00:00",
            "2001-12-14t21:59:43.10-05:00",
            "=",
            "<<",
            "",
            " a",
            "a: b",
            "#x",
            "*a",
            "-",
            "a\u{85}b",
            "a\u{2028}b",
            "\u{feff}a",
            "a\u{a0}",
        ] {
            assert!(!is_plain(s), "{s:?} must be quoted");
        }
        for s in [
            "10m",
            "128Mi",
            "nginx:1.27",
            "/api/health",
            "-U",
            "app.kubernetes.io/name",
            "http://x:80",
            "/$2",
            "v1.2",
            "a=b",
            "<<a",
            "héllo wörld",
        ] {
            assert!(is_plain(s), "{s:?} may be plain");
        }
    }

    #[test]
    fn escapes_every_character_a_reader_would_change() {
        let mut out = String::new();
        scalar(&mut out, "a\u{85}\u{2028}\u{2029}\u{feff}\u{7f}\u{1b}'b");
        assert_eq!(out, "\"a\\u0085\\u2028\\u2029\\uFEFF\\u007F\\u001B'b\"");
    }
}
