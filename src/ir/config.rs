//! AST → IR for a config: its keys and values, `exclude` in an
//! environment, and `external` (a ConfigMap that lives in the cluster).

use super::layer::{At, Keyed, L, Layer, LineEnd, MetaBuilder, Misplaced, Seen};
use super::layer::{excluded_keys, in_environment, optional_as_key};
use super::values::{self, Diags};
use super::*;
use crate::ast::{Block, BlockKind, StmtKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::table as keywords;

/// A config being lowered.
struct Builder<'a> {
    name: &'a Name,
    entries: Keyed<Entry>,
    excluded: Vec<Name>,
    external: Option<External>,
    /// Keys written without a value: an external config's keys, else mistakes.
    alone: Vec<(Layer, &'a Name)>,
    /// Keys written with a value.
    valued: Vec<&'a Name>,
}

pub fn config(
    b: &Block,
    stmts: &[L],
    source: &str,
    line_end: LineEnd,
    diags: &mut Diags,
) -> Config {
    let mut meta = MetaBuilder::default();
    let mut mis = Misplaced::new();
    let mut seen = Seen::default();
    let mut c = Builder {
        name: &b.name,
        entries: Keyed::default(),
        excluded: Vec::new(),
        external: None,
        alone: Vec::new(),
        valued: Vec::new(),
    };
    for l in stmts {
        if meta.take(l, diags) {
            continue;
        }
        match &l.stmt.kind {
            StmtKind::External { optional } => {
                if seen.setting(l, diags) {
                    c.external = Some(External {
                        optional: *optional,
                        span: l.stmt.span,
                    });
                }
            }
            StmtKind::Entry { key, value } => c.entry(l, key, value, diags),
            StmtKind::Key(k) => c.alone.push((l.layer, k)),
            kind if excluded_keys(kind).is_some() => c.exclude(l, diags),
            _ => mis.report(
                line_end,
                l.stmt,
                "a config",
                &keywords::valid_in(BlockKind::Config.ctx()),
                diags,
            ),
        }
    }
    c.keys_alone(source, line_end, diags);
    Config {
        name: b.name.clone(),
        item: ItemId::new(ItemKind::Config, 0),
        entries: c.entries.into_values(),
        external: c.external,
        excluded: c.excluded,
        meta: meta.meta(),
        span: b.span,
    }
}

impl<'a> Builder<'a> {
    fn entry(&mut self, l: &L, key: &'a Name, value: &crate::ast::Value, diags: &mut Diags) {
        let Some(expr) = values::expr(value, diags) else {
            return;
        };
        self.valued.push(key);
        let at = At {
            layer: l.layer,
            span: key.span,
            what: &format!("key `{}`", key.node),
            code: Code::DuplicateKey,
        };
        let entry = Entry {
            key: key.clone(),
            value: expr,
        };
        self.entries.upsert(&key.node, &at, entry, diags);
    }

    /// `exclude KEY ...` in an environment.
    fn exclude(&mut self, l: &L, diags: &mut Diags) {
        if !in_environment(l, diags) {
            return;
        }
        for k in excluded_keys(&l.stmt.kind).unwrap_or_default() {
            self.excluded.push(k.spanned());
            self.alone.retain(|(_, a)| a.node != k.text);
            self.valued.retain(|v| v.node != k.text);
            if self.entries.remove(&k.text).is_none() {
                diags.push(
                    Diagnostic::new(
                        Code::UnknownConfigKey,
                        k.span,
                        format!(
                            "config `{}` has no key `{}` to exclude",
                            self.name.node, k.text
                        ),
                    )
                    .label("unknown key"),
                );
            }
        }
    }

    /// Keys without a value: the keys of an external config (whose values
    /// live in the cluster, so a value is an error); mistakes otherwise.
    fn keys_alone(&mut self, source: &str, line_end: LineEnd, diags: &mut Diags) {
        let Some(ext) = self.external else {
            for (_, k) in &self.alone {
                diags.push(config_key_alone(k, source, &line_end));
            }
            return;
        };
        let keys: Vec<&Name> = self.alone.iter().map(|(_, k)| *k).collect();
        optional_as_key(Some(ext), &keys, diags);
        for (layer, k) in std::mem::take(&mut self.alone) {
            let at = At {
                layer,
                span: k.span,
                what: &format!("key `{}`", k.node),
                code: Code::DuplicateKey,
            };
            let value = Expr {
                parts: Vec::new(),
                span: k.span,
                text: None,
            };
            self.entries.upsert(
                &k.node,
                &at,
                Entry {
                    key: k.clone(),
                    value,
                },
                diags,
            );
        }
        for k in &self.valued {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    k.span,
                    format!(
                        "external config `{}` has a value for `{}`",
                        self.name.node, k.node
                    ),
                )
                .label("the value of an external config lives in the cluster")
                .also(ext.span, "the config is external here")
                .help(format!(
                    "declare the key alone (`{}`): tfc emits no ConfigMap for an external config",
                    k.node
                )),
            );
        }
    }
}

/// Why a config line held a key and no `= value`: a quoted key, a key with
/// a character keys cannot hold, a value that is a keyword, or no value.
fn config_key_alone(k: &Name, source: &str, line_end: &LineEnd) -> Diagnostic {
    let after = source.get(k.span.end..line_end(k.span.end)).unwrap_or("");
    let rest = after.trim_start();
    let quoted = source
        .get(k.span.start..)
        .is_some_and(|s| s.starts_with('"'));
    if quoted && rest.starts_with('=') {
        return Diagnostic::new(
            Code::InvalidName,
            k.span,
            format!("config key `{}` is quoted", k.node),
        )
        .label("config keys are written without quotes")
        .help(format!(
            "write `{} = ...`; keys are letters, digits, `-`, `_` and `.`",
            k.node
        ));
    }
    if let Some(bad) = after
        .chars()
        .next()
        .filter(|c| !c.is_whitespace() && *c != '=' && *c != '#')
    {
        let word: String = after
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '=')
            .collect();
        let at = k.span.end;
        return Diagnostic::new(
            Code::InvalidName,
            crate::span::Span::new(k.span.start, at + word.len()),
            format!("`{}{word}` is not a valid config key", k.node),
        )
        .label(format!("`{bad}` cannot be part of a key"))
        .help("keys are letters, digits, `-`, `_` and `.`");
    }
    match rest.strip_prefix('=') {
        // `KEY = service` reads as a key alone when the value is a keyword.
        Some(value) => {
            let value = value.split_whitespace().next().unwrap_or("");
            Diagnostic::new(
                Code::InvalidValue,
                k.span,
                format!("the value of `{}` cannot be read", k.node),
            )
            .label(format!("`{value}` is not a value here"))
            .help(format!("write text in quotes: {} = \"{value}\"", k.node))
        }
        None => Diagnostic::new(
            Code::MissingField,
            k.span,
            format!("config key `{}` has no value", k.node),
        )
        .label("expected `KEY = value`")
        .help("config values are written in the file; for credentials, use a `secret` instead"),
    }
}
