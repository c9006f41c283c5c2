//! `secret NAME { sealed FILE  KEY ... }`: the SealedSecret that kubeseal
//! wrote, read at compile time and checked against the declaration — its
//! name, namespace and scope (where the controller can decrypt it), its
//! Secret type, and its keys — before it is emitted in place of a Secret.
//!
//! This is the one phase after checking that reads files: FILE is resolved
//! against the directory of the `.taskflow` file and must stay inside it.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{App, Name, Sealed, Secret};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value;
use std::path::{Component, Path, PathBuf};

pub const API_VERSION: &str = "bitnami.com/v1alpha1";
pub const KIND: &str = "SealedSecret";
const NAMESPACE_WIDE: &str = "sealedsecrets.bitnami.com/namespace-wide";
pub const CLUSTER_WIDE: &str = "sealedsecrets.bitnami.com/cluster-wide";

/// The largest file tfc reads as a SealedSecret.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Where the controller may decrypt a SealedSecret (`kubeseal --scope`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// Only under its own name, in its own namespace (the default).
    Strict,
    /// Under any name, in its own namespace.
    NamespaceWide,
    /// Under any name, in any namespace.
    ClusterWide,
}

/// Reads and checks the file of every `sealed` secret of `app`, relative to
/// `base`, and keeps each SealedSecret that matches in the IR for emit.
pub fn load(app: &mut App, base: &Path) -> Vec<Diagnostic> {
    let namespace = app.namespace.as_ref().map(|ns| ns.name.node.clone());
    let mut diags = Vec::new();
    for s in &mut app.secrets {
        let Some(sealed) = s.sealed.as_ref() else {
            continue;
        };
        let object = read(base, &sealed.file)
            .and_then(|text| documents(&text, &sealed.file))
            .and_then(|docs| select(docs, s, sealed));
        match object {
            Ok(mut object) => {
                let before = diags.len();
                check(s, sealed, namespace.as_deref(), &mut object, &mut diags);
                let clean = diags.iter().skip(before).all(|d| !d.is_error());
                if let Some(x) = s.sealed.as_mut().filter(|_| clean) {
                    x.object = Some(object);
                }
            }
            Err(d) => diags.push(*d),
        }
    }
    // Found in an environment: the app as written may be fine.
    if let Some(env) = &app.env {
        for d in &mut diags {
            d.primary
                .message
                .push_str(&format!(" (in environment `{}`)", env.node));
        }
    }
    diags
}

/// The scope a SealedSecret was sealed with, from its annotations.
fn scope(object: &Value) -> Scope {
    let on = |key: &str| {
        object
            .pointer("/metadata/annotations")
            .and_then(|a| a.get(key))
            .and_then(Value::as_str)
            == Some("true")
    };
    if on(CLUSTER_WIDE) {
        Scope::ClusterWide
    } else if on(NAMESPACE_WIDE) {
        Scope::NamespaceWide
    } else {
        Scope::Strict
    }
}

fn unreadable(file: &Name, message: String, label: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::new(Code::UnreadableSealedFile, file.span, message)
            .label(label.to_string())
            .help(
                "write it with `kubeseal -o yaml < secret.yaml > FILE` next to the .taskflow file",
            ),
    )
}

/// A path that leaves the app's directory.
fn outside(file: &Name, message: String, label: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::new(Code::UnreadableSealedFile, file.span, message)
            .label(label.to_string())
            .help("keep the file in the .taskflow file's directory (or below it), and name it relative to it"),
    )
}

/// FILE, relative to `base` and inside it, even through symbolic links.
fn resolve(base: &Path, file: &Name) -> Result<PathBuf, Box<Diagnostic>> {
    let rel = Path::new(&file.node);
    let inside = rel
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if file.node.is_empty() || !inside {
        return Err(outside(
            file,
            format!("`{}` is not a path inside the app's directory", file.node),
            "a path relative to the .taskflow file, without `..`",
        ));
    }
    let path = base.join(rel);
    let (Ok(real), Ok(root)) = (path.canonicalize(), base.canonicalize()) else {
        return Err(unreadable(
            file,
            format!(
                "cannot read the sealed secret file `{}`: not found",
                file.node
            ),
            "no such file next to the .taskflow file",
        ));
    };
    if !real.starts_with(&root) {
        return Err(outside(
            file,
            format!("`{}` leads out of the app's directory", file.node),
            "a symbolic link to a file outside the .taskflow file's directory",
        ));
    }
    Ok(real)
}

