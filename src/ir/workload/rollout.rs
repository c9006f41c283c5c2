//! `strategy`: how a Deployment replaces its pods.

use super::Builder;
use crate::ast;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::layer::L;
use crate::ir::{Strategy, WorkloadKind};
use crate::span::Spanned;

impl Builder<'_, '_, '_> {
    /// `strategy`: a Deployment's rollout (a database has none).
    pub(super) fn strategy(
        &mut self,
        l: &L,
        recreate: bool,
        surge: Option<&ast::Scalar>,
        unavailable: Option<&ast::Scalar>,
    ) {
        let db = self.w.kind == WorkloadKind::Database;
        if db {
            if !Self::is_default(l) {
                self.diags.push(
                    Diagnostic::new(
                        Code::MisplacedStatement,
                        l.stmt.keyword,
                        "a database has no `strategy`",
                    )
                    .label("databases are StatefulSets")
                    .help("a StatefulSet replaces its pods one at a time, highest ordinal first"),
                );
            }
            return;
        }
        if self.fresh(l) {
            let s = if recreate {
                Strategy::Recreate
            } else {
                Strategy::Rolling {
                    surge: surge.and_then(|s| self.int_or_percent(s, "a rolling-update bound")),
                    unavailable: unavailable
                        .and_then(|s| self.int_or_percent(s, "a rolling-update bound")),
                }
            };
            self.w.strategy = Some(Spanned::new(s, l.stmt.span));
        }
    }
}
