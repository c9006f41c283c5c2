//! Values Kubernetes would reject or that cannot be what was meant.

use crate::ast::{ProbeKind, RouteKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{
    App, Autoscaler, Expose, Mount, MountSource, Probe, ProbeAction, Quantity, Resource, Workload,
    WorkloadKind,
};
use crate::span::Span;
use std::collections::HashMap;

const GI: f64 = 1073741824.0;

/// Whether a version is SemVer 2 (what Helm requires of a chart version).
fn is_semver(v: &str) -> bool {
    let (core, rest) = match v.find(['-', '+']) {
        Some(i) => v.split_at(i),
        None => (v, ""),
    };
    let numbers: Vec<&str> = core.split('.').collect();
    let number_ok = |n: &&str| {
        !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
            && (n.len() == 1 || !n.starts_with('0'))
    };
    numbers.len() == 3
        && numbers.iter().all(number_ok)
        && rest
            .chars()
            .skip(1)
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '+')
        && (rest.is_empty() || rest.len() > 1)
}

pub fn check(app: &App, diags: &mut Vec<Diagnostic>) {
    if let Some(v) = &app.chart.version {
        if !is_semver(&v.node) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    v.span,
                    format!("`{}` is not a SemVer version", v.node),
                )
                .label("Helm requires MAJOR.MINOR.PATCH")
                .help("e.g. `version 1.0.0`"),
            );
        }
    }
    let mut node_ports: HashMap<i64, Span> = HashMap::new();
    for w in &app.workloads {
        workload(w, &mut node_ports, diags);
    }
    volumes(app, diags);
    ingresses(app, diags);
    for a in &app.autoscalers {
        autoscaler(app, a, diags);
    }
}

fn volumes(app: &App, diags: &mut Vec<Diagnostic>) {
    for v in &app.volumes {
        if let Some(size) = &v.spec.size {
            storage(size, diags);
        }
        if let Some(p) = &v.host_path {
            if !p.node.starts_with('/') {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidPath,
                        p.span,
                        format!("`{}` is not an absolute path", p.node),
                    )
                    .label("host paths start with `/`"),
                );
            }
        }
    }
}

fn ingresses(app: &App, diags: &mut Vec<Diagnostic>) {
    for i in &app.ingresses {
        for h in i.all_hosts() {
            host(h, diags);
        }
        for r in i.all_routes() {
            if r.kind != RouteKind::Regex && !r.path.node.starts_with('/') {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidPath,
                        r.path.span,
                        format!("`{}` is not a path", r.path.node),
                    )
                    .label("route paths start with `/`"),
                );
            }
        }
    }
}

fn autoscaler(app: &App, a: &Autoscaler, diags: &mut Vec<Diagnostic>) {
    if a.min.node < 1 {
        diags.push(
            Diagnostic::new(
                Code::ReplicasBelowOne,
                a.min.span,
                "an autoscaler's minimum must be at least 1",
            )
            .label(format!("{} replicas", a.min.node)),
        );
    }
    if a.min.node > a.max.node {
        diags.push(
            Diagnostic::new(
                Code::AutoscaleMinAboveMax,
                a.min.span.to(a.max.span),
                format!(
                    "the minimum {} is above the maximum {}",
                    a.min.node, a.max.node
                ),
            )
            .label("MIN..MAX")
            .help(format!("write `{}..{}`", a.max.node, a.min.node)),
        );
    }
    for (target, which) in [(&a.cpu, "cpu"), (&a.memory, "memory")] {
        if let Some(t) = target {
            if t.node < 1 {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidPercentage,
                        t.span,
                        "a utilization target must be above 0%",
                    )
                    .label("target"),
                );
            }
        }
        let Some(t) = target else { continue };
        let Some(w) = app
            .workload(&a.target.node)
            .filter(|w| w.kind != crate::ir::WorkloadKind::Job)
        else {
            continue;
        };
        let res = if which == "cpu" {
            &w.app.cpu
        } else {
            &w.app.memory
        };
        if res.as_ref().and_then(|r| r.request.as_ref()).is_none() {
            diags.push(
                Diagnostic::new(
                    Code::AutoscaleWithoutRequest,
                    t.span,
                    format!("`{}` has no {which} request to scale against", w.id.node),
                )
                .label(format!("{}% of what?", t.node))
                .also(w.id.span, format!("`{}` is declared here", w.id.node))
                .help(format!(
                    "give `{}` e.g. `{which} {}`",
                    w.id.node,
                    if which == "cpu" {
                        "100m..500m"
                    } else {
                        "128Mi..512Mi"
                    }
                )),
            );
        }
    }
    if a.cpu.is_none() && a.memory.is_none() && !a.incomplete {
        diags.push(
            Diagnostic::new(Code::MissingField, a.span, "the autoscaler has no target")
                .label("scales on nothing")
                .help("add e.g. `cpu 70%`"),
        );
    }
}

