//! AST → IR for services and databases.

mod exclude;
mod rollout;

use super::layer::{Admit, At, Key, Keyed, L, Layer, LineEnd, MetaBuilder, Misplaced, Seen};
use super::placement;
use super::values::{self, Diags, QtyKind};
use super::*;
use crate::ast::{self, Block, BlockKind, EnvForm, Kw, ProbeOpt, StmtKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Spanned;
use crate::syntax::table as keywords;

/// Lowers a `service` or `database` block with its defaults and overrides.
pub fn lower(
    b: &Block,
    defaults: &[L],
    own: &[L],
    line_end: LineEnd,
    diags: &mut Diags,
) -> Workload {
    let kind = match b.kind {
        BlockKind::Database => WorkloadKind::Database,
        BlockKind::Job => WorkloadKind::Job,
        _ => WorkloadKind::Service,
    };
    let mut w = Workload::empty(&b.name, kind, b.span);
    w.incomplete = b.recovered;
    let mut stmts: Vec<L> = defaults.iter().chain(own).copied().collect();
    stmts.sort_by_key(|l| l.layer);
    // `init` and `sidecar` blocks are read after the rest, by name.
    let (blocks, stmts): (Vec<L>, Vec<L>) = stmts
        .into_iter()
        .partition(|l| matches!(l.stmt.kind, StmtKind::Container(_)));
    build(&mut w, &stmts, line_end, diags);
    let excluded = super::containers::excluded(&stmts);
    for g in super::containers::groups(&blocks, line_end, diags) {
        if excluded.contains(&g.name.node) {
            continue;
        }
        let part = lower_part(&g.name, g.span, &g.stmts, line_end, diags);
        super::containers::add(&mut w, g, part, diags);
    }
    w
}

/// Reads the statements of an `init` or `sidecar` block (already checked
/// to be container statements) as a workload's would be read: its app
/// container, ports and `run-as` are the block's.
pub(super) fn lower_part(
    id: &Name,
    span: Span,
    stmts: &[L],
    line_end: LineEnd,
    diags: &mut Diags,
) -> Workload {
    let mut w = Workload::empty(id, WorkloadKind::Service, span);
    build(&mut w, stmts, line_end, diags);
    w
}

/// Applies the statements, in layer order, to `w`.
fn build(w: &mut Workload, stmts: &[L], line_end: LineEnd, diags: &mut Diags) {
    let errors_before = diags.len();
    let mut b = Builder {
        w,
        meta: MetaBuilder::default(),
        seen: Seen::default(),
        ports: Keyed::default(),
        probes: Keyed::default(),
        env: Keyed::default(),
        mounts: Keyed::default(),
        pod: Default::default(),
        extra: Keyed::default(),
        mis: Misplaced::new(),
        line_end,
        diags,
    };
    for l in stmts {
        b.stmt(l);
    }
    let (meta, ports, probes, env, mounts) = (b.meta, b.ports, b.probes, b.env, b.mounts);
    let extra = b.extra;
    let (pod, diags) = (b.pod, b.diags);
    pod.finish(w);
    w.apply_root_image();
    w.extra_services = extra.into_values();
    w.meta = meta.meta();
    w.ports = ports.into_values();
    w.app.probes = probes.into_values();
    w.app.env = env.into_values();
    w.mounts = mounts.into_values();
    w.incomplete |= diags.len() > errors_before;
}

struct Builder<'w, 'd, 'f> {
    w: &'w mut Workload,
    meta: MetaBuilder,
    seen: Seen,
    ports: Keyed<Port>,
    probes: Keyed<Probe>,
    env: Keyed<EnvVar>,
    mounts: Keyed<Mount>,
    /// `pod-annotations`, `node-selector` and `tolerate`, merged key by key.
    pod: placement::Pod,
    /// `expose TYPE as NAME`, by name.
    extra: Keyed<ExtraService>,
    mis: Misplaced,
    line_end: LineEnd<'f>,
    diags: &'d mut Diags,
}

