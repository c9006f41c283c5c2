//! Which parts of each object become chart values: the tunables a user
//! expects (replicas, image, resources, probe timings, Service type and
//! nodePorts, config values, ingress host/class/TLS, autoscaling), and any
//! other field an environment changes.

use super::path::{self, Seg};
use crate::emit::yaml::Node;
use serde_json::{Value as Json, json};

/// How a lifted value is written back into the template.
#[derive(Clone, Debug, PartialEq)]
pub enum Style {
    /// A scalar: `{{ V }}` for numbers and booleans, `{{ V | quote }}` for text.
    Scalar,
    /// A subtree: `{{- toYaml V | nindent N }}`.
    Block { seq: bool },
    /// An image reference split into repository, tag and digest.
    Image,
}

/// One field of an object that reads its value from values.yaml.
#[derive(Clone, Debug)]
pub struct Lift {
    /// Where the field is in the object.
    pub path: Vec<Seg>,
    /// Where its value is in values.yaml.
    pub value: Vec<String>,
    pub style: Style,
    /// The one-line comment above the value.
    pub comment: String,
    /// The JSON schema of the value (None: derived from the value itself).
    pub schema: Option<Json>,
}

impl Lift {
    fn new(path: &str, value: &[&str], style: Style, comment: &str, schema: Option<Json>) -> Lift {
        Lift {
            path: path::parse(path),
            value: value.iter().map(|s| s.to_string()).collect(),
            style,
            comment: comment.to_string(),
            schema,
        }
    }
}

const QUANTITY: &str = r"^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$";

fn quantity() -> Json {
    json!({"type": ["string", "integer", "number"], "pattern": QUANTITY})
}

fn resources_schema() -> Json {
    let amounts = json!({
        "type": "object",
        "properties": {"cpu": quantity(), "memory": quantity(), "ephemeral-storage": quantity()},
        "additionalProperties": false
    });
    json!({
        "type": "object",
        "properties": {"requests": amounts, "limits": amounts},
        "additionalProperties": false
    })
}

fn int(min: i64, max: Option<i64>) -> Json {
    match max {
        Some(max) => json!({"type": "integer", "minimum": min, "maximum": max}),
        None => json!({"type": "integer", "minimum": min}),
    }
}