fn workload(w: &Workload, node_ports: &mut HashMap<i64, Span>, diags: &mut Vec<Diagnostic>) {
    for c in w
        .init
        .iter()
        .chain(&w.sidecars)
        .filter(|c| c.image.is_none())
    {
        diags.push(
            Diagnostic::new(
                Code::MissingField,
                c.name.span,
                format!(
                    "container `{}` of `{}` has no image",
                    c.name.node, w.id.node
                ),
            )
            .label("what should it run?")
            .help("add e.g. `image busybox:1.36` to the block"),
        );
    }
    if w.app.image.is_none() && !w.incomplete {
        diags.push(
            Diagnostic::new(
                Code::MissingField,
                w.id.span,
                format!("`{}` has no image", w.id.node),
            )
            .label("what should it run?")
            .help("add e.g. `image nginx:1.27`"),
        );
    }
    for r in w.replicas.iter().chain(&w.replicas_ignored) {
        if r.node < 1 {
            diags.push(
                Diagnostic::new(
                    Code::ReplicasBelowOne,
                    r.span,
                    format!("`replicas {}` runs nothing", r.node),
                )
                .label("at least 1")
                .help("to leave a service out of an environment, do not deploy it there"),
            );
        }
    }
    ports(w, node_ports, diags);
    container_port_names(w, diags);
    for c in w.containers() {
        resource(&c.cpu, "cpu", diags);
        resource(&c.memory, "memory", diags);
        resource(&c.ephemeral, "ephemeral", diags);
        for p in &c.probes {
            probe(p, diags);
        }
    }
    mounts(w, diags);
    ids(w, diags);
}

/// User and group ids: 0 to 2147483647.
fn ids(w: &Workload, diags: &mut Vec<Diagnostic>) {
    if let Some(g) = w
        .security
        .fs_group
        .as_ref()
        .filter(|g| g.node < 0 || g.node > i64::from(i32::MAX))
    {
        diags.push(
            Diagnostic::new(Code::InvalidValue, g.span, "a group id is 0 to 2147483647")
                .label("out of range"),
        );
    }
    let users =
        std::iter::once(&w.security.run_as).chain(w.containers().map(|c| &c.security.run_as));
    for r in users.flatten() {
        if let crate::ir::RunAs::User { uid, gid } = &r.node {
            let max = i64::from(i32::MAX);
            if *uid > max || gid.is_some_and(|g| g > max) {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        r.span,
                        "user and group ids are at most 2147483647",
                    )
                    .label("out of range"),
                );
            }
        }
    }
}

/// Two volumes of one pod with one name. Lowering reports two written
/// volumes of one name; this one is a written volume named like tfc's own
/// `/tmp` volume.
fn same_volume_name(first: &Mount, second: &Mount) -> Diagnostic {
    let (own, written) = if first.implicit {
        (first, second)
    } else {
        (second, first)
    };
    if !own.implicit {
        return Diagnostic::new(
            Code::DuplicateMount,
            second.name.span,
            format!("two volumes are named `{}`", second.name.node),
        )
        .label("named again here")
        .also(first.name.span, "first named here");
    }
    Diagnostic::new(
        Code::DuplicateMount,
        written.name.span,
        format!(
            "volume `{}` has the name of tfc's own `/tmp` volume",
            written.name.node
        ),
    )
    .label(format!(
        "the pod also gets an emptydir `{}` at /tmp, because its root file system is read-only",
        own.name.node
    ))
    .help("rename this volume, or mount a volume of your own at `/tmp`")
}

