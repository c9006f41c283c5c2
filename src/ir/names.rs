//! The Kubernetes names of generated objects: `name`, `naming` patterns and
//! defaults. The defaults pass computes each name once and stores it.

use super::{App, Workload, WorkloadKind};

/// Object kinds whose names follow `naming` patterns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Workload,
    Service,
    Autoscaler,
    /// A workload's `allow-...` NetworkPolicy.
    Policy,
}

impl App {
    fn pattern(&self, key: &str) -> Option<&str> {
        self.naming
            .iter()
            .find(|(k, _)| k.node == key)
            .map(|(_, v)| v.as_str())
    }

    fn apply(&self, pattern: &str, base: &str) -> String {
        pattern
            .replace("{name}", base)
            .replace("{app}", &self.name.node)
    }

    /// The name of one of a workload's objects: the pattern for its kind
    /// applied to the base name (`name`, else the id); else `name`; else the
    /// `default` pattern applied to the id; else the id.
    pub(super) fn object_name(&self, w: &Workload, kind: Kind) -> String {
        let key = match (kind, w.kind) {
            (Kind::Workload, WorkloadKind::Service) => "deployment",
            (Kind::Workload, WorkloadKind::Database) => "statefulset",
            (Kind::Workload, WorkloadKind::Job) if w.job.schedule.is_some() => "cronjob",
            (Kind::Workload, WorkloadKind::Job) => "job",
            (Kind::Service, _) => "service",
            (Kind::Autoscaler, _) => "autoscaler",
            (Kind::Policy, _) => "network-policy",
        };
        let base = w.name.as_ref().map_or(w.id.as_str(), |n| n.as_str());
        if let Some(p) = self.pattern(key) {
            return self.apply(p, base);
        }
        if kind == Kind::Policy {
            let object = self.object_name(w, Kind::Workload);
            return format!("allow-{object}");
        }
        if w.name.is_some() {
            return base.to_string();
        }
        match self.pattern("default") {
            Some(p) => self.apply(p, base),
            None => base.to_string(),
        }
    }
}
