//! The defaults pass: writes every value tfc chooses where the file says
//! nothing into the IR, before `check` runs. Afterwards `check` sees what
//! will be emitted, and `emit` only translates.
//!
//! It numbers the items, computes every object name once, and fills in the
//! replica count, pull policy, pod user, probe timings and ports, claim
//! access modes, the `Recreate` strategy of a Deployment holding a
//! ReadWriteOnce claim, the `/tmp` volume of a read-only root, the
//! containers' ports, the Services, the kind of each config or secret a
//! variable reads, the text of compile-time values and the network graph.

use super::names::Kind;
use super::{
    AccessMode, App, ClaimSpec, Concurrency, Container, ContainerPort, ContainerRole, EnvValue,
    Expose, ItemId, ItemKind, JobRestart, Mount, MountSource, PortRef, ProbeAction, PullPolicy,
    RunAs, Service, ServicePort, Source, Strategy, VolumeUse, Workload, WorkloadKind, graph,
};
use crate::ast::Kw;
use crate::span::Spanned;
use std::collections::{HashMap, HashSet};

/// The uid and gid pods run as unless `run-as` says otherwise.
pub const DEFAULT_UID: i64 = 10001;

/// Probe timings Kubernetes would choose, written out: delay, period,
/// timeout and failure threshold.
const PROBE_DELAY: i64 = 0;
const PROBE_PERIOD: i64 = 10;
const PROBE_TIMEOUT: i64 = 1;
const PROBE_FAILURES: i64 = 3;

/// Fills every implicit value of a lowered app.
pub fn fill(app: &mut App) {
    number(app);
    names(app);
    for v in &mut app.volumes {
        access(&mut v.spec);
    }
    let autoscaled: HashSet<String> = app
        .autoscalers
        .iter()
        .map(|a| a.target.node.clone())
        .collect();
    let rwo: HashSet<String> = app
        .volumes
        .iter()
        .filter(|v| is_rwo(&v.spec))
        .map(|v| v.name.node.clone())
        .collect();
    for w in &mut app.workloads {
        pod(w, autoscaled.contains(&w.id.node), &rwo);
        ports(w);
        probes(w);
    }
    sources(app);
    texts(app);
    app.edges = graph::edges(app);
}

/// Gives each item its id.
fn number(app: &mut App) {
    fn each<T>(items: &mut [T], kind: ItemKind, id: impl Fn(&mut T) -> &mut ItemId) {
        for (i, item) in items.iter_mut().enumerate() {
            *id(item) = ItemId::new(kind, i);
        }
    }
    each(&mut app.configs, ItemKind::Config, |x| &mut x.item);
    each(&mut app.secrets, ItemKind::Secret, |x| &mut x.item);
    each(&mut app.volumes, ItemKind::Volume, |x| &mut x.item);
    each(&mut app.workloads, ItemKind::Workload, |x| &mut x.item);
    each(&mut app.ingresses, ItemKind::Ingress, |x| &mut x.item);
    each(&mut app.autoscalers, ItemKind::Autoscaler, |x| &mut x.item);
    each(&mut app.networks, ItemKind::Network, |x| &mut x.item);
}

/// Computes the object names of every workload and autoscaler.
fn names(app: &mut App) {
    let computed: Vec<(String, String, String)> = app
        .workloads
        .iter()
        .map(|w| {
            (
                app.object_name(w, Kind::Workload),
                app.object_name(w, Kind::Service),
                app.object_name(w, Kind::Policy),
            )
        })
        .collect();
    for (w, (object, host, policy)) in app.workloads.iter_mut().zip(computed) {
        w.policy_name = policy;
        for m in &mut w.mounts {
            if let MountSource::New(_) = m.source {
                m.claim = Some(match w.kind {
                    WorkloadKind::Service | WorkloadKind::Job => {
                        format!("{object}-{}", m.name.node)
                    }
                    WorkloadKind::Database => m.name.node.clone(),
                });
            }
        }
        w.object_name = object;
        w.host = host;
    }
    let scaler_names: Vec<String> = app
        .autoscalers
        .iter()
        .map(|a| match (&a.name, app.workload(&a.target.node)) {
            (Some(n), _) => n.node.clone(),
            (None, Some(w)) => app.object_name(w, Kind::Autoscaler),
            (None, None) => a.target.node.clone(),
        })
        .collect();
    for (a, name) in app.autoscalers.iter_mut().zip(scaler_names) {
        a.object_name = name;
    }
}

