//! Where a field of an emitted object was written: the object's origin
//! names the item; the field's path names the statement in it. A field
//! that no statement wrote (a default, tfc's own `/tmp` volume) is placed
//! at the item, marked implicit.

use crate::emit::Emitted;
use crate::emit::slot::{Role, Seg};
use crate::emit::yaml::Node;
use crate::ir::{App, Container, ItemKind, Workload};
use crate::span::Span;

/// The span of a field, and whether tfc wrote it on its own.
pub struct Located {
    pub span: Span,
    pub implicit: bool,
}

fn at(span: Span) -> Located {
    Located {
        span,
        implicit: false,
    }
}

/// The span of the statement that produced the field at `path`.
pub fn locate(app: &App, e: &Emitted, root: &Node, path: &[Seg]) -> Located {
    let i = e.origin.item.index;
    if let Some(span) = patched(app, e, path) {
        return at(span);
    }
    // A CronJob's Job template has the shape of a Job: locate there.
    let job_template = [Seg::Key("spec".into()), Seg::Key("jobTemplate".into())];
    let template = path
        .strip_prefix(&job_template[..])
        .and_then(|rest| Some((crate::emit::yaml::get(root, &job_template)?, rest)));
    let (root, path) = template.unwrap_or((root, path));
    if path.starts_with(&[Seg::Key("metadata".into()), Seg::Key("annotations".into())]) {
        let named = key_after(path, "annotations").and_then(|k| annotation_span(app, e, k));
        if let Some(span) = named.or_else(|| largest_annotation(app, e)) {
            return at(span);
        }
    }
    if let Some(key) = key_after(path, "labels") {
        if let Some(span) = label_span(app, e, key) {
            return at(span);
        }
    }
    let found = match (e.origin.role, e.origin.item.kind) {
        (Role::Ingress, _) => app.ingresses.get(i).map(|ing| ingress(ing, path)),
        (Role::Config, _) => app.configs.get(i).and_then(|c| {
            let key = key_after(path, "data")?;
            let entry = c.entries.iter().find(|en| en.key.node == key)?;
            Some(at(entry.key.span.to(entry.value.span)))
        }),
        (Role::Secret, _) => app.secrets.get(i).and_then(|s| {
            if path.is_empty() || path.first() == Some(&Seg::Key("type".into())) {
                return s.secret_type.as_ref().map(|t| at(t.span));
            }
            let key = key_after(path, "data")?;
            s.keys.iter().find(|k| k.node == key).map(|k| at(k.span))
        }),
        (Role::Workload, _) => app.workloads.get(i).map(|w| workload(w, root, path)),
        (Role::Service, _) => app.workloads.get(i).and_then(|w| {
            let k = index_after(path, "ports")?;
            let name = [
                Seg::Key("spec".into()),
                Seg::Key("ports".into()),
                Seg::Idx(k),
                Seg::Key("name".into()),
            ];
            let Node::Str(name) = crate::emit::yaml::get(root, &name)? else {
                return None;
            };
            w.port_named(name).map(|p| at(p.span))
        }),
        (Role::PersistentVolume, _) => app
            .volumes
            .get(i)
            .and_then(|v| v.host_path.as_ref())
            .map(|p| at(p.span)),
        (Role::Claim, ItemKind::Volume) => app.volumes.get(i).map(|v| at(v.span)),
        (Role::Claim, ItemKind::Workload) => app.workloads.get(i).and_then(|w| {
            let m = w
                .mounts
                .iter()
                .find(|m| m.claim.as_deref() == Some(e.object.name()))?;
            Some(at(m.span))
        }),
        (Role::Autoscaler, _) => app.autoscalers.get(i).map(|a| at(a.span)),
        _ => None,
    };
    found.unwrap_or(at(e.origin.span))
}

/// The patch that wrote the field, if one did: the line of its last key.
fn patched(app: &App, e: &Emitted, path: &[Seg]) -> Option<Span> {
    e.patched.iter().rev().find_map(|&i| {
        let p = app.patches.get(i)?;
        let mut v = &p.value;
        let mut last = None;
        for seg in path {
            v = match seg {
                Seg::Key(k) => {
                    last = Some(k.as_str());
                    v.get(k.as_str())?
                }
                // A list item: the patch's list, merged by name, need not
                // line up; the patch set the list, so it is the patch's.
                Seg::Idx(_) => return Some(p.key_span(last?)),
            };
        }
        Some(p.key_span(last?))
    })
}

