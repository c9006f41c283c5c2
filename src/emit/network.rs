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

use super::slot::Role;
use super::{Emitted, Object, Out, meta};
use crate::ir::graph::{Edge, End, Ports};
use crate::ir::{App, ItemId, NetworkMode, resolve::INSTANCE};
use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer,
    NetworkPolicyPort, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// The namespace of the ingress controller (by its `kubernetes.io/metadata.name` label).
pub const INGRESS_NAMESPACE: &str = "ingress-nginx";

fn selector(labels: BTreeMap<String, String>) -> LabelSelector {
    LabelSelector {
        match_labels: Some(labels),
        ..LabelSelector::default()
    }
}

fn peer(app: &App, end: &End) -> NetworkPolicyPeer {
    match end {
        End::Workload(i) => NetworkPolicyPeer {
            pod_selector: app.workloads.get(*i).map(|w| selector(app.selector(w))),
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
/// receiving workload (in their declared order), or numbers for the
/// outside world.
fn ports(app: &App, to: &End, ports: &Ports) -> Option<Vec<NetworkPolicyPort>> {
    let list: Vec<NetworkPolicyPort> = match (to, ports) {
        (End::Workload(i), p) => app
            .workloads
            .get(*i)
            .into_iter()
            .flat_map(|w| &w.ports)
            .filter(|port| match p {
                Ports::Named(names) => names.contains(&port.name.node),
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
        (_, Ports::Number(numbers)) => numbers
            .iter()
            .flat_map(|n| {
                ["TCP", "UDP"].iter().map(move |proto| NetworkPolicyPort {
                    port: Some(IntOrString::Int(i32::try_from(*n).unwrap_or(0))),
                    protocol: Some(proto.to_string()),
                    ..NetworkPolicyPort::default()
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    (!list.is_empty()).then_some(list)
}

/// DNS lookups to the cluster's resolver.
/// DNS lookups, and with `network-mode internal` the app's own pods.
fn internal_egress(app: &App, pods: &BTreeMap<String, String>) -> Vec<NetworkPolicyEgressRule> {
    let mut rules = vec![dns()];
    if app.network_mode.node == NetworkMode::Internal {
        rules.push(NetworkPolicyEgressRule {
            to: Some(vec![NetworkPolicyPeer {
                pod_selector: Some(selector(pods.clone())),
                ..NetworkPolicyPeer::default()
            }]),
            ports: None,
        });
    }
    rules
}

/// With `network-mode internal`: from the app's own pods, on any port.
fn internal_ingress(
    app: &App,
    pods: &BTreeMap<String, String>,
) -> Option<Vec<NetworkPolicyIngressRule>> {
    (app.network_mode.node == NetworkMode::Internal).then(|| {
        vec![NetworkPolicyIngressRule {
            from: Some(vec![NetworkPolicyPeer {
                pod_selector: Some(selector(pods.clone())),
                ..NetworkPolicyPeer::default()
            }]),
            ports: None,
        }]
    })
}

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

pub fn networks(app: &App, out: &mut Out) {
    if app.network_mode.node == NetworkMode::Open {
        return;
    }
    let meta_of = app.networks.first().map(|n| &n.meta);
    let labels = app.item_labels(meta_of.unwrap_or(&crate::ir::Meta::default()));
    let app_pods = BTreeMap::from([(INSTANCE.to_string(), app.name.node.clone())]);
    let (item, span) = app
        .networks
        .first()
        .map_or((ItemId::APP, app.name.span), |n| (n.item, n.span));
    let deny = Object::NetworkPolicy(NetworkPolicy {
        metadata: meta(app, default_policy_name(app), labels.clone(), meta_of),
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(selector(app_pods.clone())),
            policy_types: Some(vec!["Ingress".to_string(), "Egress".to_string()]),
            egress: Some(internal_egress(app, &app_pods)),
            ingress: internal_ingress(app, &app_pods),
        }),
    });
    out.push(Emitted::new(deny, item, Role::DenyPolicy, span));
    let mut incoming: Vec<Vec<&Edge>> = vec![Vec::new(); app.workloads.len()];
    let mut outgoing: Vec<Vec<&Edge>> = vec![Vec::new(); app.workloads.len()];
    for e in &app.edges {
        if let End::Workload(i) = e.to {
            if let Some(v) = incoming.get_mut(i) {
                v.push(e);
            }
        }
        if let End::Workload(i) = e.from {
            if let Some(v) = outgoing.get_mut(i) {
                v.push(e);
            }
        }
    }
    for (w, (inc, out_edges)) in app.workloads.iter().zip(incoming.iter().zip(&outgoing)) {
        let ingress: Vec<NetworkPolicyIngressRule> = inc
            .iter()
            .map(|e| NetworkPolicyIngressRule {
                from: Some(vec![peer(app, &e.from)]),
                ports: ports(app, &e.to, &e.ports),
            })
            .collect();
        let egress: Vec<NetworkPolicyEgressRule> = out_edges
            .iter()
            .map(|e| NetworkPolicyEgressRule {
                to: Some(vec![peer(app, &e.to)]),
                ports: ports(app, &e.to, &e.ports),
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
        let allow = Object::NetworkPolicy(NetworkPolicy {
            metadata: meta(app, w.policy_name.clone(), app.pod_labels(w), Some(&w.meta)),
            spec: Some(NetworkPolicySpec {
                pod_selector: Some(selector(app.selector(w))),
                policy_types: Some(types),
                ingress: (!ingress.is_empty()).then_some(ingress),
                egress: (!egress.is_empty()).then_some(egress),
            }),
        });
        out.push(Emitted::new(allow, w.item, Role::AllowPolicy, w.id.span));
    }
}