/// A claim without access modes is ReadWriteOnce.
fn access(spec: &mut ClaimSpec) {
    if spec.access.is_empty() {
        spec.access.push(AccessMode::ReadWriteOnce);
    }
}

fn is_rwo(spec: &ClaimSpec) -> bool {
    spec.access.contains(&AccessMode::ReadWriteOnce)
        || spec.access.contains(&AccessMode::ReadWriteOncePod)
}

/// Marks a setting as chosen by tfc, not written in the item's own block.
fn implicit<T>(w: &mut Workload, kw: Kw, value: T) -> Option<Spanned<T>> {
    w.defaulted.insert(kw);
    Some(Spanned::new(value, w.id.span))
}

/// Pod-level defaults: replicas, pull policy, user, claims, strategy, `/tmp`.
fn pod(w: &mut Workload, autoscaled: bool, rwo: &HashSet<String>) {
    if w.kind == WorkloadKind::Job {
        job(w);
    } else if autoscaled {
        if let Some(r) = w.replicas.take() {
            if !w.defaulted.contains(&Kw::Replicas) {
                w.replicas_ignored = Some(r);
            }
        }
    } else if w.replicas.is_none() {
        w.replicas = implicit(w, Kw::Replicas, 1);
    }
    if w.app.pull.is_none() {
        w.app.pull = implicit(w, Kw::Pull, PullPolicy::Always);
    }
    for c in w.init.iter_mut().chain(w.sidecars.iter_mut()) {
        let span = c.span;
        c.pull.get_or_insert(Spanned::new(PullPolicy::Always, span));
    }
    match w.security.run_as.as_mut() {
        None => {
            let user = RunAs::User {
                uid: DEFAULT_UID,
                gid: Some(DEFAULT_UID),
            };
            w.security.run_as = implicit(w, Kw::RunAs, user);
        }
        Some(Spanned {
            node: RunAs::User { uid, gid },
            ..
        }) => {
            gid.get_or_insert(*uid);
        }
        Some(_) => {}
    }
    let mut holds_rwo = false;
    for m in &mut w.mounts {
        match &mut m.source {
            MountSource::New(spec) => {
                access(spec);
                holds_rwo |= is_rwo(spec);
            }
            MountSource::Claim(n) => holds_rwo |= rwo.contains(&n.node),
            _ => {}
        }
    }
    // A pod holding a ReadWriteOnce claim must stop before its successor can
    // mount it: such a Deployment is recreated unless its own block says otherwise.
    let own = w.strategy.is_some() && !w.defaulted.contains(&Kw::Strategy);
    if w.kind == WorkloadKind::Service && holds_rwo && !own {
        w.strategy = implicit(w, Kw::Strategy, Strategy::Recreate);
    }
    tmp(w);
}

/// A job's pods are not restarted in place (a failed pod stays for its
/// logs, and the job makes a new one), and a scheduled run waits for the
/// last to finish.
fn job(w: &mut Workload) {
    let at = w.id.span;
    w.job
        .restart
        .get_or_insert(Spanned::new(JobRestart::Never, at));
    if w.job.schedule.is_some() {
        w.job
            .concurrency
            .get_or_insert(Spanned::new(Concurrency::Forbid, at));
    }
}

