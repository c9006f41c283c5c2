//! `network NAME { allow ... }` → NetworkPolicies: `NAME` denies all ingress
//! to the app's pods; `NAME-SERVICE` admits, per workload, what the `allow`
//! rules name plus what the app itself implies: the ingress controller for
//! routed services, and any address for NodePort and LoadBalancer services.

use super::{Object, meta};
use crate::ir::{App, Expose, Peer, Workload, resolve::INSTANCE};
use k8s_openapi::api::networking::v1::{
    IPBlock, NetworkPolicy, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort,
    NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// The namespace of the ingress controller (by its `kubernetes.io/metadata.name` label).
pub const INGRESS_NAMESPACE: &str = "ingress-nginx";

/// Who may connect, for one admit rule.
#[derive(Clone, Debug, PartialEq)]
enum From {
    Pods(BTreeMap<String, String>),
    Anywhere,
    IngressController,
}

fn selector(labels: BTreeMap<String, String>) -> LabelSelector {
    LabelSelector {
        match_labels: Some(labels),
        ..LabelSelector::default()
    }
}

fn peer(from: &From) -> NetworkPolicyPeer {
    match from {
        From::Pods(labels) => NetworkPolicyPeer {
            pod_selector: Some(selector(labels.clone())),
            ..NetworkPolicyPeer::default()
        },
        From::Anywhere => NetworkPolicyPeer {
            ip_block: Some(IPBlock {
                cidr: "0.0.0.0/0".to_string(),
                except: None,
            }),
            ..NetworkPolicyPeer::default()
        },
        From::IngressController => NetworkPolicyPeer {
            namespace_selector: Some(selector(BTreeMap::from([(
                "kubernetes.io/metadata.name".to_string(),
                INGRESS_NAMESPACE.to_string(),
            )]))),
            ..NetworkPolicyPeer::default()
        },
    }
}

/// The container ports of `w` named by `port` (all of them for None).
fn ports(w: &Workload, port: Option<&str>) -> Vec<NetworkPolicyPort> {
    w.ports
        .iter()
        .filter(|p| port.is_none_or(|want| want == p.name.node))
        .map(|p| NetworkPolicyPort {
            port: Some(IntOrString::Int(i32::try_from(p.target.node).unwrap_or(0))),
            protocol: Some(p.protocol.as_k8s().to_string()),
            ..NetworkPolicyPort::default()
        })
        .collect()
}

/// Everything admitted to `w`: (who, which port name or all).
fn admits<'a>(
    app: &'a App,
    rules: &'a [crate::ir::Allow],
    w: &'a Workload,
) -> Vec<(From, Option<&'a str>)> {
    let mut out: Vec<(From, Option<&str>)> = Vec::new();
    let mut add = |from: From, port: Option<&'a str>| {
        if !out.iter().any(|(f, p)| *f == from && *p == port) {
            out.push((from, port));
        }
    };
    for r in rules.iter().filter(|r| r.to.service.node == w.id.node) {
        let port = r.to.port.as_ref().map(|p| p.as_str());
        match &r.from {
            Peer::Service(s) => {
                if let Some(src) = app.workload(&s.node) {
                    add(From::Pods(app.selector(src)), port);
                }
            }
            Peer::World(_) => add(From::Anywhere, port),
            Peer::Ingress(_) => add(From::IngressController, port),
        }
    }
    for route in app.ingresses.iter().flat_map(|i| &i.routes) {
        if route.target.service.node == w.id.node {
            let port = route
                .target
                .port
                .as_ref()
                .map(|p| p.as_str())
                .or_else(|| w.ports.first().map(|p| p.name.as_str()));
            add(From::IngressController, port);
        }
    }
    if matches!(w.expose(), Expose::NodePort | Expose::LoadBalancer) {
        add(From::Anywhere, None);
    }
    out
}

pub fn networks(app: &App, out: &mut Vec<Object>) {
    for n in &app.networks {
        let labels = app.item_labels(&n.meta);
        let app_pods = BTreeMap::from([(INSTANCE.to_string(), app.name.node.clone())]);
        out.push(Object::NetworkPolicy(NetworkPolicy {
            metadata: meta(app, n.name.node.clone(), labels.clone(), Some(&n.meta)),
            spec: Some(NetworkPolicySpec {
                pod_selector: Some(selector(app_pods)),
                policy_types: Some(vec!["Ingress".to_string()]),
                ..NetworkPolicySpec::default()
            }),
        }));
        for w in &app.workloads {
            let rules: Vec<NetworkPolicyIngressRule> = admits(app, &n.rules, w)
                .iter()
                .map(|(from, port)| {
                    let ports = ports(w, *port);
                    NetworkPolicyIngressRule {
                        from: Some(vec![peer(from)]),
                        ports: (!ports.is_empty()).then_some(ports),
                    }
                })
                .collect();
            if rules.is_empty() {
                continue;
            }
            let name = format!("{}-{}", n.name.node, w.id.node);
            out.push(Object::NetworkPolicy(NetworkPolicy {
                metadata: meta(app, name, labels.clone(), Some(&n.meta)),
                spec: Some(NetworkPolicySpec {
                    pod_selector: Some(selector(app.selector(w))),
                    policy_types: Some(vec!["Ingress".to_string()]),
                    ingress: Some(rules),
                    ..NetworkPolicySpec::default()
                }),
            }));
        }
    }
}
