//! Where each secret's values come from in a chart: one value per secret,
//! `secrets.NAME.source`, whose default is what the `.taskflow` says (in
//! values.yaml for the app as written, in values-ENV.yaml where an
//! environment says otherwise):
//!
//! - `empty`: the Secret with every key and an empty value;
//! - `values`: the Secret from `secrets.NAME.values.KEY`, each required;
//! - `store`: the ExternalSecret of a `store` secret;
//! - `sealed`: the SealedSecret of a `sealed` secret;
//! - `cluster`: nothing; a Secret made outside the chart.
//!
//! A secret declared `external` is in no chart at all.

use super::{Obj, accessor, go_string, path};
use crate::emit::slot::Role;
use crate::emit::yaml::Node;
use crate::sealed::CLUSTER_WIDE;
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

/// The sources of one secret in each variant, and the keys its Secret has.
pub struct Info {
    pub sources: Vec<Option<&'static str>>,
    pub keys: Vec<String>,
    /// Per variant with a SealedSecret: the namespace it was sealed for
    /// (empty when sealed cluster-wide).
    pub sealed_for: Vec<Option<String>>,
}

impl Info {
    /// The source values.yaml gives: the app as written's (`cluster`
    /// where it has no object for the secret).
    pub fn default_source(&self) -> &'static str {
        self.sources.first().copied().flatten().unwrap_or("cluster")
    }

    /// What `source` may be set to.
    fn allowed(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for s in self.sources.iter().flatten() {
            let add: &[&'static str] = if *s == "empty" {
                &["empty", "values"]
            } else {
                &[s]
            };
            for a in add {
                if !out.contains(a) {
                    out.push(a);
                }
            }
        }
        out.push("cluster");
        out
    }
}

/// The source an object of a secret stands for.
pub fn source_of(o: &Obj) -> Option<&'static str> {
    if o.role != Role::Secret {
        return None;
    }
    match o.kind.as_str() {
        "Secret" => Some("empty"),
        "ExternalSecret" => Some("store"),
        "SealedSecret" => Some("sealed"),
        _ => None,
    }
}

/// Every secret of the chart (by object name), with its sources.
pub fn infos(objs: &[Obj]) -> BTreeMap<String, Info> {
    let mut out: BTreeMap<String, Info> = BTreeMap::new();
    for o in objs {
        let Some(source) = source_of(o) else {
            continue;
        };
        let info = out.entry(o.name.clone()).or_insert_with(|| Info {
            sources: vec![None; o.nodes.len()],
            keys: Vec::new(),
            sealed_for: vec![None; o.nodes.len()],
        });
        if source == "sealed" {
            for (slot, node) in info.sealed_for.iter_mut().zip(&o.nodes) {
                *slot = node.as_ref().map(sealed_namespace);
            }
        }
        for (slot, node) in info.sources.iter_mut().zip(&o.nodes) {
            if node.is_some() {
                *slot = Some(source);
            }
        }
        if source == "empty" {
            for node in o.nodes.iter().flatten() {
                if let Some(Node::Map(data)) = path::get(node, &path::parse("data")) {
                    for (k, _) in data {
                        if !info.keys.iter().any(|x| x == k.as_ref()) {
                            info.keys.push(k.to_string());
                        }
                    }
                }
            }
        }
    }
    out
}

fn source_path(name: &str) -> Vec<String> {
    vec![
        "secrets".to_string(),
        name.to_string(),
        "source".to_string(),
    ]
}

/// `secrets.NAME.source` of every secret, for values.yaml (variant None)
/// or the environment `variant`, where it differs from values.yaml.
pub fn values(infos: &BTreeMap<String, Info>, variant: Option<usize>) -> Vec<(Vec<String>, Node)> {
    let mut out = Vec::new();
    for (name, info) in infos {
        let base = info.default_source();
        // A variant without the secret's object has it from the cluster
        // (`external`), or not at all: either way the chart renders nothing.
        let v = match variant {
            None => Some(base),
            Some(i) => Some(info.sources.get(i).copied().flatten().unwrap_or("cluster"))
                .filter(|s| *s != base),
        };
        if let Some(v) = v {
            out.push((source_path(name), Node::Str(v.to_string())));
        }
        let first = info.sealed_for.iter().flatten().next();
        let Some(base) = info
            .sealed_for
            .first()
            .cloned()
            .flatten()
            .or_else(|| first.cloned())
        else {
            continue;
        };
        let v = match variant {
            None => Some(base),
            Some(i) => info
                .sealed_for
                .get(i)
                .cloned()
                .flatten()
                .filter(|s| *s != base),
        };
        if let Some(v) = v {
            out.push((sealed_for_path(name), Node::Str(v)));
        }
    }
    out
}