/// A read-only root file system gets an emptydir at `/tmp`, named `tmp`
/// (or `tfc-tmp` when the workload has a volume `tmp`), unless a volume is
/// mounted there already.
fn tmp(w: &mut Workload) {
    if w.app.security.writable_root.is_some() || w.mounts.iter().any(|m| m.path.node == "/tmp") {
        return;
    }
    let name = if w.mounts.iter().any(|m| m.name.node == "tmp") {
        "tfc-tmp"
    } else {
        "tmp"
    };
    let at = w.id.span;
    w.mounts.push(Mount {
        name: Spanned::new(name.to_string(), at),
        source: MountSource::EmptyDir {
            size: None,
            memory: false,
        },
        path: Spanned::new("/tmp".to_string(), at),
        read_only: false,
        sub_path: None,
        items: Vec::new(),
        file_mode: None,
        optional: false,
        span: at,
        claim: None,
        implicit: true,
    });
    // Init and sidecar containers with a read-only root mount it too.
    for c in w.init.iter_mut().chain(w.sidecars.iter_mut()) {
        let own = c.mounts.iter().any(|m| m.path.node == "/tmp");
        if c.security.writable_root.is_none() && !own {
            c.mounts.push(VolumeUse {
                volume: Spanned::new(name.to_string(), at),
                path: Spanned::new("/tmp".to_string(), at),
                read_only: false,
                sub_path: None,
                span: at,
            });
        }
    }
}

/// The name under which a container of the pod declares a port.
fn container_port_name(w: &Workload, number: i64, protocol: super::Protocol) -> Option<String> {
    w.containers()
        .flat_map(|c| &c.ports)
        .find(|p| p.number == number && p.protocol == protocol)
        .map(|p| p.name.clone())
}

/// The container's ports and the Service: each target port once on the
/// container (two Service ports may target one), named after the first
/// Service port that targets it.
fn ports(w: &mut Workload) {
    let mut seen = HashSet::new();
    let mut by_container: Vec<(Option<String>, ContainerPort)> = Vec::new();
    for p in &w.ports {
        if seen.insert((p.target.node, p.protocol)) {
            let port = ContainerPort {
                name: p.target_name.as_ref().unwrap_or(&p.name).node.clone(),
                number: p.target.node,
                protocol: p.protocol,
            };
            by_container.push((p.container.clone(), port));
        }
    }
    for c in containers_mut(w) {
        let own = |o: &Option<String>| match o {
            Some(n) => c.role != ContainerRole::App && *n == c.name.node,
            None => c.role == ContainerRole::App,
        };
        c.ports = by_container
            .iter()
            .filter(|(o, _)| own(o))
            .map(|(_, p)| p.clone())
            .collect();
    }
    let expose = w.exposure();
    w.services.clear();
    let service_ports = |w: &Workload, only: Option<&Vec<super::Name>>, node_ports: bool| {
        w.ports
            .iter()
            .filter(|p| only.is_none_or(|o| o.iter().any(|n| n.node == p.name.node)))
            .map(|p| ServicePort {
                name: p.name.node.clone(),
                port: p.port.node,
                target: p.target.node,
                target_name: p.target_name.as_ref().map(|t| t.node.clone()).or_else(|| {
                    w.ports_by_name
                        .then(|| container_port_name(w, p.target.node, p.protocol))
                        .flatten()
                }),
                node_port: p.node.as_ref().filter(|_| node_ports).map(|n| n.node),
                protocol: p.protocol,
            })
            .collect::<Vec<_>>()
    };
    if expose != Expose::None && (!w.ports.is_empty() || expose == Expose::Headless) {
        w.services.push(Service {
            name: w.host.clone(),
            expose,
            ports: service_ports(w, w.expose_ports.as_ref(), true),
            span: w.expose.as_ref().map_or(w.id.span, |e| e.span),
        });
    }
    // More Services in front of the same pods; the nodePorts stay on the
    // workload's own Service (a nodePort is unique in the cluster).
    let extra: Vec<Service> = w
        .extra_services
        .iter()
        .filter(|x| x.expose.node != Expose::None)
        .map(|x| Service {
            name: x.name.node.clone(),
            expose: x.expose.node,
            ports: service_ports(w, x.ports.as_ref(), false),
            span: x.span,
        })
        .collect();
    w.services.extend(extra);
}

/// Probe timings, and the port of a probe that names none: the first.
fn probes(w: &mut Workload) {
    let ports = w.ports.clone();
    for c in containers_mut(w) {
        let app = c.role == ContainerRole::App;
        let first = ports
            .iter()
            .find(|p| match &p.container {
                Some(n) => !app && *n == c.name.node,
                None => app,
            })
            .map(|p| p.name.clone());
        container_probes(c, first);
    }
}