/// The standard tunables of one object. `group` is the values group of the
/// workload that owns it, if any.
pub fn standard(kind: &str, name: &str, node: &Node, group: Option<&str>) -> Vec<Lift> {
    let mut out = Vec::new();
    let has = |p: &str| path::get(node, &path::parse(p)).is_some();
    match (kind, group) {
        ("Deployment" | "StatefulSet", Some(g)) => {
            if has("spec.replicas") {
                out.push(Lift::new(
                    "spec.replicas",
                    &[g, "replicas"],
                    Style::Scalar,
                    "Number of pods.",
                    Some(int(1, None)),
                ));
            }
            let c = "spec.template.spec.containers.0";
            out.push(Lift::new(
                &format!("{c}.image"),
                &[g, "image"],
                Style::Image,
                "",
                None,
            ));
            out.push(Lift::new(
                &format!("{c}.imagePullPolicy"),
                &[g, "image", "pullPolicy"],
                Style::Scalar,
                "When to pull the image: Always, IfNotPresent or Never.",
                Some(json!({"enum": ["Always", "IfNotPresent", "Never"]})),
            ));
            if has(&format!("{c}.resources")) {
                out.push(Lift::new(
                    &format!("{c}.resources"),
                    &[g, "resources"],
                    Style::Block { seq: false },
                    "cpu and memory requests and limits.",
                    Some(resources_schema()),
                ));
            }
            for (probe, key) in [
                ("livenessProbe", "liveness"),
                ("readinessProbe", "readiness"),
                ("startupProbe", "startup"),
            ] {
                for (field, what, min) in [
                    ("initialDelaySeconds", "Seconds before the first", 0),
                    ("periodSeconds", "Seconds between", 1),
                    ("timeoutSeconds", "Seconds to wait for", 1),
                    ("failureThreshold", "Failures in a row that fail", 1),
                    ("successThreshold", "Successes in a row that pass", 1),
                ] {
                    let p = format!("{c}.{probe}.{field}");
                    if has(&p) {
                        out.push(Lift::new(
                            &p,
                            &[g, "probes", key, field],
                            Style::Scalar,
                            &format!("{what} {key} probe{}.", if min == 0 { "" } else { "s" }),
                            Some(int(min, None)),
                        ));
                    }
                }
            }
        }
        ("Service", Some(g)) => {
            let headless = path::get(node, &path::parse("spec.clusterIP"))
                .is_some_and(|n| *n == Node::Str("None".to_string()));
            if !headless {
                out.push(Lift::new(
                    "spec.type",
                    &[g, "service", "type"],
                    Style::Scalar,
                    "Service type: ClusterIP, NodePort or LoadBalancer.",
                    Some(json!({"enum": ["ClusterIP", "NodePort", "LoadBalancer"]})),
                ));
            }
            if let Some(Node::Seq(ports)) = path::get(node, &path::parse("spec.ports")) {
                for (i, p) in ports.iter().enumerate() {
                    let port_name = match path::get(p, &path::parse("name")) {
                        Some(Node::Str(s)) => s.clone(),
                        _ => i.to_string(),
                    };
                    if path::get(p, &path::parse("nodePort")).is_some() {
                        out.push(Lift::new(
                            &format!("spec.ports.{i}.nodePort"),
                            &[g, "service", "nodePorts", &port_name],
                            Style::Scalar,
                            &format!("The node port of `{port_name}` (30000-32767)."),
                            Some(int(30000, Some(32767))),
                        ));
                    }
                }
            }
        }
        ("HorizontalPodAutoscaler", Some(g)) => {
            out.push(Lift::new(
                "spec.minReplicas",
                &[g, "autoscaling", "minReplicas"],
                Style::Scalar,
                "Fewest pods.",
                Some(int(1, None)),
            ));
            out.push(Lift::new(
                "spec.maxReplicas",
                &[g, "autoscaling", "maxReplicas"],
                Style::Scalar,
                "Most pods.",
                Some(int(1, None)),
            ));
            if let Some(Node::Seq(metrics)) = path::get(node, &path::parse("spec.metrics")) {
                for (i, m) in metrics.iter().enumerate() {
                    let key = match path::get(m, &path::parse("resource.name")) {
                        Some(Node::Str(r)) if r == "cpu" => "targetCPUUtilizationPercentage",
                        Some(Node::Str(r)) if r == "memory" => "targetMemoryUtilizationPercentage",
                        _ => continue,
                    };
                    out.push(Lift::new(
                        &format!("spec.metrics.{i}.resource.target.averageUtilization"),
                        &[g, "autoscaling", key],
                        Style::Scalar,
                        "Average use of the request to aim for, in percent.",
                        Some(int(1, None)),
                    ));
                }
            }
        }
        ("ConfigMap", _) => {
            if let Some(Node::Map(data)) = path::get(node, &path::parse("data")) {
                for (k, _) in data {
                    out.push(Lift {
                        path: vec![Seg::Key("data".to_string()), Seg::Key(k.to_string())],
                        value: vec!["config".to_string(), name.to_string(), k.to_string()],
                        style: Style::Scalar,
                        comment: String::new(),
                        // Rendered with `quote`, so `--set KEY=20` works as well as `--set-string`.
                        schema: Some(json!({"type": ["string", "number", "integer", "boolean"]})),
                    });
                }
            }
        }
        ("Ingress", _) => {
            let host_schema = json!({"type": "string", "pattern": r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"});
            if has("spec.ingressClassName") {
                out.push(Lift::new(
                    "spec.ingressClassName",
                    &["ingress", name, "className"],
                    Style::Scalar,
                    "Ingress class.",
                    Some(json!({"type": "string"})),
                ));
            }
            let rules = match path::get(node, &path::parse("spec.rules")) {
                Some(Node::Seq(r)) => r.len(),
                _ => 0,
            };
            if rules == 1 && has("spec.rules.0.host") {
                out.push(Lift::new(
                    "spec.rules.0.host",
                    &["ingress", name, "host"],
                    Style::Scalar,
                    "Host name.",
                    Some(host_schema.clone()),
                ));
                if has("spec.tls.0.hosts.0") {
                    out.push(Lift::new(
                        "spec.tls.0.hosts.0",
                        &["ingress", name, "host"],
                        Style::Scalar,
                        "Host name.",
                        Some(host_schema),
                    ));
                }
            }
            if has("spec.tls.0.secretName") {
                out.push(Lift::new(
                    "spec.tls.0.secretName",
                    &["ingress", name, "tls", "secretName"],
                    Style::Scalar,
                    "The kubernetes.io/tls Secret with the certificate.",
                    Some(json!({"type": "string"})),
                ));
            }
        }
        _ => {}
    }
    out.retain(|l| path::get(node, &l.path).is_some());
    out
}

/// A readable values path (under the object's group) for a field that
/// differs between environments: `env.NAME` for a variable, `labels.KEY`,
/// `annotations.KEY`, else the field's own name.
pub fn generic_name(path: &[Seg], reference: &Node) -> Vec<String> {
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Idx(_) => None,
        })
        .collect();
    if let [.., Seg::Key(list), Seg::Idx(i), Seg::Key(_)] | [.., Seg::Key(list), Seg::Idx(i)] = path
    {
        let item_at = path.len()
            - if matches!(path.last(), Some(Seg::Idx(_))) {
                1
            } else {
                2
            };
        let item = path.get(..item_at).and_then(|p| path::get(reference, p));
        if let Some(Node::Seq(items)) = item {
            if let Some(Node::Str(name)) = items
                .get(*i)
                .and_then(|it| path::get(it, &[Seg::Key("name".to_string())]))
            {
                return vec![list.clone(), name.clone()];
            }
        }
    }
    match keys.as_slice() {
        [.., parent @ ("labels" | "annotations" | "data"), key] => {
            vec![parent.to_string(), key.to_string()]
        }
        [.., last] => vec![last.to_string()],
        [] => vec!["value".to_string()],
    }
}