fn probe(p: &Probe, diags: &mut Vec<Diagnostic>) {
    for (v, what, min) in [
        (p.period, "period", 1),
        (p.timeout, "timeout", 1),
        (p.failures, "failures", 1),
        (p.successes, "successes", 1),
    ] {
        if let Some(v) = v {
            if v < min {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        p.span,
                        format!("the probe's `{what}` must be at least {min}"),
                    )
                    .label(format!("{what} is {v}")),
                );
            }
        }
    }
    if p.kind != ProbeKind::Readiness && p.successes.is_some_and(|s| s != 1) {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                p.span,
                format!("a {} probe must have `successes 1`", p.kind.keyword()),
            )
            .label("Kubernetes requires 1 here")
            .help("only readiness probes may require several successes"),
        );
    }
    if let ProbeAction::Http { path, .. } = &p.action {
        if !path.node.starts_with('/') {
            diags.push(
                Diagnostic::new(
                    Code::InvalidPath,
                    path.span,
                    format!("`{}` is not a path", path.node),
                )
                .label("HTTP probe paths start with `/`"),
            );
        }
    }
}

fn mounts(w: &Workload, diags: &mut Vec<Diagnostic>) {
    for m in &w.mounts {
        if let MountSource::New(spec) = &m.source {
            if let Some(size) = &spec.size {
                storage(size, diags);
            }
        }
    }
    let mut names: HashMap<&str, &Mount> = HashMap::new();
    for m in &w.mounts {
        if let Some(first) = names.insert(m.name.as_str(), m) {
            diags.push(same_volume_name(first, m));
        }
    }
    let mut paths: HashMap<&str, Span> = HashMap::new();
    for m in &w.mounts {
        if let Some(first) = paths.insert(m.path.as_str(), m.path.span) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateMount,
                    m.path.span,
                    format!("two volumes are mounted at `{}`", m.path.node),
                )
                .label("mounted again here")
                .also(first, "first mounted here"),
            );
        }
    }
}

/// The container ports of a pod have names of their own (the API server
/// refuses two alike, and a Service targeting a name needs one port to
/// find); one container port has one name, whatever Service ports target it.
fn container_port_names(w: &Workload, diags: &mut Vec<Diagnostic>) {
    let mut named: HashMap<&str, i64> = HashMap::new();
    for cp in w.containers().flat_map(|c| &c.ports) {
        let Some(&first) = named.get(cp.name.as_str()) else {
            named.insert(&cp.name, cp.number);
            continue;
        };
        let at = w
            .ports
            .iter()
            .filter(|p| p.target.node == cp.number)
            .map(|p| p.target_name.as_ref().unwrap_or(&p.name))
            .find(|n| n.node == cp.name)
            .map_or(w.id.span, |n| n.span);
        diags.push(
            Diagnostic::new(
                Code::DuplicatePort,
                at,
                format!("two container ports of `{}` are named `{}` ({first} and {})", w.id.node, cp.name, cp.number),
            )
            .label("a second container port of this name")
            .help("container port names are unique within a pod: rename one (`target-name NAME` gives a container port a name of its own)"),
        );
    }
    for p in &w.ports {
        let Some(t) = &p.target_name else { continue };
        let declared = w
            .containers()
            .flat_map(|c| &c.ports)
            .find(|cp| cp.number == p.target.node && cp.protocol == p.protocol);
        if let Some(cp) = declared.filter(|cp| cp.name != t.node) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicatePort,
                    t.span,
                    format!("container port {} is already named `{}`", cp.number, cp.name),
                )
                .label("a second name for the same container port")
                .help(format!("a container port has one name: write `target-name {}`, or leave `target-name` out", cp.name)),
            );
        }
    }
}

