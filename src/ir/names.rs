//! The Kubernetes names of generated objects: `name`, `naming` patterns and defaults.

use super::{App, Workload, WorkloadKind};

/// Object kinds whose names follow `naming` patterns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Workload,
    Service,
    Autoscaler,
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
    pub fn object_name(&self, w: &Workload, kind: Kind) -> String {
        let key = match (kind, w.kind) {
            (Kind::Workload, WorkloadKind::Service) => "deployment",
            (Kind::Workload, WorkloadKind::Database) => "statefulset",
            (Kind::Service, _) => "service",
            (Kind::Autoscaler, _) => "autoscaler",
        };
        let base = w.name.as_ref().map_or(w.id.as_str(), |n| n.as_str());
        if let Some(p) = self.pattern(key) {
            return self.apply(p, base);
        }
        if w.name.is_some() {
            return base.to_string();
        }
        match self.pattern("default") {
            Some(p) => self.apply(p, base),
            None => base.to_string(),
        }
    }

    /// The Deployment or StatefulSet name.
    pub fn workload_name(&self, w: &Workload) -> String {
        self.object_name(w, Kind::Workload)
    }

    /// The Service name (the host name other services use).
    pub fn service_name(&self, w: &Workload) -> String {
        self.object_name(w, Kind::Service)
    }

    /// The container name.
    pub fn container_name(&self, w: &Workload) -> String {
        w.container
            .as_ref()
            .map_or_else(|| w.id.node.clone(), |c| c.node.clone())
    }

    /// The name of a claim made for a workload's volume.
    pub fn claim_name(&self, w: &Workload, volume: &str) -> String {
        format!("{}-{volume}", self.workload_name(w))
    }
}
