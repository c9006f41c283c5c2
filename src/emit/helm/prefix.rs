//! `names.releasePrefix`: the names of the chart's objects take the release
//! name as a prefix (`RELEASE-api`), so that two releases of one chart live
//! side by side in one namespace. Off by default, when every name is as in
//! the YAML output.
//!
//! The prefix goes where an object is named and wherever the chart's other
//! objects refer to one of them by name (a ConfigMap a pod reads, the
//! Service an Ingress routes to, ...), and before the host names that
//! `url()` and `host()` write into values ([`RELEASE_TOKEN`]). Names of
//! objects the chart does not own (an `external` secret, a TLS Secret made
//! elsewhere) and of SealedSecrets (their name is part of the encryption)
//! are kept.

use super::{Obj, go_string, path};
use crate::emit::slot::Seg;
use crate::emit::slot::{Slot as Lift, Style};
use crate::emit::yaml::Node;
use crate::ir::RELEASE_TOKEN;
use std::collections::HashSet;

/// Where a name of another object stands, and that object's kind: a path
/// from the object (`[]`: each item of a list), for the kinds it applies to.
const REFERENCES: &[(&[&str], &str, &str)] = &[
    (&["StatefulSet"], "spec.serviceName", "Service"),
    (
        &["HorizontalPodAutoscaler"],
        "spec.scaleTargetRef.name",
        "*workload",
    ),
    (
        &["Ingress"],
        "spec.rules[].http.paths[].backend.service.name",
        "Service",
    ),
    (&["Ingress"], "spec.defaultBackend.service.name", "Service"),
    (&["Ingress"], "spec.tls[].secretName", "Secret"),
    (
        &["PersistentVolumeClaim"],
        "spec.volumeName",
        "PersistentVolume",
    ),
    (
        &["PersistentVolume"],
        "spec.claimRef.name",
        "PersistentVolumeClaim",
    ),
    (&["ExternalSecret"], "spec.target.name", "Secret"),
];

/// Where a pod spec names other objects (from the pod spec).
const POD: &[(&str, &str)] = &[
    ("serviceAccountName", "ServiceAccount"),
    ("imagePullSecrets[].name", "Secret"),
    ("volumes[].configMap.name", "ConfigMap"),
    ("volumes[].secret.secretName", "Secret"),
    (
        "volumes[].persistentVolumeClaim.claimName",
        "PersistentVolumeClaim",
    ),
    ("volumes[].projected.sources[].configMap.name", "ConfigMap"),
    ("volumes[].projected.sources[].secret.name", "Secret"),
    ("*[].env[].valueFrom.configMapKeyRef.name", "ConfigMap"),
    ("*[].env[].valueFrom.secretKeyRef.name", "Secret"),
    ("*[].envFrom[].configMapRef.name", "ConfigMap"),
    ("*[].envFrom[].secretRef.name", "Secret"),
];

const POD_SPECS: &[(&str, &str)] = &[
    ("CronJob", "spec.jobTemplate.spec.template.spec"),
    ("Deployment", "spec.template.spec"),
    ("StatefulSet", "spec.template.spec"),
    ("Job", "spec.template.spec"),
];

/// The longest object names may be, by kind, where it is not 253: a
/// Service and a Job are DNS labels; a StatefulSet's and a CronJob's pods
/// and jobs add a suffix of up to 11 characters.
fn limit(kind: &str) -> usize {
    match kind {
        "Service" | "Job" => 63,
        "StatefulSet" | "CronJob" => 52,
        _ => 253,
    }
}

/// The objects whose names take the prefix, by kind and name: every object
/// of the chart but the Namespace and SealedSecrets, and the Secret an
/// ExternalSecret makes.
pub struct Owned(HashSet<(String, String)>);

impl Owned {
    pub fn of(objs: &[Obj]) -> Owned {
        let mut set = HashSet::new();
        for o in objs {
            match o.kind.as_str() {
                "Namespace" | "SealedSecret" => {}
                "ExternalSecret" => {
                    set.insert(("Secret".to_string(), o.name.clone()));
                    set.insert((o.kind.clone(), o.name.clone()));
                }
                _ => {
                    set.insert((o.kind.clone(), o.name.clone()));
                }
            }
        }
        Owned(set)
    }

    fn has(&self, kind: &str, name: &str) -> bool {
        let one = |k: &str| self.0.contains(&(k.to_string(), name.to_string()));
        match kind {
            "*workload" => one("Deployment") || one("StatefulSet"),
            k => one(k),
        }
    }

    /// The longest release name that keeps every name within its limit,
    /// and the object that sets it.
    pub fn longest_release(&self) -> (usize, String) {
        self.0
            .iter()
            .map(|(k, n)| {
                let room = limit(k).saturating_sub(n.len() + 1);
                (room, format!("{k} {n} (at most {} characters)", limit(k)))
            })
            .min()
            .unwrap_or((253, String::new()))
    }
}

/// `{{ include "APP.prefix" $ }}`.
pub fn include(app: &str) -> String {
    format!(
        "{{{{ include {} $ }}}}",
        go_string(&format!("{app}.prefix"))
    )
}

/// The `_helpers.tpl` definition of `APP.prefix`: `RELEASE-`, or nothing.
pub fn define(app: &str, (longest, what): (usize, String)) -> String {
    let message = format!(
        "names.releasePrefix: a release name of more than {longest} characters makes the name of {what} too long"
    );
    format!(
        "{{{{/* The release prefix of every object name (names.releasePrefix), or nothing. */}}}}\n\
         {{{{- define {} -}}}}\n\
         {{{{- if .Values.names.releasePrefix -}}}}\n\
         {{{{- if gt (len .Release.Name) {longest} }}}}{{{{ fail {} }}}}{{{{ end -}}}}\n\
         {{{{ .Release.Name }}}}-\n\
         {{{{- end -}}}}\n\
         {{{{- end }}}}\n",
        go_string(&format!("{app}.prefix")),
        go_string(&message)
    )
}