/// The key of a map right after `field` in the path (`data.KEY`).
fn key_after<'p>(path: &'p [Seg], field: &str) -> Option<&'p str> {
    let pos = path.iter().position(|s| *s == Seg::Key(field.into()))?;
    match path.get(pos + 1)? {
        Seg::Key(k) => Some(k),
        Seg::Idx(_) => None,
    }
}

/// The index of a list item right after `field` in the path.
fn index_after(path: &[Seg], field: &str) -> Option<usize> {
    let pos = path.iter().position(|s| *s == Seg::Key(field.into()))?;
    match path.get(pos + 1)? {
        Seg::Idx(i) => Some(*i),
        Seg::Key(_) => None,
    }
}

fn ingress(ing: &crate::ir::Ingress, path: &[Seg]) -> Located {
    if path.first() != Some(&Seg::Key("spec".into())) {
        return at(ing.name.span);
    }
    let rules = ing.rules();
    if let Some((host, routes)) = index_after(path, "rules").and_then(|k| rules.get(k)) {
        if let Some(p) = index_after(path, "paths").and_then(|k| routes.get(k)) {
            return at(p.path.span);
        }
        if let Some(h) = host {
            return at(h.span);
        }
    }
    if let Some((tls, _)) =
        index_after(path, "tls").and_then(|k| ing.tls_entries().into_iter().nth(k))
    {
        return at(tls.span);
    }
    at(ing.name.span)
}

/// A field of a Deployment or StatefulSet.
fn workload(w: &Workload, root: &Node, path: &[Seg]) -> Located {
    let implicit = Located {
        span: w.id.span,
        implicit: true,
    };
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Idx(_) => None,
        })
        .collect();
    match keys.as_slice() {
        ["spec", "replicas", ..] => w.replicas.as_ref().map_or(implicit, |r| at(r.span)),
        ["spec", "strategy", ..] if w.defaulted.contains(&crate::ast::Kw::Strategy) => implicit,
        ["spec", "strategy", ..] => w.strategy.as_ref().map_or(implicit, |s| at(s.span)),
        ["spec", "template", "spec", "volumes", ..] => volume(w, root, path).unwrap_or(implicit),
        ["spec", "volumeClaimTemplates", ..] => claim_template(w, root, path).unwrap_or(implicit),
        [
            "spec",
            "template",
            "spec",
            "containers" | "initContainers",
            ..,
        ] => container_field(w, root, path).unwrap_or(at(w.id.span)),
        ["spec", "template", "spec", "terminationGracePeriodSeconds"] => {
            w.grace.as_ref().map_or(implicit, |g| at(g.span))
        }
        ["spec", "template", "metadata", "annotations", key, ..] => w
            .pod_annotations
            .iter()
            .find(|(k, _)| k.node == *key)
            .map_or(at(w.id.span), |(k, v)| at(k.span.to(v.span))),
        ["spec", "template", "metadata", "annotations"] => w
            .pod_annotations
            .iter()
            .max_by_key(|(k, v)| k.node.len() + v.node.len())
            .map_or(at(w.id.span), |(k, v)| at(k.span.to(v.span))),
        _ => at(w.id.span),
    }
}

/// A pod volume, by the name the emitted volume has.
fn volume(w: &Workload, root: &Node, path: &[Seg]) -> Option<Located> {
    let upto = path.iter().position(|s| matches!(s, Seg::Idx(_)))? + 1;
    mount_of(w, root, path.get(..upto)?)
}

/// The mount whose name the list item at `item` (a pod volume, a
/// container's mount or device) has.
fn mount_of(w: &Workload, root: &Node, item: &[Seg]) -> Option<Located> {
    let Node::Map(fields) = crate::emit::yaml::get(root, item)? else {
        return None;
    };
    let name = fields
        .iter()
        .find(|(k, _)| k == "name")
        .and_then(|(_, v)| match v {
            Node::Str(s) => Some(s.as_str()),
            _ => None,
        })?;
    let m = w.mounts.iter().find(|m| m.name.node == name)?;
    Some(Located {
        span: if m.implicit { w.id.span } else { m.span },
        implicit: m.implicit,
    })
}

