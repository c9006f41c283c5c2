//! Cross-references: every name used must exist and be of the right kind.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{
    App, Container, EnvValue, Expose, Expr, MountSource, Part, Peer, PortRef, ProbeAction, Symbol,
    Target, Workload,
};
use crate::suggest;

pub fn check(app: &App, diags: &mut Vec<Diagnostic>) {
    for c in &app.configs {
        for e in &c.entries {
            expr(app, &e.value, diags);
        }
    }
    for w in &app.workloads {
        workload(app, w, diags);
    }
    for i in &app.ingresses {
        for r in i.all_routes() {
            target(app, &r.target, "route traffic to", diags);
        }
    }
    for a in &app.autoscalers {
        if app.workload(&a.target.node).is_none() {
            diags.push(unknown_service(app, &a.target.node, a.target.span));
        }
    }
    for n in &app.networks {
        for rule in &n.rules {
            if let Peer::Service(s) = &rule.from {
                if app.workload(&s.node).is_none() {
                    let mut d = unknown_service(app, &s.node, s.span);
                    if d.help.is_none() {
                        d.help = Some(
                            "`world` and `ingress` name the outside and the ingress controller"
                                .to_string(),
                        );
                    }
                    diags.push(d);
                }
            }
            if rule.to.service.node == "world" {
                world_target(rule, diags);
            } else {
                target(app, &rule.to, "allow traffic to", diags);
            }
        }
    }
}

/// `allow SERVICE -> world[.PORT]`: egress to any address, on one port number or all.
fn world_target(rule: &crate::ir::Allow, diags: &mut Vec<Diagnostic>) {
    if !matches!(rule.from, Peer::Service(_)) {
        diags.push(
            Diagnostic::new(
                Code::WrongKind,
                rule.span,
                "`world` can only be reached from a service",
            )
            .label("neither end is a service of the app")
            .help("write `allow SERVICE -> world` to let a service connect out"),
        );
    }
    if let Some(p) = &rule.to.port {
        if !p
            .node
            .parse::<i64>()
            .is_ok_and(|n| (1..=65535).contains(&n))
        {
            diags.push(
                Diagnostic::new(
                    Code::PortOutOfRange,
                    p.span,
                    format!("`{}` is not a port number", p.node),
                )
                .label("expected 1-65535")
                .help("write e.g. `allow api -> world.443`"),
            );
        }
    }
}

fn service_names(app: &App) -> Vec<&str> {
    app.workloads.iter().map(|w| w.id.as_str()).collect()
}

/// "environment `prod`" (or "the app as written"), for messages about `exclude`.
fn variant(app: &App) -> String {
    app.env
        .as_ref()
        .map_or("the app as written".to_string(), |e| {
            format!("environment `{}`", e.node)
        })
}

/// A reference to a config or secret key that the environment's `exclude`
/// left out: both places, and the environment.
fn key_left_out(
    app: &App,
    excluded: &[crate::ir::Name],
    key: &crate::ir::Name,
    code: Code,
) -> Option<Diagnostic> {
    let off = excluded.iter().find(|k| k.node == key.node)?;
    Some(
        Diagnostic::new(
            code,
            key.span,
            format!(
                "key `{}` is left out in {}, and this refers to it",
                key.node,
                variant(app)
            ),
        )
        .label("refers to a key that `exclude` leaves out")
        .also(off.span, "left out here")
        .help("leave out or change what refers to it in the same environment, or keep the key"),
    )
}

fn unknown_service(app: &App, name: &str, span: crate::span::Span) -> Diagnostic {
    if let Some((_, off)) = app.left_out.iter().find(|(k, _)| k == name) {
        let env = variant(app);
        return Diagnostic::new(
            Code::UnknownService,
            span,
            format!("`{name}` is left out in {env}, and this refers to it"),
        )
        .label("refers to an item that `exclude` leaves out")
        .also(*off, "left out here")
        .help(format!(
            "in the same environment, leave out or change what refers to `{name}` (`exclude route PATH`, `exclude allow ...`, `exclude env NAME`, or a new value), or keep `{name}`"
        ));
    }
    let d = Diagnostic::new(
        Code::UnknownService,
        span,
        format!("no service or database is called `{name}`"),
    )
    .label("unknown service");
    match app.symbol(name) {
        Some(_) => d.help(format!(
            "`{name}` is not a service or database; name one of: {}",
            service_names(app).join(", ")
        )),
        None => d.maybe_help(suggest::did_you_mean(name, service_names(app), "services")),
    }
}

