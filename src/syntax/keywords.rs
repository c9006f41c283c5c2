//! Which statements each kind of block accepts: the one table behind
//! "unknown statement" and "misplaced statement" messages.

use crate::ast::BlockKind;

/// Statements of a service or database.
pub const WORKLOAD: &[&str] = &[
    "name",
    "container",
    "image",
    "pull",
    "replicas",
    "labels",
    "annotations",
    "annotation",
    "selector",
    "port",
    "expose",
    "cpu",
    "memory",
    "liveness",
    "readiness",
    "startup",
    "env",
    "command",
    "args",
    "workdir",
    "strategy",
    "volume",
    "run-as",
    "writable-root",
    "allow-escalation",
    "mount-token",
    "cap-add",
    "seccomp",
    "accept",
];

/// Workload statements that may stand at app level, as defaults for every workload.
pub const WORKLOAD_DEFAULTS: &[&str] = &[
    "pull",
    "replicas",
    "selector",
    "cpu",
    "memory",
    "liveness",
    "readiness",
    "startup",
    "env",
    "strategy",
    "run-as",
    "writable-root",
    "allow-escalation",
    "mount-token",
    "cap-add",
    "seccomp",
    "accept",
];

/// Items of the app body (besides workload defaults).
pub const APP: &[&str] = &[
    "namespace",
    "labels",
    "annotations",
    "annotation",
    "naming",
    "chart",
    "config",
    "secret",
    "service",
    "database",
    "volume",
    "ingress",
    "autoscale",
    "network",
    "env",
];

const META: &[&str] = &["labels", "annotations", "annotation"];
const CONFIG: &[&str] = &["labels", "annotations", "annotation"];
const SECRET: &[&str] = &["labels", "annotations", "annotation", "type"];
const VOLUME: &[&str] = &[
    "size",
    "class",
    "access",
    "mode",
    "labels",
    "annotations",
    "annotation",
    "host-path",
    "host-type",
    "pv",
    "pv-labels",
    "reclaim",
];
const INGRESS: &[&str] = &[
    "host",
    "class",
    "tls",
    "route",
    "labels",
    "annotations",
    "annotation",
];
const NETWORK: &[&str] = &["allow", "labels", "annotations", "annotation"];
const CHART: &[&str] = &["version", "app-version", "description", "type"];

/// The statement keywords a block of this kind accepts.
pub fn statements(kind: BlockKind) -> &'static [&'static str] {
    match kind {
        BlockKind::Service | BlockKind::Database => WORKLOAD,
        BlockKind::Config => CONFIG,
        BlockKind::Secret => SECRET,
        BlockKind::Volume => VOLUME,
        BlockKind::Ingress => INGRESS,
        BlockKind::Network => NETWORK,
        BlockKind::Namespace => META,
        BlockKind::Chart => CHART,
    }
}

/// Where a keyword that is not valid here does belong, for the help line.
pub fn home_of(keyword: &str) -> Option<&'static str> {
    let kinds = [
        (BlockKind::Service, "a service or database"),
        (BlockKind::Ingress, "an ingress"),
        (BlockKind::Volume, "a top-level volume"),
        (BlockKind::Network, "a network"),
        (BlockKind::Chart, "the chart block"),
        (BlockKind::Secret, "a secret"),
    ];
    if APP.contains(&keyword) && !WORKLOAD.contains(&keyword) {
        return Some("the app body");
    }
    kinds
        .iter()
        .find(|(k, _)| statements(*k).contains(&keyword))
        .map(|(_, home)| *home)
}

/// Every keyword that starts a statement somewhere.
pub fn all() -> impl Iterator<Item = &'static str> + Clone {
    APP.iter()
        .chain(WORKLOAD)
        .chain(VOLUME)
        .chain(INGRESS)
        .chain(NETWORK)
        .chain(CHART)
        .chain(SECRET)
        .copied()
}
