//! Helm chart output (`--format helm`): the objects of the YAML output, as
//! templates whose tunable fields read values.yaml; one values-ENV.yaml per
//! environment, holding only what it changes; a values.schema.json; helpers,
//! NOTES.txt and Chart.yaml.
//!
//! The chart is built from the compiled objects, not from a second model: a
//! field becomes a value when it is a standard tunable ([`lift::standard`])
//! or when some environment changes it, so `helm template` renders exactly
//! what `tfc compile` emits, in every environment.

mod files;
mod lift;
mod path;
mod schema;

use super::Object;
use super::yaml::{self, Node};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::App;
use lift::{Lift, Style};
use path::Seg;
use std::collections::BTreeMap;

/// One compiled variant of the app: as written (`env` None) or in an environment.
pub struct Variant<'a> {
    pub env: Option<&'a str>,
    pub app: &'a App,
    pub objects: &'a [Object],
}

/// A file of the chart, relative to its directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartFile {
    pub path: String,
    pub contents: String,
}

/// Top-level values groups that are not services.
const RESERVED: &[&str] = &[
    "namespace",
    "config",
    "ingress",
    "secrets",
    "enabled",
    "objects",
    "global",
];

/// One object of the chart, in every variant.
struct Obj {
    kind: &'static str,
    name: String,
    /// The object in each variant (index 0: the app as written).
    nodes: Vec<Option<Node>>,
    /// The values group of the workload that owns it.
    group: Option<String>,
    lifts: Vec<Lift>,
}

impl Obj {
    /// The variant the template is made from: the app as written, or the
    /// first environment that has the object.
    fn reference(&self) -> Option<&Node> {
        self.nodes.iter().flatten().next()
    }

    fn everywhere(&self) -> bool {
        self.nodes.iter().all(Option::is_some)
    }

    fn enabled_key(&self) -> String {
        format!("{}-{}", self.kind.to_ascii_lowercase(), self.name)
    }
}

/// Builds the chart of an app from its variants (`variants[0]` is the app as written).
pub fn chart(variants: &[Variant]) -> Result<Vec<ChartFile>, Box<Diagnostic>> {
    let Some(base) = variants.first() else {
        return Ok(Vec::new());
    };
    check_groups(base.app)?;
    let mut objs = collect(variants)?;
    for o in &mut objs {
        add_lifts(base.app, o);
    }
    separate_values(&mut objs);
    let values = values_tree(&objs, base.app);
    let comments = objs_comments(&objs);
    let mut files = vec![
        ChartFile {
            path: "Chart.yaml".to_string(),
            contents: files::chart_yaml(base.app),
        },
        ChartFile {
            path: "values.yaml".to_string(),
            contents: files::values_yaml(base.app, &values, &comments),
        },
    ];
    for (i, v) in variants.iter().enumerate().skip(1) {
        let Some(env) = v.env else { continue };
        let overrides = env_overrides(&objs, i, &values, base.app);
        files.push(ChartFile {
            path: format!("values-{env}.yaml"),
            contents: files::env_values_yaml(env, &overrides, &comments),
        });
    }
    files.push(ChartFile {
        path: "values.schema.json".to_string(),
        contents: schema::schema(&objs_lifts(&objs), &values, base.app.namespace.is_some()),
    });
    files.push(ChartFile {
        path: "templates/_helpers.tpl".to_string(),
        contents: files::helpers(base.app),
    });
    files.push(ChartFile {
        path: "templates/NOTES.txt".to_string(),
        contents: files::notes(base.app),
    });
    for o in &objs {
        files.push(ChartFile {
            path: format!("templates/{}-{}.yaml", o.kind.to_ascii_lowercase(), o.name),
            contents: template(base.app, o),
        });
    }
    Ok(files)
}