/// `SERVICE[.PORT]` must name a workload with a Service and that port.
fn target(app: &App, t: &Target, verb: &str, diags: &mut Vec<Diagnostic>) {
    let Some(w) = app.workload(&t.service.node) else {
        diags.push(unknown_service(app, &t.service.node, t.service.span));
        return;
    };
    if w.kind == crate::ir::WorkloadKind::Job {
        diags.push(
            Diagnostic::new(
                Code::WrongKind,
                t.span,
                format!("`{}` is a job, which has no Service to {verb}", w.id.node),
            )
            .label("a job's pods run to completion and are not reachable")
            .also(w.id.span, "declared as a job here")
            .help("name a service or database; a job reaches others, not the other way round"),
        );
        return;
    }
    if w.ports.is_empty() || w.exposure() == Expose::None {
        diags.push(
            Diagnostic::new(
                Code::UnknownPort,
                t.span,
                format!("`{}` has no Service to {verb}", w.id.node),
            )
            .label("no ports are exposed")
            .also(w.id.span, "declared here")
            .help("give it a `port`, and no `expose none`"),
        );
        return;
    }
    if let Some(port) = &t.port {
        if w.port_named(&port.node).is_none() {
            diags.push(unknown_port(app, w, &port.node, port.span));
        }
    }
}

/// A reference to a part of `w` that the environment's `exclude` left out:
/// both places, and the environment.
fn part_left_out(
    app: &App,
    w: &Workload,
    what: &str,
    name: &str,
    span: crate::span::Span,
) -> Option<Diagnostic> {
    let (_, off) = w
        .excluded
        .iter()
        .find(|(k, n)| k == what && n.node == name)?;
    let code = if what == "port" {
        Code::UnknownPort
    } else {
        Code::UnknownVolume
    };
    Some(
        Diagnostic::new(
            code,
            span,
            format!(
                "{what} `{name}` of `{}` is left out in {}, and this refers to it",
                w.id.node,
                variant(app)
            ),
        )
        .label(format!("refers to a {what} that `exclude` leaves out"))
        .also(off.span, "left out here")
        .help(format!(
            "leave out or override what refers to it in the same environment, or keep the {what}"
        )),
    )
}

fn unknown_port(app: &App, w: &Workload, name: &str, span: crate::span::Span) -> Diagnostic {
    if let Some(d) = part_left_out(app, w, "port", name, span) {
        return d;
    }
    let names: Vec<&str> = w.ports.iter().map(|p| p.name.as_str()).collect();
    Diagnostic::new(
        Code::UnknownPort,
        span,
        format!("`{}` has no port named `{name}`", w.id.node),
    )
    .label("unknown port")
    .also(w.id.span, format!("`{}` is declared here", w.id.node))
    .maybe_help(suggest::did_you_mean(name, names, "ports"))
}

fn expr(app: &App, e: &Expr, diags: &mut Vec<Diagnostic>) {
    for p in &e.parts {
        match p {
            Part::Text(_) => {}
            Part::Url { target: t, .. } | Part::Port(t) => target(app, t, "reach", diags),
            Part::Host(t) => target(app, t, "name", diags),
        }
    }
}

fn config_names(app: &App) -> Vec<&str> {
    app.configs
        .iter()
        .map(|c| c.name.as_str())
        .chain(app.secrets.iter().map(|s| s.name.as_str()))
        .collect()
}

fn unknown_config(app: &App, name: &crate::ir::Name) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownConfig,
        name.span,
        format!("no config or secret is called `{}`", name.node),
    )
    .label("unknown config or secret")
    .maybe_help(suggest::did_you_mean(
        &name.node,
        config_names(app),
        "configs and secrets",
    ))
}

fn workload(app: &App, w: &Workload, diags: &mut Vec<Diagnostic>) {
    for c in w.containers() {
        env(app, c, diags);
        // An init container's probes are an error of their own (lowering).
        if c.role != crate::ir::ContainerRole::Init {
            probes(app, w, c, diags);
        }
        uses(app, w, c, diags);
    }
    mounts(app, w, diags);
    selector(app, w, diags);
    let subsets = w
        .expose_ports
        .iter()
        .chain(w.extra_services.iter().filter_map(|x| x.ports.as_ref()));
    for p in subsets.flatten() {
        if w.port_named(&p.node).is_none() {
            diags.push(unknown_port(app, w, &p.node, p.span));
        }
    }
}