/// A claim template of a StatefulSet, by its name (the volume's).
fn claim_template(w: &Workload, root: &Node, path: &[Seg]) -> Option<Located> {
    let k = index_after(path, "volumeClaimTemplates")?;
    let upto = [
        Seg::Key("spec".into()),
        Seg::Key("volumeClaimTemplates".into()),
        Seg::Idx(k),
        Seg::Key("metadata".into()),
        Seg::Key("name".into()),
    ];
    let Node::Str(name) = crate::emit::yaml::get(root, &upto)? else {
        return None;
    };
    let m = w
        .mounts
        .iter()
        .find(|m| m.claim.as_deref() == Some(name.as_str()))?;
    Some(at(m.span))
}

/// A field of a container: its env, probes, image, ...
fn container_field(w: &Workload, root: &Node, path: &[Seg]) -> Option<Located> {
    let list = path.get(3)?;
    let index = index_after(path, "containers").or_else(|| index_after(path, "initContainers"))?;
    let c: &Container = if *list == Seg::Key("initContainers".into()) {
        w.init.get(index)?
    } else if index == 0 {
        &w.app
    } else {
        w.sidecars.get(index - 1)?
    };
    let field = match path.get(5)? {
        Seg::Key(k) => k.as_str(),
        Seg::Idx(_) => return None,
    };
    let probe = |kind| c.probe(kind).map(|p| at(p.span));
    match field {
        "env" => c.env.get(index_after(path, "env")?).map(|e| at(e.span)),
        "envFrom" => c
            .env_from
            .get(index_after(path, "envFrom")?)
            .map(|e| at(e.span)),
        "livenessProbe" => probe(crate::ast::ProbeKind::Liveness),
        "readinessProbe" => probe(crate::ast::ProbeKind::Readiness),
        "startupProbe" => probe(crate::ast::ProbeKind::Startup),
        "image" => c.image.as_ref().map(|i| at(i.span)),
        "resources" => c.cpu.as_ref().or(c.memory.as_ref()).map(|r| at(r.span)),
        "securityContext" => c.security.cap_add.first().map(|n| at(n.span)),
        "lifecycle" => c.pre_stop.as_ref().map(|h| at(h.span)),
        "volumeMounts" | "volumeDevices" => mount_of(w, root, path.get(..7)?),
        _ => None,
    }
}

/// The labels and annotations of the object's item.
fn item_meta<'a>(app: &'a App, e: &Emitted) -> Option<&'a crate::ir::Meta> {
    let i = e.origin.item.index;
    match e.origin.item.kind {
        ItemKind::App => app.namespace.as_ref().map(|n| &n.meta),
        ItemKind::Config => app.configs.get(i).map(|x| &x.meta),
        ItemKind::Secret => app.secrets.get(i).map(|x| &x.meta),
        ItemKind::Volume => app.volumes.get(i).map(|x| &x.meta),
        ItemKind::Workload => app.workloads.get(i).map(|x| &x.meta),
        ItemKind::Ingress => app.ingresses.get(i).map(|x| &x.meta),
        ItemKind::Network => app.networks.get(i).map(|x| &x.meta),
        ItemKind::Autoscaler => None,
    }
}

/// Where a label was written: on the item, else at app level.
fn label_span(app: &App, e: &Emitted, key: &str) -> Option<Span> {
    item_meta(app, e)
        .into_iter()
        .flat_map(|m| &m.labels)
        .chain(&app.meta.labels)
        .find(|(k, _)| k.node == key)
        .map(|(k, v)| k.span.to(v.span))
}

/// Where an annotation was written: on the item, else at app level.
fn annotation_span(app: &App, e: &Emitted, key: &str) -> Option<Span> {
    item_meta(app, e)
        .into_iter()
        .flat_map(|m| &m.annotations)
        .chain(&app.meta.annotations)
        .find(|(k, _)| k.node == key)
        .map(|(k, v)| k.span.to(v.span))
}

/// The largest annotation the object carries (the app's or its item's).
fn largest_annotation(app: &App, e: &Emitted) -> Option<Span> {
    let item = item_meta(app, e);
    app.meta
        .annotations
        .iter()
        .chain(item.into_iter().flat_map(|m| &m.annotations))
        .max_by_key(|(k, v)| k.node.len() + v.node.len())
        .map(|(k, v)| k.span.to(v.span))
}
