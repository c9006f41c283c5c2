//! Names and labels Kubernetes would reject, and generated objects that clash.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{App, Container, MountSource, Name, Workload};
use crate::span::Span;
use std::collections::HashMap;

/// A DNS-1123 label: 1-63 of `[a-z0-9-]`, alphanumeric at both ends.
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A DNS-1123 subdomain: dot-separated labels, at most 253 characters.
pub fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// A label name: 1 to 63 letters, digits, `-`, `_` and `.`, starting and
/// ending with a letter or digit (the API's qualified name).
pub fn is_label_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric())
}

/// A label or annotation key: `[prefix/]name`.
pub fn is_label_key(s: &str) -> bool {
    match s.split_once('/') {
        Some((prefix, name)) => is_dns_subdomain(prefix) && is_label_name(name),
        None => is_label_name(s),
    }
}

/// A label value: empty, or a label name.
pub fn is_label_value(s: &str) -> bool {
    s.is_empty() || is_label_name(s)
}

/// An IANA service name, as port names must be.
fn is_port_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 15
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && s.bytes().any(|b| b.is_ascii_lowercase())
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// An environment variable name.
fn is_env_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        && !s.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// A config or secret key.
fn is_data_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// A suggested DNS-1123 spelling of a name.
fn dns_fix(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out.trim_matches('-').chars().take(63).collect()
}

/// A name short enough to quote in a message.
fn clip(name: &str) -> String {
    if name.chars().count() <= 80 {
        return name.to_string();
    }
    let head: String = name.chars().take(40).collect();
    format!("{head}… ({} characters)", name.chars().count())
}

fn bad_name(span: Span, what: &str, name: &str, diags: &mut Vec<Diagnostic>) {
    let fix = dns_fix(name);
    let why = if name.len() > 63 {
        format!("{} characters; at most 63 are allowed", name.len())
    } else {
        "only lowercase letters, digits and `-` are allowed, starting and ending with a letter or digit".to_string()
    };
    let mut d = Diagnostic::new(
        Code::InvalidName,
        span,
        format!("{what} `{}` is not a valid Kubernetes name", clip(name)),
    )
    .label(why);
    if !fix.is_empty() && fix != name {
        d = d.help(format!("try `{fix}`"));
    }
    diags.push(d);
}

pub(super) fn name(n: &Name, what: &str, diags: &mut Vec<Diagnostic>) {
    if !is_dns_label(&n.node) {
        bad_name(n.span, what, &n.node, diags);
    }
}

pub fn check(app: &App, diags: &mut Vec<Diagnostic>) {
    name(&app.name, "the app name", diags);
    if let Some(ns) = app.namespace.as_ref().filter(|ns| !ns.implicit) {
        name(&ns.name, "the namespace", diags);
        meta(&ns.meta, diags);
    }
    meta(&app.meta, diags);
    for c in &app.configs {
        name(&c.name, "the config name", diags);
        meta(&c.meta, diags);
        for e in &c.entries {
            data_key(&e.key, diags);
        }
    }
    // An environment names values-ENV.yaml and Argo CD's parameter.
    for e in &app.environments {
        if !is_dns_label(&e.node) {
            bad_name(e.span, "the environment name", &e.node, diags);
        }
    }
    for s in &app.secrets {
        outside_keys(s, diags);
        name(&s.name, "the secret name", diags);
        if let Some(store) = &s.store {
            name(&store.name, "the secret store name", diags);
        }
        meta(&s.meta, diags);
        for k in &s.keys {
            data_key(k, diags);
        }
    }
    for w in &app.workloads {
        workload(w, diags);
    }
    for v in &app.volumes {
        name(&v.name, "the volume name", diags);
        meta(&v.meta, diags);
        if let Some(pv) = &v.pv_name {
            name(pv, "the PersistentVolume name", diags);
        }
        if let Some(class) = &v.spec.class {
            if !is_dns_subdomain(&class.node) {
                bad_name(class.span, "the storage class", &class.node, diags);
            }
        }
        for (k, val) in &v.pv_labels {
            label(k, val, diags);
        }
    }
    for i in &app.ingresses {
        name(&i.name, "the ingress name", diags);
        meta(&i.meta, diags);
        if let Some(class) = &i.class {
            if !is_dns_subdomain(&class.node) {
                bad_name(class.span, "the ingress class", &class.node, diags);
            }
        }
        for (tls, _) in i.tls_entries() {
            if let Some(secret) = tls.secret.as_ref().filter(|s| !is_dns_subdomain(&s.node)) {
                bad_name(secret.span, "the TLS secret", &secret.node, diags);
            }
        }
    }
    for n in app.networks.iter().filter(|n| !n.name.node.is_empty()) {
        name(&n.name, "the network policy name", diags);
        meta(&n.meta, diags);
    }
    for a in &app.autoscalers {
        if let Some(n) = &a.name {
            name(n, "the autoscaler name", diags);
        }
    }
    collisions(app, diags);
}