/// `mount VOLUME at PATH` in an init or sidecar block: a volume of the pod,
/// each path once.
fn uses(app: &App, w: &Workload, c: &Container, diags: &mut Vec<Diagnostic>) {
    for (i, u) in c.mounts.iter().enumerate() {
        let missing = !w.mounts.iter().any(|m| m.name.node == u.volume.node);
        if let Some(d) =
            part_left_out(app, w, "volume", &u.volume.node, u.volume.span).filter(|_| missing)
        {
            diags.push(d);
        } else if missing {
            let names = w
                .mounts
                .iter()
                .filter(|m| !m.implicit)
                .map(|m| m.name.node.as_str());
            diags.push(
                Diagnostic::new(
                    Code::UnknownVolume,
                    u.volume.span,
                    format!("`{}` has no volume `{}`", w.id.node, u.volume.node),
                )
                .label("not a volume of this pod")
                .help(
                    suggest::did_you_mean(&u.volume.node, names, "the pod's volumes").unwrap_or_else(|| {
                        format!(
                            "declare it in `{}` with `volume {} ... at PATH`; a container mounts the pod's volumes",
                            w.id.node, u.volume.node
                        )
                    }),
                ),
            );
        }
        let earlier = c.mounts.iter().take(i).find(|v| v.path.node == u.path.node);
        if let Some(first) = earlier {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateMount,
                    u.path.span,
                    format!("two mounts at `{}` in `{}`", u.path.node, c.name.node),
                )
                .label("second mount here")
                .also(first.path.span, "first mount here")
                .help("a container mounts one volume per path"),
            );
        }
    }
}

fn env(app: &App, c: &Container, diags: &mut Vec<Diagnostic>) {
    for e in &c.env {
        match &e.value {
            EnvValue::Expr(x) => expr(app, x, diags),
            EnvValue::Ref { item, key, .. } => env_ref(app, item, key, diags),
            EnvValue::Field(_) | EnvValue::Resource(_) => {}
        }
    }
    for f in &c.env_from {
        match app.symbol(&f.name.node) {
            Some(Symbol::Config(_) | Symbol::Secret(_)) => {}
            Some(_) => diags.push(
                Diagnostic::new(
                    Code::WrongKind,
                    f.name.span,
                    format!("`{}` is not a config or secret", f.name.node),
                )
                .label("`env from` reads every key of a config or secret"),
            ),
            None => diags.push(unknown_config(app, &f.name)),
        }
    }
}

fn mounts(app: &App, w: &Workload, diags: &mut Vec<Diagnostic>) {
    for m in &w.mounts {
        // `keys`: each a key of the config or secret (when it is one).
        if let MountSource::Config(n) | MountSource::Secret(n) = &m.source {
            let kind_ok = matches!(
                (&m.source, app.symbol(&n.node)),
                (MountSource::Config(_), Some(Symbol::Config(_)))
                    | (MountSource::Secret(_), Some(Symbol::Secret(_)))
            );
            for (key, _) in m.items.iter().filter(|_| kind_ok) {
                env_ref(app, n, key, diags);
            }
        }
        match &m.source {
            MountSource::Claim(n) => match app.symbol(&n.node) {
                Some(Symbol::Volume(_)) => {}
                Some(_) => diags.push(
                    Diagnostic::new(
                        Code::WrongKind,
                        n.span,
                        format!("`{}` is not a volume", n.node),
                    )
                    .label("`claim` mounts a top-level `volume`"),
                ),
                None => diags.push(
                    Diagnostic::new(
                        Code::UnknownVolume,
                        n.span,
                        format!("no volume is called `{}`", n.node),
                    )
                    .label("unknown volume")
                    .maybe_help(suggest::did_you_mean(
                        &n.node,
                        app.volumes
                            .iter()
                            .map(|v| v.name.as_str())
                            .collect::<Vec<_>>(),
                        "volumes",
                    )),
                ),
            },
            MountSource::Config(n) => {
                if app.config(&n.node).is_none() {
                    diags.push(match app.secret(&n.node) {
                        Some(_) => Diagnostic::new(
                            Code::WrongKind,
                            n.span,
                            format!("`{}` is a secret", n.node),
                        )
                        .label("not a config")
                        .help(format!("write `secret {}`", n.node)),
                        None => unknown_config(app, n),
                    });
                }
            }
            MountSource::Secret(n) => {
                if app.secret(&n.node).is_none() {
                    diags.push(match app.config(&n.node) {
                        Some(_) => Diagnostic::new(
                            Code::WrongKind,
                            n.span,
                            format!("`{}` is a config", n.node),
                        )
                        .label("not a secret")
                        .help(format!("write `config {}`", n.node)),
                        None => unknown_config(app, n),
                    });
                }
            }
            _ => {}
        }
    }
}

