//! The value slots of each object: the tunables a chart user expects
//! (replicas, images, resources, probe timings, Service type and nodePorts,
//! config values, ingress host, class and TLS, autoscaling). Each builder
//! in emit calls the function for its object with what it has just set;
//! a workload's fields go under its values group (its item name).

use super::slot::{Accepts, Seg, Slot, Style, path, under};
use crate::ast::ProbeKind;
use crate::ir::{Autoscaler, Container, ContainerRole, Service, Workload};
use k8s_openapi::api::networking::v1::IngressSpec;

/// The slots of a Deployment or StatefulSet.
pub fn workload(w: &Workload) -> Vec<Slot> {
    let g = w.id.node.as_str();
    let mut out = Vec::new();
    if w.replicas.is_some() {
        out.push(
            Slot::new(
                path("spec.replicas"),
                &[g, "replicas"],
                Style::Scalar,
                "Number of pods.",
            )
            .accepts(Accepts::Int { min: 1, max: None }),
        );
    }
    let pod = path(if w.object_kind() == "CronJob" {
        "spec.jobTemplate.spec.template.spec"
    } else {
        "spec.template.spec"
    });
    if w.grace.is_some() {
        out.push(
            Slot::new(
                under(&pod, "terminationGracePeriodSeconds"),
                &[g, "terminationGracePeriodSeconds"],
                Style::Scalar,
                "Seconds a pod gets to shut down before it is killed.",
            )
            .accepts(Accepts::Int { min: 0, max: None }),
        );
    }
    for (i, c) in w.init.iter().enumerate() {
        let at = under(&pod, &format!("initContainers.{i}"));
        let group = match c.role {
            ContainerRole::Sidecar => "sidecars",
            _ => "init",
        };
        container(c, &at, &[g, group, c.name.as_str()], &mut out);
    }
    let main = std::iter::once(&w.app).chain(&w.sidecars);
    for (i, c) in main.enumerate() {
        let at = under(&pod, &format!("containers.{i}"));
        match c.role {
            ContainerRole::App => container(c, &at, &[g], &mut out),
            _ => container(c, &at, &[g, "sidecars", c.name.as_str()], &mut out),
        }
    }
    out
}

fn value(group: &[&str], rest: &[&str]) -> Vec<String> {
    group.iter().chain(rest).map(|s| s.to_string()).collect()
}

/// A container's image, pull policy, resources and probe timings.
fn container(c: &Container, at: &[Seg], group: &[&str], out: &mut Vec<Slot>) {
    let slot = |field: &str, rest: &[&str], style: Style, comment: &str| Slot {
        path: under(at, field),
        value: value(group, rest),
        style,
        comment: comment.to_string(),
        accepts: Accepts::Inferred,
    };
    if c.image.is_some() {
        out.push(slot("image", &["image"], Style::Image, ""));
    }
    if c.pull.is_some() {
        out.push(
            slot(
                "imagePullPolicy",
                &["image", "pullPolicy"],
                Style::Scalar,
                "When to pull the image: Always, IfNotPresent or Never.",
            )
            .accepts(Accepts::OneOf(&["Always", "IfNotPresent", "Never"])),
        );
    }
    let amount = |r: &Option<crate::ir::Resource>| {
        r.as_ref()
            .is_some_and(|r| r.request.is_some() || r.limit.is_some())
    };
    if amount(&c.cpu) || amount(&c.memory) {
        out.push(
            slot(
                "resources",
                &["resources"],
                Style::Block { seq: false },
                "cpu and memory requests and limits.",
            )
            .accepts(Accepts::Resources),
        );
    }
    for (kind, field, key) in [
        (ProbeKind::Liveness, "livenessProbe", "liveness"),
        (ProbeKind::Readiness, "readinessProbe", "readiness"),
        (ProbeKind::Startup, "startupProbe", "startup"),
    ] {
        let Some(p) = c.probe(kind) else { continue };
        for (set, timing, what, min) in [
            (
                p.delay,
                "initialDelaySeconds",
                "Seconds before the first",
                0,
            ),
            (p.period, "periodSeconds", "Seconds between", 1),
            (p.timeout, "timeoutSeconds", "Seconds to wait for", 1),
            (
                p.failures,
                "failureThreshold",
                "Failures in a row that fail",
                1,
            ),
            (
                p.successes,
                "successThreshold",
                "Successes in a row that pass",
                1,
            ),
        ] {
            if set.is_some() {
                let plural = if min == 0 { "" } else { "s" };
                out.push(
                    slot(
                        &format!("{field}.{timing}"),
                        &["probes", key, timing],
                        Style::Scalar,
                        &format!("{what} {key} probe{plural}."),
                    )
                    .accepts(Accepts::Int { min, max: None }),
                );
            }
        }
    }
}