/// The schema of `secrets`: each secret's `source` and, where a Secret
/// may be rendered from values, its keys.
pub fn schema(infos: &BTreeMap<String, Info>) -> Vec<(Vec<String>, Json)> {
    let mut out = Vec::new();
    for (name, info) in infos {
        let allowed = info.allowed();
        out.push((
            source_path(name),
            json!({"type": "string", "enum": allowed}),
        ));
        if info.sealed_for.iter().any(Option::is_some) {
            let dns = "^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)?$";
            out.push((
                sealed_for_path(name),
                json!({"type": "string", "pattern": dns}),
            ));
        }
        if allowed.contains(&"values") {
            let keys: serde_json::Map<String, Json> = info
                .keys
                .iter()
                .map(|k| (k.clone(), json!({"type": "string"})))
                .collect();
            out.push((
                vec!["secrets".to_string(), name.clone(), "values".to_string()],
                json!({"type": "object", "properties": keys, "additionalProperties": false}),
            ));
        }
    }
    out
}

/// The condition a secret's object is rendered under.
pub fn condition(o: &Obj) -> Option<String> {
    let source = accessor(&source_path(&o.name));
    Some(match source_of(o)? {
        "empty" => format!("has {source} (list \"empty\" \"values\")"),
        s => format!("eq {source} {}", go_string(s)),
    })
}

/// Secret data: empty, or from `secrets.NAME.values` (each required)
/// when the source is `values`.
pub fn data(o: &Obj, node: &mut Node) {
    if source_of(o) != Some("empty") {
        return;
    }
    let secret = &o.name;
    let source = accessor(&source_path(secret));
    let Some(Node::Map(data)) = path::get_mut(node, &path::parse("data")) else {
        return;
    };
    for (key, value) in data.iter_mut() {
        let set_key = key.replace('.', "\\.");
        let message = format!(
            "secret {secret} key {key} has no value: pass --set-string secrets.{secret}.values.{set_key}=..."
        );
        *value = Node::Template(format!(
            "{{{{ if eq {source} \"values\" }}}}{{{{ required {} (dig {} \"values\" {} \"\" .Values.secrets) | b64enc | quote }}}}{{{{ else }}}}\"\"{{{{ end }}}}",
            go_string(&message),
            go_string(secret),
            go_string(key)
        ));
    }
}

/// The namespace a SealedSecret was sealed for; empty when sealed
/// cluster-wide (it decrypts anywhere).
fn sealed_namespace(node: &Node) -> String {
    let wide = match path::get(node, &path::parse("metadata.annotations")) {
        Some(Node::Map(m)) => m
            .iter()
            .any(|(k, v)| k.as_ref() == CLUSTER_WIDE && *v == Node::Str("true".to_string())),
        _ => false,
    };
    match path::get(node, &path::parse("metadata.namespace")) {
        Some(Node::Str(ns)) if !wide => ns.clone(),
        _ => String::new(),
    }
}

fn sealed_for_path(name: &str) -> Vec<String> {
    vec![
        "secrets".to_string(),
        name.to_string(),
        "sealedFor".to_string(),
    ]
}

/// A SealedSecret sealed for its namespace decrypts only there: the
/// render fails in another one, instead of the pods. The namespace is a
/// value, `secrets.NAME.sealedFor`, since each environment may have its
/// own file.
pub fn sealed_guard(o: &Obj) -> Option<String> {
    if o.kind != "SealedSecret" || o.role != Role::Secret {
        return None;
    }
    let message = format!(
        "secret {} was sealed for namespace %s: install the release there, or reseal it (kubeseal --scope cluster-wide)",
        o.name
    );
    Some(format!(
        "{{{{- with (dig {} \"sealedFor\" \"\" .Values.secrets) }}}}{{{{- if ne ($.Values.namespace.name | default $.Release.Namespace) . }}}}{{{{ fail (printf {} .) }}}}{{{{- end }}}}{{{{- end }}}}\n",
        go_string(&o.name),
        go_string(&message)
    ))
}

/// NOTES.txt lines that say which Secrets were rendered with empty values.
pub fn notes(objs: &[Obj]) -> String {
    let mut out = String::new();
    for o in objs.iter().filter(|o| source_of(o) == Some("empty")) {
        let source = accessor(&source_path(&o.name));
        let when = format!("eq {source} \"empty\"");
        out.push_str(&format!(
            "{{{{- if {when} }}}}\n\nWARNING: Secret {} has empty values. Fill it in the cluster, or install with\n  --set secrets.{}.source=values --set-string secrets.{}.values.KEY=...\n{{{{- end }}}}\n",
            o.name, o.name, o.name
        ));
    }
    out
}
