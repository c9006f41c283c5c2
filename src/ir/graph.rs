//! The network graph: every connection the app allows, derived from what it
//! says (`url()`, `host()`, `port()` in the values a workload reads, ingress
//! routes, NodePort and LoadBalancer Services) and declared (`network {
//! allow FROM -> TO }`). Emit turns it into NetworkPolicies.

use super::{App, Expose, Peer};
use std::collections::HashMap;

/// One end of a connection.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum End {
    /// A workload, by its position in `App::workloads`.
    Workload(usize),
    /// Any address.
    World,
    /// The ingress controller's pods.
    IngressController,
}

/// Which ports of the receiving end a connection uses.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ports {
    All,
    /// Ports of the receiving workload, by name.
    Named(Vec<String>),
    /// Port numbers (for the outside world).
    Number(Vec<i64>),
}

impl Ports {
    /// The ports of both: every port when either allows every port.
    fn merge(&mut self, other: Ports) {
        match (&mut *self, other) {
            (Ports::All, _) => {}
            (_, Ports::All) => *self = Ports::All,
            (Ports::Named(a), Ports::Named(b)) => {
                for n in b {
                    if !a.contains(&n) {
                        a.push(n);
                    }
                }
            }
            (Ports::Number(a), Ports::Number(b)) => {
                for n in b {
                    if !a.contains(&n) {
                        a.push(n);
                    }
                }
            }
            // A workload's ports are named, the world's numbered: the ends
            // of one edge never mix them.
            (_, other) => *self = other,
        }
    }
}

/// A connection the app allows: one per pair of ends.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edge {
    pub from: End,
    pub to: End,
    pub ports: Ports,
}

/// Every connection the app allows, derived and declared: one edge per
/// pair of ends, with every port any reason for it opens, so that each
/// allowed peer gets exactly one rule per direction.
pub fn edges(app: &App) -> Vec<Edge> {
    let mut pending: Vec<Edge> = Vec::new();
    references(app, &mut pending);
    declared(app, &mut pending);
    routes(app, &mut pending);
    for (i, w) in app.workloads.iter().enumerate() {
        if matches!(w.exposure(), Expose::NodePort | Expose::LoadBalancer) {
            pending.push(Edge {
                from: End::World,
                to: End::Workload(i),
                ports: Ports::All,
            });
        }
    }
    let mut at: HashMap<(End, End), usize> = HashMap::new();
    let mut out: Vec<Edge> = Vec::new();
    for e in pending {
        match at.get(&(e.from.clone(), e.to.clone())) {
            Some(&i) => {
                if let Some(existing) = out.get_mut(i) {
                    existing.ports.merge(e.ports);
                }
            }
            None => {
                at.insert((e.from.clone(), e.to.clone()), out.len());
                out.push(e);
            }
        }
    }
    out
}

/// The position of a workload, by name.
fn position(app: &App, name: &str) -> Option<usize> {
    app.workload_position(name)
}

/// Connections from the services each workload reads.
fn references(app: &App, out: &mut Vec<Edge>) {
    for (i, w) in app.workloads.iter().enumerate() {
        for r in app.references(w) {
            let Some(to) = position(app, &r.target.service.node) else {
                continue;
            };
            let Some(tw) = app.workloads.get(to).filter(|_| to != i) else {
                continue;
            };
            let ports = match (&r.target.port, r.all_ports) {
                (_, true) => Ports::All,
                (Some(p), false) => Ports::Named(vec![p.node.clone()]),
                (None, false) => tw
                    .ports
                    .first()
                    .map_or(Ports::All, |p| Ports::Named(vec![p.name.node.clone()])),
            };
            out.push(Edge {
                from: End::Workload(i),
                to: End::Workload(to),
                ports,
            });
        }
    }
}

/// Connections `network { allow }` declares.
fn declared(app: &App, out: &mut Vec<Edge>) {
    for rule in app.networks.iter().flat_map(|n| &n.rules) {
        let from = match &rule.from {
            Peer::Service(s) => match position(app, &s.node) {
                Some(i) => End::Workload(i),
                None => continue,
            },
            Peer::World(_) => End::World,
            Peer::Ingress(_) => End::IngressController,
        };
        let (to, ports) = if rule.to.service.node == "world" {
            let ports = match rule.to.port.as_ref().map(|p| p.node.parse::<i64>()) {
                Some(Ok(n)) => Ports::Number(vec![n]),
                _ => Ports::All,
            };
            (End::World, ports)
        } else {
            match position(app, &rule.to.service.node) {
                Some(i) => (
                    End::Workload(i),
                    rule.to
                        .port
                        .as_ref()
                        .map_or(Ports::All, |p| Ports::Named(vec![p.node.clone()])),
                ),
                None => continue,
            }
        };
        out.push(Edge { from, to, ports });
    }
}

/// Connections from the ingress controller to the targets of routes.
fn routes(app: &App, out: &mut Vec<Edge>) {
    for route in app.ingresses.iter().flat_map(|i| i.all_routes()) {
        let Some(i) = position(app, &route.target.service.node) else {
            continue;
        };
        let Some(w) = app.workloads.get(i) else {
            continue;
        };
        let port = route
            .target
            .port
            .as_ref()
            .map(|p| p.node.clone())
            .or_else(|| w.ports.first().map(|p| p.name.node.clone()));
        out.push(Edge {
            from: End::IngressController,
            to: End::Workload(i),
            ports: port.map_or(Ports::All, |p| Ports::Named(vec![p])),
        });
    }
}