/// The keys of a secret tfc emits no Secret for (`external`, `store`): the
/// API server's key rules, which the emitted Secret would otherwise meet.
fn outside_keys(s: &crate::ir::Secret, diags: &mut Vec<Diagnostic>) {
    if s.external.is_none() {
        return;
    }
    for k in s
        .keys
        .iter()
        .filter(|k| matches!(k.node.as_str(), "." | ".."))
    {
        diags.push(
            Diagnostic::new(
                Code::InvalidDataKey,
                k.span,
                format!("`{}` cannot be a Secret key", k.node),
            )
            .label("the API server refuses `.` and `..` as keys")
            .help("name the key after what it holds"),
        );
    }
}

fn data_key(k: &Name, diags: &mut Vec<Diagnostic>) {
    if !is_data_key(&k.node) {
        diags.push(
            Diagnostic::new(
                Code::InvalidName,
                k.span,
                format!("`{}` is not a valid key", k.node),
            )
            .label("keys are letters, digits, `-`, `_` and `.`"),
        );
    }
}

pub(super) fn label(k: &Name, v: &Name, diags: &mut Vec<Diagnostic>) {
    if !is_label_key(&k.node) {
        diags.push(
            Diagnostic::new(
                Code::InvalidLabel,
                k.span,
                format!("`{}` is not a valid label key", k.node),
            )
            .label("expected `[prefix/]name`, name at most 63 of letters, digits, `-`, `_`, `.`"),
        );
    }
    if !is_label_value(&v.node) {
        diags.push(
            Diagnostic::new(
                Code::InvalidLabel,
                v.span,
                format!("`{}` is not a valid label value", v.node),
            )
            .label(if v.node.len() > 63 {
                format!("{} characters; at most 63 are allowed", v.node.len())
            } else {
                "letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit"
                    .to_string()
            })
            .help("put free text in an annotation instead"),
        );
    }
}

fn meta(m: &crate::ir::Meta, diags: &mut Vec<Diagnostic>) {
    for (k, v) in &m.labels {
        label(k, v, diags);
    }
    for (k, v) in &m.annotations {
        annotation(k, v, diags);
    }
}

/// An annotation of an object or a pod.
pub(super) fn annotation(k: &Name, v: &Name, diags: &mut Vec<Diagnostic>) {
    // kustomize writes such a value as a block whose first line starts
    // with a tab, and then cannot read its own output.
    if v.node.starts_with('\t') && v.node.contains('\n') {
        diags.push(
            Diagnostic::new(
                Code::UncarriableText,
                v.span,
                "`kubectl apply -k` cannot carry an annotation that starts with a tab and spans lines",
            )
            .label("starts with a tab and holds a line break")
            .help("start the value with another character, or keep it on one line"),
        );
    }
    if !is_label_key(&k.node) {
        diags.push(
            Diagnostic::new(
                Code::InvalidLabel,
                k.span,
                format!("`{}` is not a valid annotation key", k.node),
            )
            .label("expected `[prefix/]name`"),
        );
    }
}