/// The text of FILE: a regular file of at most [`MAX_FILE_BYTES`], UTF-8.
fn read(base: &Path, file: &Name) -> Result<String, Box<Diagnostic>> {
    let path = resolve(base, file)?;
    let bytes = crate::input::read_bounded(&path, MAX_FILE_BYTES).map_err(|e| {
        unreadable(
            file,
            format!("cannot read the sealed secret file `{}`: {e}", file.node),
            "this file",
        )
    })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(unreadable(
            file,
            format!("the sealed secret file `{}` is too large", file.node),
            "a SealedSecret file is at most 1 MiB",
        ));
    }
    String::from_utf8(bytes).map_err(|_| {
        unreadable(
            file,
            format!("the sealed secret file `{}` is not UTF-8", file.node),
            "kubeseal writes UTF-8 YAML or JSON",
        )
    })
}

/// The YAML (or JSON) documents of the file.
fn documents(text: &str, file: &Name) -> Result<Vec<Value>, Box<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Err(line) = crate::input::flow_depth(text, crate::input::MAX_FLOW_DEPTH) {
        return Err(unreadable(
            file,
            format!(
                "the sealed secret file `{}` nests `[` or `{{` too deeply (line {line})",
                file.node
            ),
            "kubeseal writes no such nesting",
        ));
    }
    let mut docs = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        match serde::Deserialize::deserialize(doc) {
            Ok(Value::Null) => {}
            Ok(v) => docs.push(v),
            Err(e) => {
                let at = e
                    .location()
                    .map_or_else(String::new, |l| format!(" (line {})", l.line()));
                return Err(unreadable(
                    file,
                    format!(
                        "the sealed secret file `{}` is not valid YAML{at}",
                        file.node
                    ),
                    "this file",
                ));
            }
        }
    }
    Ok(docs)
}

/// The SealedSecret of the file that fills secret `s`: the one named like
/// it, else the file's only SealedSecret.
fn select(docs: Vec<Value>, s: &Secret, sealed: &Sealed) -> Result<Value, Box<Diagnostic>> {
    let file = &sealed.file;
    let mut found: Vec<Value> = docs
        .into_iter()
        .filter(|d| d.get("kind").and_then(Value::as_str) == Some(KIND))
        .collect();
    let name_of = |d: &Value| {
        d.pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let named = found.iter().filter(|d| name_of(d) == s.name.node).count();
    if named > 1 {
        return Err(unreadable(
            file,
            format!(
                "the file `{}` holds {named} SealedSecrets named `{}`",
                file.node, s.name.node
            ),
            "which one would be applied depends on the order",
        ));
    }
    if let Some(at) = found.iter().position(|d| name_of(d) == s.name.node) {
        return Ok(found.swap_remove(at));
    }
    match found.len() {
        0 => Err(unreadable(
            file,
            format!("the file `{}` holds no SealedSecret", file.node),
            "expected a document with `kind: SealedSecret`",
        )),
        1 => Ok(found.swap_remove(0)),
        _ => {
            let names: Vec<String> = found.iter().map(name_of).collect();
            Err(unreadable(
                file,
                format!(
                    "the file `{}` holds no SealedSecret named `{}`",
                    file.node, s.name.node
                ),
                &format!("it holds {}", names.join(", ")),
            ))
        }
    }
}

fn mismatch(sealed: &Sealed, message: String, label: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::SealedMismatch, sealed.file.span, message).label(label)
}