/// Workload names that would clash with the chart's own values groups.
fn check_groups(app: &App) -> Result<(), Box<Diagnostic>> {
    match app
        .workloads
        .iter()
        .find(|w| RESERVED.contains(&w.id.as_str()))
    {
        Some(w) => Err(Box::new(
            Diagnostic::new(
                Code::NameCollision,
                w.id.span,
                format!("`{}` cannot be a values group of the chart", w.id.node),
            )
            .label("the chart's values.yaml uses this name for its own settings")
            .help(format!(
                "rename the {}; names reserved by --format helm: {}",
                w.id.node,
                RESERVED.join(", ")
            )),
        )),
        None => Ok(()),
    }
}

/// The workload that owns an object, by the names tfc gives its objects.
fn owner(app: &App, kind: &str, name: &str) -> Option<String> {
    app.workloads
        .iter()
        .find(|w| match kind {
            "Deployment" | "StatefulSet" => w.object_name == name,
            "Service" => w.services.iter().any(|s| s.name == name),
            "HorizontalPodAutoscaler" => app
                .autoscalers
                .iter()
                .any(|a| a.target.node == w.id.node && a.object_name == name),
            _ => false,
        })
        .map(|w| w.id.node.clone())
}

/// Every object of every variant, matched by kind and name.
fn collect(variants: &[Variant]) -> Result<Vec<Obj>, Box<Diagnostic>> {
    let mut objs: Vec<Obj> = Vec::new();
    let mut index: std::collections::HashMap<(&'static str, String), usize> =
        std::collections::HashMap::new();
    for (i, v) in variants.iter().enumerate() {
        for o in v.objects {
            let node = yaml::object_node(o).map_err(|e| {
                Box::new(Diagnostic::new(Code::InternalError, v.app.name.span, e.0))
            })?;
            // An app has at most one Namespace: an environment may rename it.
            let key = if o.kind() == "Namespace" {
                (o.kind(), String::new())
            } else {
                (o.kind(), o.name().to_string())
            };
            let existing = index.get(&key).copied();
            let obj = match existing.and_then(|at| objs.get_mut(at)) {
                Some(x) => x,
                None => {
                    index.insert(key, objs.len());
                    objs.push(Obj {
                        kind: o.kind(),
                        name: o.name().to_string(),
                        nodes: vec![None; variants.len()],
                        group: owner(v.app, o.kind(), o.name()),
                        lifts: Vec::new(),
                    });
                    let Some(last) = objs.last_mut() else {
                        continue;
                    };
                    last
                }
            };
            if let Some(slot) = obj.nodes.get_mut(i) {
                *slot = Some(node);
            }
        }
    }
    Ok(objs)
}

/// The values group of an object's generic fields.
fn group_path(o: &Obj) -> Vec<String> {
    match &o.group {
        Some(g) => vec![g.clone()],
        None => vec![
            "objects".to_string(),
            format!("{}-{}", o.kind.to_ascii_lowercase(), o.name),
        ],
    }
}

fn add_lifts(app: &App, o: &mut Obj) {
    let Some(reference) = o.reference().cloned() else {
        return;
    };
    let mut lifts = if o.kind == "Secret" {
        Vec::new()
    } else {
        lift::standard(o.kind, &o.name, &reference, o.group.as_deref())
    };
    if app.namespace.is_some() {
        let p = if o.kind == "Namespace" {
            "metadata.name"
        } else {
            "metadata.namespace"
        };
        if path::get(&reference, &path::parse(p)).is_some() {
            lifts.push(Lift {
                path: path::parse(p),
                value: vec!["namespace".to_string(), "name".to_string()],
                style: Style::Scalar,
                comment: String::new(),
                schema: None,
            });
        }
    }
    // Whatever an environment changes beyond those becomes a value too.
    for node in o.nodes.iter().flatten() {
        let mut diffs = Vec::new();
        path::diff(&reference, node, &mut Vec::new(), &mut diffs);
        for d in diffs {
            if lifts.iter().any(|l| d.starts_with(&l.path)) {
                continue;
            }
            let block = matches!(path::get(&reference, &d), Some(Node::Map(_) | Node::Seq(_)))
                || matches!(path::get(node, &d), Some(Node::Map(_) | Node::Seq(_)));
            let seq = matches!(path::get(&reference, &d), Some(Node::Seq(_)));
            let mut value = group_path(o);
            value.extend(lift::generic_name(&d, &reference));
            lifts.push(Lift {
                comment: format!("Differs between environments ({}).", path::show(&d)),
                path: d,
                value,
                style: if block {
                    Style::Block { seq }
                } else {
                    Style::Scalar
                },
                schema: None,
            });
        }
    }
    // A lift inside another one is rendered by it.
    let outer: Vec<Vec<Seg>> = lifts.iter().map(|l| l.path.clone()).collect();
    lifts.retain(|l| {
        !outer
            .iter()
            .any(|p| p.len() < l.path.len() && l.path.starts_with(p))
    });
    o.lifts = lifts;
}

/// Gives two lifts the same values path only when they read the same value
/// in every variant; otherwise the later one gets a numbered name.
fn separate_values(objs: &mut [Obj]) {
    let mut taken: BTreeMap<Vec<String>, Vec<Option<Node>>> = BTreeMap::new();
    for o in objs.iter_mut() {
        let nodes = o.nodes.clone();
        for l in &mut o.lifts {
            let signature: Vec<Option<Node>> = nodes
                .iter()
                .map(|n| n.as_ref().and_then(|n| lifted_value(l, n)))
                .collect();
            let base = l.value.clone();
            let mut n = 1;
            loop {
                match taken.get(&l.value) {
                    Some(existing) if *existing == signature => break,
                    Some(_) => {
                        n += 1;
                        l.value = base.clone();
                        if let Some(last) = l.value.last_mut() {
                            last.push_str(&n.to_string());
                        }
                    }
                    None => {
                        taken.insert(l.value.clone(), signature);
                        break;
                    }
                }
            }
        }
    }
}

/// The values a lift reads from one variant of its object, by values path:
/// one, or the parts of an image.
fn leaf_values(l: &Lift, node: &Node) -> Vec<(Vec<String>, Node)> {
    match lifted_value(l, node) {
        Some(Node::Map(parts)) if l.style == Style::Image => parts
            .into_iter()
            .map(|(k, v)| {
                let mut p = l.value.clone();
                p.push(k.to_string());
                (p, v)
            })
            .collect(),
        Some(v) => vec![(l.value.clone(), v)],
        None => Vec::new(),
    }
}

/// The value a lift reads, from one variant of its object.
fn lifted_value(l: &Lift, node: &Node) -> Option<Node> {
    let v = path::get(node, &l.path)?;
    Some(match (&l.style, v) {
        (Style::Image, Node::Str(image)) => image_value(image),
        _ => v.clone(),
    })
}

/// `repo:tag@digest` → `{repository, tag, digest}`.
fn image_value(image: &str) -> Node {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (repo, tag) = match rest.get(slash..).and_then(|t| t.rfind(':')) {
        Some(i) => (
            rest.get(..slash + i).unwrap_or(rest),
            rest.get(slash + i + 1..),
        ),
        None => (rest, None),
    };
    let mut m = vec![("repository".into(), Node::Str(repo.to_string()))];
    if let Some(t) = tag {
        m.push(("tag".into(), Node::Str(t.to_string())));
    }
    if let Some(d) = digest {
        m.push(("digest".into(), Node::Str(d.to_string())));
    }
    Node::Map(m)
}

/// Inserts `value` at `path` in a tree of maps; false when another value is there.
fn insert(tree: &mut Node, path: &[String], value: Node) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    let Node::Map(m) = tree else { return false };
    let pos = m.iter().position(|(k, _)| k == first);
    if rest.is_empty() {
        return match pos.and_then(|i| m.get_mut(i)) {
            Some((_, existing)) => match (existing, value) {
                (Node::Map(a), Node::Map(b)) => {
                    for (k, v) in b {
                        if !a.iter().any(|(ka, _)| *ka == k) {
                            a.push((k, v));
                        }
                    }
                    true
                }
                (existing, value) => *existing == value,
            },
            None => {
                m.push((first.clone().into(), value));
                true
            }
        };
    }
    let child = match pos {
        Some(i) => match m.get_mut(i) {
            Some((_, c)) => c,
            None => return false,
        },
        None => {
            m.push((first.clone().into(), Node::Map(Vec::new())));
            match m.last_mut() {
                Some((_, c)) => c,
                None => return false,
            }
        }
    };
    insert(child, rest, value)
}

