//! NetworkPolicies: every app is closed by default, and opened exactly where
//! the .taskflow says traffic flows.
//!
//! * `APP-default-deny` (or the name of the first `network` block) selects
//!   every pod of the app and allows nothing but DNS lookups.
//! * `allow-WORKLOAD` admits, per workload, the traffic the app implies:
//!   from services that reference it (`url()`, `host()`, `port()` in values
//!   they read), from the ingress controller when a route points at it, from
//!   anywhere when it is a NodePort or LoadBalancer service; and whatever
//!   `network { allow FROM -> TO }` adds. The sending side gets the matching
//!   egress rule.

use super::{Object, meta};
use crate::ir::{App, Expose, Peer, Workload, resolve::INSTANCE};
use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer,
    NetworkPolicyPort, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::{BTreeMap, HashMap};

/// The namespace of the ingress controller (by its `kubernetes.io/metadata.name` label).
pub const INGRESS_NAMESPACE: &str = "ingress-nginx";

/// One end of a connection.
#[derive(Clone, Debug)]
pub enum End<'a> {
    Workload(&'a Workload),
    /// Any address.
    World,
    /// The ingress controller's pods.
    IngressController,
}

impl PartialEq for End<'_> {
    /// Workloads are the same end when they are the same item.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (End::Workload(a), End::Workload(b)) => std::ptr::eq(*a, *b),
            (End::World, End::World) | (End::IngressController, End::IngressController) => true,
            _ => false,
        }
    }
}

impl End<'_> {
    /// The workload's address, to group edges by workload.
    fn workload_key(&self) -> Option<*const Workload> {
        match self {
            End::Workload(w) => Some(*w as *const Workload),
            _ => None,
        }
    }
}

/// Which ports of the receiving end a connection uses.
#[derive(Clone, Debug, PartialEq)]
pub enum Ports<'a> {
    All,
    /// A port of the receiving workload, by name.
    Named(&'a str),
    /// A port number (for the outside world).
    Number(i64),
}

/// A connection the app allows.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge<'a> {
    pub from: End<'a>,
    pub to: End<'a>,
    pub ports: Ports<'a>,
}

