//! Phase 5b, patch: what the language cannot say yet. `patch KIND NAME
//! YAML` merges into an emitted object; `object YAML` adds objects. Both
//! are read back with the Kubernetes types, so a typo in a field is an
//! error, and the API server's rules (src/validate/) run on the result.

mod kinds;
mod merge;

use crate::diagnostic::{Code, Diagnostic};
use crate::emit::slot::Role;
use crate::emit::{Emitted, Object};
use crate::ir::{App, ItemId, Patch, RawObject};
use serde_json::Value;
use std::collections::HashMap;

pub use kinds::TYPED;

/// Applies the app's patches to the emitted objects and adds its extra
/// objects, in apply order.
pub fn apply(app: &App, emitted: &mut Vec<Emitted>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // Objects by kind (lower case) and name: patches and objects find
    // theirs in constant time, however many there are.
    let mut index: HashMap<(String, String), usize> = emitted
        .iter()
        .enumerate()
        .map(|(i, e)| (key(e.object.kind(), e.object.name()), i))
        .collect();
    for (i, p) in app.patches.iter().enumerate() {
        let at = index.get(&key(&p.kind.node, &p.name.node)).copied();
        patch(i, p, at, emitted, &mut diags);
    }
    for o in &app.objects {
        if let Some(e) = extra(app, o, emitted, &index, &mut diags) {
            index.insert(key(e.object.kind(), e.object.name()), emitted.len());
            emitted.push(e);
        }
    }
    emitted.sort_by_key(|e| e.object.apply_rank());
    diags.retain(|d| !crate::check::security::accepted(app, d));
    diags
}

fn key(kind: &str, name: &str) -> (String, String) {
    (kind.to_ascii_lowercase(), name.to_string())
}

fn patch(
    i: usize,
    p: &Patch,
    found: Option<usize>,
    emitted: &mut [Emitted],
    diags: &mut Vec<Diagnostic>,
) {
    let Some(e) = found.and_then(|at| emitted.get_mut(at)) else {
        diags.push(unknown_object(p, emitted));
        return;
    };
    let kind = e.object.kind().to_string();
    let before = kinds::to_json(&e.object);
    if let Some(d) = refused(p, e, &before) {
        diags.push(d);
        return;
    }
    for (kinds, path, statement) in kinds::CONSTRUCTS {
        if (kinds.is_empty() || kinds.contains(&kind.as_str())) && kinds::sets(&p.value, path) {
            let last = path.rsplit('.').next().unwrap_or(path);
            diags.push(construct(
                p.key_span(last.trim_end_matches("[]")),
                path,
                statement,
            ));
        }
    }
    let mut merged = before;
    merge::merge(&mut merged, &p.value);
    match kinds::from_json(&e.object, merged.clone()) {
        Err(err) => diags.push(invalid(
            p.body.span,
            format!("the patched {kind} is not valid"),
            err,
        )),
        Ok(object) => {
            let unknown = merge::unknown_fields(&merged, &kinds::to_json(&object));
            if unknown.is_empty() {
                e.object = object;
                e.patched.push(i);
            }
            for path in unknown {
                diags.push(unknown_field(p.key_span(leaf(&path)), &kind, &path));
            }
        }
    }
}

/// Why a patch may not apply to the object at all: it would change what
/// tfc checked (a SealedSecret), write Secret data, or change the object's
/// kind, name or namespace.
fn refused(p: &Patch, e: &Emitted, before: &Value) -> Option<Diagnostic> {
    let kind = e.object.kind();
    if kind == crate::sealed::KIND && e.origin.role == Role::Secret {
        return Some(
            invalid(
                p.key_span("spec"),
                format!("the SealedSecret `{}` cannot be patched", e.object.name()),
                "tfc checked it against the secret as kubeseal wrote it",
            )
            .help("reseal the Secret with kubeseal; labels and annotations go in the secret block"),
        );
    }
    if kind == "Secret"
        && ["data", "stringData"]
            .iter()
            .any(|k| p.value.get(k).is_some())
    {
        return Some(secret_data(p.key_span("data"), p.body.span));
    }
    for key in ["apiVersion", "kind"] {
        if p.value.get(key).is_some_and(|v| Some(v) != before.get(key)) {
            return Some(invalid(
                p.key_span(key),
                format!("a patch cannot change `{key}`"),
                "changed here",
            ));
        }
    }
    let renamed = p.value.pointer("/metadata/name");
    if renamed.is_some_and(|v| v.as_str() != Some(e.object.name())) {
        let at = p.key_span("name");
        return Some(invalid(
            at,
            "a patch cannot rename an object",
            "others refer to it by name",
        ));
    }
    let moved = p.value.pointer("/metadata/namespace");
    if moved.is_some_and(|v| v.as_str() != e.object.metadata().namespace.as_deref()) {
        return Some(invalid(
            p.key_span("namespace"),
            "a patch cannot move an object to another namespace",
            "the app's objects share one namespace: `namespace`, or `tfc compile --namespace`",
        ));
    }
    None
}

