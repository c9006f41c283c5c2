//! Where each emitted object came from, and its value slots: the fields a
//! Helm chart reads from values.yaml. Emit records both as it builds an
//! object, so the chart never has to find a field again by its path.

use crate::ir::ItemId;
use crate::span::Span;

/// What an object is for, in the item it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The app's Namespace.
    Namespace,
    /// A ServiceAccount, named by the first workload that uses it.
    ServiceAccount,
    /// A config's ConfigMap.
    Config,
    /// A secret's Secret.
    Secret,
    /// A PersistentVolumeClaim: a top-level volume's, or a workload's own.
    Claim,
    /// The hostPath PersistentVolume behind a top-level volume.
    PersistentVolume,
    /// A Deployment or StatefulSet.
    Workload,
    /// A Service of a workload.
    Service,
    /// A HorizontalPodAutoscaler.
    Autoscaler,
    /// An Ingress.
    Ingress,
    /// The app's deny-by-default NetworkPolicy.
    DenyPolicy,
    /// The NetworkPolicy that opens a workload's connections.
    AllowPolicy,
    /// A workload's PodDisruptionBudget.
    Budget,
    /// An object written with `object` (its item is the app).
    Extra,
}

/// Where an object came from: the item, what the object is for, and the
/// span that made it (the item's name, or the statement).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    pub item: ItemId,
    pub role: Role,
    pub span: Span,
}

/// One step into an object: a mapping key or a sequence index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seg {
    Key(String),
    Idx(usize),
}

/// A path into an object, from `"a.b.0.c"`-style text (numbers are indexes).
pub fn path(text: &str) -> Vec<Seg> {
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

/// How a slot's value is written back into the template.
#[derive(Clone, Debug, PartialEq)]
pub enum Style {
    /// A scalar: `{{ V }}` for numbers and booleans, `{{ V | quote }}` for text.
    Scalar,
    /// A subtree: `{{- toYaml V | nindent N }}`.
    Block { seq: bool },
    /// An image reference split into repository, tag and digest.
    Image,
}

/// The values a slot accepts, for values.schema.json.
#[derive(Clone, Debug, PartialEq)]
pub enum Accepts {
    /// Whatever type its value has.
    Inferred,
    /// A whole number, at least `min` and at most `max`.
    Int { min: i64, max: Option<i64> },
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// Requests and limits of cpu, memory and ephemeral storage.
    Resources,
    /// A config value: text, a number or a boolean.
    ConfigValue,
    /// A host name.
    Host,
    /// Any text.
    Text,
}

/// A field of an object that a chart reads from values.yaml.
#[derive(Clone, Debug, PartialEq)]
pub struct Slot {
    /// Where the field is in the object.
    pub path: Vec<Seg>,
    /// Where its value is in values.yaml.
    pub value: Vec<String>,
    pub style: Style,
    /// The one-line comment above the value.
    pub comment: String,
    pub accepts: Accepts,
}

impl Slot {
    pub fn new(path: Vec<Seg>, value: &[&str], style: Style, comment: &str) -> Slot {
        Slot {
            path,
            value: value.iter().map(|s| s.to_string()).collect(),
            style,
            comment: comment.to_string(),
            accepts: Accepts::Inferred,
        }
    }

    pub fn accepts(mut self, a: Accepts) -> Slot {
        self.accepts = a;
        self
    }
}

/// A path under `base`: `base` then the segments of `rest`.
pub fn under(base: &[Seg], rest: &str) -> Vec<Seg> {
    let mut p = base.to_vec();
    p.extend(path(rest));
    p
}
