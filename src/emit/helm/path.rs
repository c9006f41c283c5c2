//! Paths into YAML trees, and the differences between two trees.

use crate::emit::yaml::Node;

pub use crate::emit::slot::{Seg, path as parse, show};
pub use crate::emit::yaml::{get, get_mut};

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