/// Checks one SealedSecret against its secret, and makes it the object
/// tfc emits.
fn check(
    s: &Secret,
    sealed: &Sealed,
    namespace: Option<&str>,
    object: &mut Value,
    diags: &mut Vec<Diagnostic>,
) {
    let api = object.get("apiVersion").and_then(Value::as_str);
    if api != Some(API_VERSION) {
        diags.push(
            mismatch(
                sealed,
                format!(
                    "the SealedSecret in `{}` is not {API_VERSION}",
                    sealed.file.node
                ),
                format!("apiVersion `{}`", api.unwrap_or("")),
            )
            .help("reseal it with a current kubeseal"),
        );
        return;
    }
    let Some(spec) = object.get("spec").and_then(Value::as_object) else {
        diags.push(mismatch(
            sealed,
            format!("the SealedSecret in `{}` has no `spec`", sealed.file.node),
            "expected `spec.encryptedData`",
        ));
        return;
    };
    check_type(s, sealed, spec, diags);
    check_keys(s, sealed, spec, diags);
    let metadata = object.get("metadata").cloned().unwrap_or_default();
    if let Err(e) = serde_json::from_value::<ObjectMeta>(metadata) {
        diags.push(mismatch(
            sealed,
            format!(
                "the metadata of the SealedSecret in `{}` is not valid: {e}",
                sealed.file.node
            ),
            "labels, annotations and the namespace are text",
        ));
        return;
    }
    if let Some(bad) = uncarriable(object) {
        diags.push(
            Diagnostic::new(
                Code::UncarriableText,
                sealed.file.span,
                format!(
                    "the SealedSecret in `{}` holds U+{:04X}",
                    sealed.file.node,
                    u32::from(bad)
                ),
            )
            .label("kubectl apply -k (kustomize) cannot carry this character")
            .help("remove it from the file's labels or annotations"),
        );
        return;
    }
    let scope = scope(object);
    check_place(s, sealed, scope, namespace, object, diags);
    tidy(s, scope, namespace, object);
}

/// A character of the object's text (keys or values) that kustomize cannot carry.
fn uncarriable(v: &Value) -> Option<char> {
    let bad = |t: &str| t.chars().find(|c| crate::emit::yaml::uncarriable(*c));
    match v {
        Value::String(t) => bad(t),
        Value::Array(a) => a.iter().find_map(uncarriable),
        Value::Object(m) => m
            .iter()
            .find_map(|(k, v)| bad(k).or_else(|| uncarriable(v))),
        _ => None,
    }
}

/// The SealedSecret as tfc emits it: named like the secret (a wider scope
/// allows that), in the app's namespace when sealed cluster-wide, without
/// `status`, creation times and `kubectl apply`'s record of the object.
fn tidy(s: &Secret, scope: Scope, namespace: Option<&str>, object: &mut Value) {
    if let Some(m) = object.as_object_mut() {
        m.remove("status");
    }
    let template = object.pointer_mut("/spec/template/metadata");
    if let Some(t) = template.and_then(Value::as_object_mut) {
        t.remove("creationTimestamp");
    }
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("name".into(), Value::String(s.name.node.clone()));
        meta.remove("creationTimestamp");
        if let Some(ns) = namespace.filter(|_| scope == Scope::ClusterWide) {
            meta.insert("namespace".into(), Value::String(ns.to_string()));
        }
        if let Some(a) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
            a.remove("kubectl.kubernetes.io/last-applied-configuration");
        }
    }
}

