//! AST → IR for the statements of a `job`: its schedule (a CronJob) and how
//! its pods run and retry.

use super::layer::L;
use super::values::{self, Diags};
use super::{Concurrency, JobRestart, Workload};
use crate::ast::{Kw, StmtKind};
use crate::span::Spanned;

/// Whether the statement is one of a job's own settings.
pub fn is_setting(l: &L) -> bool {
    matches!(
        &l.stmt.kind,
        StmtKind::Simple(
            Kw::Schedule
                | Kw::Timezone
                | Kw::Concurrency
                | Kw::Retries
                | Kw::Deadline
                | Kw::KeepFor
                | Kw::Restart
                | Kw::Completions
                | Kw::Parallel,
            _
        ) | StmtKind::List(Kw::History, _)
    )
}

/// Sets a job setting ([`is_setting`]) on the workload.
pub fn apply(l: &L, w: &mut Workload, diags: &mut Diags) {
    let j = &mut w.job;
    let duration =
        |s, diags: &mut Diags| values::duration(s, diags).map(|n| Spanned::new(n, s.span));
    match &l.stmt.kind {
        StmtKind::Simple(Kw::Schedule, s) => j.schedule = Some(s.spanned()),
        StmtKind::Simple(Kw::Timezone, s) => j.timezone = Some(s.spanned()),
        StmtKind::Simple(Kw::Concurrency, s) => {
            let c = values::word(
                s,
                "concurrency policy",
                &[
                    ("forbid", Concurrency::Forbid),
                    ("allow", Concurrency::Allow),
                    ("replace", Concurrency::Replace),
                ],
                diags,
            );
            j.concurrency = c.map(|c| Spanned::new(c, s.span));
        }
        StmtKind::Simple(Kw::Restart, s) => {
            let r = values::word(
                s,
                "restart policy",
                &[
                    ("never", JobRestart::Never),
                    ("on-failure", JobRestart::OnFailure),
                ],
                diags,
            );
            j.restart = r.map(|r| Spanned::new(r, s.span));
        }
        StmtKind::Simple(Kw::Retries, s) => j.retries = values::int(s, "`retries`", diags),
        StmtKind::Simple(Kw::Completions, s) => {
            j.completions = values::int(s, "`completions`", diags);
        }
        StmtKind::Simple(Kw::Parallel, s) => j.parallel = values::int(s, "`parallel`", diags),
        StmtKind::Simple(Kw::Deadline, s) => j.deadline = duration(s, diags),
        StmtKind::Simple(Kw::KeepFor, s) => j.keep_for = duration(s, diags),
        StmtKind::List(Kw::History, counts) => {
            let mut n = counts.iter().map(|c| values::int(c, "`history`", diags));
            let succeeded = n.next().flatten();
            let failed = n.next().flatten();
            j.history = succeeded.map(|s| (s, failed));
        }
        _ => {}
    }
}