fn workload(w: &Workload, diags: &mut Vec<Diagnostic>) {
    name(&w.id, "the name", diags);
    let at = w.name.as_ref().map_or(w.id.span, |n| n.span);
    if is_dns_label(&w.id.node) {
        let object = &w.object_name;
        if !is_dns_label(object) {
            bad_name(at, "the generated name", object, diags);
        }
        let service = &w.host;
        if !is_dns_label(service) || !service.starts_with(|c: char| c.is_ascii_lowercase()) {
            let mut d = Diagnostic::new(
                Code::InvalidName,
                at,
                format!("the Service name `{service}` is not valid"),
            )
            .label("Service names are DNS-1035 labels: they start with a letter");
            if service.len() > 63 {
                d = d.help(format!(
                    "{} characters; at most 63 are allowed",
                    service.len()
                ));
            }
            diags.push(d);
        }
    }
    for x in &w.extra_services {
        let n = &x.name.node;
        if !is_dns_label(n) || !n.starts_with(|c: char| c.is_ascii_lowercase()) {
            bad_name(x.name.span, "the Service name", n, diags);
        }
    }
    meta(&w.meta, diags);
    for n in w
        .ports
        .iter()
        .flat_map(|p| std::iter::once(&p.name).chain(&p.target_name))
    {
        if !is_port_name(&n.node) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidPortName,
                    n.span,
                    format!("`{}` is not a valid port name", n.node),
                )
                .label("at most 15 lowercase letters, digits and `-`, with a letter"),
            );
        }
    }
    let sub_paths = w.mounts.iter().filter_map(|m| m.sub_path.as_ref()).chain(
        w.containers()
            .flat_map(|c| c.mounts.iter().filter_map(|u| u.sub_path.as_ref())),
    );
    let files = w.mounts.iter().flat_map(|m| m.items.iter().map(|(_, f)| f));
    for p in sub_paths.chain(files) {
        relative(p, diags);
    }
    for u in w.containers().flat_map(|c| &c.mounts) {
        absolute(&u.path, diags);
    }
    for m in &w.mounts {
        name(&m.name, "the volume name", diags);
        absolute(&m.path, diags);
        if let MountSource::HostPath(p) = &m.source {
            absolute(p, diags);
        }
    }
    for c in w.containers() {
        container(w, c, diags);
    }
}

fn container(w: &Workload, c: &Container, diags: &mut Vec<Diagnostic>) {
    // The app container's name is the item's unless `container` renames it.
    if c.name.span != w.id.span {
        name(&c.name, "the container name", diags);
    }
    for e in &c.env {
        if !is_env_name(&e.name.node) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidEnvName,
                    e.name.span,
                    format!("`{}` is not a valid environment variable name", e.name.node),
                )
                .label("letters, digits, `_`, `-` and `.`, not starting with a digit"),
            );
        }
    }
    if let Some(img) = &c.image {
        image(img, diags);
    }
    if let Some(dir) = &c.workdir {
        absolute(dir, diags);
    }
}

fn absolute(p: &Name, diags: &mut Vec<Diagnostic>) {
    if !p.node.starts_with('/') {
        diags.push(
            Diagnostic::new(
                Code::InvalidPath,
                p.span,
                format!("`{}` is not an absolute path", p.node),
            )
            .label("paths start with `/`")
            .help(format!("write `/{}`", p.node)),
        );
    }
}

/// Validates `[registry[:port]/]path[:tag][@digest]`.
fn image(img: &Name, diags: &mut Vec<Diagnostic>) {
    if let Some(problem) = image_problem(&img.node) {
        diags.push(
            Diagnostic::new(Code::InvalidImage, img.span, format!("`{}` is not a valid image reference", img.node))
                .label(problem)
                .help("an image is `[registry/]repository[:tag][@sha256:digest]`, e.g. `ghcr.io/acme/web:1.4.2`"),
        );
    }
}

