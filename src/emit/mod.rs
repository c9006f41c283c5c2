//! Phase 5, emit: the checked IR → Kubernetes objects (k8s-openapi types).
//! Nothing here sees the AST; [`yaml`] is the only module that writes YAML.

pub mod external_secret;
mod extra;
pub mod helm;
mod items;
mod job;
mod network;
mod placement;
pub mod sealed_secret;
pub mod slot;
mod tunables;
mod workload;
pub mod yaml;

use crate::ir::{App, ItemId, Meta};
use crate::span::Span;
pub use extra::Extra;
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{
    ConfigMap, Namespace, PersistentVolume, PersistentVolumeClaim, Secret, Service, ServiceAccount,
};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use slot::{Origin, Role, Slot};
use std::collections::BTreeMap;

/// Secret values supplied at compile time: secret name → key → value.
pub type SecretValues = BTreeMap<String, BTreeMap<String, String>>;

/// Calls `$m!(ARGS; Variant, ...)` with every typed variant of [`Object`]
/// (each holds the k8s-openapi type of its name), in apply order: the one
/// list of the kinds tfc emits. A new kind is a name here and an import.
macro_rules! with_kinds {
    ($m:ident!($($args:tt)*)) => {
        $m! {$($args)*;
            Namespace, ServiceAccount, PersistentVolume, ConfigMap, Secret,
            PersistentVolumeClaim, Service, Deployment, StatefulSet, Job, CronJob,
            HorizontalPodAutoscaler, PodDisruptionBudget, Ingress, NetworkPolicy}
    };
}
pub(crate) use with_kinds;

macro_rules! object_enum {
    (; $($v:ident),*) => {
        /// One Kubernetes object.
        #[allow(clippy::large_enum_variant)] // built once per compile, never moved in a loop
        #[derive(Clone, Debug, PartialEq)]
        pub enum Object {
            $($v($v),)*
            /// An object written by the user (`object`), of any kind.
            Extra(Box<Extra>),
        }

        impl Object {
            /// Every kind tfc emits, in apply order ([`Object::apply_rank`]).
            pub const KINDS: &'static [&'static str] = &[$(stringify!($v),)*];

            pub fn kind(&self) -> &str {
                match self {
                    $(Object::$v(_) => stringify!($v),)*
                    Object::Extra(x) => &x.kind,
                }
            }

            pub fn metadata(&self) -> &ObjectMeta {
                match self {
                    $(Object::$v(o) => &o.metadata,)*
                    Object::Extra(o) => &o.metadata,
                }
            }
        }
    };
}
with_kinds!(object_enum!());

impl Object {
    pub fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or("")
    }

    /// Position in a safe apply order: what others refer to comes first.
    pub fn apply_rank(&self) -> u8 {
        extra_rank(self.kind())
    }

    /// The file the object is written to: `kind-name.yaml`.
    pub fn file_name(&self) -> String {
        format!("{}-{}.yaml", self.kind().to_ascii_lowercase(), self.name())
    }
}

/// A count for an `int32` field (the checks keep values in range).
fn clamp_i32(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(if n < 0 { i32::MIN } else { i32::MAX })
}

/// Where an extra object goes in apply order: with the kind it depends on
/// or is like; a kind tfc does not know, last.
fn extra_rank(kind: &str) -> u8 {
    let rank = |k: &str| {
        let i = Object::KINDS.iter().position(|x| *x == k);
        u8::try_from(i.unwrap_or(Object::KINDS.len())).unwrap_or(u8::MAX)
    };
    match kind {
        "CustomResourceDefinition"
        | "PriorityClass"
        | "StorageClass"
        | "IngressClass"
        | "LimitRange"
        | "ResourceQuota"
        | "ClusterRole" => 0,
        "Role" | "RoleBinding" | "ClusterRoleBinding" => 1,
        "DaemonSet" => rank("StatefulSet"),
        other => rank(other),
    }
}

/// An object with where it came from and its value slots.
#[derive(Clone, Debug, PartialEq)]
pub struct Emitted {
    pub object: Object,
    pub origin: Origin,
    /// The fields a chart reads from values.yaml, in the order of values.yaml.
    pub slots: Vec<Slot>,
    /// The `patch` statements applied to it (indexes into `App::patches`).
    pub patched: Vec<usize>,
}

impl Emitted {
    pub fn new(object: Object, item: ItemId, role: Role, span: Span) -> Emitted {
        Emitted {
            object,
            origin: Origin { item, role, span },
            slots: Vec::new(),
            patched: Vec::new(),
        }
    }
}

/// The objects emitted so far. Value slots are recorded only for a chart:
/// plain YAML has no use for them.
struct Out {
    list: Vec<Emitted>,
    slots: bool,
}

impl Out {
    fn push(&mut self, e: Emitted) {
        self.list.push(e);
    }

    /// Pushes an object with its value slots, when they are wanted.
    fn push_with(&mut self, mut e: Emitted, slots: impl FnOnce() -> Vec<Slot>) {
        if self.slots {
            e.slots = slots();
        }
        self.list.push(e);
    }
}

/// The objects, and where each came from (same order).
pub fn split(emitted: Vec<Emitted>) -> (Vec<Object>, Vec<Origin>) {
    emitted.into_iter().map(|e| (e.object, e.origin)).unzip()
}

/// Builds every object of the app, in apply order.
pub fn emit(app: &App, secrets: &SecretValues) -> Vec<Emitted> {
    build(app, secrets, false)
}

/// Builds every object of the app with its value slots, for a chart (which
/// never holds secret values).
pub fn emit_for_chart(app: &App) -> Vec<Emitted> {
    build(app, &SecretValues::new(), true)
}

fn build(app: &App, secrets: &SecretValues, slots: bool) -> Vec<Emitted> {
    let mut out = Out {
        list: Vec::new(),
        slots,
    };
    items::namespace(app, &mut out);
    items::volumes(app, &mut out);
    items::configs(app, &mut out);
    items::secrets(app, secrets, &mut out);
    placement::service_accounts(app, &mut out);
    for w in &app.workloads {
        workload::emit(app, w, &mut out);
    }
    items::autoscalers(app, &mut out);
    items::ingresses(app, &mut out);
    network::networks(app, &mut out);
    let mut list = out.list;
    list.sort_by_key(|e| e.object.apply_rank());
    list
}

/// Metadata of a namespaced object.
fn meta(
    app: &App,
    name: String,
    labels: BTreeMap<String, String>,
    item: Option<&Meta>,
) -> ObjectMeta {
    let mut annotations: BTreeMap<String, String> = app
        .meta
        .annotations
        .iter()
        .map(|(k, v)| (k.node.clone(), v.node.clone()))
        .collect();
    if let Some(m) = item {
        annotations.extend(
            m.annotations
                .iter()
                .map(|(k, v)| (k.node.clone(), v.node.clone())),
        );
    }
    ObjectMeta {
        name: Some(name),
        namespace: app.namespace.as_ref().map(|n| n.name.node.clone()),
        labels: Some(labels),
        annotations: (!annotations.is_empty()).then_some(annotations),
        ..ObjectMeta::default()
    }
}
