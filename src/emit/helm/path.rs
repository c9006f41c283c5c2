//! Paths into YAML trees, and the differences between two trees.

use crate::emit::yaml::Node;

pub use crate::emit::slot::{Seg, path as parse, show};
pub use crate::emit::yaml::{get, get_mut};

/// The value of `key` in a map's entries.
fn field<'a>(m: &'a [(crate::emit::yaml::Key, Node)], key: &str) -> Option<&'a Node> {
    m.iter().find(|(k, _)| k.as_ref() == key).map(|(_, v)| v)
}

/// The smallest paths at which `a` and `b` differ. Inside `metadata`, a
/// key that only one side has is a difference of its own, so that the
/// name, namespace and labels stay templated when an annotation comes and
/// goes; elsewhere, maps with other keys differ as a whole.
pub fn diff(a: &Node, b: &Node, prefix: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    let in_metadata = matches!(prefix.last(), Some(Seg::Key(k)) if k == "metadata");
    match (a, b) {
        (Node::Map(x), Node::Map(y)) if in_metadata => {
            let mut keys: Vec<&str> = x.iter().chain(y).map(|(k, _)| k.as_ref()).collect();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                prefix.push(Seg::Key(k.to_string()));
                match (field(x, k), field(y, k)) {
                    (Some(v1), Some(v2)) => diff(v1, v2, prefix, out),
                    _ => out.push(prefix.clone()),
                }
                prefix.pop();
            }
        }
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
