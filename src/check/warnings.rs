//! Likely mistakes that still compile: unused keys, missing probes or
//! resources, settings an autoscaler overrides, overlapping selectors.

use crate::ast::ProbeKind;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{App, EnvValue, MountSource};
use std::collections::{HashMap, HashSet};

pub fn check(app: &App, diags: &mut Vec<Diagnostic>) {
    unused_keys(app, diags);
    unreachable(app, diags);
    for w in &app.workloads {
        drain_blocked(w, diags);
        // A workload with a statement that did not read may have lost the
        // very probe or resources these would ask for.
        let watched = w.incomplete
            || w.kind == crate::ir::WorkloadKind::Job
            || w.app.probe(ProbeKind::Readiness).is_some()
            || w.app.probe(ProbeKind::Liveness).is_some();
        if !watched {
            diags.push(
                Diagnostic::new(
                    Code::MissingProbes,
                    w.id.span,
                    format!("`{}` has no readiness or liveness probe", w.id.node),
                )
                .label("Kubernetes cannot tell when it is ready or stuck")
                .help("add e.g. `readiness http /healthz` and `liveness http /healthz`"),
            );
        }
        if w.app.cpu.is_none() && w.app.memory.is_none() && !w.incomplete {
            diags.push(
                Diagnostic::new(
                    Code::MissingResources,
                    w.id.span,
                    format!("`{}` has no cpu or memory requests", w.id.node),
                )
                .label("no resources")
                .help("add e.g. `cpu 100m..500m` and `memory 128Mi..512Mi`"),
            );
        }
        if let Some(r) = &w.replicas_ignored {
            if let Some(a) = app.autoscalers.iter().find(|a| a.target.node == w.id.node) {
                diags.push(
                    Diagnostic::new(
                        Code::ReplicasIgnored,
                        r.span,
                        format!("`replicas` of `{}` is ignored", w.id.node),
                    )
                    .label("the autoscaler sets the replica count")
                    .also(a.span, "autoscaled here"),
                );
            }
        }
    }
    overlapping_selectors(app, diags);
}

/// Keys of configs and secrets that no workload reads.
fn unused_keys(app: &App, diags: &mut Vec<Diagnostic>) {
    let mut whole: HashSet<&str> = HashSet::new();
    let mut keys: HashSet<(&str, &str)> = HashSet::new();
    for w in &app.workloads {
        whole.extend(
            w.containers()
                .flat_map(|c| &c.env_from)
                .map(|f| f.name.as_str()),
        );
        for m in &w.mounts {
            if let MountSource::Config(n) | MountSource::Secret(n) = &m.source {
                whole.insert(n.as_str());
            }
        }
        whole.extend(w.pull_secrets.iter().map(|s| s.as_str()));
        for e in w.containers().flat_map(|c| &c.env) {
            if let EnvValue::Ref { item, key, .. } = &e.value {
                keys.insert((item.as_str(), key.as_str()));
            }
        }
    }
    for c in &app.configs {
        // An external item's keys describe the cluster's object, read or not.
        if whole.contains(c.name.as_str()) || c.external.is_some() {
            continue;
        }
        for e in &c.entries {
            if !keys.contains(&(c.name.as_str(), e.key.as_str())) {
                diags.push(
                    Diagnostic::new(
                        Code::UnusedConfigKey,
                        e.key.span,
                        format!("no service reads `{}.{}`", c.name.node, e.key.node),
                    )
                    .label("unused key")
                    .help(format!(
                        "use it with `env {}.{}`, or remove it",
                        c.name.node, e.key.node
                    )),
                );
            }
        }
    }
    for s in &app.secrets {
        if whole.contains(s.name.as_str()) || s.external.is_some() {
            continue;
        }
        for k in &s.keys {
            if !keys.contains(&(s.name.as_str(), k.as_str())) {
                diags.push(
                    Diagnostic::new(
                        Code::UnusedSecretKey,
                        k.span,
                        format!("no service reads `{}.{}`", s.name.node, k.node),
                    )
                    .label("unused key")
                    .help(format!(
                        "use it with `env {}.{}`, or remove it",
                        s.name.node, k.node
                    )),
                );
            }
        }
    }
}

