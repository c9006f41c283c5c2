//! The merge of a patch into an object, and the fields a strict read drops.

use serde_json::{Map, Value};

/// Merges `patch` into `base`: maps key by key (`null` removes a key);
/// lists whose items all have a `name` item by item, by name (a patch item
/// with `$patch: delete` removes one); any other value replaces.
pub fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => merge_maps(b, p),
        (Value::Array(b), Value::Array(p)) if named(b) && named(p) => merge_named(b, p),
        (b, p) => *b = p.clone(),
    }
}

fn merge_maps(b: &mut Map<String, Value>, p: &Map<String, Value>) {
    for (k, v) in p {
        if v.is_null() {
            b.remove(k);
            continue;
        }
        match b.get_mut(k) {
            Some(existing) => merge(existing, v),
            None => {
                let mut fresh = v.clone();
                strip_nulls(&mut fresh);
                b.insert(k.clone(), fresh);
            }
        }
    }
}

fn name_of(v: &Value) -> Option<&str> {
    v.get("name")?.as_str()
}

fn named(items: &[Value]) -> bool {
    !items.is_empty() && items.iter().all(|i| name_of(i).is_some())
}

fn merge_named(b: &mut Vec<Value>, p: &[Value]) {
    for item in p {
        let name = name_of(item).unwrap_or_default().to_string();
        let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
        let at = b.iter().position(|x| name_of(x) == Some(name.as_str()));
        match (at, delete) {
            (Some(i), true) => {
                b.remove(i);
            }
            (None, true) => {}
            (Some(i), false) => {
                if let Some(x) = b.get_mut(i) {
                    merge(x, item);
                }
            }
            (None, false) => {
                let mut fresh = item.clone();
                strip_nulls(&mut fresh);
                b.push(fresh);
            }
        }
    }
}

/// A new subtree keeps no `null` (it would mean "remove" in a patch).
fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// The fields of `written` that a strict read (`read`) does not have: the
/// fields the Kubernetes types do not know, as dotted paths.
pub fn unknown_fields(written: &Value, read: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(written, read, &mut String::new(), &mut out);
    out
}

fn walk(written: &Value, read: &Value, path: &mut String, out: &mut Vec<String>) {
    match (written, read) {
        (Value::Object(w), Value::Object(r)) => {
            for (k, v) in w {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                match r.get(k) {
                    Some(rv) => walk(v, rv, path, out),
                    // An empty value is left out on writing, not unknown.
                    None if is_empty(v) => {}
                    None => out.push(path.clone()),
                }
                path.truncate(len);
            }
        }
        (Value::Array(w), Value::Array(r)) => {
            for (i, (v, rv)) in w.iter().zip(r).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(v, rv, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.values().all(is_empty),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_merge_named_lists_merge_by_name_and_null_removes() {
        let mut base = json!({
            "spec": {"replicas": 1, "paused": false, "containers": [
                {"name": "app", "image": "a:1"}, {"name": "side", "image": "s:1"}
            ]}
        });
        let patch = json!({
            "spec": {"paused": null, "containers": [
                {"name": "app", "image": "a:2"},
                {"name": "side", "$patch": "delete"},
                {"name": "new", "image": "n:1", "x": null}
            ]}
        });
        merge(&mut base, &patch);
        assert_eq!(
            base,
            json!({"spec": {"replicas": 1, "containers": [
                {"name": "app", "image": "a:2"}, {"name": "new", "image": "n:1"}
            ]}})
        );
        let mut list = json!({"args": ["a", "b"]});
        merge(&mut list, &json!({"args": ["c"]}));
        assert_eq!(list, json!({"args": ["c"]}));
    }

    #[test]
    fn fields_a_strict_read_drops_are_unknown() {
        let written = json!({"spec": {"minReadySecond": 3, "x": {}, "list": [{"a": 1, "b": 2}]}});
        let read = json!({"spec": {"list": [{"a": 1}]}});
        assert_eq!(
            unknown_fields(&written, &read),
            vec!["spec.list[0].b", "spec.minReadySecond"]
        );
    }
}
