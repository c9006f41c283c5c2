//! values.schema.json, derived from the lifted values and their language
//! types: Helm checks every install, upgrade and template against it, so a
//! `--set frontend.replicas=abc` or a misspelt key fails with a message.

use super::lift;
use super::values::Lookup;
use crate::emit::slot::{Slot as Lift, Style};
use crate::emit::yaml::Node;
use serde_json::{Map, Value as Json, json};
use std::collections::{BTreeMap, HashMap};

/// A schema under construction: a leaf, or an object of named children.
#[derive(Default)]
struct Tree {
    leaf: Option<Json>,
    children: BTreeMap<String, Tree>,
}

impl Tree {
    fn insert(&mut self, path: &[String], schema: Json) {
        match path.split_first() {
            None => self.leaf = Some(schema),
            Some((first, rest)) => self
                .children
                .entry(first.clone())
                .or_default()
                .insert(rest, schema),
        }
    }

    fn to_json(&self) -> Json {
        if let Some(leaf) = &self.leaf {
            return leaf.clone();
        }
        let props: Map<String, Json> = self
            .children
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect();
        json!({"type": "object", "properties": props, "additionalProperties": false})
    }
}

/// The schema of a value no language type describes: the JSON types it has
/// in values.yaml and the environments' values files.
fn inferred<'a>(vs: impl Iterator<Item = Option<&'a Node>>) -> Json {
    let mut types: Vec<&str> = Vec::new();
    for v in vs.flatten() {
        let t = match v {
            Node::Str(_) => "string",
            Node::Int(_) | Node::UInt(_) => "integer",
            Node::Float(_) => "number",
            Node::Bool(_) => "boolean",
            Node::Seq(_) => "array",
            Node::Map(_) => "object",
            _ => continue,
        };
        if !types.contains(&t) {
            types.push(t);
        }
    }
    match types.as_slice() {
        [] => json!({}),
        [t] => json!({ "type": t }),
        many => json!({ "type": many }),
    }
}

pub fn schema(lifts: &[&Lift], lookups: &[Lookup], secrets: &[(Vec<String>, Json)]) -> String {
    let Some(values) = lookups.first() else {
        return "{}\n".to_string();
    };
    let mut t = Tree::default();
    for l in lifts {
        match &l.style {
            Style::Image => {
                let at = |k: &str| {
                    let mut p = l.value.clone();
                    p.push(k.to_string());
                    p
                };
                t.insert(&at("repository"), json!({"type": "string", "minLength": 1, "pattern": r"^[^\s:@]+(:[0-9]+/[^\s:@]+)?$"}));
                t.insert(
                    &at("tag"),
                    json!({"type": "string", "pattern": r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"}),
                );
                t.insert(
                    &at("digest"),
                    json!({"type": "string", "pattern": r"^[A-Za-z0-9_+.-]+:[0-9a-fA-F]{32,}$"}),
                );
            }
            _ => {
                let s = lift::schema(&l.accepts)
                    .unwrap_or_else(|| inferred(lookups.iter().map(|v| v.get(&l.value))));
                t.insert(&l.value, s);
            }
        }
    }
    t.insert(
        &["namespace".to_string(), "name".to_string()],
        json!({"type": "string", "pattern": "^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)?$"}),
    );
    t.insert(
        &["namespace".to_string(), "create".to_string()],
        json!({"type": "boolean"}),
    );
    t.insert(
        &["names".to_string(), "releasePrefix".to_string()],
        json!({"type": "boolean"}),
    );
    if let Some(Node::Map(flags)) = values.get(&["enabled".to_string()]) {
        for (k, _) in flags {
            t.insert(
                &["enabled".to_string(), k.to_string()],
                json!({"type": "boolean"}),
            );
        }
    }
    for (path, s) in secrets {
        t.insert(path, s.clone());
    }
    let mut root = t.to_json();
    share(&mut root);
    if let Json::Object(m) = &mut root {
        m.insert(
            "$schema".to_string(),
            json!("https://json-schema.org/draft-07/schema#"),
        );
        m.insert(
            "title".to_string(),
            json!("Values of the chart, written by tfc"),
        );
    }
    let mut text = serde_json::to_string_pretty(&root).unwrap_or_default();
    text.push('\n');
    text
}

/// The smallest sub-schema worth a `$defs` entry (as JSON text).
const SHARED_MIN: usize = 120;

/// Writes each sub-schema that occurs more than once (a service's image,
/// resources and probes; whole services that take the same values) once,
/// under `$defs`, and refers to it: the schema grows with the kinds of
/// values, not with the number of services.
fn share(root: &mut Json) {
    let mut counts: HashMap<String, usize> = HashMap::new();
    count(root, &mut counts);
    let mut shared = Shared {
        counts,
        names: HashMap::new(),
        defs: Map::new(),
    };
    shared.children(root);
    if !shared.defs.is_empty() {
        if let Json::Object(m) = root {
            m.insert("$defs".to_string(), Json::Object(shared.defs));
        }
    }
}

/// Counts the property schemas below `node` by their JSON text.
fn count(node: &Json, counts: &mut HashMap<String, usize>) {
    let Some(props) = node.get("properties").and_then(Json::as_object) else {
        return;
    };
    for v in props.values() {
        let text = v.to_string();
        if text.len() >= SHARED_MIN {
            *counts.entry(text).or_default() += 1;
        }
        count(v, counts);
    }
}

struct Shared {
    counts: HashMap<String, usize>,
    /// The `$defs` name of each shared schema, by its JSON text.
    names: HashMap<String, String>,
    defs: Map<String, Json>,
}

impl Shared {
    /// Replaces the shared property schemas below `node` by references.
    fn children(&mut self, node: &mut Json) {
        let Some(props) = node.get_mut("properties").and_then(Json::as_object_mut) else {
            return;
        };
        for (key, v) in props.iter_mut() {
            let text = v.to_string();
            if self.counts.get(&text).copied().unwrap_or(0) < 2 {
                self.children(v);
                continue;
            }
            let name = match self.names.get(&text) {
                Some(n) => n.clone(),
                None => {
                    let name = self.name_for(key);
                    self.names.insert(text, name.clone());
                    let mut def = v.clone();
                    self.children(&mut def);
                    self.defs.insert(name.clone(), def);
                    name
                }
            };
            *v = json!({ "$ref": format!("#/$defs/{name}") });
        }
    }

    /// A `$defs` name from the property that first had the schema: its
    /// letters, digits, `-` and `_`, made unique.
    fn name_for(&self, key: &str) -> String {
        let base: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let base = if base.is_empty() {
            "shared".to_string()
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.defs.contains_key(&name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        name
    }
}
