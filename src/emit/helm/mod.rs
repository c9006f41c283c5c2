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
mod prefix;
mod schema;
mod secrets;
mod values;

use super::Emitted;
use super::slot::{Accepts, Role, Seg, Slot as Lift, Style};
use super::yaml::{self, Node};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::App;
use std::collections::BTreeMap;

/// One compiled variant of the app: as written (`env` None) or in an environment.
pub struct Variant<'a> {
    pub env: Option<&'a str>,
    pub app: &'a App,
    pub objects: &'a [Emitted],
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
    "names",
    "config",
    "ingress",
    "secrets",
    "enabled",
    "objects",
    "global",
];

/// One object of the chart, in every variant.
struct Obj {
    kind: String,
    name: String,
    /// The object in each variant (index 0: the app as written).
    nodes: Vec<Option<Node>>,
    /// The values group of the workload that owns it.
    group: Option<String>,
    /// What the object is to the app (a secret's, a workload's, ...).
    role: Role,
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

    /// Whether the object is rendered under an `enabled` flag: it is missing
    /// from some variant, and is not a secret's (whose `source` says).
    fn flagged(&self) -> bool {
        !self.everywhere() && secrets::source_of(self).is_none()
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
    // Marked first: a name that takes the prefix in one environment and
    // not in another is a difference, so a value.
    let owned = prefix::Owned::of(&objs);
    for o in &mut objs {
        prefix::mark(o, &owned, &base.app.name.node);
    }
    for o in &mut objs {
        add_lifts(base.app, o)?;
    }
    separate_values(&mut objs);
    let secret_infos = secrets::infos(&objs);
    let values = values_tree(&objs, base.app, &secret_infos);
    let lookup = values::Lookup::new(&values);
    let comments = objs_comments(&objs);
    let mut files = vec![
        ChartFile {
            path: ".helmignore".to_string(),
            contents: files::HELMIGNORE.to_string(),
        },
        ChartFile {
            path: "Chart.yaml".to_string(),
            contents: files::chart_yaml(base.app),
        },
        ChartFile {
            path: "values.yaml".to_string(),
            contents: files::values_yaml(base.app, &values, &comments),
        },
    ];
    let mut env_trees = Vec::new();
    for (i, v) in variants.iter().enumerate().skip(1) {
        let Some(env) = v.env else { continue };
        let overrides = env_overrides(&objs, i, &lookup, (base.app, v.app), &secret_infos);
        files.push(ChartFile {
            path: format!("values-{env}.yaml"),
            contents: files::env_values_yaml(env, &overrides, &comments),
        });
        env_trees.push(overrides);
    }
    // A value no language type describes takes the JSON types it has in
    // values.yaml and in every values-ENV.yaml (a targetPort may be a name
    // in one and a number in another).
    let lookups: Vec<values::Lookup> = std::iter::once(lookup)
        .chain(env_trees.iter().map(values::Lookup::new))
        .collect();
    files.push(ChartFile {
        path: "values.schema.json".to_string(),
        contents: schema::schema(
            &objs_lifts(&objs),
            &lookups,
            &secrets::schema(&secret_infos),
        ),
    });
    files.push(ChartFile {
        path: "templates/_helpers.tpl".to_string(),
        contents: files::helpers(base.app)
            + &prefix::define(&base.app.name.node, owned.longest_release()),
    });
    files.push(ChartFile {
        path: "templates/NOTES.txt".to_string(),
        contents: files::notes(base.app) + &secrets::notes(&objs),
    });
    for o in &objs {
        files.push(ChartFile {
            path: format!("templates/{}-{}.yaml", o.kind.to_ascii_lowercase(), o.name),
            contents: template(base.app, o, &owned),
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

/// The values group of an object: the workload it belongs to.
fn owner(app: &App, e: &Emitted) -> Option<String> {
    let i = e.origin.item.index;
    match e.origin.role {
        Role::Workload | Role::Service => app.workloads.get(i).map(|w| w.id.node.clone()),
        Role::Autoscaler => app.autoscalers.get(i).map(|a| a.target.node.clone()),
        _ => None,
    }
}

/// Every object of every variant, matched by kind and name.
fn collect(variants: &[Variant]) -> Result<Vec<Obj>, Box<Diagnostic>> {
    let mut objs: Vec<Obj> = Vec::new();
    let mut index: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    for (i, v) in variants.iter().enumerate() {
        for e in v.objects {
            let o = &e.object;
            let node = yaml::object_node(o).map_err(|err| {
                Box::new(Diagnostic::new(Code::InternalError, e.origin.span, err.0))
            })?;
            // An app has at most one Namespace: an environment may rename it.
            let key = if o.kind() == "Namespace" {
                (o.kind().to_string(), String::new())
            } else {
                (o.kind().to_string(), o.name().to_string())
            };
            let existing = index.get(&key).copied();
            let obj = match existing.and_then(|at| objs.get_mut(at)) {
                Some(x) => x,
                None => {
                    index.insert(key, objs.len());
                    objs.push(Obj {
                        kind: o.kind().to_string(),
                        name: o.name().to_string(),
                        nodes: vec![None; variants.len()],
                        group: owner(v.app, e),
                        role: e.origin.role,
                        lifts: e.slots.clone(),
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

fn add_lifts(app: &App, o: &mut Obj) -> Result<(), Box<Diagnostic>> {
    let mut lifts = std::mem::take(&mut o.lifts);
    let Some(reference) = o.reference() else {
        return Ok(());
    };
    if let Some(l) = lifts
        .iter()
        .find(|l| path::get(reference, &l.path).is_none())
    {
        return Err(Box::new(Diagnostic::new(
            Code::InternalError,
            app.name.span,
            format!(
                "the value slot {} of {} `{}` is not in the object",
                path::show(&l.path),
                o.kind,
                o.name
            ),
        )));
    }
    {
        let p = if o.kind == "Namespace" {
            "metadata.name"
        } else {
            "metadata.namespace"
        };
        if path::get(reference, &path::parse(p)).is_some() {
            lifts.push(Lift {
                path: path::parse(p),
                value: vec!["namespace".to_string(), "name".to_string()],
                style: Style::Scalar,
                comment: String::new(),
                accepts: Accepts::Inferred,
            });
        }
    }
    // Whatever an environment changes beyond those becomes a value too.
    for node in o.nodes.iter().flatten() {
        if std::ptr::eq(node, reference) {
            continue;
        }
        let mut diffs = Vec::new();
        path::diff(reference, node, &mut Vec::new(), &mut diffs);
        for d in diffs {
            if lifts.iter().any(|l| d.starts_with(&l.path)) {
                continue;
            }
            let block = matches!(path::get(reference, &d), Some(Node::Map(_) | Node::Seq(_)))
                || matches!(path::get(node, &d), Some(Node::Map(_) | Node::Seq(_)));
            let seq = matches!(path::get(reference, &d), Some(Node::Seq(_)));
            let mut value = group_path(o);
            value.extend(lift::generic_name(&d, reference));
            lifts.push(Lift {
                comment: format!("Differs between environments ({}).", path::show(&d)),
                path: d,
                value,
                style: if block {
                    Style::Block { seq }
                } else {
                    Style::Scalar
                },
                accepts: Accepts::Inferred,
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
    Ok(())
}

/// Gives two lifts the same values path only when they read the same value
/// in every variant; otherwise the later one gets a numbered name.
fn separate_values(objs: &mut [Obj]) {
    let mut taken: BTreeMap<Vec<String>, Vec<Option<Node>>> = BTreeMap::new();
    // The leaf paths values.yaml holds: a value cannot sit under another
    // one, nor hold one (`x.labels` text and `x.labels.tier`).
    let mut leaves: std::collections::BTreeSet<Vec<String>> = std::collections::BTreeSet::new();
    for o in objs.iter_mut() {
        let Obj { nodes, lifts, .. } = o;
        for l in lifts.iter_mut() {
            let signature: Vec<Option<Node>> = nodes
                .iter()
                .map(|n| n.as_ref().and_then(|n| lifted_value(l, n)))
                .collect();
            let base = l.value.clone();
            let mut n = 1;
            loop {
                if let Some(at) = nests(&leaves, &occupied(l)) {
                    // Renamed where it meets the other value: `labels2.tier`.
                    n += 1;
                    l.value = base.clone();
                    if let Some(seg) = l.value.get_mut(at) {
                        seg.push_str(&n.to_string());
                    }
                    continue;
                }
                match taken.get_mut(&l.value) {
                    // An object missing from a variant reads nothing there:
                    // it agrees with any value (the namespace of an object
                    // an environment leaves out).
                    Some(existing) if agrees(existing, &signature) => {
                        for (e, s) in existing.iter_mut().zip(&signature) {
                            if e.is_none() {
                                e.clone_from(s);
                            }
                        }
                        break;
                    }
                    Some(_) => {
                        n += 1;
                        l.value = base.clone();
                        if let Some(last) = l.value.last_mut() {
                            last.push_str(&n.to_string());
                        }
                    }
                    None => {
                        taken.insert(l.value.clone(), signature);
                        leaves.extend(occupied(l));
                        break;
                    }
                }
            }
        }
    }
}

/// The leaf paths of values.yaml a lift reads: its value, or an image's parts.
fn occupied(l: &Lift) -> Vec<Vec<String>> {
    match l.style {
        Style::Image => ["repository", "tag", "digest"]
            .iter()
            .map(|p| {
                let mut v = l.value.clone();
                v.push((*p).to_string());
                v
            })
            .collect(),
        _ => vec![l.value.clone()],
    }
}

/// Where a path of `paths` lies strictly below one of `leaves` (the index
/// of the leaf's last segment) or above one (the index of its own last).
fn nests(leaves: &std::collections::BTreeSet<Vec<String>>, paths: &[Vec<String>]) -> Option<usize> {
    use std::ops::Bound::{Excluded, Unbounded};
    paths.iter().find_map(|p| {
        let above = (1..p.len()).find(|&n| p.get(..n).is_some_and(|q| leaves.contains(q)));
        let below = leaves
            .range::<Vec<String>, _>((Excluded(p), Unbounded))
            .next()
            .is_some_and(|t| t.len() > p.len() && t.starts_with(p));
        above
            .map(|n| n - 1)
            .or(below.then(|| p.len().saturating_sub(1)))
    })
}

/// Whether two lifts read the same value in every variant where both read one.
fn agrees(a: &[Option<Node>], b: &[Option<Node>]) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| x.is_none() || y.is_none() || x == y)
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

/// values.yaml: the reference value of every lift, namespace, secrets and
/// the enable flags of objects that exist only in some variants.
fn values_tree(objs: &[Obj], app: &App, infos: &BTreeMap<String, secrets::Info>) -> Node {
    let mut tree = values::Builder::default();
    // The namespace (first: a value is set once): the one the .taskflow pins, else the release's; the
    // chart does not own it unless asked (`helm uninstall` would delete it).
    let pinned = app
        .namespace
        .as_ref()
        .filter(|ns| !ns.implicit)
        .map(|ns| ns.name.node.clone());
    tree.insert(
        &["namespace".to_string(), "name".to_string()],
        Node::Str(pinned.unwrap_or_default()),
    );
    tree.insert(
        &["namespace".to_string(), "create".to_string()],
        Node::Bool(false),
    );
    tree.insert(
        &["names".to_string(), "releasePrefix".to_string()],
        Node::Bool(false),
    );
    for o in objs {
        let Some(reference) = o.reference() else {
            continue;
        };
        for l in &o.lifts {
            if let Some(v) = lifted_value(l, reference) {
                tree.insert(&l.value, v);
            }
        }
    }
    let flags: Vec<(yaml::Key, Node)> = objs
        .iter()
        .filter(|o| o.flagged())
        .map(|o| {
            let present = o.nodes.first().is_some_and(Option::is_some);
            (o.enabled_key().into(), Node::Bool(present))
        })
        .collect();
    if !flags.is_empty() {
        tree.insert(&["enabled".to_string()], Node::Map(flags));
    }
    for (path, source) in secrets::values(infos, None) {
        tree.insert(&path, source);
    }
    tree.finish(app)
}

/// values-ENV.yaml: what variant `i` changes relative to values.yaml.
fn env_overrides(
    objs: &[Obj],
    i: usize,
    values: &values::Lookup,
    (app, env_app): (&App, &App),
    infos: &BTreeMap<String, secrets::Info>,
) -> Node {
    let mut tree = values::Builder::default();
    for (path, source) in secrets::values(infos, Some(i)) {
        tree.insert(&path, source);
    }
    // The namespace is a value only where the `.taskflow` pins one; an
    // environment that pins none leaves it to the release, as values.yaml does.
    let pinned = env_app
        .namespace
        .as_ref()
        .filter(|ns| !ns.implicit)
        .map(|ns| ns.name.node.clone());
    let namespace = ["namespace".to_string(), "name".to_string()];
    if values.get(&namespace) != Some(&Node::Str(pinned.clone().unwrap_or_default())) {
        tree.insert(&namespace, Node::Str(pinned.unwrap_or_default()));
    }
    let mut flags: Vec<(yaml::Key, Node)> = Vec::new();
    for o in objs {
        let present = o.nodes.get(i).is_some_and(Option::is_some);
        // values.yaml enables what the app as written has.
        if o.flagged() && o.nodes.first().is_some_and(Option::is_some) != present {
            flags.push((o.enabled_key().into(), Node::Bool(present)));
        }
        let Some(Some(node)) = o.nodes.get(i) else {
            continue;
        };
        for l in &o.lifts {
            let leaves = leaf_values(l, node);
            // A key this variant lacks (an annotation it leaves out): null
            // removes values.yaml's value.
            if leaves.is_empty() && values.get(&l.value).is_some_and(|b| *b != Node::Null) {
                tree.insert(&l.value, Node::Null);
            }
            for (path, v) in leaves {
                if path == namespace {
                    continue;
                }
                let base = values.get(&path);
                if base != Some(&v) {
                    tree.insert(&path, with_nulls(base, v));
                }
            }
        }
    }
    if !flags.is_empty() {
        tree.insert(&["enabled".to_string()], Node::Map(flags));
    }
    tree.finish(app)
}

/// Helm merges a values file's maps into values.yaml's key by key: a key
/// that values.yaml has and the environment's map has not is written as
/// `null`, which Helm removes, so the environment gets exactly its map.
fn with_nulls(base: Option<&Node>, v: Node) -> Node {
    match (base, v) {
        (Some(Node::Map(b)), Node::Map(mut m)) => {
            let mut out: Vec<(yaml::Key, Node)> = Vec::new();
            for (k, bv) in b {
                match m.iter().position(|(mk, _)| mk == k) {
                    Some(i) => {
                        let (mk, mv) = m.remove(i);
                        out.push((mk, with_nulls(Some(bv), mv)));
                    }
                    None => out.push((k.clone(), Node::Null)),
                }
            }
            out.extend(m);
            Node::Map(out)
        }
        (_, v) => v,
    }
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

/// Writes the key at `path` (a map key) as a template line that is there
/// only when the value `acc` is set.
fn optional_key(node: &mut Node, path: &[Seg], acc: &str) {
    let Some((Seg::Key(key), parent)) = path.split_last() else {
        return;
    };
    let Some(Node::Map(m)) = path::get_mut(node, parent) else {
        return;
    };
    let line = Node::Splice(format!(
        "{{{{- with {acc} }}}}{{{{ {} | nindent {{INDENT}} }}}}{{{{ toYaml . | nindent {{INDENT2}} }}}}{{{{- end }}}}",
        go_string(&format!("{key}:"))
    ));
    match m.iter_mut().find(|(k, _)| k.as_ref() == key.as_str()) {
        Some((_, v)) => *v = line,
        None => m.push((key.clone().into(), line)),
    }
}

/// The template of one object: its reference form with values read in.
fn template(app: &App, o: &Obj, owned: &prefix::Owned) -> String {
    let Some(mut node) = o.reference().cloned() else {
        return String::new();
    };
    let named = prefix::apply(&app.name.node, o, owned, &mut node);
    for l in &o.lifts {
        // A field that is text in one variant and a number in another (a
        // targetPort by name or by number) keeps each value's own type.
        let mixed = {
            let mut kinds = o
                .nodes
                .iter()
                .flatten()
                .filter_map(|n| path::get(n, &l.path))
                .map(std::mem::discriminant);
            kinds.next().is_some_and(|k| kinds.any(|x| x != k))
        };
        // A key some variants of the object lack is written only when its
        // value is set (an annotation an environment leaves out).
        let absent_somewhere = o
            .nodes
            .iter()
            .flatten()
            .any(|n| path::get(n, &l.path).is_none());
        if absent_somewhere {
            optional_key(&mut node, &l.path, &accessor(&l.value));
            continue;
        }
        let Some(slot) = path::get_mut(&mut node, &l.path) else {
            continue;
        };
        let acc = accessor(&l.value);
        if let Some(n) = prefix::lifted(&app.name.node, o, l, &acc, &named) {
            *slot = n;
            continue;
        }
        *slot = match &l.style {
            // Unless the .taskflow pins one (or --set does), the release's.
            _ if l.value == ["namespace", "name"] => Node::Template(format!(
                "{{{{ {acc} | default .Release.Namespace | quote }}}}"
            )),
            Style::Scalar if mixed => Node::Template(format!("{{{{ {acc} | toJson }}}}")),
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
    prefix::tokens(&app.name.node, &mut node);
    secrets::data(o, &mut node);
    guarded(o, yaml::template(&node))
}

/// A template under the conditions its object is rendered in: its secret's
/// source, `namespace.create`, its `enabled` flag.
fn guarded(o: &Obj, mut text: String) -> String {
    if let Some(guard) = secrets::sealed_guard(o) {
        text = format!("{guard}{text}");
    }
    if let Some(when) = secrets::condition(o) {
        text = format!("{{{{- if {when} }}}}\n{text}{{{{- end }}}}\n");
    }
    if o.kind == "Namespace" {
        text = format!("{{{{- if .Values.namespace.create }}}}\n{text}{{{{- end }}}}\n");
    }
    if o.flagged() {
        let flag = accessor(&["enabled".to_string(), o.enabled_key()]);
        text = format!("{{{{- if {flag} }}}}\n{text}{{{{- end }}}}\n");
    }
    text
}
