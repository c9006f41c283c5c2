//! Secret values supplied at compile time, in dotenv form:
//! `SECRET.KEY=value`, one per line. Values are never echoed in messages.

use crate::emit::SecretValues;

/// One `SECRET.KEY=value` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretInput {
    pub line: usize,
    pub secret: String,
    pub key: String,
    pub value: String,
}

/// A line of the secrets file that cannot be read; says why, never what it held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretsError {
    pub line: usize,
    pub message: String,
}

/// Parses a secrets file. `#` starts a comment line; `export ` is allowed
/// before a line; values may be bare, 'single-quoted' (literal) or
/// "double-quoted" (with \n, \t, \r, \\ and \" escapes; any other is an
/// error). No message ever holds text of the file: a line that does not
/// parse may be a password or a piece of a key.
pub fn parse(text: &str) -> Result<Vec<SecretInput>, Vec<SecretsError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim_start_matches('\u{feff}').trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let l = l.strip_prefix("export ").map_or(l, str::trim_start);
        let mut fail = |message: &str| {
            errors.push(SecretsError {
                line,
                message: message.to_string(),
            });
        };
        let Some((name, value)) = l.split_once('=') else {
            fail("expected `SECRET.KEY=value`; the line has no `=`");
            continue;
        };
        let Some((secret, key)) = name.trim().split_once('.') else {
            fail("expected `SECRET.KEY=value`; the name before `=` has no `.`");
            continue;
        };
        if !is_secret_name(secret) || !is_key(key) {
            fail(
                "expected `SECRET.KEY=value`; SECRET is a lower-case name, KEY letters, digits, `-`, `_` and `.`",
            );
            continue;
        }
        match unquote(value.trim()) {
            Ok(value) => out.push(SecretInput {
                line,
                secret: secret.to_string(),
                key: key.to_string(),
                value,
            }),
            Err(why) => fail(&format!("the value of `{secret}.{key}` {why}")),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A secret's name: a DNS label, as the .taskflow declares it.
fn is_secret_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A key of a secret: what Kubernetes allows in Secret data.
fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Whether what follows a closing quote is nothing or a comment.
fn only_comment(rest: &str) -> bool {
    let rest = rest.trim_start();
    rest.is_empty() || rest.starts_with('#')
}

fn unquote(v: &str) -> Result<String, &'static str> {
    const AFTER: &str = "has text after its closing quote (only a ` # comment` may follow)";
    if let Some(rest) = v.strip_prefix('\'') {
        let (body, after) = rest.split_once('\'').ok_or("has an unclosed quote")?;
        return if only_comment(after) {
            Ok(body.to_string())
        } else {
            Err(AFTER)
        };
    }
    if let Some(rest) = v.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    return if only_comment(rest.get(i + 1..).unwrap_or("")) {
                        Ok(out)
                    } else {
                        Err(AFTER)
                    };
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, 'r')) => out.push('\r'),
                    Some((_, '\\')) => out.push('\\'),
                    Some((_, '"')) => out.push('"'),
                    Some(_) => {
                        return Err(
                            "has an unknown escape (only \\n, \\t, \\r, \\\\ and \\\" are escapes; use single quotes for literal text)",
                        );
                    }
                    None => return Err("has an unclosed quote"),
                },
                _ => out.push(c),
            }
        }
        return Err("has an unclosed quote");
    }
    // A bare value ends at ` #` (a trailing comment).
    let bare = v.split_once(" #").map_or(v, |(a, _)| a);
    Ok(bare.trim_end().to_string())
}

/// The values by secret and key; a later line wins.
pub fn values(inputs: &[SecretInput]) -> SecretValues {
    let mut v = SecretValues::new();
    for i in inputs {
        v.entry(i.secret.clone())
            .or_default()
            .insert(i.key.clone(), i.value.clone());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_forms() {
        let text =
            "# c\napp.A=x\nexport app.B = \"a\\nb\" # note\napp.C='lit $x'\napp.D=v # note\n";
        let got = parse(text).unwrap_or_default();
        let vals: Vec<(&str, &str)> = got
            .iter()
            .map(|i| (i.key.as_str(), i.value.as_str()))
            .collect();
        assert_eq!(
            vals,
            vec![("A", "x"), ("B", "a\nb"), ("C", "lit $x"), ("D", "v")]
        );
    }

    #[test]
    fn errors_never_hold_values() {
        let text = "app.A=\"s3cr3t\nnovalue\npostgres://user:s3cr3t@db/x?sslmode=require\n\
                    MIIEs3cr3tQIBADANBgkqhkiG9w0BAQEFAASC==\napp.B=\"s3cr3t\\q\"\n";
        let errs = parse(text).err().unwrap_or_default();
        assert_eq!(errs.len(), 5);
        assert!(errs.iter().all(|e| !e.message.contains("s3cr3t")));
        assert!(errs.iter().all(|e| !e.message.contains("postgres")));
    }
}