fn ports(w: &Workload, node_ports: &mut HashMap<i64, Span>, diags: &mut Vec<Diagnostic>) {
    let mut numbers: HashMap<(i64, &str), Span> = HashMap::new();
    for p in &w.ports {
        for n in [&p.port, &p.target] {
            if !(1..=65535).contains(&n.node) {
                diags.push(
                    Diagnostic::new(
                        Code::PortOutOfRange,
                        n.span,
                        format!("port {} is out of range", n.node),
                    )
                    .label("ports are 1 to 65535"),
                );
            }
        }
        let proto = p.protocol.as_k8s();
        if let Some(first) = numbers.insert((p.port.node, proto), p.port.span) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicatePort,
                    p.port.span,
                    format!("port {} is declared twice", p.port.node),
                )
                .label("declared again here")
                .also(first, "first declared here"),
            );
        }
        // Two Service ports may target one container port: the container
        // declares it once, under the first port's name (emit).
        if let Some(node) = &p.node {
            if !(30000..=32767).contains(&node.node) {
                diags.push(
                    Diagnostic::new(Code::NodePortOutOfRange, node.span, format!("nodePort {} is outside 30000-32767", node.node))
                        .label("not in the nodePort range")
                        .help("choose a port in 30000-32767, or leave `node` out and let Kubernetes pick one"),
                );
            }
            if let Some(first) = node_ports.insert(node.node, node.span) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateNodePort,
                        node.span,
                        format!("nodePort {} is used twice", node.node),
                    )
                    .label("used again here")
                    .also(first, "first used here"),
                );
            }
            if let Some(e) = &w.expose {
                if !matches!(e.node, Expose::NodePort | Expose::LoadBalancer) {
                    diags.push(
                        Diagnostic::new(
                            Code::NodePortWithoutNodeService,
                            node.span,
                            "a nodePort needs a NodePort or LoadBalancer Service",
                        )
                        .label("nodePort here")
                        .also(e.span, "but the Service is exposed like this")
                        .help("remove `expose`, or the nodePort"),
                    );
                }
            }
        }
    }
    if w.kind == WorkloadKind::Database && w.expose.as_ref().is_some_and(|e| e.node == Expose::None)
    {
        if let Some(e) = &w.expose {
            diags.push(
                Diagnostic::new(Code::InvalidValue, e.span, "a database needs its Service")
                    .label("StatefulSets need a governing Service")
                    .help("leave `expose` out: databases get a headless Service"),
            );
        }
    }
}

fn resource(r: &Option<Resource>, what: &str, diags: &mut Vec<Diagnostic>) {
    let Some(Resource {
        request: Some(req),
        limit: Some(lim),
        span,
    }) = r
    else {
        return;
    };
    if req.value > lim.value {
        diags.push(
            Diagnostic::new(
                Code::RequestAboveLimit,
                *span,
                format!(
                    "the {what} request {} is above the limit {}",
                    req.text, lim.text
                ),
            )
            .label("REQUEST..LIMIT")
            .help(format!("write `{what} {}..{}`", lim.text, req.text)),
        );
    }
}

fn storage(q: &Quantity, diags: &mut Vec<Diagnostic>) {
    if q.value < GI {
        diags.push(
            Diagnostic::new(
                Code::StorageTooSmall,
                q.span,
                format!("{} is below the 1Gi minimum", q.text),
            )
            .label("too small for a persistent volume")
            .help("request at least `1Gi`; for scratch space use `emptydir`"),
        );
    }
}

/// Whether a host is an IPv4 address, as the API server reads one: four
/// dot-separated numbers up to 255 (leading zeros allowed).
fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.chars().all(|c| c.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

fn host(h: &crate::ir::Name, diags: &mut Vec<Diagnostic>) {
    let name = h.node.strip_prefix("*.").unwrap_or(&h.node);
    let problem = if h.node.contains("://") {
        Some("a host has no scheme".to_string())
    } else if h.node.contains('/') {
        Some("a host has no path; put paths in `route`".to_string())
    } else if h.node.contains(':') {
        Some("a host has no port".to_string())
    } else if is_ipv4(name) {
        Some("an ingress host cannot be an IP address".to_string())
    } else if !super::names::is_dns_label(name.split('.').next().unwrap_or(""))
        || !name.split('.').all(super::is_dns_label)
        || name.len() > 253
    {
        Some("lowercase letters, digits, `-` and `.` only".to_string())
    } else {
        None
    };
    if let Some(p) = problem {
        let fix = h
            .node
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        let fix = fix
            .split(['/', ':'])
            .next()
            .unwrap_or(fix)
            .to_ascii_lowercase();
        let mut d = Diagnostic::new(
            Code::InvalidHost,
            h.span,
            format!("`{}` is not a valid host", h.node),
        )
        .label(p);
        if fix != h.node && !fix.is_empty() {
            d = d.help(format!("write `host {fix}`"));
        }
        diags.push(d);
    }
}
