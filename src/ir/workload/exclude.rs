//! `exclude WHAT [NAME]` in an environment: a part of a workload left out.

use super::Builder;
use crate::ast;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::layer::{L, in_environment, unnamed_exclude};
use crate::span::Spanned;

impl Builder<'_, '_, '_> {
    /// `exclude WHAT [NAME]` in an environment: removes a part written
    /// before it (an `init` or `sidecar` block is removed by `lower`).
    pub(super) fn exclude(&mut self, l: &L, what: &ast::Scalar, name: Option<&ast::Scalar>) {
        if !in_environment(l, self.diags) {
            return;
        }
        let named = matches!(
            what.text.as_str(),
            "env" | "port" | "volume" | "init" | "sidecar" | "label" | "annotation"
        );
        if named && name.is_none() {
            self.diags.push(unnamed_exclude(what));
            return;
        }
        let key = name
            .map(|n| n.text.clone())
            .unwrap_or_else(|| what.text.clone());
        let removed = match what.text.as_str() {
            "env" => self.env.remove(&key).is_some(),
            "port" => self.ports.remove(&key).is_some(),
            "volume" => self.mounts.remove(&key).is_some(),
            "readiness" | "liveness" | "startup" => self.probes.remove(&key).is_some(),
            "init" | "sidecar" => true,
            other => {
                self.diags.push(
                    Diagnostic::new(Code::InvalidValue, what.span, format!("`exclude {other}` is not supported"))
                        .label("a part that cannot be left out")
                        .help("exclude `env NAME`, `port NAME`, `volume NAME`, `init NAME`, `sidecar NAME`, `label KEY`, `annotation KEY`, or a probe (`readiness`, `liveness`, `startup`)"),
                );
                return;
            }
        };
        if removed {
            let at = name.map_or(what.span, |n| n.span);
            self.w
                .excluded
                .push((what.text.clone(), Spanned::new(key.clone(), at)));
        }
        if !removed {
            let at = name.map_or(what.span, |n| n.span);
            self.diags.push(
                Diagnostic::new(
                    Code::UnknownTarget,
                    at,
                    format!(
                        "`{}` has no {} `{key}` to exclude",
                        self.w.id.node, what.text
                    ),
                )
                .label("nothing of that name"),
            );
        }
    }
}