fn image_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("empty".to_string());
    }
    if s.contains(char::is_whitespace) {
        return Some("contains spaces".to_string());
    }
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (s, None),
    };
    if let Some(d) = digest {
        let ok = d.split_once(':').is_some_and(|(alg, hex)| {
            !alg.is_empty() && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if !ok {
            return Some("the digest must look like `sha256:<hex>`".to_string());
        }
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match rest.get(last_slash..).and_then(|tail| tail.rfind(':')) {
        Some(i) => (
            rest.get(..last_slash + i).unwrap_or(rest),
            rest.get(last_slash + i + 1..),
        ),
        None => (rest, None),
    };
    if let Some(tag) = tag {
        let ok = !tag.is_empty()
            && tag.len() <= 128
            && tag
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
            && !tag.starts_with(['.', '-']);
        if !ok {
            return Some(format!("`{tag}` is not a valid tag"));
        }
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 1
        && parts
            .first()
            .is_some_and(|r| r.contains(['.', ':']) || *r == "localhost")
    {
        parts.remove(0);
    }
    for part in parts {
        let ok = !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
            && part
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric())
            && part
                .bytes()
                .last()
                .is_some_and(|b| b.is_ascii_alphanumeric());
        if !ok {
            return Some(format!(
                "`{part}`: repository names are lowercase letters, digits and `._-`"
            ));
        }
    }
    None
}

/// Two items whose objects would have the same kind and name.
fn collisions(app: &App, diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(&str, String), (Span, String)> = HashMap::new();
    let mut add = |kind: &'static str,
                   name: String,
                   span: Span,
                   owner: String,
                   diags: &mut Vec<Diagnostic>| {
        if let Some((first, first_owner)) = seen.get(&(kind, name.clone())) {
            if *first != span {
                diags.push(
                    Diagnostic::new(
                        Code::NameCollision,
                        span,
                        format!("two objects would be {kind} `{name}`"),
                    )
                    .label(format!("{owner} compiles to {kind} `{name}`"))
                    .also(*first, format!("so does {first_owner}"))
                    .help("give one of them a different `name`"),
                );
            }
        } else {
            seen.insert((kind, name), (span, owner));
        }
    };
    for w in &app.workloads {
        let at = w.name.as_ref().map_or(w.id.span, |n| n.span);
        let owner = format!("`{}`", w.id.node);
        let kind = w.object_kind();
        add(kind, w.object_name.clone(), at, owner.clone(), diags);
        // A policy named after the object clashes only when the object does.
        if own_policy_name(app) {
            add(
                "NetworkPolicy",
                w.policy_name.clone(),
                at,
                owner.clone(),
                diags,
            );
        }
        for s in &w.services {
            let at = if s.name == w.host { at } else { s.span };
            add("Service", s.name.clone(), at, owner.clone(), diags);
        }
        if w.kind == crate::ir::WorkloadKind::Service {
            for m in &w.mounts {
                if let (MountSource::New(_), Some(claim)) = (&m.source, &m.claim) {
                    add(
                        "PersistentVolumeClaim",
                        claim.clone(),
                        m.name.span,
                        format!("volume `{}` of `{}`", m.name.node, w.id.node),
                        diags,
                    );
                }
            }
        }
    }
    for v in &app.volumes {
        add(
            "PersistentVolumeClaim",
            v.name.node.clone(),
            v.name.span,
            format!("volume `{}`", v.name.node),
            diags,
        );
    }
    for a in &app.autoscalers {
        if app.workload(&a.target.node).is_some() {
            let name = a.object_name.clone();
            let span = a.name.as_ref().map_or(a.target.span, |n| n.span);
            add(
                "HorizontalPodAutoscaler",
                name,
                span,
                format!("the autoscaler of `{}`", a.target.node),
                diags,
            );
        }
    }
}

/// Whether `naming` names the NetworkPolicies (and tfc emits them).
fn own_policy_name(app: &App) -> bool {
    app.naming.iter().any(|(k, _)| k.node == "network-policy")
        && app.network_mode.node != crate::ir::NetworkMode::Open
}

/// A `sub-path` is a path inside the volume: relative, without `..`
/// (`validateLocalDescendingPath`).
fn relative(p: &crate::ir::Name, diags: &mut Vec<Diagnostic>) {
    let backstep = p.node.split(['/', '\\']).any(|seg| seg == "..");
    if p.node.starts_with('/') || backstep || p.node.is_empty() {
        diags.push(
            Diagnostic::new(
                if backstep {
                    Code::PathBackstep
                } else {
                    Code::InvalidPath
                },
                p.span,
                format!("`{}` is not a path inside the volume", p.node),
            )
            .label("a sub-path is relative and has no `..`")
            .help("write it from the volume's root, e.g. `sub-path pgdata`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_labels() {
        assert!(is_dns_label("taskora-db"));
        assert!(!is_dns_label("Taskora"));
        assert!(!is_dns_label("-a"));
        assert!(!is_dns_label(&"a".repeat(64)));
    }

    #[test]
    fn label_keys() {
        assert!(is_label_key("app.kubernetes.io/name"));
        assert!(is_label_key("app"));
        assert!(!is_label_key("app/"));
        assert!(!is_label_key("-x"));
    }

    #[test]
    fn images() {
        assert_eq!(image_problem("postgres:15-alpine"), None);
        assert_eq!(image_problem("ghcr.io/acme/web:1.4.2"), None);
        assert_eq!(image_problem("localhost:5000/web"), None);
        assert_eq!(image_problem("taskora/frontend:latest"), None);
        assert!(image_problem("Taskora/Frontend").is_some());
        assert!(image_problem("web:").is_some());
        assert!(image_problem("web@sha256:xyz").is_some());
    }
}