/// The slots of a workload's Service: its type (unless headless) and nodePorts.
pub fn service(w: &Workload, s: &Service) -> Vec<Slot> {
    let g = w.id.node.as_str();
    let mut out = Vec::new();
    // The workload's own Service is `SERVICE.service`; another (`expose
    // ... as NAME`) is `SERVICE.services.NAME`, and has no nodePorts.
    let own = s.name == w.host;
    let at: Vec<&str> = if own {
        vec![g, "service", "type"]
    } else {
        vec![g, "services", &s.name, "type"]
    };
    if s.expose != crate::ir::Expose::Headless {
        out.push(
            Slot::new(
                path("spec.type"),
                &at,
                Style::Scalar,
                "Service type: ClusterIP, NodePort or LoadBalancer.",
            )
            .accepts(Accepts::OneOf(&["ClusterIP", "NodePort", "LoadBalancer"])),
        );
    }
    for (i, p) in s.ports.iter().enumerate() {
        if p.node_port.is_some() {
            out.push(
                Slot::new(
                    path(&format!("spec.ports.{i}.nodePort")),
                    &[g, "service", "nodePorts", &p.name],
                    Style::Scalar,
                    &format!("The node port of `{}` (30000-32767).", p.name),
                )
                .accepts(Accepts::Int {
                    min: 30000,
                    max: Some(32767),
                }),
            );
        }
    }
    out
}

/// The slots of an autoscaler: its bounds and utilization targets.
pub fn autoscaler(a: &Autoscaler, group: &str) -> Vec<Slot> {
    let mut out = vec![
        Slot::new(
            path("spec.minReplicas"),
            &[group, "autoscaling", "minReplicas"],
            Style::Scalar,
            "Fewest pods.",
        )
        .accepts(Accepts::Int { min: 1, max: None }),
        Slot::new(
            path("spec.maxReplicas"),
            &[group, "autoscaling", "maxReplicas"],
            Style::Scalar,
            "Most pods.",
        )
        .accepts(Accepts::Int { min: 1, max: None }),
    ];
    let metrics = [
        (a.cpu.is_some(), "targetCPUUtilizationPercentage"),
        (a.memory.is_some(), "targetMemoryUtilizationPercentage"),
    ];
    for (i, (_, key)) in metrics.iter().filter(|(set, _)| *set).enumerate() {
        out.push(
            Slot::new(
                path(&format!(
                    "spec.metrics.{i}.resource.target.averageUtilization"
                )),
                &[group, "autoscaling", key],
                Style::Scalar,
                "Average use of the request to aim for, in percent.",
            )
            .accepts(Accepts::Int { min: 1, max: None }),
        );
    }
    out
}

/// The slots of a ConfigMap: each value, under `config.NAME.KEY`.
pub fn config<'a>(name: &str, keys: impl Iterator<Item = &'a String>) -> Vec<Slot> {
    keys.map(|k| Slot {
        path: vec![Seg::Key("data".to_string()), Seg::Key(k.clone())],
        value: vec!["config".to_string(), name.to_string(), k.clone()],
        style: Style::Scalar,
        comment: String::new(),
        // Rendered with `quote`, so `--set KEY=20` works as well as `--set-string`.
        accepts: Accepts::ConfigValue,
    })
    .collect()
}

/// The slots of an Ingress: its class, its host when it has one, and the
/// TLS Secret.
pub fn ingress(name: &str, spec: &IngressSpec) -> Vec<Slot> {
    let mut out = Vec::new();
    if spec.ingress_class_name.is_some() {
        out.push(
            Slot::new(
                path("spec.ingressClassName"),
                &["ingress", name, "className"],
                Style::Scalar,
                "Ingress class.",
            )
            .accepts(Accepts::Text),
        );
    }
    let rules = spec.rules.as_deref().unwrap_or_default();
    let tls = spec.tls.as_deref().unwrap_or_default().first();
    if let [rule] = rules {
        if rule.host.is_some() {
            let host = |p: &str| {
                Slot::new(
                    path(p),
                    &["ingress", name, "host"],
                    Style::Scalar,
                    "Host name.",
                )
                .accepts(Accepts::Host)
            };
            out.push(host("spec.rules.0.host"));
            if tls
                .and_then(|t| t.hosts.as_ref())
                .is_some_and(|h| !h.is_empty())
            {
                out.push(host("spec.tls.0.hosts.0"));
            }
        }
    }
    if tls.is_some_and(|t| t.secret_name.is_some()) {
        out.push(
            Slot::new(
                path("spec.tls.0.secretName"),
                &["ingress", name, "tls", "secretName"],
                Style::Scalar,
                "The kubernetes.io/tls Secret with the certificate.",
            )
            .accepts(Accepts::Text),
        );
    }
    out
}
