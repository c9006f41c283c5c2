//! AST → IR for the pod's identity and placement: `pod-annotations`,
//! `service-account`, `pull-secret`, `node-selector`, `tolerate`, `spread`
//! and the container's `pre-stop`.

use super::layer::{At, Keyed, L};
use super::values::{self, Diags};
use super::{Name, PreStop, Spread, TaintEffect, Toleration, Workload};
use crate::ast::{self, Kw, PreStopAction, StmtKind};
use crate::diagnostic::Code;
use crate::span::Spanned;

/// The keyed statements of a workload's pod, merged key by key:
/// `pod-annotations`, `node-selector` and `tolerate`.
#[derive(Default)]
pub struct Pod {
    pod_annotations: Keyed<(Name, Name)>,
    node_selector: Keyed<(Name, Name)>,
    tolerations: Keyed<Toleration>,
}

/// Whether the statement is a single-valued setting of this module.
pub fn is_setting(l: &L) -> bool {
    matches!(
        &l.stmt.kind,
        StmtKind::Simple(Kw::ServiceAccount, _)
            | StmtKind::List(Kw::PullSecret | Kw::Spread, _)
            | StmtKind::PreStop(_)
    )
}

/// Sets a single-valued setting ([`is_setting`]) on the workload.
pub fn apply(l: &L, w: &mut Workload, diags: &mut Diags) {
    match &l.stmt.kind {
        StmtKind::Simple(Kw::ServiceAccount, s) => w.service_account = Some(s.spanned()),
        StmtKind::List(Kw::PullSecret, names) => {
            w.pull_secrets = names.iter().map(ast::Scalar::spanned).collect();
        }
        StmtKind::List(_, words) => w.placement.spread = spread(words, l, diags),
        StmtKind::PreStop(action) => {
            let hook = match action {
                PreStopAction::Sleep(d) => values::duration(d, diags).map(PreStop::Sleep),
                PreStopAction::Exec(v) => values::command(v, diags).map(PreStop::Exec),
            };
            w.app.pre_stop = hook.map(|h| Spanned::new(h, l.stmt.span));
        }
        _ => {}
    }
}

fn spread(words: &[ast::Scalar], l: &L, diags: &mut Diags) -> Option<Spanned<Spread>> {
    let mut spread = Spread::default();
    for w in words {
        let word = values::word(
            w,
            "spread",
            &[("nodes", 0), ("zones", 1), ("strict", 2)],
            diags,
        )?;
        match word {
            0 => spread.nodes = true,
            1 => spread.zones = true,
            _ => spread.strict = true,
        }
    }
    if !spread.nodes && !spread.zones {
        spread.nodes = true;
    }
    Some(Spanned::new(spread, l.stmt.span))
}

impl Pod {
    /// Takes a keyed statement; false for any other.
    pub fn take(&mut self, l: &L, diags: &mut Diags) -> bool {
        match &l.stmt.kind {
            StmtKind::Pairs(kw, pairs) => self.pairs(l, *kw, pairs, diags),
            StmtKind::Tolerate { key, value, effect } => {
                self.tolerate(l, key, value.as_ref(), effect.as_ref(), diags);
            }
            _ => return false,
        }
        true
    }

    fn pairs(&mut self, l: &L, kw: Kw, pairs: &[ast::Pair], diags: &mut Diags) {
        let (what, map) = match kw {
            Kw::NodeSelector => ("node selector", &mut self.node_selector),
            _ => ("pod annotation", &mut self.pod_annotations),
        };
        for p in pairs {
            let at = At {
                layer: l.layer,
                span: p.key.span,
                what: &format!("{what} `{}`", p.key.text),
                code: Code::DuplicateKey,
            };
            map.upsert(
                &p.key.text,
                &at,
                (p.key.spanned(), p.value.spanned()),
                diags,
            );
        }
    }

    fn tolerate(
        &mut self,
        l: &L,
        key: &ast::Scalar,
        value: Option<&ast::Scalar>,
        effect: Option<&ast::Scalar>,
        diags: &mut Diags,
    ) {
        let effect = match effect {
            Some(e) => match values::word(
                e,
                "taint effect",
                &[
                    ("no-schedule", TaintEffect::NoSchedule),
                    ("prefer-no-schedule", TaintEffect::PreferNoSchedule),
                    ("no-execute", TaintEffect::NoExecute),
                ],
                diags,
            ) {
                Some(e) => Some(e),
                None => return,
            },
            None => None,
        };
        let t = Toleration {
            key: key.spanned(),
            value: value.map(ast::Scalar::spanned),
            effect,
            span: l.stmt.span,
        };
        let id = format!(
            "{}:{}",
            key.text,
            effect.map_or("any effect", TaintEffect::as_k8s)
        );
        let at = At {
            layer: l.layer,
            span: key.span,
            what: &format!("toleration `{id}`"),
            code: Code::DuplicateKey,
        };
        self.tolerations.upsert(&id, &at, t, diags);
    }

    /// Puts the merged pod annotations, node selector and tolerations on the workload.
    pub fn finish(self, w: &mut Workload) {
        w.pod_annotations = self.pod_annotations.into_values();
        w.placement.node_selector = self.node_selector.into_values();
        w.placement.tolerations = self.tolerations.into_values();
    }
}