/// Every connection the app allows, derived and declared, without duplicates.
pub fn edges(app: &App) -> Vec<Edge<'_>> {
    let mut pending: Vec<Edge> = Vec::new();
    for w in &app.workloads {
        for r in app.references(w) {
            let Some(to) = app.workload(&r.target.service.node) else {
                continue;
            };
            if std::ptr::eq(to, w) {
                continue;
            }
            let ports = match (&r.target.port, r.all_ports) {
                (_, true) => Ports::All,
                (Some(p), false) => Ports::Named(p.as_str()),
                (None, false) => to
                    .ports
                    .first()
                    .map_or(Ports::All, |p| Ports::Named(p.name.as_str())),
            };
            pending.push(Edge {
                from: End::Workload(w),
                to: End::Workload(to),
                ports,
            });
        }
    }
    for rule in app.networks.iter().flat_map(|n| &n.rules) {
        let from = match &rule.from {
            Peer::Service(s) => match app.workload(&s.node) {
                Some(w) => End::Workload(w),
                None => continue,
            },
            Peer::World(_) => End::World,
            Peer::Ingress(_) => End::IngressController,
        };
        let (to, ports) = if rule.to.service.node == "world" {
            let ports = match rule.to.port.as_ref().map(|p| p.node.parse::<i64>()) {
                Some(Ok(n)) => Ports::Number(n),
                _ => Ports::All,
            };
            (End::World, ports)
        } else {
            match app.workload(&rule.to.service.node) {
                Some(w) => (
                    End::Workload(w),
                    rule.to
                        .port
                        .as_ref()
                        .map_or(Ports::All, |p| Ports::Named(p.as_str())),
                ),
                None => continue,
            }
        };
        pending.push(Edge { from, to, ports });
    }
    for route in app.ingresses.iter().flat_map(|i| &i.routes) {
        if let Some(w) = app.workload(&route.target.service.node) {
            let port = route
                .target
                .port
                .as_ref()
                .map(|p| p.as_str())
                .or_else(|| w.ports.first().map(|p| p.name.as_str()));
            pending.push(Edge {
                from: End::IngressController,
                to: End::Workload(w),
                ports: port.map_or(Ports::All, Ports::Named),
            });
        }
    }
    for w in &app.workloads {
        if matches!(w.expose(), Expose::NodePort | Expose::LoadBalancer) {
            pending.push(Edge {
                from: End::World,
                to: End::Workload(w),
                ports: Ports::All,
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    pending
        .into_iter()
        .filter(|e| seen.insert(edge_key(e)))
        .collect()
}

/// What makes two edges the same: their ends (by identity) and ports.
fn edge_key(e: &Edge) -> (usize, usize, String) {
    let end = |x: &End| match x {
        End::Workload(w) => *w as *const Workload as usize,
        End::World => 1,
        End::IngressController => 2,
    };
    let ports = match &e.ports {
        Ports::All => String::new(),
        Ports::Named(n) => format!("n:{n}"),
        Ports::Number(n) => format!("#{n}"),
    };
    (end(&e.from), end(&e.to), ports)
}

fn selector(labels: BTreeMap<String, String>) -> LabelSelector {
    LabelSelector {
        match_labels: Some(labels),
        ..LabelSelector::default()
    }
}

fn peer(app: &App, end: &End) -> NetworkPolicyPeer {
    match end {
        End::Workload(w) => NetworkPolicyPeer {
            pod_selector: Some(selector(app.selector(w))),
            ..NetworkPolicyPeer::default()
        },
        End::World => NetworkPolicyPeer {
            ip_block: Some(IPBlock {
                cidr: "0.0.0.0/0".to_string(),
                except: None,
            }),
            ..NetworkPolicyPeer::default()
        },
        End::IngressController => NetworkPolicyPeer {
            namespace_selector: Some(selector(BTreeMap::from([(
                "kubernetes.io/metadata.name".to_string(),
                INGRESS_NAMESPACE.to_string(),
            )]))),
            ..NetworkPolicyPeer::default()
        },
    }
}

/// The pod ports a connection reaches: the container ports of the
/// receiving workload, or a number for the outside world.
fn ports(to: &End, ports: &Ports) -> Option<Vec<NetworkPolicyPort>> {
    let list: Vec<NetworkPolicyPort> = match (to, ports) {
        (End::Workload(w), p) => w
            .ports
            .iter()
            .filter(|port| match p {
                Ports::Named(n) => port.name.node == *n,
                _ => true,
            })
            .map(|port| NetworkPolicyPort {
                port: Some(IntOrString::Int(
                    i32::try_from(port.target.node).unwrap_or(0),
                )),
                protocol: Some(port.protocol.as_k8s().to_string()),
                ..NetworkPolicyPort::default()
            })
            .collect(),
        (_, Ports::Number(n)) => ["TCP", "UDP"]
            .iter()
            .map(|proto| NetworkPolicyPort {
                port: Some(IntOrString::Int(i32::try_from(*n).unwrap_or(0))),
                protocol: Some(proto.to_string()),
                ..NetworkPolicyPort::default()
            })
            .collect(),
        _ => Vec::new(),
    };
    (!list.is_empty()).then_some(list)
}

/// DNS lookups to the cluster's resolver.
fn dns() -> NetworkPolicyEgressRule {
    NetworkPolicyEgressRule {
        to: Some(vec![NetworkPolicyPeer {
            namespace_selector: Some(selector(BTreeMap::from([(
                "kubernetes.io/metadata.name".to_string(),
                "kube-system".to_string(),
            )]))),
            pod_selector: Some(selector(BTreeMap::from([(
                "k8s-app".to_string(),
                "kube-dns".to_string(),
            )]))),
            ..NetworkPolicyPeer::default()
        }]),
        ports: Some(
            ["UDP", "TCP"]
                .iter()
                .map(|proto| NetworkPolicyPort {
                    port: Some(IntOrString::Int(53)),
                    protocol: Some(proto.to_string()),
                    ..NetworkPolicyPort::default()
                })
                .collect(),
        ),
    }
}

/// The name of the app's deny-by-default policy.
pub fn default_policy_name(app: &App) -> String {
    app.networks
        .iter()
        .find(|n| !n.name.node.is_empty())
        .map_or_else(
            || format!("{}-default-deny", app.name.node),
            |n| n.name.node.clone(),
        )
}

pub fn networks(app: &App, out: &mut Vec<Object>) {
    let meta_of = app.networks.first().map(|n| &n.meta);
    let labels = app.item_labels(meta_of.unwrap_or(&crate::ir::Meta::default()));
    let app_pods = BTreeMap::from([(INSTANCE.to_string(), app.name.node.clone())]);
    out.push(Object::NetworkPolicy(NetworkPolicy {
        metadata: meta(app, default_policy_name(app), labels.clone(), meta_of),
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(selector(app_pods)),
            policy_types: Some(vec!["Ingress".to_string(), "Egress".to_string()]),
            egress: Some(vec![dns()]),
            ..NetworkPolicySpec::default()
        }),
    }));
    let all = edges(app);
    let mut incoming: HashMap<*const Workload, Vec<&Edge>> = HashMap::new();
    let mut outgoing: HashMap<*const Workload, Vec<&Edge>> = HashMap::new();
    for e in &all {
        if let Some(k) = e.to.workload_key() {
            incoming.entry(k).or_default().push(e);
        }
        if let Some(k) = e.from.workload_key() {
            outgoing.entry(k).or_default().push(e);
        }
    }
    for w in &app.workloads {
        let key = w as *const Workload;
        let ingress: Vec<NetworkPolicyIngressRule> = incoming
            .get(&key)
            .into_iter()
            .flatten()
            .map(|e| NetworkPolicyIngressRule {
                from: Some(vec![peer(app, &e.from)]),
                ports: ports(&e.to, &e.ports),
            })
            .collect();
        let egress: Vec<NetworkPolicyEgressRule> = outgoing
            .get(&key)
            .into_iter()
            .flatten()
            .map(|e| NetworkPolicyEgressRule {
                to: Some(vec![peer(app, &e.to)]),
                ports: ports(&e.to, &e.ports),
            })
            .collect();
        if ingress.is_empty() && egress.is_empty() {
            continue;
        }
        let mut types = Vec::new();
        if !ingress.is_empty() {
            types.push("Ingress".to_string());
        }
        if !egress.is_empty() {
            types.push("Egress".to_string());
        }
        out.push(Object::NetworkPolicy(NetworkPolicy {
            metadata: meta(
                app,
                format!("allow-{}", app.workload_name(w)),
                app.pod_labels(w),
                Some(&w.meta),
            ),
            spec: Some(NetworkPolicySpec {
                pod_selector: Some(selector(app.selector(w))),
                policy_types: Some(types),
                ingress: (!ingress.is_empty()).then_some(ingress),
                egress: (!egress.is_empty()).then_some(egress),
            }),
        }));
    }
}
