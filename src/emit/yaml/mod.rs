//! The one module that writes YAML: objects, the multi-document stream and
//! `kustomization.yaml`. Values are serialised with serde into a small tree
//! (`tree`, in field order) and printed in block style by a writer of our
//! own: several times faster than a general YAML emitter, byte-identical to
//! serde_yaml on tfc's output, and it quotes every scalar a YAML 1.1 or 1.2
//! reader could take for anything but a string.

mod tree;

use super::Object;
use serde::Serialize;
pub use tree::Node;
use tree::Node as Value;

/// An error while serialising (a bug: every object is plain data).
#[derive(Debug)]
pub struct YamlError(pub String);

/// Any serialisable value as a YAML document.
pub fn to_yaml<T: Serialize>(value: &T) -> Result<String, YamlError> {
    let tree = tree::to_node(value).map_err(|e| YamlError(e.to_string()))?;
    let mut out = String::new();
    document(&mut out, &tree);
    Ok(out)
}

/// One object as a tree.
pub fn object_node(o: &Object) -> Result<Node, YamlError> {
    let t = match o {
        Object::Namespace(x) => tree::to_node(x),
        Object::PersistentVolume(x) => tree::to_node(x),
        Object::ConfigMap(x) => tree::to_node(x),
        Object::Secret(x) => tree::to_node(x),
        Object::PersistentVolumeClaim(x) => tree::to_node(x),
        Object::Service(x) => tree::to_node(x),
        Object::Deployment(x) => tree::to_node(x),
        Object::StatefulSet(x) => tree::to_node(x),
        Object::HorizontalPodAutoscaler(x) => tree::to_node(x),
        Object::Ingress(x) => tree::to_node(x),
        Object::NetworkPolicy(x) => tree::to_node(x),
    };
    t.map_err(|e| YamlError(e.to_string()))
}

/// One object as a YAML document.
pub fn object(o: &Object) -> Result<String, YamlError> {
    let mut out = String::new();
    document(&mut out, &object_node(o)?);
    Ok(out)
}

/// All objects as one multi-document stream.
pub fn stream(objects: &[Object]) -> Result<String, YamlError> {
    let mut out = String::new();
    for o in objects {
        out.push_str("---\n");
        out.push_str(&object(o)?);
    }
    Ok(out)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Kustomization<'a> {
    api_version: &'a str,
    kind: &'a str,
    resources: Vec<String>,
}

/// `kustomization.yaml` listing the object files in apply order.
pub fn kustomization(files: &[String]) -> Result<String, YamlError> {
    to_yaml(&Kustomization {
        api_version: "kustomize.config.k8s.io/v1beta1",
        kind: "Kustomization",
        resources: files.to_vec(),
    })
}

/// A tree with Helm template nodes as one YAML document (a chart template).
pub fn template(tree: &Node) -> String {
    let mut out = String::new();
    document(&mut out, tree);
    out
}

/// A values file: the tree, each key preceded by `# comment` lines where
/// `comment` has one for its path.
pub fn commented(tree: &Node, comment: &dyn Fn(&[&str]) -> Option<String>) -> String {
    let mut out = String::new();
    if let Value::Map(m) = tree {
        let mut path = Vec::new();
        commented_map(&mut out, m, 0, &mut path, comment);
    } else {
        document(&mut out, tree);
    }
    out
}

fn commented_map<'a>(
    out: &mut String,
    m: &'a [(tree::Key, Value)],
    indent: usize,
    path: &mut Vec<&'a str>,
    comment: &dyn Fn(&[&str]) -> Option<String>,
) {
    for (k, v) in m {
        path.push(k.as_ref());
        if let Some(c) = comment(path) {
            for line in c.lines() {
                pad(out, indent);
                out.push_str("# ");
                out.push_str(line);
                out.push('\n');
            }
        }
        pad(out, indent);
        scalar(out, k);
        out.push(':');
        match v {
            Value::Map(inner) if !inner.is_empty() => {
                out.push('\n');
                commented_map(out, inner, indent + 2, path, comment);
            }
            other => after_key(out, other, indent),
        }
        path.pop();
    }
}

/// A string as a YAML scalar (plain or quoted), for text assembled elsewhere.
pub fn quote(s: &str) -> String {
    let mut out = String::new();
    scalar(&mut out, s);
    out
}

/// A whole document: a top-level mapping, sequence or scalar.
fn document(out: &mut String, v: &Value) {
    match v {
        Value::Map(m) if !m.is_empty() => mapping(out, m, 0),
        Value::Seq(a) if !a.is_empty() => sequence(out, a, 0),
        other => {
            inline(out, other);
            out.push('\n');
        }
    }
}

fn pad(out: &mut String, indent: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = indent;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.push_str(SPACES.get(..n).unwrap_or(""));
        left -= n;
    }
}

/// A value that fits on the line of its key or dash.
fn is_inline(v: &Value) -> bool {
    match v {
        Value::Map(m) => m.is_empty(),
        Value::Seq(a) => a.is_empty(),
        Value::Str(s) => block_literal(s).is_none(),
        Value::Block { .. } | Value::Splice(_) => false,
        _ => true,
    }
}

/// `key: value` lines at `indent`.
fn mapping(out: &mut String, m: &[(tree::Key, Value)], indent: usize) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            pad(out, indent);
        }
        if let Value::Splice(text) = v {
            out.push_str(&text.replace("{INDENT}", &indent.to_string()));
            out.push('\n');
            continue;
        }
        scalar(out, k);
        out.push(':');
        after_key(out, v, indent);
    }
}

