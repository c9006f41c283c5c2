//! Values for fields that differ between environments, and the JSON schema
//! of each kind of slot. The standard tunables are recorded by emit as it
//! builds each object (see `emit::tunables`).

use super::path;
use crate::emit::slot::{Accepts, Seg};
use crate::emit::yaml::Node;
use serde_json::{Value as Json, json};

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

/// The JSON schema of what a slot accepts; None: derived from its value.
pub fn schema(a: &Accepts) -> Option<Json> {
    Some(match a {
        Accepts::Inferred => return None,
        Accepts::Int {
            min,
            max: Some(max),
        } => {
            json!({"type": "integer", "minimum": min, "maximum": max})
        }
        Accepts::Int { min, max: None } => json!({"type": "integer", "minimum": min}),
        Accepts::OneOf(words) => json!({ "enum": words }),
        Accepts::Resources => resources_schema(),
        Accepts::ConfigValue => json!({"type": ["string", "number", "integer", "boolean"]}),
        Accepts::Host => {
            json!({"type": "string", "pattern": r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"})
        }
        Accepts::Text => json!({"type": "string"}),
    })
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