/// Marks the names of owned objects that `o` refers to, in every variant,
/// with the release token: whether a template writes them or values.yaml
/// holds them (a list that differs between environments), the chart puts
/// the prefix there.
pub fn mark(o: &mut Obj, owned: &Owned) {
    let kind = o.kind.clone();
    let token = |_: &[Seg], n: &mut Node, target: &str| {
        if let Node::Str(name) = n {
            if owned.has(target, name) {
                *n = Node::Str(format!("{RELEASE_TOKEN}{name}"));
            }
        }
    };
    for node in o.nodes.iter_mut().flatten() {
        for (kinds, at, target) in REFERENCES {
            if kinds.contains(&kind.as_str()) {
                walk(node, &steps(at), &mut Vec::new(), &mut |p, n| {
                    token(p, n, target)
                });
            }
        }
        for (k, spec) in POD_SPECS {
            if *k != kind {
                continue;
            }
            for (at, target) in POD {
                for list in ["containers", "initContainers"] {
                    let at = format!("{spec}.{}", at.replace('*', list));
                    walk(node, &steps(&at), &mut Vec::new(), &mut |p, n| {
                        token(p, n, target)
                    });
                }
            }
        }
    }
}

/// Prefixes the object's own name in its template, and writes the prefix
/// where the release token is; the path of the name when it prefixed it.
pub fn apply(app: &str, o: &Obj, owned: &Owned, node: &mut Node) -> Vec<Vec<Seg>> {
    let mut named = Vec::new();
    if o.kind != "Namespace" && o.kind != "SealedSecret" {
        walk(
            node,
            &steps("metadata.name"),
            &mut Vec::new(),
            &mut |p, n| {
                if let Node::Str(name) = n {
                    if owned.has(&o.kind, name) {
                        *n = Node::Template(format!("\"{}{name}\"", include(app)));
                        named.push(p.to_vec());
                    }
                }
            },
        );
    }
    tokens(app, node);
    named
}

fn steps(at: &str) -> Vec<&str> {
    at.split('.').collect()
}

/// Calls `f` on every node `steps` reach (`x[]`: each item of list `x`).
fn walk(
    node: &mut Node,
    steps: &[&str],
    path: &mut Vec<Seg>,
    f: &mut dyn FnMut(&[Seg], &mut Node),
) {
    let Some((step, rest)) = steps.split_first() else {
        f(path, node);
        return;
    };
    let (key, each) = match step.strip_suffix("[]") {
        Some(k) => (k, true),
        None => (*step, false),
    };
    let Node::Map(m) = node else { return };
    let Some((_, child)) = m.iter_mut().find(|(k, _)| k.as_ref() == key) else {
        return;
    };
    path.push(Seg::Key(key.to_string()));
    match child {
        Node::Seq(items) if each => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(Seg::Idx(i));
                walk(item, rest, path, f);
                path.pop();
            }
        }
        _ if !each => walk(child, rest, path, f),
        _ => {}
    }
    path.pop();
}

/// Every text of the template that holds the release token gets the prefix.
fn tokens(app: &str, node: &mut Node) {
    match node {
        Node::Str(s) if s.contains(RELEASE_TOKEN) => {
            *node = Node::Template(format!("{{{{ {} }}}}", replaced(app, &go_string(s))));
        }
        Node::Map(m) => m.iter_mut().for_each(|(_, v)| tokens(app, v)),
        Node::Seq(items) => items.iter_mut().for_each(|v| tokens(app, v)),
        _ => {}
    }
}

/// A pipeline that quotes `value` with the release token replaced.
pub fn replaced(app: &str, value: &str) -> String {
    format!(
        "{value} | replace {} (include {} $) | quote",
        go_string(RELEASE_TOKEN),
        go_string(&format!("{app}.prefix"))
    )
}

/// Whether a value of some variant holds the release token.
pub fn has_token(node: Option<&Node>) -> bool {
    match node {
        Some(Node::Str(s)) => s.contains(RELEASE_TOKEN),
        Some(Node::Map(m)) => m.iter().any(|(_, v)| has_token(Some(v))),
        Some(Node::Seq(items)) => items.iter().any(|v| has_token(Some(v))),
        _ => false,
    }
}

/// How a template reads a lifted value that holds a name or a host: a
/// name that differs between environments, still prefixed; a value with
/// the release token, with the prefix put in. None for any other value.
pub fn lifted(app: &str, o: &Obj, l: &Lift, acc: &str, named: &[Vec<Seg>]) -> Option<Node> {
    let token = o
        .nodes
        .iter()
        .flatten()
        .any(|n| has_token(path::get(n, &l.path)));
    Some(match &l.style {
        Style::Scalar if named.contains(&l.path) => {
            Node::Template(format!("\"{}{{{{ {acc} }}}}\"", include(app)))
        }
        Style::Scalar if token => Node::Template(format!("{{{{ {} }}}}", replaced(app, acc))),
        Style::Block { seq } if token => Node::Block {
            expr: format!(
                "({acc} | toYaml | replace {} (include {} $) | {})",
                go_string(RELEASE_TOKEN),
                go_string(&format!("{app}.prefix")),
                if *seq { "fromYamlArray" } else { "fromYaml" }
            ),
            seq: *seq,
        },
        _ => return None,
    })
}