/// Every container of the pod: init containers, the app container, sidecars.
fn containers_mut(w: &mut Workload) -> impl Iterator<Item = &mut Container> {
    w.init
        .iter_mut()
        .chain(std::iter::once(&mut w.app))
        .chain(w.sidecars.iter_mut())
}

fn container_probes(c: &mut Container, first: Option<super::Name>) {
    for p in &mut c.probes {
        p.delay.get_or_insert(PROBE_DELAY);
        p.period.get_or_insert(PROBE_PERIOD);
        p.timeout.get_or_insert(PROBE_TIMEOUT);
        p.failures.get_or_insert(PROBE_FAILURES);
        if let ProbeAction::Http { port, .. }
        | ProbeAction::Tcp { port }
        | ProbeAction::Grpc { port, .. } = &mut p.action
        {
            if port.is_none() {
                *port = first.clone().map(PortRef::Name);
            }
        }
    }
}

/// Whether each name a variable reads is a config or a secret, and whether
/// it is `external optional`.
fn sources(app: &mut App) {
    let mut kinds: HashMap<String, Source> = HashMap::new();
    let mut optional: HashSet<String> = HashSet::new();
    for s in &app.secrets {
        kinds.insert(s.name.node.clone(), Source::Secret);
        if s.external.is_some_and(|e| e.optional) {
            optional.insert(s.name.node.clone());
        }
    }
    for c in &app.configs {
        kinds.insert(c.name.node.clone(), Source::Config);
        if c.external.is_some_and(|e| e.optional) {
            optional.insert(c.name.node.clone());
        }
    }
    // A workload of the same name shadows both (see `App::symbol`).
    for w in &app.workloads {
        kinds.remove(&w.id.node);
    }
    for w in &mut app.workloads {
        for m in &mut w.mounts {
            if let MountSource::Config(n) | MountSource::Secret(n) = &m.source {
                m.optional = optional.contains(&n.node);
            }
        }
    }
    for c in app.workloads.iter_mut().flat_map(|w| {
        std::iter::once(&mut w.app)
            .chain(w.init.iter_mut())
            .chain(w.sidecars.iter_mut())
    }) {
        for e in &mut c.env {
            if let EnvValue::Ref {
                item,
                from,
                optional: o,
                ..
            } = &mut e.value
            {
                *from = kinds.get(&item.node).copied();
                *o = optional.contains(&item.node);
            }
        }
        for f in &mut c.env_from {
            f.from = kinds.get(&f.name.node).copied();
            f.optional = optional.contains(&f.name.node);
        }
    }
}

/// The text of every compile-time value whose references resolve.
pub(super) fn texts(app: &mut App) {
    let configs: Vec<Vec<Option<String>>> = app
        .configs
        .iter()
        .map(|c| c.entries.iter().map(|e| app.render(&e.value)).collect())
        .collect();
    let envs: Vec<Vec<Option<String>>> = app
        .workloads
        .iter()
        .flat_map(|w| w.containers())
        .map(|c| {
            c.env
                .iter()
                .map(|e| match &e.value {
                    EnvValue::Expr(x) => app.render(x),
                    EnvValue::Ref { .. } | EnvValue::Field(_) | EnvValue::Resource(_) => None,
                })
                .collect()
        })
        .collect();
    for (c, texts) in app.configs.iter_mut().zip(configs) {
        for (e, t) in c.entries.iter_mut().zip(texts) {
            e.value.text = t;
        }
    }
    let containers = app.workloads.iter_mut().flat_map(|w| {
        w.init
            .iter_mut()
            .chain(std::iter::once(&mut w.app))
            .chain(w.sidecars.iter_mut())
    });
    for (c, texts) in containers.zip(envs) {
        for (e, t) in c.env.iter_mut().zip(texts) {
            if let EnvValue::Expr(x) = &mut e.value {
                x.text = t;
            }
        }
    }
}
