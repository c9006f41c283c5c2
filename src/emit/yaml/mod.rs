//! The one module that writes YAML: objects, the multi-document stream and
//! `kustomization.yaml`. Values are serialised with serde into a small tree
//! (`tree`, in field order) and printed in block style by a writer of our
//! own: several times faster than a general YAML emitter, byte-identical to
//! serde_yaml on tfc's output, and it quotes every scalar a YAML 1.1 or 1.2
//! reader could take for anything but a string.

mod scalar;
mod tree;

pub use scalar::uncarriable;

use super::Object;
use serde::Serialize;
use tree::Node as Value;
pub use tree::{Key, Node, get, get_mut};

/// An error while serialising (a bug: every object is plain data).
#[derive(Debug)]
pub struct YamlError(pub String);

/// Any serialisable value as a YAML document.
pub fn to_yaml<T: Serialize>(value: &T) -> Result<String, YamlError> {
    let tree = tree::to_node(value).map_err(|e| YamlError(e.to_string()))?;
    let mut w = Writer::new(false);
    w.document(&tree);
    Ok(w.out)
}

/// One object as a tree.
pub fn object_node(o: &Object) -> Result<Node, YamlError> {
    macro_rules! to_node {
        ($o:expr; $($v:ident),*) => {
            match $o {
                $(Object::$v(x) => tree::to_node(x),)*
                Object::Extra(x) => tree::to_node(x),
            }
        };
    }
    let t = crate::emit::with_kinds!(to_node!(o));
    t.map_err(|e| YamlError(e.to_string()))
}