/// The last key of a dotted path (`spec.list[0].b` → `b`).
fn leaf(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

fn extra(
    app: &App,
    o: &RawObject,
    emitted: &[Emitted],
    index: &HashMap<(String, String), usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Emitted> {
    let text = |key: &str| o.value.get(key).and_then(Value::as_str).map(str::to_string);
    let (Some(api_version), Some(kind)) = (text("apiVersion"), text("kind")) else {
        diags.push(
            invalid(
                o.span,
                "an object needs `apiVersion` and `kind`",
                "missing in this document",
            )
            .help("start it with e.g. `apiVersion: policy/v1` and `kind: PodDisruptionBudget`"),
        );
        return None;
    };
    let name = o.value.pointer("/metadata/name").and_then(Value::as_str);
    let Some(name) = name.map(str::to_string) else {
        diags.push(invalid(
            o.key_span("kind"),
            format!("the {kind} has no `metadata.name`"),
            "no name",
        ));
        return None;
    };
    if kind == "Secret"
        && ["data", "stringData"]
            .iter()
            .any(|k| o.value.get(k).is_some())
    {
        diags.push(secret_data(o.key_span("data"), o.span));
        return None;
    }
    let same = index.get(&key(&kind, &name)).and_then(|&i| emitted.get(i));
    if let Some(first) = same.filter(|e| e.object.kind() == kind) {
        diags.push(
            Diagnostic::new(
                Code::NameCollision,
                o.key_span("name"),
                format!("two objects would be {kind} `{name}`"),
            )
            .label("this object")
            .also(first.origin.span, "tfc emits one from here")
            .help("rename it, or change tfc's object with `patch`"),
        );
        return None;
    }
    let mut value = o.value.clone();
    complete(app, &kind, &mut value);
    let value = strict(o, (&api_version, &kind, &name), value, diags)?;
    match kinds::extra(&api_version, &kind, value) {
        Ok(x) => Some(Emitted::new(
            Object::Extra(Box::new(x)),
            ItemId::APP,
            Role::Extra,
            o.span,
        )),
        Err(err) => {
            diags.push(invalid(
                o.key_span("metadata"),
                format!("the {kind} `{name}` is not valid"),
                err,
            ));
            None
        }
    }
}

/// An object of a kind tfc knows, read back with its Kubernetes type: what
/// the type keeps; None (reported) for an unknown field or a wrong type.
fn strict(
    o: &RawObject,
    (api_version, kind, name): (&str, &str, &str),
    value: Value,
    diags: &mut Vec<Diagnostic>,
) -> Option<Value> {
    let Some(read) = kinds::strict(api_version, kind, &value) else {
        return Some(value);
    };
    let read = match read {
        Ok(read) => read,
        Err(err) => {
            let message = format!("the {kind} `{name}` is not valid");
            diags.push(invalid(o.key_span("kind"), message, err));
            return None;
        }
    };
    let unknown = merge::unknown_fields(&value, &read);
    for path in &unknown {
        diags.push(unknown_field(o.key_span(leaf(path)), kind, path));
    }
    unknown.is_empty().then_some(read)
}

/// The app's namespace (for a namespaced kind) and its labels, unless the
/// object sets them.
fn complete(app: &App, kind: &str, value: &mut Value) {
    let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    if !kinds::CLUSTER_SCOPED.contains(&kind) && !meta.contains_key("namespace") {
        if let Some(ns) = &app.namespace {
            meta.insert("namespace".into(), Value::String(ns.name.node.clone()));
        }
    }
    let labels = meta
        .entry("labels")
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    if let Some(labels) = labels.as_object_mut() {
        for (k, v) in app.common_labels() {
            labels.entry(k).or_insert(Value::String(v));
        }
    }
}

fn invalid(
    at: crate::span::Span,
    message: impl Into<String>,
    label: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(Code::InvalidPatch, at, message).label(label)
}

fn unknown_field(at: crate::span::Span, kind: &str, path: &str) -> Diagnostic {
    invalid(
        at,
        format!("a {kind} has no field `{path}`"),
        "unknown field",
    )
    .help(format!(
        "check the spelling: `kubectl explain {}.{path}`",
        kind.to_ascii_lowercase()
    ))
}

fn secret_data(at: crate::span::Span, body: crate::span::Span) -> Diagnostic {
    let d = Diagnostic::new(
        Code::SecretDataInFile,
        at,
        "secret values never live in a .taskflow file",
    )
    .label("Secret data here")
    .help("declare a `secret` and pass its values with `--secrets FILE`");
    if at == body {
        d
    } else {
        d.also(body, "in this patch or object")
    }
}

fn construct(at: crate::span::Span, path: &str, statement: &str) -> Diagnostic {
    Diagnostic::new(
        Code::PatchHasConstruct,
        at,
        format!("`{path}` has a statement: `{statement}`"),
    )
    .label("set by this patch")
    .help(format!(
        "write `{statement}` instead; it is checked and documented"
    ))
}

fn unknown_object(p: &Patch, emitted: &[Emitted]) -> Diagnostic {
    let same_kind: Vec<&str> = emitted
        .iter()
        .filter(|e| e.object.kind().eq_ignore_ascii_case(&p.kind.node))
        .map(|e| e.object.name())
        .collect();
    let mut d = Diagnostic::new(
        Code::UnknownObject,
        p.name.span,
        format!("tfc emits no {} named `{}`", p.kind.node, p.name.node),
    );
    if same_kind.is_empty() {
        let mut kinds: Vec<&str> = emitted.iter().map(|e| e.object.kind()).collect();
        kinds.dedup();
        d = d
            .label("no object of this kind")
            .also(p.kind.span, "this kind")
            .maybe_help(crate::suggest::did_you_mean(
                &p.kind.node,
                kinds,
                "kinds emitted",
            ));
    } else {
        d = d
            .label("no object of this name")
            .maybe_help(crate::suggest::did_you_mean(
                &p.name.node,
                same_kind,
                "names of this kind",
            ));
    }
    d
}