fn get_value<'a>(tree: &'a Node, path: &[String]) -> Option<&'a Node> {
    let segs: Vec<Seg> = path.iter().map(|s| Seg::Key(s.clone())).collect();
    path::get(tree, &segs)
}

/// values.yaml: the reference value of every lift, namespace, secrets and
/// the enable flags of objects that exist only in some variants.
fn values_tree(objs: &[Obj], app: &App) -> Node {
    let mut tree = Node::Map(Vec::new());
    if let Some(ns) = &app.namespace {
        insert(
            &mut tree,
            &["namespace".to_string(), "name".to_string()],
            Node::Str(ns.name.node.clone()),
        );
        insert(
            &mut tree,
            &["namespace".to_string(), "create".to_string()],
            Node::Bool(true),
        );
    }
    for o in objs {
        let Some(reference) = o.reference() else {
            continue;
        };
        for l in &o.lifts {
            if let Some(v) = lifted_value(l, reference) {
                insert(&mut tree, &l.value, v);
            }
        }
    }
    let flags: Vec<(yaml::Key, Node)> = objs
        .iter()
        .filter(|o| !o.everywhere())
        .map(|o| {
            let present = o.nodes.first().is_some_and(Option::is_some);
            (o.enabled_key().into(), Node::Bool(present))
        })
        .collect();
    if !flags.is_empty() {
        insert(&mut tree, &["enabled".to_string()], Node::Map(flags));
    }
    if !app.secrets.is_empty() {
        insert(
            &mut tree,
            &["secrets".to_string(), "create".to_string()],
            Node::Bool(false),
        );
        insert(
            &mut tree,
            &["secrets".to_string(), "external".to_string()],
            Node::Bool(false),
        );
        insert(
            &mut tree,
            &["secrets".to_string(), "values".to_string()],
            Node::Map(Vec::new()),
        );
    }
    order(&mut tree, app);
    tree
}