/// One object as a YAML document.
pub fn object(o: &Object) -> Result<String, YamlError> {
    let mut w = Writer::new(false);
    w.document(&object_node(o)?);
    Ok(w.out)
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

/// A tree with Helm template nodes as one YAML document (a chart template);
/// the text of its strings reaches the rendered output unchanged.
pub fn template(tree: &Node) -> String {
    let mut w = Writer::new(true);
    w.document(tree);
    w.out
}

/// A values file: the tree, each key preceded by `# comment` lines where
/// `comment` has one for its path.
pub fn commented(tree: &Node, comment: &dyn Fn(&[&str]) -> Option<String>) -> String {
    let mut w = Writer::new(false);
    if let Value::Map(m) = tree {
        let mut path = Vec::new();
        w.commented_map(m, 0, &mut path, comment);
    } else {
        w.document(tree);
    }
    w.out
}

/// A string as a YAML scalar (plain or quoted), for text assembled elsewhere.
pub fn quote(s: &str) -> String {
    let mut out = String::new();
    scalar::scalar(&mut out, s);
    out
}

/// A string as a YAML scalar inside a Helm template: quoted as [`quote`]
/// does, with every `{{` made literal so that Helm prints it as written.
pub fn quote_in_template(s: &str) -> String {
    literal_braces(&quote(s))
}

/// Text with every `{{` replaced by a template action that prints `{{`, so
/// that Go's text/template (Helm) reproduces the text byte for byte.
pub fn literal_braces(text: &str) -> String {
    if text.contains("{{") {
        text.replace("{{", "{{ \"{{\" }}")
    } else {
        text.to_string()
    }
}

/// The YAML text being written, and whether it is a Helm template (whose
/// user text must not be read as template actions).
struct Writer {
    out: String,
    template: bool,
}

impl Writer {
    fn new(template: bool) -> Self {
        Writer {
            out: String::new(),
            template,
        }
    }

    fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn ch(&mut self, c: char) {
        self.out.push(c);
    }

    /// User text: literal braces in a template.
    fn text(&mut self, s: &str) {
        if self.template && s.contains("{{") {
            self.out.push_str(&literal_braces(s));
        } else {
            self.out.push_str(s);
        }
    }

    fn scalar(&mut self, s: &str) {
        let mut q = String::new();
        scalar::scalar(&mut q, s);
        self.text(&q);
    }

    fn pad(&mut self, indent: usize) {
        const SPACES: &str = "                                                                ";
        let mut left = indent;
        while left > 0 {
            let n = left.min(SPACES.len());
            self.out.push_str(SPACES.get(..n).unwrap_or(""));
            left -= n;
        }
    }

    /// A whole document: a top-level mapping, sequence or scalar.
    fn document(&mut self, v: &Value) {
        match v {
            Value::Map(m) if !m.is_empty() => self.mapping(m, 0),
            Value::Seq(a) if !a.is_empty() => self.sequence(a, 0),
            other => {
                self.inline(other);
                self.ch('\n');
            }
        }
    }

    /// `key: value` lines at `indent`.
    fn mapping(&mut self, m: &[(tree::Key, Value)], indent: usize) {
        for (i, (k, v)) in m.iter().enumerate() {
            if i > 0 {
                self.pad(indent);
            }
            if let Value::Splice(text) = v {
                let text = text
                    .replace("{INDENT2}", &(indent + 2).to_string())
                    .replace("{INDENT}", &indent.to_string());
                self.push(&text);
                self.ch('\n');
                continue;
            }
            self.scalar(k);
            self.ch(':');
            self.after_key(v, indent);
        }
    }

    /// The value after `key:` (or after `- ` for nested sequences).
    fn after_key(&mut self, v: &Value, indent: usize) {
        match v {
            Value::Map(m) if !m.is_empty() => {
                self.ch('\n');
                self.pad(indent + 2);
                self.mapping(m, indent + 2);
            }
            Value::Seq(a) if !a.is_empty() => {
                self.ch('\n');
                self.pad(indent);
                self.sequence(a, indent);
            }
            Value::Block { expr, seq } => {
                let n = if *seq { indent } else { indent + 2 };
                self.ch('\n');
                self.pad(n);
                self.push(&format!("{{{{- toYaml {expr} | nindent {n} }}}}\n"));
            }
            Value::Str(s) => match scalar::block_literal(s) {
                Some(header) => {
                    self.ch(' ');
                    self.push(header);
                    for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
                        self.ch('\n');
                        if !line.is_empty() {
                            self.pad(indent + 2);
                            self.text(line);
                        }
                    }
                    self.ch('\n');
                }
                None => {
                    self.ch(' ');
                    self.scalar(s);
                    self.ch('\n');
                }
            },
            other => {
                self.ch(' ');
                self.inline(other);
                self.ch('\n');
            }
        }
    }

    /// `- item` lines at `indent` (the first dash is already indented).
    fn sequence(&mut self, a: &[Value], indent: usize) {
        for (i, item) in a.iter().enumerate() {
            if i > 0 {
                self.pad(indent);
            }
            self.ch('-');
            match item {
                Value::Map(m) if !m.is_empty() => {
                    self.ch(' ');
                    self.mapping(m, indent + 2);
                }
                Value::Seq(inner) if !inner.is_empty() => {
                    self.ch(' ');
                    self.sequence(inner, indent + 2);
                }
                other if is_inline(other) => {
                    self.ch(' ');
                    self.inline(other);
                    self.ch('\n');
                }
                other => self.after_key(other, indent),
            }
        }
    }

    /// A value on one line: `{}`, `[]`, a number, a boolean, null or a scalar string.
    fn inline(&mut self, v: &Value) {
        match v {
            Value::Null => self.push("null"),
            Value::Bool(b) => self.push(if *b { "true" } else { "false" }),
            Value::Int(n) => self.push(&n.to_string()),
            Value::UInt(n) => self.push(&n.to_string()),
            Value::Float(f) if f.is_finite() => self.push(&format!("{f:?}")),
            Value::Float(f) if f.is_nan() => self.push(".nan"),
            Value::Float(f) => self.push(if *f > 0.0 { ".inf" } else { "-.inf" }),
            Value::Str(s) => self.scalar(s),
            Value::Map(_) => self.push("{}"),
            Value::Seq(_) => self.push("[]"),
            Value::Template(t) => self.push(t),
            Value::Block { .. } | Value::Splice(_) => self.push("null"),
        }
    }

    fn commented_map<'a>(
        &mut self,
        m: &'a [(tree::Key, Value)],
        indent: usize,
        path: &mut Vec<&'a str>,
        comment: &dyn Fn(&[&str]) -> Option<String>,
    ) {
        for (k, v) in m {
            path.push(k.as_ref());
            if let Some(c) = comment(path) {
                for line in c.lines() {
                    self.pad(indent);
                    self.push("# ");
                    self.push(line);
                    self.ch('\n');
                }
            }
            self.pad(indent);
            self.scalar(k);
            self.ch(':');
            match v {
                Value::Map(inner) if !inner.is_empty() => {
                    self.ch('\n');
                    self.commented_map(inner, indent + 2, path, comment);
                }
                other => self.after_key(other, indent),
            }
            path.pop();
        }
    }
}

/// A value that fits on the line of its key or dash.
fn is_inline(v: &Value) -> bool {
    match v {
        Value::Map(m) => m.is_empty(),
        Value::Seq(a) => a.is_empty(),
        Value::Str(s) => scalar::block_literal(s).is_none(),
        Value::Block { .. } | Value::Splice(_) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn y(v: serde_json::Value) -> String {
        let mut w = Writer::new(false);
        w.document(&tree::to_node(&v).unwrap_or(Value::Null));
        w.out
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

    #[test]
    fn templates_print_user_braces_literally() {
        let node = tree::to_node(&json!({"args": ["log {{.Level}}", "a\n{{ x }}\n"]}))
            .unwrap_or(Value::Null);
        let mut w = Writer::new(true);
        w.document(&node);
        assert_eq!(
            w.out,
            "args:\n- log {{ \"{{\" }}.Level}}\n- |\n  a\n  {{ \"{{\" }} x }}\n"
        );
    }
}