/// The value after `key:` (or after `- ` for nested sequences).
fn after_key(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Map(m) if !m.is_empty() => {
            out.push('\n');
            pad(out, indent + 2);
            mapping(out, m, indent + 2);
        }
        Value::Seq(a) if !a.is_empty() => {
            out.push('\n');
            pad(out, indent);
            sequence(out, a, indent);
        }
        Value::Block { expr, seq } => {
            let n = if *seq { indent } else { indent + 2 };
            out.push('\n');
            pad(out, n);
            out.push_str(&format!("{{{{- toYaml {expr} | nindent {n} }}}}\n"));
        }
        Value::Str(s) => match block_literal(s) {
            Some(header) => {
                out.push(' ');
                out.push_str(header);
                for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
                    out.push('\n');
                    if !line.is_empty() {
                        pad(out, indent + 2);
                        out.push_str(line);
                    }
                }
                out.push('\n');
            }
            None => {
                out.push(' ');
                scalar(out, s);
                out.push('\n');
            }
        },
        other => {
            out.push(' ');
            inline(out, other);
            out.push('\n');
        }
    }
}

/// `- item` lines at `indent` (the first dash is already indented).
fn sequence(out: &mut String, a: &[Value], indent: usize) {
    for (i, item) in a.iter().enumerate() {
        if i > 0 {
            pad(out, indent);
        }
        out.push('-');
        match item {
            Value::Map(m) if !m.is_empty() => {
                out.push(' ');
                mapping(out, m, indent + 2);
            }
            Value::Seq(inner) if !inner.is_empty() => {
                out.push(' ');
                sequence(out, inner, indent + 2);
            }
            other if is_inline(other) => {
                out.push(' ');
                inline(out, other);
                out.push('\n');
            }
            other => after_key(out, other, indent),
        }
    }
}

/// A value on one line: `{}`, `[]`, a number, a boolean, null or a scalar string.
fn inline(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => out.push_str(&n.to_string()),
        Value::UInt(n) => out.push_str(&n.to_string()),
        Value::Float(f) if f.is_finite() => out.push_str(&format!("{f:?}")),
        Value::Float(f) if f.is_nan() => out.push_str(".nan"),
        Value::Float(f) => out.push_str(if *f > 0.0 { ".inf" } else { "-.inf" }),
        Value::Str(s) => scalar(out, s),
        Value::Map(_) => out.push_str("{}"),
        Value::Seq(_) => out.push_str("[]"),
        Value::Template(t) => out.push_str(t),
        Value::Block { .. } | Value::Splice(_) => out.push_str("null"),
    }
}

/// The block-literal header (`|` or `|-`) for a multi-line string that
/// reads back exactly, or None when it must be quoted instead.
fn block_literal(s: &str) -> Option<&'static str> {
    if !s.contains('\n') || s.starts_with([' ', '\n']) || s.ends_with("\n\n") {
        return None;
    }
    let clean = s
        .split('\n')
        .all(|l| !l.ends_with([' ', '\t']) && !l.chars().any(|c| c.is_control() && c != '\t'));
    if !clean {
        return None;
    }
    Some(if s.ends_with('\n') { "|" } else { "|-" })
}

/// A string scalar: plain when no reader can mistake it, else quoted.
fn scalar(out: &mut String, s: &str) {
    if is_plain(s) {
        out.push_str(s);
    } else if !s.chars().any(|c| c == '\'' || c.is_control())
        && !s.contains(['\u{85}', '\u{2028}', '\u{2029}'])
    {
        out.push('\'');
        out.push_str(s);
        out.push('\'');
    } else {
        // A JSON string is a valid YAML double-quoted scalar.
        out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string()));
    }
}

/// Whether a string may be written without quotes.
fn is_plain(s: &str) -> bool {
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
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.chars().any(char::is_control) {
        return false;
    }
    !looks_typed(s)
}

/// Whether a YAML 1.1 or 1.2 reader could resolve the plain scalar to a
/// non-string: null, a boolean, a number or a date.
fn looks_typed(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf",
        ".nan",
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
    // Numbers in any base or notation, sexagesimals (1:30) and dates
    // (2001-12-14) start with a digit or a dot: quote every such string made
    // only of the characters they use.
    body.chars().all(|c| {
        c.is_ascii_hexdigit()
            || "._:-+xXoObB".contains(c)
            || c == 't'
            || c == 'T'
            || c == 'z'
            || c == 'Z'
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn y(v: serde_json::Value) -> String {
        let mut out = String::new();
        document(&mut out, &tree::to_node(&v).unwrap_or(Value::Null));
        out
    }

    #[test]
    fn block_style_with_sequences_at_key_indent() {
        let v = json!({"a": {"b": [{"c": 1, "d": ["x", "w"]}, "z"], "e": {}}, "f": []});
        assert_eq!(
            y(v),
            "a:\n  b:\n  - c: 1\n    d:\n    - x\n    - w\n  - z\n  e: {}\nf: []\n"
        );
    }

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
            "",
            " a",
            "a: b",
            "#x",
            "*a",
            "-",
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
        ] {
            assert!(is_plain(s), "{s:?} may be plain");
        }
    }

    #[test]
    fn quoting_styles() {
        assert_eq!(y(json!({"k": "60"})), "k: '60'\n");
        assert_eq!(y(json!({"k": "it's"})), "k: it's\n");
        assert_eq!(y(json!({"k": "'q'"})), "k: \"'q'\"\n");
        assert_eq!(y(json!({"k": "a\tb"})), "k: \"a\\tb\"\n");
        assert_eq!(
            y(json!({"k": "line1\nline2\n"})),
            "k: |\n  line1\n  line2\n"
        );
        assert_eq!(
            y(json!({"k": "line1\n\nline3"})),
            "k: |-\n  line1\n\n  line3\n"
        );
        assert_eq!(y(json!({"k": " lead\nx"})), "k: \" lead\\nx\"\n");
    }
}