/// Orders values for reading: the namespace, each workload as declared,
/// then config, ingresses, other fields, enable flags and secrets; inside a
/// workload, replicas, image, resources, probes, service, autoscaling.
fn order(tree: &mut Node, app: &App) {
    let Node::Map(top) = tree else { return };
    let rank = |k: &str| -> usize {
        if k == "namespace" {
            return 0;
        }
        if let Some(i) = app.workloads.iter().position(|w| w.id.node == k) {
            return 1 + i;
        }
        let tail = ["config", "ingress", "objects", "enabled", "secrets"];
        1 + app.workloads.len() + tail.iter().position(|t| *t == k).unwrap_or(tail.len())
    };
    top.sort_by_key(|(k, _)| rank(k));
    const INNER: &[&str] = &[
        "replicas",
        "image",
        "resources",
        "probes",
        "service",
        "autoscaling",
    ];
    for (k, v) in top.iter_mut() {
        if let (true, Node::Map(group)) = (app.workload(k).is_some(), v) {
            group.sort_by_key(|(g, _)| {
                INNER
                    .iter()
                    .position(|i| *i == g.as_ref())
                    .unwrap_or(INNER.len())
            });
            for (g, inner) in group.iter_mut() {
                if g == "image" {
                    if let Node::Map(parts) = inner {
                        let pos = |k: &str| {
                            ["repository", "tag", "digest", "pullPolicy"]
                                .iter()
                                .position(|p| *p == k)
                                .unwrap_or(4)
                        };
                        parts.sort_by_key(|(p, _)| pos(p));
                    }
                }
            }
        }
    }
}

