//! The layering of statements, shared by every item's lowering: where a
//! statement comes from (app default, the item, the environment), and the
//! rules by which a later layer replaces an earlier one while a second
//! statement on the same layer is an error.

use super::values::Diags;
use super::{Meta, Name};
use crate::ast::{self, Kw, Stmt, StmtKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::suggest;
use crate::syntax::table as keywords;
use std::collections::HashMap;

/// Where a statement comes from; a later layer overrides an earlier one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// App-level defaults.
    Default = 0,
    /// The item's own block.
    Own = 1,
    /// App-level statements of the selected environment.
    EnvDefault = 2,
    /// `TARGET.stmt` overrides of the selected environment.
    EnvOwn = 3,
}

/// A statement with its layer.
#[derive(Clone, Copy, Debug)]
pub struct L<'a> {
    pub stmt: &'a Stmt,
    pub layer: Layer,
}

/// Remembers which keys were set, to report duplicates and apply overrides.
#[derive(Default)]
pub struct Seen {
    map: HashMap<Key, (Layer, Span)>,
}

/// What a statement sets: a single-valued setting (by its row of the
/// table), or a keyed entry (by name).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Setting(Kw),
    Name(String),
}

/// What to do with a keyed statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admit {
    New,
    Replace,
    Duplicate,
}

impl Seen {
    pub fn contains(&self, key: &Key) -> bool {
        self.map.contains_key(key)
    }

    /// Records a single-valued statement by its row; false for a duplicate
    /// on the same layer (reported), true when it may be set.
    pub fn setting(&mut self, l: &L, diags: &mut Diags) -> bool {
        let Some(kw) = l.stmt.kw else {
            return true;
        };
        self.admit(
            Key::Setting(kw),
            l.layer,
            l.stmt.keyword,
            &format!("`{}`", kw.word()),
            Code::DuplicateSetting,
            diags,
        ) != Admit::Duplicate
    }

    /// Records `key`; a second one on the same layer is a duplicate (reported).
    pub fn admit(
        &mut self,
        key: Key,
        layer: Layer,
        span: Span,
        what: &str,
        code: Code,
        diags: &mut Diags,
    ) -> Admit {
        match self.map.get(&key) {
            None => {
                self.map.insert(key, (layer, span));
                Admit::New
            }
            Some(&(old, first))
                if old == layer && layer != Layer::EnvDefault && layer != Layer::Default =>
            {
                diags.push(
                    Diagnostic::new(code, span, format!("{what} is set twice"))
                        .label("set again here")
                        .also(first, "first set here")
                        .help(
                            "remove one; per-environment values belong in an `env NAME { }` block",
                        ),
                );
                Admit::Duplicate
            }
            Some(&(old, first)) if old == layer => {
                diags.push(
                    Diagnostic::new(code, span, format!("{what} is set twice"))
                        .label("set again here")
                        .also(first, "first set here"),
                );
                Admit::Duplicate
            }
            Some(_) => {
                self.map.insert(key, (layer, span));
                Admit::Replace
            }
        }
    }
}

/// Builds labels and annotations from statements, merging overrides key by key.
#[derive(Default)]
pub struct MetaBuilder {
    labels: Keyed<(Name, Name)>,
    annotations: Keyed<(Name, Name)>,
}

impl MetaBuilder {
    /// Takes a `labels`/`annotations`/`annotation` statement; false for any other.
    pub fn take(&mut self, l: &L, diags: &mut Diags) -> bool {
        match &l.stmt.kind {
            StmtKind::Labels(pairs) => {
                for p in pairs {
                    self.put(true, p, l.layer, diags);
                }
            }
            StmtKind::Annotations(pairs) => {
                for p in pairs {
                    self.put(false, p, l.layer, diags);
                }
            }
            StmtKind::Annotation(p) => self.put(false, p, l.layer, diags),
            StmtKind::ExcludePart {
                what,
                name: Some(key),
            } if matches!(what.text.as_str(), "label" | "annotation") => {
                if !in_environment(l, diags) {
                    return true;
                }
                let list = if what.text == "label" {
                    &mut self.labels
                } else {
                    &mut self.annotations
                };
                if list.remove(&key.text).is_none() {
                    diags.push(nothing_to_exclude(key.span, &what.text, &key.text));
                }
            }
            _ => return false,
        }
        true
    }

