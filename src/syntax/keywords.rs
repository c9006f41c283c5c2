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

/// How a statement is written, for help lines.
pub fn usage(keyword: &str) -> Option<&'static str> {
    Some(match keyword {
        "namespace" => "namespace NAME [{ labels { ... } annotations { ... } }]",
        "labels" => "labels { KEY = VALUE ... }",
        "annotations" => "annotations { KEY = VALUE ... }",
        "annotation" => "annotation KEY = VALUE",
        "naming" => "naming { deployment = \"{name}-deployment\" ... }",
        "chart" => "chart { version 1.0.0  app-version 1.0.0  description \"...\" }",
        "config" => "config NAME { KEY = value ... }",
        "secret" => "secret NAME { KEY ... }",
        "service" => "service NAME { image ... port ... }",
        "database" => "database NAME { image ... port ... volume data 10Gi at /data }",
        "volume" => {
            "volume NAME { size 10Gi ... } at app level; `volume NAME SOURCE at PATH [read-only]` in a service"
        }
        "ingress" => "ingress NAME { host ...  route PATH -> SERVICE }",
        "autoscale" => "autoscale SERVICE MIN..MAX [cpu N%] [memory N%] [name NAME]",
        "network" => "network [NAME] { allow FROM -> TO[.PORT] ... }",
        "env" => {
            "env NAME = value, env CONFIG.KEY, env from NAME [prefix P], env { ... }; at app level also env NAME { overrides }"
        }
        "name" | "container" => "name NAME",
        "image" => "image [REGISTRY/]REPOSITORY[:TAG][@DIGEST]",
        "pull" => "pull always|if-not-present|never",
        "replicas" => "replicas N",
        "selector" => "selector { KEY ... } or selector { KEY = VALUE ... }",
        "port" => {
            "port [NAME] PORT [-> CONTAINERPORT] [node NODEPORT] [protocol tcp|udp|sctp], on one line"
        }
        "expose" => "expose cluster-ip|headless|node-port|load-balancer|none",
        "cpu" => "cpu REQUEST..LIMIT (e.g. 100m..500m)",
        "memory" => "memory REQUEST..LIMIT (e.g. 128Mi..512Mi)",
        "liveness" | "readiness" | "startup" => {
            "liveness|readiness|startup http [PATH] | tcp [PORT] | exec CMD, then [port P] [delay D] [period D] [timeout D] [failures N] [successes N], on one line"
        }
        "command" | "args" => "command [\"cmd\", \"arg\"] or command \"cmd arg\"",
        "workdir" => "workdir /PATH",
        "strategy" => {
            "strategy recreate, or strategy rolling [surge N|N%] [unavailable N|N%], on one line"
        }
        "run-as" => "run-as UID[:GID] or run-as root",
        "cap-add" => "cap-add CAPABILITY ..., on one line",
        "seccomp" => "seccomp runtime-default|unconfined",
        "accept" => "accept WARNING ..., on one line (see `tfc explain`)",
        "size" => "size QUANTITY (e.g. 10Gi)",
        "class" => "class NAME",
        "access" => "access rwo|rox|rwx|rwop ..., on one line",
        "mode" => "mode filesystem|block",
        "host-path" => "host-path /PATH",
        "host-type" => "host-type directory-or-create|directory|file-or-create|file",
        "pv" => "pv NAME",
        "pv-labels" => "pv-labels { KEY = VALUE ... }",
        "reclaim" => "reclaim retain|delete",
        "host" => "host NAME ..., on one line",
        "tls" => "tls [SECRETNAME]",
        "route" => "route [exact|regex] PATH -> SERVICE[.PORT], on one line",
        "allow" => "allow FROM -> TO[.PORT], on one line",
        "type" => "type TYPE",
        "version" => "version 1.0.0",
        "app-version" => "app-version VERSION",
        "description" => "description \"...\"",
        _ => return None,
    })
}
