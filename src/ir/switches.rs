//! `exclude` and `include`: the items an environment leaves out, and the
//! items left out unless an environment includes them (the `enabled` idiom
//! of Helm charts). At app level `exclude NAME ...` leaves items out by
//! default; in an environment `exclude NAME ...` leaves items out and
//! `include NAME ...` brings back items excluded at app level. `autoscale NAME` names the autoscaler of
//! a workload.

use super::layer::{L, Layer};
use super::values::Diags;
use crate::ast::{Kw, Scalar, StmtKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::suggest;
use std::collections::HashSet;

#[derive(Default)]
pub struct Switches<'a> {
    /// `exclude` at app level.
    off_default: Vec<(String, &'a Scalar)>,
    /// `exclude` and `include` of the environment compiled.
    env_off: Vec<(String, &'a Scalar)>,
    env_on: Vec<(String, &'a Scalar)>,
    /// Those of the environments not compiled, for their errors.
    other_on: Vec<(String, &'a Scalar)>,
    other_off: Vec<(String, &'a Scalar)>,
}

/// The names of a statement: `NAME` or `autoscale NAME`, joined.
fn names(words: &[Scalar]) -> Vec<(String, &Scalar)> {
    let mut out = Vec::new();
    let mut autoscale = false;
    for w in words {
        if w.text == "autoscale" && !w.quoted {
            autoscale = true;
            continue;
        }
        let key = if autoscale {
            format!("autoscale {}", w.text)
        } else {
            w.text.clone()
        };
        autoscale = false;
        out.push((key, w));
    }
    out
}

impl<'a> Switches<'a> {
    /// Takes an `exclude` or `include` statement of the app (`Layer::Default`) or of
    /// an environment (`apply`: the one compiled); false for others.
    pub fn take(&mut self, l: L<'a>, apply: bool, diags: &mut Diags) -> bool {
        let (on, words) = match &l.stmt.kind {
            StmtKind::List(Kw::Exclude, w) => (false, w),
            StmtKind::List(Kw::Include, w) => (true, w),
            _ => return false,
        };
        let list = names(words);
        let list_of = match (l.layer, on, apply) {
            (Layer::Default, false, _) => &mut self.off_default,
            (Layer::Default, true, _) => {
                diags.push(
                    Diagnostic::new(
                        Code::MisplacedStatement,
                        l.stmt.keyword,
                        "`include` belongs in an environment",
                    )
                    .label("at app level every item is in unless `exclude`d")
                    .help("write `exclude NAME` here, and `include NAME` in the environments that have it"),
                );
                return true;
            }
            (_, false, true) => &mut self.env_off,
            (_, true, true) => &mut self.env_on,
            (_, false, false) => &mut self.other_off,
            (_, true, false) => &mut self.other_on,
        };
        list_of.extend(list);
        true
    }

    /// Whether any item is off by default.
    pub fn any_off_by_default(&self) -> bool {
        !self.off_default.is_empty()
    }

    /// Reports names that are no item (`items`: the item names and
    /// `autoscale TARGET` of the app), and `include` of an item not excluded.
    pub fn check(&self, items: &[String], diags: &mut Diags) {
        let all = self
            .off_default
            .iter()
            .chain(&self.env_off)
            .chain(&self.env_on)
            .chain(&self.other_off)
            .chain(&self.other_on);
        for (key, s) in all {
            if !items.contains(key) {
                diags.push(
                    Diagnostic::new(
                        Code::UnknownTarget,
                        s.span,
                        format!("the app has no item `{key}` to switch"),
                    )
                    .label("not an item of the app")
                    .maybe_help(part_hint(key).or_else(|| {
                        suggest::did_you_mean(key, items.iter().map(String::as_str), "items")
                    })),
                );
            }
        }
        for (key, s) in self.env_on.iter().chain(&self.other_on) {
            let off = self.off_default.iter().any(|(k, _)| k == key);
            if items.contains(key) && !off {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        s.span,
                        format!("`{key}` is not excluded"),
                    )
                    .label("`include` brings back an item `exclude`d at app level")
                    .help(format!(
                        "write `exclude {key}` at app level, or remove this `include`"
                    )),
                );
            }
        }
    }

    /// The items left out of the app compiled: excluded at app level and not
    /// included, or excluded by the environment (`all_on`: none by default).
    pub fn removed(&self, all_on: bool) -> Vec<(String, crate::span::Span)> {
        let on: HashSet<&String> = self.env_on.iter().map(|(k, _)| k).collect();
        let by_default = self
            .off_default
            .iter()
            .filter(|_| !all_on)
            .filter(|(k, _)| !on.contains(k));
        by_default
            .chain(&self.env_off)
            .map(|(k, s)| (k.clone(), s.span))
            .collect()
    }
}

/// The help when `exclude WHAT` names a kind of part rather than an item:
/// a part is left out inside its item's block.
fn part_hint(key: &str) -> Option<String> {
    const PARTS: &[&str] = &[
        "env",
        "port",
        "volume",
        "init",
        "sidecar",
        "readiness",
        "liveness",
        "startup",
        "label",
        "annotation",
        "host",
        "route",
        "allow",
    ];
    PARTS.contains(&key).then(|| {
        format!("to leave out a part of an item, write it in the item's block: `ITEM {{ exclude {key} NAME }}`")
    })
}