    fn put(&mut self, label: bool, p: &ast::Pair, layer: Layer, diags: &mut Diags) {
        let (what, list) = if label {
            ("label", &mut self.labels)
        } else {
            ("annotation", &mut self.annotations)
        };
        let at = At {
            layer,
            span: p.key.span,
            what: &format!("{what} `{}`", p.key.text),
            code: Code::DuplicateKey,
        };
        list.upsert(
            &p.key.text,
            &at,
            (p.key.spanned(), p.value.spanned()),
            diags,
        );
    }

    /// The labels and annotations, in the order they were first written.
    pub fn meta(self) -> Meta {
        Meta {
            labels: self.labels.into_values(),
            annotations: self.annotations.into_values(),
        }
    }
}

/// Whether an `exclude` stands in an environment; reports it (TF0008) when
/// it stands in the item's own block, where the part can simply be left out.
pub fn in_environment(l: &L, diags: &mut Diags) -> bool {
    if matches!(l.layer, Layer::EnvOwn | Layer::EnvDefault) {
        return true;
    }
    diags.push(
        Diagnostic::new(
            Code::MisplacedStatement,
            l.stmt.keyword,
            "`exclude` belongs in an environment",
        )
        .label("the item's own block can simply leave the part out")
        .help("write it in `env NAME { ITEM { exclude ... } }`"),
    );
    false
}

/// The keys of `exclude KEY ...` in a config or secret (read as either
/// form of `exclude`); None for any other statement.
pub fn excluded_keys(kind: &StmtKind) -> Option<Vec<&ast::Scalar>> {
    match kind {
        StmtKind::List(Kw::Exclude, keys) => Some(keys.iter().collect()),
        StmtKind::ExcludePart { what, name } => Some(std::iter::once(what).chain(name).collect()),
        _ => None,
    }
}

/// A key named `optional` in an external config or secret that is not
/// `external optional`: most likely the words were swapped (TF0315).
pub fn optional_as_key(ext: Option<super::External>, keys: &[&Name], diags: &mut Diags) {
    let Some(ext) = ext.filter(|e| !e.optional) else {
        return;
    };
    for k in keys.iter().filter(|k| k.node == "optional") {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                k.span,
                "`optional` is read as a key of this external item",
            )
            .label("a key named `optional`")
            .also(ext.span, "external, but not optional")
            .help("`optional` follows `external`: write `external optional  KEY ...`"),
        );
    }
}

/// `exclude WHAT` without the name of the part (TF0319).
pub fn unnamed_exclude(what: &ast::Scalar) -> Diagnostic {
    Diagnostic::new(
        Code::MissingField,
        what.span,
        format!(
            "`exclude {}` names no {} to leave out",
            what.text, what.text
        ),
    )
    .label("the name is missing")
    .help(format!("write `exclude {} NAME`", what.text))
}

/// `exclude WHAT NAME` names a part the item does not have (TF0208).
pub fn nothing_to_exclude(at: Span, what: &str, name: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownTarget,
        at,
        format!("there is no {what} `{name}` to exclude"),
    )
    .label("nothing of that name")
    .help("exclude only what the item has in the layers before the environment")
}

/// Finds the end of the line holding a byte offset.
pub type LineEnd<'a> = &'a dyn Fn(usize) -> usize;

/// Reports a statement that does not belong in a block of `kind`.
pub fn misplaced(stmt: &Stmt, kind: &str, valid: &[&str], diags: &mut Diags) {
    let kw = stmt.kind.keyword();
    let d = match &stmt.kind {
        StmtKind::Key(k) | StmtKind::Entry { key: k, .. } if keywords::is_keyword(&k.node) => {
            Diagnostic::new(
                Code::UnknownStatement,
                k.span,
                format!("`{}` is written without `=`", k.node),
            )
            .label("not a `KEY = value` entry here")
            .help(format!("write `{} VALUE`", k.node))
        }
        StmtKind::Key(k) | StmtKind::Entry { key: k, .. } => Diagnostic::new(
            Code::UnknownStatement,
            k.span,
            format!("unknown statement `{}` in {kind}", k.node),
        )
        .label("not a statement here")
        .help(match suggest::nearest(&k.node, valid.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the statements of {kind} are: {}", valid.join(", ")),
        }),
        StmtKind::ExcludePart { what, .. } => Diagnostic::new(
            Code::InvalidValue,
            what.span,
            format!("`exclude {}` is not supported in {kind}", what.text),
        )
        .label("a part that cannot be left out here")
        .help("exclude `label KEY` or `annotation KEY` here; docs/language.md 3.14 lists what each item can leave out"),
        _ => Diagnostic::new(
            Code::MisplacedStatement,
            stmt.keyword,
            format!("`{kw}` is not a statement of {kind}"),
        )
        .label("not valid here")
        .help(match keywords::home_of(kw) {
            Some(home) => format!("`{kw}` belongs in {home}"),
            None => format!("the statements of {kind} are: {}", valid.join(", ")),
        }),
    };
    diags.push(d);
}