impl Builder<'_, '_, '_> {
    /// Whether the single-valued setting of this statement may be (re)set
    /// by it; remembers whether its value is an app-level default.
    fn fresh(&mut self, l: &L) -> bool {
        let admitted = self.seen.setting(l, self.diags);
        if let (true, Some(kw)) = (admitted, l.stmt.kw) {
            if Self::is_default(l) {
                self.w.defaulted.insert(kw);
            } else {
                self.w.defaulted.remove(&kw);
            }
        }
        admitted
    }

    fn is_default(l: &L) -> bool {
        matches!(l.layer, Layer::Default | Layer::EnvDefault)
    }

    fn stmt(&mut self, l: &L) {
        if self.meta.take(l, self.diags) || !self.fits(l) {
            return;
        }
        let taken = self.container_setting(l)
            || self.pod_setting(l)
            || self.job_setting(l)
            || self.placement_setting(l)
            || self.security_setting(l)
            || self.keyed(l);
        if !taken {
            self.misplaced(l);
        }
    }

    fn misplaced(&mut self, l: &L) {
        let (kind, ctx) = match self.w.kind {
            WorkloadKind::Database => ("a database", keywords::Ctx::Workload),
            WorkloadKind::Service => ("a service", keywords::Ctx::Workload),
            WorkloadKind::Job => ("a job", keywords::Ctx::Job),
        };
        let valid = keywords::valid_in(ctx);
        self.mis
            .report(self.line_end, l.stmt, kind, &valid, self.diags);
    }

    /// Whether the statement's row takes this kind of workload; one that
    /// does not is reported, unless it is an app-level default (`replicas`
    /// at app level does not apply to a job).
    fn fits(&mut self, l: &L) -> bool {
        let ctx = match self.w.kind {
            WorkloadKind::Job => keywords::Ctx::Job,
            _ => keywords::Ctx::Workload,
        };
        let Some(kw) = l.stmt.kw else { return true };
        let fits = keywords::ROWS
            .iter()
            .any(|r| r.kw == kw && r.ctxs.contains(&ctx));
        if !fits && !Self::is_default(l) {
            self.misplaced(l);
        }
        fits
    }

    /// A job's own settings (`ir/job.rs`); false when the statement is not one of them.
    fn job_setting(&mut self, l: &L) -> bool {
        if !super::job::is_setting(l) {
            return false;
        }
        if self.fresh(l) {
            super::job::apply(l, self.w, self.diags);
        }
        true
    }

    /// The settings of the container; false when the statement is not one of them.
    fn container_setting(&mut self, l: &L) -> bool {
        match &l.stmt.kind {
            StmtKind::Simple(Kw::Name, s) => {
                if self.fresh(l) {
                    self.w.name = Some(s.spanned());
                }
            }
            StmtKind::Simple(Kw::Container, s) => {
                if self.fresh(l) {
                    self.w.app.name = s.spanned();
                }
            }
            StmtKind::Simple(Kw::Image, s) => {
                if self.fresh(l) {
                    self.w.app.image = Some(s.spanned());
                }
            }
            StmtKind::Simple(Kw::Pull, s) => {
                if self.fresh(l) {
                    let p = values::word(
                        s,
                        "pull policy",
                        &[
                            ("always", PullPolicy::Always),
                            ("if-not-present", PullPolicy::IfNotPresent),
                            ("never", PullPolicy::Never),
                            ("Always", PullPolicy::Always),
                            ("IfNotPresent", PullPolicy::IfNotPresent),
                            ("Never", PullPolicy::Never),
                        ],
                        self.diags,
                    );
                    self.w.app.pull = p.map(|p| Spanned::new(p, s.span));
                }
            }
            StmtKind::Command(v) => {
                if self.fresh(l) {
                    self.w.app.command = values::command(v, self.diags);
                }
            }
            StmtKind::Args(v) => {
                if self.fresh(l) {
                    self.w.app.args = values::command(v, self.diags);
                }
            }
            StmtKind::Simple(Kw::Workdir, s) => {
                if self.fresh(l) {
                    self.w.app.workdir = Some(s.spanned());
                }
            }
            StmtKind::Simple(kw @ (Kw::Cpu | Kw::Memory | Kw::Ephemeral), s) => {
                if self.fresh(l) {
                    let kind = if *kw == Kw::Cpu {
                        QtyKind::Cpu
                    } else {
                        QtyKind::Bytes
                    };
                    let (request, limit) = values::range(s, kind, self.diags);
                    let r = Some(Resource {
                        request,
                        limit,
                        span: s.span,
                    });
                    match kw {
                        Kw::Cpu => self.w.app.cpu = r,
                        Kw::Memory => self.w.app.memory = r,
                        _ => self.w.app.ephemeral = r,
                    }
                }
            }
            _ => return false,
        }
        true
    }

    /// The pod's identity and placement (`ir/placement.rs`); false when the
    /// statement is not one of them.
    fn placement_setting(&mut self, l: &L) -> bool {
        if self.pod.take(l, self.diags) {
            return true;
        }
        if !placement::is_setting(l) {
            return false;
        }
        if self.fresh(l) {
            placement::apply(l, self.w, self.diags);
        }
        true
    }

    /// The settings of the pod and its Service; false when the statement is not one of them.
    fn pod_setting(&mut self, l: &L) -> bool {
        let db = self.w.kind == WorkloadKind::Database;
        match &l.stmt.kind {
            StmtKind::Simple(Kw::Replicas, s) => {
                if db && Self::is_default(l) {
                    return true;
                }
                if self.fresh(l) {
                    self.w.replicas = values::int(s, "`replicas`", self.diags);
                }
            }
            StmtKind::Simple(Kw::TargetPorts, s) => {
                if self.fresh(l) {
                    let forms = [("by-name", true), ("by-number", false)];
                    self.w.ports_by_name =
                        values::word(s, "target-ports form", &forms, self.diags).unwrap_or(false);
                }
            }
            StmtKind::Simple(Kw::Grace, s) => {
                if self.fresh(l) {
                    self.w.grace = values::duration(s, self.diags).map(|n| Spanned::new(n, s.span));
                }
            }
            StmtKind::Selector(entries) => {
                if self.fresh(l) {
                    self.w.selector = Some(
                        entries
                            .iter()
                            .map(|(k, v)| (k.spanned(), v.as_ref().map(ast::Scalar::spanned)))
                            .collect(),
                    );
                    self.w.selector_span = l.stmt.span;
                }
            }
            StmtKind::Expose { kind, name, ports } => {
                self.expose(l, kind, name.as_ref(), ports.as_deref())
            }
            StmtKind::Disruption(d) => {
                if self.fresh(l) {
                    self.w.disruption = d.as_ref().and_then(|(min, n)| {
                        let n = self.int_or_percent(n, "a disruption budget")?;
                        let d = if *min {
                            Disruption::MinAvailable(n)
                        } else {
                            Disruption::MaxUnavailable(n)
                        };
                        Some(Spanned::new(d, l.stmt.span))
                    });
                }
            }
            StmtKind::Strategy {
                recreate,
                surge,
                unavailable,
            } => self.strategy(l, *recreate, surge.as_ref(), unavailable.as_ref()),
            _ => return false,
        }
        true
    }

    /// The security settings; false when the statement is not one of them.
    fn security_setting(&mut self, l: &L) -> bool {
        match &l.stmt.kind {
            StmtKind::Simple(Kw::FsGroup, s) => {
                if self.fresh(l) {
                    self.w.security.fs_group = values::int(s, "`fs-group`", self.diags);
                }
            }
            StmtKind::Simple(Kw::RunAs, s) => {
                if self.fresh(l) {
                    self.w.security.run_as = values::run_as(s, self.diags);
                }
            }
            StmtKind::Flag(f) => {
                let span = Some(l.stmt.span);
                match f {
                    Kw::WritableRoot => self.w.app.security.writable_root = span,
                    Kw::AllowEscalation => self.w.app.security.allow_escalation = span,
                    Kw::RootImage => self.w.security.root_image = span,
                    _ => self.w.security.mount_token = span,
                }
            }
            StmtKind::CapAdd(caps) => {
                if self.fresh(l) {
                    self.w.app.security.cap_add = caps.iter().map(ast::Scalar::spanned).collect();
                }
            }
            StmtKind::Accept(names) => self.w.accept.extend(names.iter().map(ast::Scalar::spanned)),
            StmtKind::Simple(Kw::Seccomp, s) => {
                if self.fresh(l) {
                    let unconfined = values::word(
                        s,
                        "seccomp profile",
                        &[("runtime-default", false), ("unconfined", true)],
                        self.diags,
                    );
                    self.w.security.seccomp_unconfined = unconfined.filter(|u| *u).map(|_| s.span);
                }
            }
            _ => return false,
        }
        true
    }

    /// The statements keyed by name or kind: ports, probes, env, volumes; false when the statement is not one of them.
    fn keyed(&mut self, l: &L) -> bool {
        match &l.stmt.kind {
            StmtKind::Port { .. } => self.port(l),
            StmtKind::Probe { kind, action, opts } => self.probe(l, *kind, action, opts),
            StmtKind::Env(form) => self.env(l, form),
            StmtKind::Mount { .. } => self.mount(l),
            StmtKind::ExcludePart { what, name } => self.exclude(l, what, name.as_ref()),
            _ => return false,
        }
        true
    }

    fn expose(
        &mut self,
        l: &L,
        kind: &ast::Scalar,
        name: Option<&ast::Scalar>,
        ports: Option<&[ast::Scalar]>,
    ) {
        let expose = values::word(
            kind,
            "service type",
            &[
                ("cluster-ip", Expose::ClusterIp),
                ("headless", Expose::Headless),
                ("node-port", Expose::NodePort),
                ("load-balancer", Expose::LoadBalancer),
                ("none", Expose::None),
            ],
            self.diags,
        );
        let ports = ports.map(|p| p.iter().map(ast::Scalar::spanned).collect());
        let Some(name) = name else {
            if self.fresh(l) {
                self.w.expose = expose.map(|e| Spanned::new(e, kind.span));
                self.w.expose_ports = ports;
            }
            return;
        };
        let Some(expose) = expose else { return };
        let at = At {
            layer: l.layer,
            span: name.span,
            what: &format!("the Service `{}`", name.text),
            code: Code::DuplicateSetting,
        };
        let extra = ExtraService {
            name: name.spanned(),
            expose: Spanned::new(expose, kind.span),
            ports,
            span: l.stmt.span,
        };
        self.extra.upsert(&name.text, &at, extra, self.diags);
    }

    fn int_or_percent(&mut self, s: &ast::Scalar, what: &str) -> Option<IntOrPercent> {
        if s.text.ends_with('%') {
            return values::percent(s, self.diags).map(|_| IntOrPercent::Percent(s.text.clone()));
        }
        values::int(s, what, self.diags).map(|n| IntOrPercent::Int(n.node))
    }

    fn port(&mut self, l: &L) {
        let StmtKind::Port {
            first,
            second,
            target,
            node,
            protocol,
            target_name,
        } = &l.stmt.kind
        else {
            return;
        };
        let (second, target, node, protocol) = (
            second.as_ref(),
            target.as_ref(),
            node.as_ref(),
            protocol.as_ref(),
        );
        let (name, number) = match second {
            Some(n) => (first.spanned(), n),
            None => (Spanned::new("http".to_string(), first.span), first),
        };
        let Some(port) = values::int(number, "a port", self.diags) else {
            return;
        };
        let target = match target {
            Some(t) => match values::int(t, "a container port", self.diags) {
                Some(t) => t,
                None => return,
            },
            None => port.clone(),
        };
        let node = node.and_then(|n| values::int(n, "a nodePort", self.diags));
        let protocol = match protocol {
            Some(p) => match values::word(
                p,
                "protocol",
                &[
                    ("tcp", Protocol::Tcp),
                    ("udp", Protocol::Udp),
                    ("sctp", Protocol::Sctp),
                ],
                self.diags,
            ) {
                Some(p) => p,
                None => return,
            },
            None => Protocol::Tcp,
        };
        let p = Port {
            name: name.clone(),
            port,
            target,
            node,
            protocol,
            span: l.stmt.span,
            target_name: target_name.as_ref().map(ast::Scalar::spanned),
            container: None,
        };
        let at = At {
            layer: l.layer,
            span: name.span,
            what: &format!("port `{}`", name.node),
            code: Code::DuplicatePort,
        };
        self.ports.upsert(&name.node, &at, p, self.diags);
    }

    fn port_ref(&mut self, s: &ast::Scalar) -> PortRef {
        match s.text.parse::<i64>() {
            Ok(n) => PortRef::Number(Spanned::new(n, s.span)),
            Err(_) => PortRef::Name(s.spanned()),
        }
    }

    fn probe(
        &mut self,
        l: &L,
        kind: ast::ProbeKind,
        action: &ast::ProbeAction,
        opts: &[(ProbeOpt, ast::Scalar)],
    ) {
        let mut port_opt = None;
        let (mut https, mut headers, mut service) = (false, Vec::new(), None);
        let mut p = Probe {
            kind,
            action: ProbeAction::Tcp { port: None },
            delay: None,
            period: None,
            timeout: None,
            failures: None,
            successes: None,
            span: l.stmt.span,
        };
        for (opt, s) in opts {
            match opt {
                ProbeOpt::Port => port_opt = Some(self.port_ref(s)),
                ProbeOpt::Scheme => {
                    https =
                        values::word(s, "scheme", &[("http", false), ("https", true)], self.diags)
                            .unwrap_or(false);
                }
                ProbeOpt::Header => {
                    headers.push((s.spanned(), Spanned::new(String::new(), s.span)))
                }
                ProbeOpt::HeaderValue => {
                    if let Some(h) = headers.last_mut() {
                        h.1 = s.spanned();
                    }
                }
                ProbeOpt::Service => service = Some(s.spanned()),
                ProbeOpt::Delay => p.delay = values::duration(s, self.diags),
                ProbeOpt::Period => p.period = values::duration(s, self.diags),
                ProbeOpt::Timeout => p.timeout = values::duration(s, self.diags),
                ProbeOpt::Failures => {
                    p.failures = values::int(s, "`failures`", self.diags).map(|n| n.node)
                }
                ProbeOpt::Successes => {
                    p.successes = values::int(s, "`successes`", self.diags).map(|n| n.node)
                }
            }
        }
        p.action = match action {
            ast::ProbeAction::Http(path) => ProbeAction::Http {
                path: path.as_ref().map_or_else(
                    || Spanned::new("/".to_string(), l.stmt.keyword),
                    ast::Scalar::spanned,
                ),
                port: port_opt,
                https,
                headers,
            },
            ast::ProbeAction::Grpc(port) => ProbeAction::Grpc {
                port: port.as_ref().map(|s| self.port_ref(s)).or(port_opt),
                service,
            },
            ast::ProbeAction::Tcp(port) => ProbeAction::Tcp {
                port: port.as_ref().map(|s| self.port_ref(s)).or(port_opt),
            },
            ast::ProbeAction::Exec(v) => match values::command(v, self.diags) {
                Some(cmd) => ProbeAction::Exec(cmd),
                None => return,
            },
        };
        let at = At {
            layer: l.layer,
            span: l.stmt.keyword,
            what: &format!("the {} probe", kind.keyword()),
            code: Code::DuplicateSetting,
        };
        self.probes.upsert(kind.keyword(), &at, p, self.diags);
    }

    fn env(&mut self, l: &L, form: &EnvForm) {
        match form {
            EnvForm::Group(forms) => {
                for f in forms {
                    self.env(l, f);
                }
            }
            EnvForm::From { name, prefix } => {
                let what = format!("`env from {}`", name.node);
                if self.seen.admit(
                    Key::Name(format!("from:{}", name.node)),
                    l.layer,
                    name.span,
                    &what,
                    Code::DuplicateEnv,
                    self.diags,
                ) == Admit::New
                {
                    self.w.app.env_from.push(EnvFrom {
                        name: name.clone(),
                        prefix: prefix.as_ref().map(|p| p.text.clone()),
                        span: l.stmt.span,
                        from: None,
                        optional: false,
                    });
                }
            }
            EnvForm::Assign { name, value } => {
                let single_ref = match value.terms.as_slice() {
                    [ast::Term::Scalar(s)] => {
                        values::as_reference(s).filter(|_| !is_number(&s.text))
                    }
                    _ => None,
                };
                let v = match (single_ref, values::downward(value, self.diags)) {
                    (_, Some(Err(()))) => return,
                    (_, Some(Ok(v))) => v,
                    (Some((item, key)), None) => EnvValue::Ref {
                        item,
                        key,
                        from: None,
                        optional: false,
                    },
                    (None, None) => match values::expr(value, self.diags) {
                        Some(e) => EnvValue::Expr(e),
                        None => return,
                    },
                };
                self.put_env(l, name.clone(), v);
            }
            EnvForm::Pick(s) => match values::as_reference(s) {
                Some((item, key)) => self.put_env(
                    l,
                    key.clone(),
                    EnvValue::Ref {
                        item,
                        key,
                        from: None,
                        optional: false,
                    },
                ),
                None => self.diags.push(
                    Diagnostic::new(
                        Code::SyntaxError,
                        s.span,
                        format!(
                            "expected `NAME = value` or `CONFIG.KEY`, found `{}`",
                            s.text
                        ),
                    )
                    .label("not an environment variable definition")
                    .help(format!(
                        "`env {0} = \"...\"` sets a variable, `env CONFIG.KEY` reads a key; at app level, `env {0} {{ ... }}` declares an environment",
                        s.text
                    )),
                ),
            },
        }
    }

    fn put_env(&mut self, l: &L, name: Name, value: EnvValue) {
        let span = match &value {
            EnvValue::Ref { item, key, .. } => name.span.to(item.span).to(key.span),
            EnvValue::Expr(e) => name.span.to(e.span),
            EnvValue::Field(f) | EnvValue::Resource(f) => name.span.to(f.span),
        };
        let var = EnvVar {
            name: name.clone(),
            value,
            span,
        };
        let at = At {
            layer: l.layer,
            span: name.span,
            what: &format!("environment variable `{}`", name.node),
            code: Code::DuplicateEnv,
        };
        self.env.upsert(&name.node, &at, var, self.diags);
    }

    fn mount(&mut self, l: &L) {
        let StmtKind::Mount {
            name,
            source,
            path,
            read_only,
            sub_path,
            keys,
            file_mode,
        } = &l.stmt.kind
        else {
            return;
        };
        let read_only = *read_only;
        let items = keys.iter().map(values::key_file).collect();
        let file_mode = file_mode
            .as_ref()
            .and_then(|m| values::file_mode(m, self.diags));
        let source = match source {
            ast::MountSource::EmptyDir { size, memory } => MountSource::EmptyDir {
                size: size
                    .as_ref()
                    .and_then(|s| values::quantity(s, QtyKind::Bytes, self.diags)),
                memory: *memory,
            },
            ast::MountSource::Claim(n) => MountSource::Claim(n.clone()),
            ast::MountSource::Config(n) => MountSource::Config(n.clone()),
            ast::MountSource::Secret(n) => MountSource::Secret(n.clone()),
            ast::MountSource::HostPath(s) => MountSource::HostPath(s.spanned()),
            ast::MountSource::New {
                size,
                class,
                access,
                mode,
            } => MountSource::New(ClaimSpec {
                size: values::quantity(size, QtyKind::Bytes, self.diags),
                class: class.as_ref().map(ast::Scalar::spanned),
                access: access
                    .as_ref()
                    .and_then(|a| super::items::access_mode(a, self.diags))
                    .into_iter()
                    .collect(),
                block: mode
                    .as_ref()
                    .and_then(|m| super::items::volume_mode(m, self.diags))
                    .unwrap_or(false),
                volume_mode_set: mode.is_some(),
            }),
        };
        let m = Mount {
            name: name.clone(),
            source,
            path: path.spanned(),
            read_only,
            sub_path: sub_path.as_ref().map(ast::Scalar::spanned),
            items,
            file_mode,
            optional: false,
            span: l.stmt.span,
            claim: None,
            implicit: false,
        };
        let at = At {
            layer: l.layer,
            span: name.span,
            what: &format!("volume `{}`", name.node),
            code: Code::DuplicateMount,
        };
        self.mounts.upsert(&name.node, &at, m, self.diags);
    }
}

fn is_number(text: &str) -> bool {
    text.parse::<f64>().is_ok()
}
