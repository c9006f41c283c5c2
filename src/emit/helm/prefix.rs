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
use crate::ir::resolve::{INSTANCE, MANAGED_BY};

/// Where the release's name goes in a value: the `app.kubernetes.io/instance`
/// label that `tfc compile` gives the app's name.
pub const NAME_TOKEN: &str = "__RELEASE_NAME__";
/// Where Helm's name goes: the `app.kubernetes.io/managed-by` label.
pub const SERVICE_TOKEN: &str = "__RELEASE_SERVICE__";
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
    (
        &["RoleBinding", "ClusterRoleBinding"],
        "roleRef.name",
        "*role",
    ),
    (
        &["RoleBinding", "ClusterRoleBinding"],
        "subjects[].name",
        "ServiceAccount",
    ),
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
    ("Pod", "spec"),
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
/// ExternalSecret makes; in any variant, and in each.
pub struct Owned {
    all: HashSet<(String, String)>,
    each: Vec<HashSet<(String, String)>>,
}

impl Owned {
    pub fn of(objs: &[Obj]) -> Owned {
        let variants = objs.first().map_or(0, |o| o.nodes.len());
        let mut owned = Owned {
            all: HashSet::new(),
            each: vec![HashSet::new(); variants],
        };
        for o in objs {
            let names: Vec<(String, String)> = match o.kind.as_str() {
                "Namespace" | "SealedSecret" => continue,
                "ExternalSecret" => vec![
                    ("Secret".to_string(), o.name.clone()),
                    (o.kind.clone(), o.name.clone()),
                ],
                _ => vec![(o.kind.clone(), o.name.clone())],
            };
            for (set, node) in owned.each.iter_mut().zip(&o.nodes) {
                if node.is_some() {
                    set.extend(names.iter().cloned());
                }
            }
            owned.all.extend(names);
        }
        owned
    }

    fn has(&self, kind: &str, name: &str) -> bool {
        has(&self.all, kind, name)
    }

    /// The longest release name that keeps every name within its limit,
    /// and the object that sets it.
    pub fn longest_release(&self) -> (usize, String) {
        self.all
            .iter()
            .map(|(k, n)| {
                let room = limit(k).saturating_sub(n.len() + 1);
                (room, format!("{k} {n} (at most {} characters)", limit(k)))
            })
            .min()
            .unwrap_or((253, String::new()))
    }
}

/// Whether `set` holds an object of `kind` (or of a group of kinds) named `name`.
fn has(set: &HashSet<(String, String)>, kind: &str, name: &str) -> bool {
    let one = |k: &str| set.contains(&(k.to_string(), name.to_string()));
    match kind {
        "*workload" => one("Deployment") || one("StatefulSet"),
        "*role" => one("Role") || one("ClusterRole"),
        k => one(k),
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
         {{{{- if not (regexMatch \"^[a-z]([-a-z0-9]*[a-z0-9])?$\" .Release.Name) }}}}{{{{ fail {} }}}}{{{{ end -}}}}\n\
         {{{{ .Release.Name }}}}-\n\
         {{{{- end -}}}}\n\
         {{{{- end }}}}\n",
        go_string(&format!("{app}.prefix")),
        go_string(&message),
        go_string(
            "names.releasePrefix: the release name must start with a letter and hold only lower-case letters, digits and `-` (a Service name begins with it)"
        )
    )
}

/// Marks the names of owned objects that `o` refers to, in every variant,
/// with the release token: whether a template writes them or values.yaml
/// holds them (a list that differs between environments), the chart puts
/// the prefix there.
pub fn mark(o: &mut Obj, owned: &Owned, app: &str) {
    let kind = o.kind.clone();
    for (i, slot) in o.nodes.iter_mut().enumerate() {
        let (Some(node), Some(set)) = (slot.as_mut(), owned.each.get(i)) else {
            continue;
        };
        // A secret an environment makes `external`, or seals, keeps its name there.
        let token = |_: &[Seg], n: &mut Node, target: &str| {
            if let Node::Str(name) = n {
                if has(set, target, name) {
                    *n = Node::Str(format!("{RELEASE_TOKEN}{name}"));
                }
            }
        };
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
        labels(node, app);
    }
}

/// The instance and managed-by labels, wherever they stand (labels,
/// selectors, network peers), name the release and Helm: a label map that
/// values.yaml holds gets them too.
fn labels(node: &mut Node, app: &str) {
    match node {
        Node::Map(m) => {
            for (k, v) in m.iter_mut() {
                match v {
                    Node::Str(s) if k.as_ref() == INSTANCE && s == app => {
                        *s = NAME_TOKEN.to_string();
                    }
                    Node::Str(s) if k.as_ref() == MANAGED_BY && s == "tfc" => {
                        *s = SERVICE_TOKEN.to_string();
                    }
                    _ => labels(v, app),
                }
            }
        }
        Node::Seq(items) => items.iter_mut().for_each(|v| labels(v, app)),
        _ => {}
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
pub fn tokens(app: &str, node: &mut Node) {
    match node {
        Node::Str(s) if has_token(Some(&Node::Str(s.clone()))) => {
            *node = Node::Template(format!("{{{{ {} }}}}", replaced(app, &go_string(s))));
        }
        Node::Map(m) => m.iter_mut().for_each(|(_, v)| tokens(app, v)),
        Node::Seq(items) => items.iter_mut().for_each(|v| tokens(app, v)),
        _ => {}
    }
}

/// A pipeline that quotes `value` with the release tokens replaced.
pub fn replaced(app: &str, value: &str) -> String {
    format!("{} | quote", unquoted(app, value))
}

/// `value` with the release tokens replaced.
fn unquoted(app: &str, value: &str) -> String {
    format!(
        "{value} | replace {} (include {} $) | replace {} $.Release.Name | replace {} $.Release.Service",
        go_string(RELEASE_TOKEN),
        go_string(&format!("{app}.prefix")),
        go_string(NAME_TOKEN),
        go_string(SERVICE_TOKEN),
    )
}

/// Whether a value of some variant holds the release token.
pub fn has_token(node: Option<&Node>) -> bool {
    match node {
        Some(Node::Str(s)) => [RELEASE_TOKEN, NAME_TOKEN, SERVICE_TOKEN]
            .iter()
            .any(|t| s.contains(t)),
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
                "({} | {})",
                unquoted(app, &format!("{acc} | toYaml")),
                if *seq { "fromYamlArray" } else { "fromYaml" }
            ),
            seq: *seq,
        },
        _ => return None,
    })
}