/// values-ENV.yaml: what variant `i` changes relative to values.yaml.
fn env_overrides(objs: &[Obj], i: usize, values: &Node, app: &App) -> Node {
    let mut tree = Node::Map(Vec::new());
    let mut flags: Vec<(yaml::Key, Node)> = Vec::new();
    for o in objs {
        let present = o.nodes.get(i).is_some_and(Option::is_some);
        // values.yaml enables what the app as written has.
        if !o.everywhere() && o.nodes.first().is_some_and(Option::is_some) != present {
            flags.push((o.enabled_key().into(), Node::Bool(present)));
        }
        let Some(Some(node)) = o.nodes.get(i) else {
            continue;
        };
        for l in &o.lifts {
            for (path, v) in leaf_values(l, node) {
                if get_value(values, &path) != Some(&v) {
                    insert(&mut tree, &path, v);
                }
            }
        }
    }
    if !flags.is_empty() {
        insert(&mut tree, &["enabled".to_string()], Node::Map(flags));
    }
    order(&mut tree, app);
    tree
}

fn objs_lifts(objs: &[Obj]) -> Vec<&Lift> {
    objs.iter().flat_map(|o| &o.lifts).collect()
}

/// The comment of every values path.
fn objs_comments(objs: &[Obj]) -> BTreeMap<Vec<String>, String> {
    let mut out = BTreeMap::new();
    for l in objs.iter().flat_map(|o| &o.lifts) {
        match &l.style {
            Style::Image => {
                let mut p = l.value.clone();
                p.push("repository".to_string());
                out.insert(p.clone(), "Image repository.".to_string());
                p.pop();
                p.push("tag".to_string());
                out.insert(p.clone(), "Image tag.".to_string());
                p.pop();
                p.push("digest".to_string());
                out.insert(p, "Image digest (sha256:...); pins the image.".to_string());
            }
            _ if !l.comment.is_empty() => {
                out.insert(l.value.clone(), l.comment.clone());
            }
            _ => {}
        }
    }
    out
}

/// How a template reads a value: `.Values.a.b`, or `(index .Values "a-b" "c")`.
pub fn accessor(path: &[String]) -> String {
    let ident = |s: &String| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if path.iter().all(ident) {
        format!(".Values.{}", path.join("."))
    } else {
        let quoted: Vec<String> = path.iter().map(|p| go_string(p)).collect();
        format!("(index .Values {})", quoted.join(" "))
    }
}

/// A Go string literal (as text/template reads it) that holds `s` exactly.
pub fn go_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_ascii_graphic() || c == ' ' => out.push(c),
            c if u32::from(c) <= 0xFFFF => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08x}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// The template of one object: its reference form with values read in.
fn template(app: &App, o: &Obj) -> String {
    let Some(mut node) = o.reference().cloned() else {
        return String::new();
    };
    for l in &o.lifts {
        let Some(slot) = path::get_mut(&mut node, &l.path) else {
            continue;
        };
        let acc = accessor(&l.value);
        *slot = match &l.style {
            Style::Scalar => match slot {
                Node::Str(_) => Node::Template(format!("{{{{ {acc} | quote }}}}")),
                _ => Node::Template(format!("{{{{ {acc} }}}}")),
            },
            Style::Block { seq } => Node::Block {
                expr: acc,
                seq: *seq,
            },
            Style::Image => {
                let part = |p: &str| {
                    let mut v = l.value.clone();
                    v.push(p.to_string());
                    accessor(&v)
                };
                Node::Template(format!(
                    "\"{{{{ {} }}}}{{{{ with {} }}}}:{{{{ . }}}}{{{{ end }}}}{{{{ with {} }}}}@{{{{ . }}}}{{{{ end }}}}\"",
                    part("repository"),
                    part("tag"),
                    part("digest")
                ))
            }
        };
    }
    files::helm_labels(app, &mut node);
    if o.kind == "Secret" {
        files::secret_data(&o.name, &mut node);
    }
    let mut text = yaml::template(&node);
    if o.kind == "Secret" {
        text = format!("{{{{- if not .Values.secrets.external }}}}\n{text}{{{{- end }}}}\n");
    }
    if o.kind == "Namespace" {
        text = format!("{{{{- if .Values.namespace.create }}}}\n{text}{{{{- end }}}}\n");
    }
    if !o.everywhere() {
        let flag = accessor(&["enabled".to_string(), o.enabled_key()]);
        text = format!("{{{{- if {flag} }}}}\n{text}{{{{- end }}}}\n");
    }
    text
}
