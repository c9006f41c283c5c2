//! Paths into YAML trees, and the differences between two trees.

use crate::emit::yaml::Node;

/// One step into a tree: a mapping key or a sequence index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seg {
    Key(String),
    Idx(usize),
}

/// Builds a path from `"a.b.0.c"`-style text (numbers are indexes).
pub fn parse(text: &str) -> Vec<Seg> {
    text.split('.')
        .map(|s| match s.parse::<usize>() {
            Ok(i) => Seg::Idx(i),
            Err(_) => Seg::Key(s.to_string()),
        })
        .collect()
}

/// The path as `a.b[0].c`, for comments and messages.
pub fn show(path: &[Seg]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Idx(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

pub fn get<'a>(node: &'a Node, path: &[Seg]) -> Option<&'a Node> {
    let Some((first, rest)) = path.split_first() else {
        return Some(node);
    };
    let child = match (node, first) {
        (Node::Map(m), Seg::Key(k)) => m.iter().find(|(key, _)| key == k).map(|(_, v)| v),
        (Node::Seq(s), Seg::Idx(i)) => s.get(*i),
        _ => None,
    }?;
    get(child, rest)
}

pub fn get_mut<'a>(node: &'a mut Node, path: &[Seg]) -> Option<&'a mut Node> {
    let Some((first, rest)) = path.split_first() else {
        return Some(node);
    };
    let child = match (node, first) {
        (Node::Map(m), Seg::Key(k)) => m.iter_mut().find(|(key, _)| key == k).map(|(_, v)| v),
        (Node::Seq(s), Seg::Idx(i)) => s.get_mut(*i),
        _ => None,
    }?;
    get_mut(child, rest)
}

/// The smallest paths at which `a` and `b` differ.
pub fn diff(a: &Node, b: &Node, prefix: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    match (a, b) {
        (Node::Map(x), Node::Map(y))
            if x.len() == y.len() && x.iter().zip(y).all(|((k1, _), (k2, _))| k1 == k2) =>
        {
            for ((k, v1), (_, v2)) in x.iter().zip(y) {
                prefix.push(Seg::Key(k.to_string()));
                diff(v1, v2, prefix, out);
                prefix.pop();
            }
        }
        (Node::Seq(x), Node::Seq(y)) if x.len() == y.len() => {
            for (i, (v1, v2)) in x.iter().zip(y).enumerate() {
                prefix.push(Seg::Idx(i));
                diff(v1, v2, prefix, out);
                prefix.pop();
            }
        }
        _ if a == b => {}
        _ => out.push(prefix.clone()),
    }
}
