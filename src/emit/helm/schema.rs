//! values.schema.json, derived from the lifted values and their language
//! types: Helm checks every install, upgrade and template against it, so a
//! `--set frontend.replicas=abc` or a misspelt key fails with a message.

use super::lift;
use super::values::Lookup;
use crate::emit::slot::{Slot as Lift, Style};
use crate::emit::yaml::Node;
use serde_json::{Map, Value as Json, json};
use std::collections::BTreeMap;

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

/// The schema of a value no language type describes: its own JSON type.
fn inferred(v: Option<&Node>) -> Json {
    match v {
        Some(Node::Str(_)) => json!({"type": "string"}),
        Some(Node::Int(_) | Node::UInt(_)) => json!({"type": "integer"}),
        Some(Node::Float(_)) => json!({"type": "number"}),
        Some(Node::Bool(_)) => json!({"type": "boolean"}),
        Some(Node::Seq(_)) => json!({"type": "array"}),
        Some(Node::Map(_)) => json!({"type": "object"}),
        _ => json!({}),
    }
}

pub fn schema(lifts: &[&Lift], values: &Lookup) -> String {
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
                let s = lift::schema(&l.accepts).unwrap_or_else(|| inferred(values.get(&l.value)));
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
    if let Some(Node::Map(flags)) = values.get(&["enabled".to_string()]) {
        for (k, _) in flags {
            t.insert(
                &["enabled".to_string(), k.to_string()],
                json!({"type": "boolean"}),
            );
        }
    }
    if values.get(&["secrets".to_string()]).is_some() {
        t.insert(
            &["secrets".to_string(), "create".to_string()],
            json!({"type": "boolean"}),
        );
        t.insert(
            &["secrets".to_string(), "external".to_string()],
            json!({"type": "boolean"}),
        );
        t.insert(
            &["secrets".to_string(), "values".to_string()],
            json!({
                "type": "object",
                "additionalProperties": {"type": "object", "additionalProperties": {"type": "string"}}
            }),
        );
    }
    let mut root = t.to_json();
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