/// Workloads whose selector matches another workload's pods. Pods are
/// indexed by label, so each selector is tried only against the pods that
/// carry its rarest label.
fn overlapping_selectors(app: &App, diags: &mut Vec<Diagnostic>) {
    let labels: Vec<_> = app.workloads.iter().map(|w| app.pod_labels(w)).collect();
    let mut by_label: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, l) in labels.iter().enumerate() {
        for (k, v) in l {
            by_label
                .entry((k.as_str(), v.as_str()))
                .or_default()
                .push(i);
        }
    }
    for (ai, a) in app.workloads.iter().enumerate() {
        let sel = app.selector(a);
        let candidates = sel
            .iter()
            .map(|(k, v)| {
                by_label
                    .get(&(k.as_str(), v.as_str()))
                    .map_or(&[][..], Vec::as_slice)
            })
            .min_by_key(|c| c.len())
            .unwrap_or(&[]);
        for &bi in candidates {
            let (Some(b), Some(b_labels)) = (app.workloads.get(bi), labels.get(bi)) else {
                continue;
            };
            if bi == ai {
                continue;
            }
            if sel.iter().all(|(k, v)| b_labels.get(k) == Some(v)) {
                diags.push(
                    Diagnostic::new(
                        Code::SelectorOverlap,
                        a.selector_span,
                        format!(
                            "the selector of `{}` also matches the pods of `{}`",
                            a.id.node, b.id.node
                        ),
                    )
                    .label(format!(
                        "selects {}",
                        sel.iter()
                            .map(|(k, v)| format!("{k}={v}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .also(b.id.span, format!("`{}` has those labels too", b.id.node))
                    .help("add a label that tells them apart to the selector, e.g. `component`"),
                );
            }
        }
    }
}

/// A disruption budget that lets no pod go: a node drain waits forever.
fn drain_blocked(w: &crate::ir::Workload, diags: &mut Vec<Diagnostic>) {
    use crate::ir::{Disruption, IntOrPercent};
    let Some(d) = &w.disruption else { return };
    let replicas = w.replicas.as_ref().map(|r| r.node);
    let blocked = match &d.node {
        Disruption::MaxUnavailable(IntOrPercent::Int(0)) => true,
        Disruption::MaxUnavailable(IntOrPercent::Percent(p)) => p == "0%",
        Disruption::MinAvailable(IntOrPercent::Percent(p)) => p == "100%",
        Disruption::MinAvailable(IntOrPercent::Int(n)) => replicas.is_some_and(|r| *n >= r),
        Disruption::MaxUnavailable(IntOrPercent::Int(_)) => false,
    };
    if blocked {
        diags.push(
            Diagnostic::new(
                Code::DrainBlocked,
                d.span,
                format!("the disruption budget of `{}` lets no pod go", w.id.node),
            )
            .label("a node drain (an upgrade) would wait for ever")
            .help("allow one pod down: `disruption max-unavailable 1`, with 2 or more replicas"),
        );
    }
}

/// Workloads with a Service that no connection reaches, when the app is
/// closed by network policy.
fn unreachable(app: &App, diags: &mut Vec<Diagnostic>) {
    use crate::ir::graph::End;
    // A lone workload has no peer in the app to be cut off from.
    if app.network_mode.node != crate::ir::NetworkMode::Closed || app.workloads.len() < 2 {
        return;
    }
    let reached: HashSet<usize> = app
        .edges
        .iter()
        .filter_map(|e| match e.to {
            End::Workload(i) => Some(i),
            _ => None,
        })
        .collect();
    for (i, w) in app.workloads.iter().enumerate() {
        let serves = w.services.iter().any(|s| !s.ports.is_empty());
        if !serves || reached.contains(&i) || w.incomplete {
            continue;
        }
        diags.push(
            Diagnostic::new(
                Code::UnreachableService,
                w.id.span,
                format!("no rule lets any pod reach `{}`", w.id.node),
            )
            .label("the app's default-deny policy blocks every connection to it")
            .help(format!(
                "give a client its address (`env URL = url({0})`), or `network {{ allow CLIENT -> {0} }}`, or `network-mode internal`",
                w.id.node
            )),
        );
    }
}