/// The name and namespace it was sealed for, where its scope binds them.
fn check_place(
    s: &Secret,
    sealed: &Sealed,
    scope: Scope,
    namespace: Option<&str>,
    object: &Value,
    diags: &mut Vec<Diagnostic>,
) {
    let text = |p: &str| object.pointer(p).and_then(Value::as_str);
    let name = text("/metadata/name").unwrap_or("");
    if scope == Scope::Strict && name != s.name.node {
        diags.push(
            mismatch(
                sealed,
                format!("`{}` was sealed for a Secret named `{name}`, not `{}`", sealed.file.node, s.name.node),
                "sealed with the default (strict) scope: the name is part of the encryption",
            )
            .help(format!(
                "reseal it as `{}` (`metadata.name` of the input Secret), or with `kubeseal --scope namespace-wide`",
                s.name.node
            )),
        );
    }
    let sealed_ns = text("/metadata/namespace");
    if sealed_ns.is_none() && scope != Scope::ClusterWide {
        diags.push(
            mismatch(
                sealed,
                format!(
                    "the SealedSecret in `{}` has no namespace",
                    sealed.file.node
                ),
                "it decrypts only in the namespace it was sealed for, which the file does not say",
            )
            .help("reseal it with `kubeseal --namespace NS` (kubeseal writes the namespace)"),
        );
    }
    if let (Some(want), Some(have)) = (namespace, sealed_ns) {
        if scope != Scope::ClusterWide && want != have {
            diags.push(
                mismatch(
                    sealed,
                    format!(
                        "`{}` was sealed for namespace `{have}`, but the app deploys to `{want}`",
                        sealed.file.node
                    ),
                    "the controller can decrypt it only in its own namespace",
                )
                .help(format!(
                    "reseal it with `kubeseal --namespace {want}`, or with `--scope cluster-wide`"
                )),
            );
        }
    }
}

fn check_type(
    s: &Secret,
    sealed: &Sealed,
    spec: &serde_json::Map<String, Value>,
    diags: &mut Vec<Diagnostic>,
) {
    let have = spec
        .get("template")
        .and_then(|t| t.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("Opaque");
    let want = s.secret_type.as_ref().map_or("Opaque", |t| t.node.as_str());
    if have != want {
        diags.push(
            mismatch(
                sealed,
                format!(
                    "`{}` makes a Secret of type `{have}`, but `{}` is declared `{want}`",
                    sealed.file.node, s.name.node
                ),
                format!("`spec.template.type` is `{have}`"),
            )
            .help(format!(
                "write `type {have}` in the secret, or reseal a Secret of type `{want}`"
            )),
        );
    }
}

/// Every declared key must be in the file (encrypted, or a template's
/// plain `data`); a key of the file that is not declared warns.
fn check_keys(
    s: &Secret,
    sealed: &Sealed,
    spec: &serde_json::Map<String, Value>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut have: Vec<&str> = Vec::new();
    let maps = [
        spec.get("encryptedData"),
        spec.get("template").and_then(|t| t.get("data")),
    ];
    for m in maps.into_iter().flatten() {
        match m.as_object() {
            Some(m) if m.values().all(Value::is_string) => {
                have.extend(m.keys().map(String::as_str))
            }
            _ => {
                diags.push(mismatch(
                    sealed,
                    format!(
                        "`encryptedData` in `{}` is not a map of keys to text",
                        sealed.file.node
                    ),
                    "not what kubeseal writes",
                ));
                return;
            }
        }
    }
    for k in &s.keys {
        if !have.contains(&k.node.as_str()) {
            let help = match crate::suggest::nearest(&k.node, have.iter().copied()) {
                Some(near) => format!(
                    "the file holds `{near}`: correct one of the two spellings, or reseal the Secret with `{}`",
                    k.node
                ),
                None => format!(
                    "reseal the Secret with `{}`, or remove the key from the declaration",
                    k.node
                ),
            };
            diags.push(
                mismatch(
                    sealed,
                    format!("`{}` has no key `{}`", sealed.file.node, k.node),
                    format!("`{}` declares `{}`", s.name.node, k.node),
                )
                .also(k.span, "declared here")
                .help(help),
            );
        }
    }
    for k in have {
        let known = s.keys.iter().chain(&s.excluded).any(|d| d.node == k);
        if !known {
            diags.push(
                Diagnostic::new(
                    Code::UndeclaredSealedKey,
                    sealed.file.span,
                    format!(
                        "`{}` has key `{k}`, which `{}` does not declare",
                        sealed.file.node, s.name.node
                    ),
                )
                .label("the Secret will hold it, but no reference is checked against it")
                .help(format!(
                    "declare it: `secret {} {{ ... {k} }}`",
                    s.name.node
                )),
            );
        }
    }
}
