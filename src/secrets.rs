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
/// "double-quoted" (with \n, \t, \\ and \" escapes).
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
        let Some((name, value)) = l.split_once('=') else {
            errors.push(SecretsError {
                line,
                message: "expected `SECRET.KEY=value`".to_string(),
            });
            continue;
        };
        let name = name.trim();
        let Some((secret, key)) = name
            .split_once('.')
            .filter(|(s, k)| !s.is_empty() && !k.is_empty())
        else {
            errors.push(SecretsError {
                line,
                message: format!(
                    "`{}` does not name a secret key; expected `SECRET.KEY=value`",
                    printable(name)
                ),
            });
            continue;
        };
        match unquote(value.trim()) {
            Some(value) => out.push(SecretInput {
                line,
                secret: secret.to_string(),
                key: key.to_string(),
                value,
            }),
            None => errors.push(SecretsError {
                line,
                message: format!("the value of `{}` has an unclosed quote", printable(name)),
            }),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A name safe to print: at most 80 characters, no control characters.
fn printable(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(80).collect()
}

/// Whether what follows a closing quote is nothing or a comment.
fn only_comment(rest: &str) -> bool {
    let rest = rest.trim_start();
    rest.is_empty() || rest.starts_with('#')
}

fn unquote(v: &str) -> Option<String> {
    if let Some(rest) = v.strip_prefix('\'') {
        let (body, after) = rest.split_once('\'')?;
        return only_comment(after).then(|| body.to_string());
    }
    if let Some(rest) = v.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return only_comment(rest.get(i + 1..).unwrap_or("")).then_some(out),
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, 'r')) => out.push('\r'),
                    Some((_, other)) => out.push(other),
                    None => return None,
                },
                _ => out.push(c),
            }
        }
        return None;
    }
    // A bare value ends at ` #` (a trailing comment).
    let bare = v.split_once(" #").map_or(v, |(a, _)| a);
    Some(bare.trim_end().to_string())
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
        let errs = parse("app.A=\"s3cr3t\nnovalue\n").err().unwrap_or_default();
        assert_eq!(errs.len(), 2);
        assert!(errs.iter().all(|e| !e.message.contains("s3cr3t")));
    }
}
