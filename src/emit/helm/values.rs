//! The values tree of a chart: built by path, ordered for reading, and
//! looked up by path. The top level has a group per workload, so it is
//! indexed: building and looking up stay linear in the number of services.

use crate::emit::yaml::{Key, Node};
use crate::ir::App;
use std::collections::HashMap;

/// A values tree under construction.
#[derive(Default)]
pub struct Builder {
    top: Vec<(Key, Node)>,
    at: HashMap<String, usize>,
}

impl Builder {
    /// Inserts `value` at `path`; false when another value is there.
    pub fn insert(&mut self, path: &[String], value: Node) -> bool {
        let Some((first, rest)) = path.split_first() else {
            return false;
        };
        let i = match self.at.get(first) {
            Some(i) => *i,
            None if rest.is_empty() => {
                self.at.insert(first.clone(), self.top.len());
                self.top.push((first.clone().into(), value));
                return true;
            }
            None => {
                self.at.insert(first.clone(), self.top.len());
                self.top.push((first.clone().into(), Node::Map(Vec::new())));
                self.top.len() - 1
            }
        };
        let Some((_, child)) = self.top.get_mut(i) else {
            return false;
        };
        if rest.is_empty() {
            merge(child, value)
        } else {
            insert(child, rest, value)
        }
    }

    /// The tree, in reading order.
    pub fn finish(self, app: &App) -> Node {
        let mut tree = Node::Map(self.top);
        order(&mut tree, app);
        tree
    }
}

/// A finished values tree, for lookups by path.
pub struct Lookup<'a> {
    top: HashMap<&'a str, &'a Node>,
}

impl<'a> Lookup<'a> {
    pub fn new(tree: &'a Node) -> Lookup<'a> {
        let top = match tree {
            Node::Map(m) => m.iter().map(|(k, v)| (k.as_ref(), v)).collect(),
            _ => HashMap::new(),
        };
        Lookup { top }
    }

    pub fn get(&self, path: &[String]) -> Option<&'a Node> {
        let (first, rest) = path.split_first()?;
        let mut node = *self.top.get(first.as_str())?;
        for key in rest {
            node = match node {
                Node::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v)?,
                _ => return None,
            };
        }
        Some(node)
    }
}

/// Puts `value` where `existing` is: maps are merged, other values must agree.
fn merge(existing: &mut Node, value: Node) -> bool {
    match (existing, value) {
        (Node::Map(a), Node::Map(b)) => {
            for (k, v) in b {
                if !a.iter().any(|(ka, _)| *ka == k) {
                    a.push((k, v));
                }
            }
            true
        }
        (existing, value) => *existing == value,
    }
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
            Some((_, existing)) => merge(existing, value),
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

/// Orders values for reading: the namespace, each workload as declared,
/// then config, ingresses, other fields, enable flags and secrets; inside a
/// workload, replicas, image, resources, probes, service, autoscaling.
fn order(tree: &mut Node, app: &App) {
    let workloads: HashMap<&str, usize> = app
        .workloads
        .iter()
        .enumerate()
        .map(|(i, w)| (w.id.as_str(), i))
        .collect();
    let Node::Map(top) = tree else { return };
    let rank = |k: &str| -> usize {
        if k == "namespace" {
            return 0;
        }
        if let Some(i) = workloads.get(k) {
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
        "terminationGracePeriodSeconds",
        "service",
        "autoscaling",
    ];
    for (k, v) in top.iter_mut() {
        if let (true, Node::Map(group)) = (workloads.contains_key(k.as_ref()), v) {
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
