//! The network graph: every connection the app allows, derived from what it
//! says (`url()`, `host()`, `port()` in the values a workload reads, ingress
//! routes, NodePort and LoadBalancer Services) and declared (`network {
//! allow FROM -> TO }`). Emit turns it into NetworkPolicies.

use super::{App, Expose, Peer};
use std::collections::HashSet;

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
    /// A port of the receiving workload, by name.
    Named(String),
    /// A port number (for the outside world).
    Number(i64),
}

/// A connection the app allows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edge {
    pub from: End,
    pub to: End,
    pub ports: Ports,
}

/// Every connection the app allows, derived and declared, without duplicates.
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
    let mut seen = HashSet::new();
    pending
        .into_iter()
        .filter(|e| seen.insert(e.clone()))
        .collect()
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
                (Some(p), false) => Ports::Named(p.node.clone()),
                (None, false) => tw
                    .ports
                    .first()
                    .map_or(Ports::All, |p| Ports::Named(p.name.node.clone())),
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
                Some(Ok(n)) => Ports::Number(n),
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
                        .map_or(Ports::All, |p| Ports::Named(p.node.clone())),
                ),
                None => continue,
            }
        };
        out.push(Edge { from, to, ports });
    }
}

/// Connections from the ingress controller to the targets of routes.
fn routes(app: &App, out: &mut Vec<Edge>) {
    for route in app.ingresses.iter().flat_map(|i| &i.routes) {
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
            ports: port.map_or(Ports::All, Ports::Named),
        });
    }
}