/// Reports misplaced statements, but only the first of consecutive bare keys
/// on one line (`replica 2` reads as two keys).
pub struct Misplaced {
    last_key_line_end: Option<usize>,
}

impl Misplaced {
    pub fn new() -> Self {
        Misplaced {
            last_key_line_end: None,
        }
    }

    pub fn report(
        &mut self,
        source_line_end: LineEnd,
        stmt: &Stmt,
        kind: &str,
        valid: &[&str],
        diags: &mut Diags,
    ) {
        let is_key = matches!(stmt.kind, StmtKind::Key(_));
        if is_key
            && self
                .last_key_line_end
                .is_some_and(|end| stmt.span.start < end)
        {
            return;
        }
        self.last_key_line_end = is_key.then(|| source_line_end(stmt.span.start));
        misplaced(stmt, kind, valid, diags);
    }
}

impl Default for Misplaced {
    fn default() -> Self {
        Self::new()
    }
}

/// Where a keyed statement comes from, and how a second one on its layer is reported.
pub struct At<'a> {
    pub layer: Layer,
    pub span: Span,
    /// What it sets, for "... is set twice" (`port \`http\``).
    pub what: &'a str,
    pub code: Code,
}

/// A collection keyed by name that knows each entry's layer and span: an
/// entry of a later layer replaces the earlier one in place, a second on
/// the same layer is reported, and an entry may be removed.
pub struct Keyed<T> {
    items: Vec<(String, T)>,
    seen: Seen,
}

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed {
            items: Vec::new(),
            seen: Seen::default(),
        }
    }
}

impl<T> Keyed<T> {
    /// Adds or replaces `key`; what happened.
    pub fn upsert(&mut self, key: &str, at: &At, value: T, diags: &mut Diags) -> Admit {
        let admit = self.seen.admit(
            Key::Name(key.to_string()),
            at.layer,
            at.span,
            at.what,
            at.code,
            diags,
        );
        match admit {
            Admit::New => self.items.push((key.to_string(), value)),
            Admit::Replace => {
                if let Some(slot) = self.items.iter_mut().find(|(k, _)| k == key) {
                    slot.1 = value;
                }
            }
            Admit::Duplicate => {}
        }
        admit
    }

    /// Removes `key` (`exclude WHAT NAME` in an environment).
    pub fn remove(&mut self, key: &str) -> Option<T> {
        self.seen.map.remove(&Key::Name(key.to_string()));
        let at = self.items.iter().position(|(k, _)| k == key)?;
        Some(self.items.remove(at).1)
    }

    /// Changes every entry in place.
    pub fn for_each_mut(&mut self, mut f: impl FnMut(&mut T)) {
        for (_, v) in &mut self.items {
            f(v);
        }
    }

    #[cfg_attr(not(test), allow(dead_code))]
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.items.iter().map(|(_, v)| v)
    }

    pub fn into_values(self) -> Vec<T> {
        self.items.into_iter().map(|(_, v)| v).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(layer: Layer, start: usize) -> At<'static> {
        At {
            layer,
            span: Span::new(start, start + 1),
            what: "port `http`",
            code: Code::DuplicatePort,
        }
    }

    #[test]
    fn keyed_adds_replaces_by_layer_reports_and_removes() {
        let mut k: Keyed<u32> = Keyed::default();
        let mut diags = Vec::new();
        assert_eq!(k.upsert("a", &at(Layer::Own, 0), 1, &mut diags), Admit::New);
        assert_eq!(k.upsert("b", &at(Layer::Own, 2), 2, &mut diags), Admit::New);
        // A later layer replaces in place; the same layer is an error.
        assert_eq!(
            k.upsert("a", &at(Layer::EnvOwn, 4), 3, &mut diags),
            Admit::Replace
        );
        assert_eq!(
            k.upsert("b", &at(Layer::Own, 6), 4, &mut diags),
            Admit::Duplicate
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(k.values().copied().collect::<Vec<_>>(), vec![3, 2]);
        assert_eq!(k.remove("a"), Some(3));
        assert_eq!(k.upsert("a", &at(Layer::Own, 8), 5, &mut diags), Admit::New);
        assert_eq!(k.into_values(), vec![2, 5]);
    }
}