fn probes(app: &App, w: &Workload, c: &Container, diags: &mut Vec<Diagnostic>) {
    for p in &c.probes {
        let port = match &p.action {
            ProbeAction::Http { port, .. }
            | ProbeAction::Tcp { port }
            | ProbeAction::Grpc { port, .. } => port,
            ProbeAction::Exec(_) => continue,
        };
        match port {
            Some(PortRef::Name(n)) => {
                if w.port_named(&n.node).is_none() {
                    diags.push(unknown_port(app, w, &n.node, n.span));
                }
            }
            Some(PortRef::Number(_)) => {}
            None if c.ports.is_empty() && !w.incomplete => {
                let who = if c.role == crate::ir::ContainerRole::App {
                    "the service"
                } else {
                    "the sidecar"
                };
                diags.push(
                    Diagnostic::new(
                        Code::MissingField,
                        p.span,
                        format!("the {} probe has no port to check", p.kind.keyword()),
                    )
                    .label(format!("{who} declares no port"))
                    .help(format!(
                        "add `port NAME NUMBER` to {who}, or `port N` to the probe"
                    )),
                )
            }
            None => {}
        }
    }
}

fn selector(app: &App, w: &Workload, diags: &mut Vec<Diagnostic>) {
    if let Some(sel) = &w.selector {
        let pod_labels = app.pod_labels(w);
        for (k, v) in sel {
            if v.is_none() && !pod_labels.contains_key(&k.node) {
                let labels: Vec<&str> = pod_labels.keys().map(String::as_str).collect();
                diags.push(
                    Diagnostic::new(Code::SelectorMismatch, k.span, format!("the selector key `{}` is not a label of `{}`", k.node, w.id.node))
                        .label("not among the pod labels")
                        .help(match suggest::nearest(&k.node, labels.iter().copied()) {
                            Some(best) => format!("did you mean `{best}`?"),
                            None => format!("add `labels {{ {} = VALUE }}`, or write `selector {{ {} = VALUE }}`", k.node, k.node),
                        }),
                );
            }
        }
    }
}

fn env_ref(app: &App, item: &crate::ir::Name, key: &crate::ir::Name, diags: &mut Vec<Diagnostic>) {
    match app.symbol(&item.node) {
        Some(Symbol::Config(c)) => {
            let present = c.entries.iter().any(|e| e.key.node == key.node);
            if let Some(d) =
                key_left_out(app, &c.excluded, key, Code::UnknownConfigKey).filter(|_| !present)
            {
                diags.push(d);
            } else if !present {
                let keys: Vec<&str> = c.entries.iter().map(|e| e.key.as_str()).collect();
                diags.push(
                    Diagnostic::new(
                        Code::UnknownConfigKey,
                        key.span,
                        format!("config `{}` has no key `{}`", c.name.node, key.node),
                    )
                    .label("unknown key")
                    .also(c.name.span, "the config is declared here")
                    .maybe_help(suggest::did_you_mean(&key.node, keys, "keys")),
                );
            }
        }
        Some(Symbol::Secret(s)) => {
            let present = s.keys.iter().any(|k| k.node == key.node);
            if let Some(d) =
                key_left_out(app, &s.excluded, key, Code::UnknownSecretKey).filter(|_| !present)
            {
                diags.push(d);
            } else if !present {
                let keys: Vec<&str> = s.keys.iter().map(|k| k.as_str()).collect();
                diags.push(
                    Diagnostic::new(
                        Code::UnknownSecretKey,
                        key.span,
                        format!("secret `{}` has no key `{}`", s.name.node, key.node),
                    )
                    .label("unknown key")
                    .also(s.name.span, "the secret is declared here")
                    .maybe_help(suggest::did_you_mean(&key.node, keys, "keys")),
                );
            }
        }
        Some(Symbol::Workload(w)) => diags.push(
            Diagnostic::new(
                Code::WrongKind,
                item.span,
                format!("`{}` is a service, not a config or secret", item.node),
            )
            .label("`NAME.KEY` reads a config or secret key")
            .help(format!("for its address, write `url({})`", w.id.node)),
        ),
        Some(_) => diags.push(
            Diagnostic::new(
                Code::WrongKind,
                item.span,
                format!("`{}` is not a config or secret", item.node),
            )
            .label("`NAME.KEY` reads a config or secret key"),
        ),
        None => {
            let mut d = unknown_config(app, item);
            if d.help.is_none() {
                d.help = Some(format!(
                    "if `{}.{}` is meant as text, put it in quotes",
                    item.node, key.node
                ));
            }
            diags.push(d);
        }
    }
}
