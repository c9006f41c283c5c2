//! The captures of a statement read by its signature → the AST: a
//! statement of a block, an item of the app, the file.

use super::caps::{Caps, name_of};
use super::read::{Read, Reader};
use super::sig::Cap;
use super::table::{Ctx, Sig};
use super::tokens::{Body, Tok};
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::{Span, Spanned};

impl Reader<'_> {
    /// The statement of a block, from its captures.
    pub fn stmt_of(&mut self, r: &mut Read, _ctx: Option<Ctx>) -> Option<Stmt> {
        let kind = self.kind_of(r)?;
        Some(Stmt {
            kw: Some(r.row.kw),
            kind,
            keyword: r.keyword,
            span: r.span,
        })
    }

    fn kind_of(&mut self, r: &mut Read) -> Option<StmtKind> {
        let mut c = Caps::new(&mut r.caps);
        let kw = r.row.keyword;
        Some(match kw {
            "labels" => StmtKind::Labels(self.map(c.block()?)),
            "annotations" => StmtKind::Annotations(self.map(c.block()?)),
            "pv-labels" => StmtKind::PvLabels(self.map(c.block()?)),
            "pod-annotations" | "node-selector" => StmtKind::Pairs(r.row.kw, self.map(c.block()?)),
            "exclude" if r.row.kw == Kw::ExcludePart => exclude(&mut c)?,
            "spread" | "pull-secret" | "history" | "exclude" | "include" => {
                StmtKind::List(r.row.kw, c.vals())
            }
            "tolerate" => tolerate(&mut c)?,
            "patch" => StmtKind::Patch {
                kind: c.val()?,
                name: c.val()?,
                body: c.val()?,
            },
            "object" => StmtKind::Object(c.val()?),
            "expose" => expose(&mut c)?,
            "disruption" => StmtKind::Disruption(match c.lit() {
                Some("none") => None,
                Some(w) => Some((w == "min-available", c.val()?)),
                None => return None,
            }),
            "pre-stop" => StmtKind::PreStop(match c.lit() {
                Some("sleep") => crate::ast::PreStopAction::Sleep(c.val()?),
                _ => crate::ast::PreStopAction::Exec(c.value()?),
            }),
            "init" | "sidecar" => self.container_block(kw, &mut c)?,
            "mount" => {
                let volume = c.val()?;
                c.lit();
                let path = c.val()?;
                let (read_only, sub_path) = mount_options(&mut c);
                StmtKind::Use {
                    volume,
                    path,
                    read_only,
                    sub_path,
                }
            }
            "annotation" => {
                let key = c.val()?;
                c.lit();
                StmtKind::Annotation(Pair {
                    key,
                    value: c.val()?,
                })
            }
            "selector" => StmtKind::Selector(self.selector(c.block()?)),
            "access" => StmtKind::Access(c.vals()),
            "cap-add" => StmtKind::CapAdd(c.vals()),
            "accept" => StmtKind::Accept(c.vals()),
            "host" => self.host(&mut c)?,
            "external" => StmtKind::External {
                optional: c.lit() == Some("optional"),
            },
            "store" => store(&mut c)?,
            "tls" => StmtKind::Tls(c.val()),
            "command" => StmtKind::Command(c.value()?),
            "args" => StmtKind::Args(c.value()?),
            _ if r.row.sig.is_empty() => StmtKind::Flag(r.row.kw),
            "port" => port(&mut c)?,
            "liveness" | "readiness" | "startup" => probe(kw, &mut c)?,
            "env" => StmtKind::Env(self.env_form(&mut c)?),
            "strategy" => strategy(&mut c),
            "volume" => mount(&mut c)?,
            "route" => route(&mut c)?,
            "allow" => {
                let from = c.val()?;
                c.lit();
                StmtKind::Allow { from, to: c.val()? }
            }
            _ if matches!(r.row.sig, [Sig::Val(_)]) => StmtKind::Simple(r.row.kw, c.val()?),
            _ => return None,
        })
    }

    /// `host HOST ...`, or `host HOST ... { }` with routes of its own.
    fn host(&mut self, c: &mut Caps) -> Option<StmtKind> {
        let hosts = c.vals();
        Some(match c.block() {
            Some(body) => {
                let (stmts, recovered) = self.stmts(body, Some(Ctx::Host));
                StmtKind::HostBlock(Box::new(HostBlock {
                    hosts,
                    stmts,
                    recovered,
                }))
            }
            None => StmtKind::Host(hosts),
        })
    }

    /// `init NAME { }` or `sidecar NAME [native] { }`.
    fn container_block(&mut self, kw: &str, c: &mut Caps) -> Option<StmtKind> {
        let name = name_of(c.val()?);
        let native = c.lit() == Some("native");
        let (stmts, recovered) = self.stmts(c.block()?, Some(Ctx::Container));
        Some(StmtKind::Container(Box::new(ContainerBlock {
            init: kw == "init",
            native,
            name,
            stmts,
            recovered,
        })))
    }

    fn env_form(&mut self, c: &mut Caps) -> Option<EnvForm> {
        if let Some(b) = c.block() {
            return Some(EnvForm::Group(self.env_group(b)));
        }
        if c.lit() == Some("from") {
            let name = name_of(c.val()?);
            c.lit();
            let prefix = c.val();
            return Some(EnvForm::From { name, prefix });
        }
        let first = c.val()?;
        if c.lit() == Some("=") {
            return Some(EnvForm::Assign {
                name: name_of(first),
                value: c.value()?,
            });
        }
        Some(EnvForm::Pick(first))
    }
}

/// `store STORE [cluster] [remote KEY] [refresh DURATION]`.
fn store(c: &mut Caps) -> Option<StmtKind> {
    let store = c.val()?;
    let (mut cluster, mut remote, mut refresh) = (false, None, None);
    for (w, v) in c.options() {
        match w {
            "cluster" => cluster = true,
            "remote" => remote = v,
            "refresh" => refresh = v,
            _ => {}
        }
    }
    Some(StmtKind::Store {
        store,
        cluster,
        remote,
        refresh,
    })
}

/// `exclude allow FROM -> TO` or `exclude WHAT [NAME]` in an item.
fn exclude(c: &mut Caps) -> Option<StmtKind> {
    Some(match c.lit() {
        Some("allow") => {
            let from = c.val()?;
            c.lit();
            StmtKind::ExcludeAllow { from, to: c.val()? }
        }
        _ => StmtKind::ExcludePart {
            what: c.val()?,
            name: c.val(),
        },
    })
}

fn tolerate(c: &mut Caps) -> Option<StmtKind> {
    let key = c.val()?;
    let (mut value, mut effect) = (None, None);
    for (w, v) in c.options() {
        match w {
            "=" => value = v,
            _ => effect = v,
        }
    }
    Some(StmtKind::Tolerate { key, value, effect })
}

fn expose(c: &mut Caps) -> Option<StmtKind> {
    let kind = c.val()?;
    let (mut name, mut ports) = (None, None);
    while let Some(w) = c.lit() {
        match w {
            "as" => name = c.val(),
            _ => ports = Some(c.vals()),
        }
    }
    Some(StmtKind::Expose { kind, name, ports })
}

fn port(c: &mut Caps) -> Option<StmtKind> {
    let first = c.val()?;
    let second = c.val();
    let (mut target, mut node, mut protocol, mut target_name) = (None, None, None, None);
    for (w, v) in c.options() {
        match w {
            "->" => target = v,
            "node" => node = v,
            "target-name" => target_name = v,
            _ => protocol = v,
        }
    }
    Some(StmtKind::Port {
        first,
        second,
        target,
        node,
        protocol,
        target_name,
    })
}

fn probe(kw: &str, c: &mut Caps) -> Option<StmtKind> {
    let kind = match kw {
        "liveness" => ProbeKind::Liveness,
        "readiness" => ProbeKind::Readiness,
        _ => ProbeKind::Startup,
    };
    let action = match c.lit()? {
        "http" => ProbeAction::Http(c.val()),
        "tcp" => ProbeAction::Tcp(c.val()),
        "grpc" => ProbeAction::Grpc(c.val()),
        _ => ProbeAction::Exec(c.value()?),
    };
    let opts = c
        .options()
        .into_iter()
        .filter_map(|(w, v)| {
            let opt = match w {
                "port" => ProbeOpt::Port,
                "scheme" => ProbeOpt::Scheme,
                "header" => ProbeOpt::Header,
                "=" => ProbeOpt::HeaderValue,
                "service" => ProbeOpt::Service,
                "delay" => ProbeOpt::Delay,
                "period" => ProbeOpt::Period,
                "timeout" => ProbeOpt::Timeout,
                "failures" => ProbeOpt::Failures,
                _ => ProbeOpt::Successes,
            };
            Some((opt, v?))
        })
        .collect();
    Some(StmtKind::Probe { kind, action, opts })
}

fn strategy(c: &mut Caps) -> StmtKind {
    let recreate = c.lit() == Some("recreate");
    let (mut surge, mut unavailable) = (None, None);
    for (w, v) in c.options() {
        if w == "surge" {
            surge = v;
        } else {
            unavailable = v;
        }
    }
    StmtKind::Strategy {
        recreate,
        surge,
        unavailable,
    }
}

fn mount(c: &mut Caps) -> Option<StmtKind> {
    let name = name_of(c.val()?);
    let source = match c.lit() {
        Some("emptydir") => {
            let (mut size, mut memory) = (None, false);
            while let Some(w) = c.lit() {
                if w == "size" {
                    size = c.val();
                } else if w == "memory" {
                    memory = true;
                } else {
                    c.unread();
                    break;
                }
            }
            MountSource::EmptyDir { size, memory }
        }
        Some("claim") => MountSource::Claim(name_of(c.val()?)),
        Some("config") => MountSource::Config(name_of(c.val()?)),
        Some("secret") => MountSource::Secret(name_of(c.val()?)),
        Some("host-path") => MountSource::HostPath(c.val()?),
        Some(_) => return None,
        None => {
            let size = c.val()?;
            let (mut class, mut access, mut mode) = (None, None, None);
            while let Some(w) = c.lit() {
                match w {
                    "class" => class = c.val(),
                    "access" => access = c.val(),
                    "mode" => mode = c.val(),
                    _ => {
                        c.unread();
                        break;
                    }
                }
            }
            MountSource::New {
                size,
                class,
                access,
                mode,
            }
        }
    };
    // `keys KEY[:FILE] ...` and `file-mode MODE` of a config or secret.
    let (mut keys, mut file_mode) = (Vec::new(), None);
    while let Some(w) = c.lit() {
        match w {
            "keys" => keys = c.vals(),
            "file-mode" => file_mode = c.val(),
            _ => break,
        }
    }
    let path = c.val()?;
    let (read_only, sub_path) = mount_options(c);
    Some(StmtKind::Mount {
        name,
        source,
        path,
        read_only,
        sub_path,
        keys,
        file_mode,
    })
}

/// `[read-only] [sub-path SUBPATH]`, in any order.
fn mount_options(c: &mut Caps) -> (bool, Option<Scalar>) {
    let (mut read_only, mut sub_path) = (false, None);
    while let Some(w) = c.lit() {
        match w {
            "read-only" => read_only = true,
            _ => sub_path = c.val(),
        }
    }
    (read_only, sub_path)
}

fn route(c: &mut Caps) -> Option<StmtKind> {
    let kind = match c.lit() {
        Some("exact") => RouteKind::Exact,
        Some("regex") => RouteKind::Regex,
        _ => RouteKind::Prefix,
    };
    let path = c.val()?;
    c.lit();
    let target = c.val()?;
    Some(StmtKind::Route { kind, path, target })
}

impl Reader<'_> {
    /// The file: one `app NAME { ... }`.
    pub fn file(&mut self, body: &Body) -> Option<File> {
        let mut lines = body.lines.iter().filter(|l| !l.toks.is_empty());
        let Some(first) = lines.next() else {
            self.diags.push(
                Diagnostic::new(Code::MissingApp, Span::new(0, 0), "the file has no app")
                    .label("empty")
                    .help("start with `app NAME { ... }`; see docs/language.md"),
            );
            return None;
        };
        let app = self.app(first);
        let tail: Vec<&Tok> = match &app {
            Some((_, used)) => first.toks.iter().skip(*used).collect(),
            None => Vec::new(),
        };
        let rest = tail
            .first()
            .copied()
            .or_else(|| lines.next().and_then(|l| l.toks.first()));
        let app = app.map(|(a, _)| a);
        if let (Some(a), Some(t)) = (&app, rest) {
            let start = t.span().start;
            let line_end = self
                .source
                .get(start..)
                .and_then(|r| r.find('\n'))
                .map_or(self.source.len(), |i| start + i);
            let end = self
                .source
                .get(start..line_end)
                .map_or(start + 1, |l| start + l.trim_end().len().max(1));
            self.diags.push(
                Diagnostic::new(
                    Code::MissingApp,
                    Span::new(start, end),
                    "unexpected text after the app block",
                )
                .label("outside the app")
                .also(
                    Span::new(a.span.end.saturating_sub(1), a.span.end),
                    "the app block ends here",
                )
                .help("a file holds exactly one `app NAME { ... }` block; move this inside it"),
            );
        }
        app.map(|app| File {
            app,
            trivia: Vec::new(),
        })
    }

    /// `app NAME { ... }` at the start of the first line; the app and how many tokens it used.
    fn app(&mut self, line: &super::tokens::Line) -> Option<(App, usize)> {
        let toks = &line.toks;
        let first = toks.first()?;
        let word = match first {
            Tok::Word(s) => self.text(*s),
            _ => "",
        };
        if word != "app" {
            let shown = self.shown(first);
            self.diags.push(
                Diagnostic::new(
                    Code::MissingApp,
                    first.span(),
                    format!("expected `app`, found {shown}"),
                )
                .label("a file starts with `app NAME {`")
                .help("wrap the items in `app NAME { ... }`"),
            );
            return None;
        }
        let m = self.matcher(toks);
        let (name, body) = match (m.value(1, &[]), toks.get(2)) {
            (Some(name), Some(Tok::Block(b))) => (name, b),
            _ => {
                let end = toks.last().map_or(first.span().end, |t| t.span().end);
                self.diags.push(
                    Diagnostic::new(
                        Code::SyntaxError,
                        Span::new(first.span().start, end),
                        "incomplete `app` statement",
                    )
                    .label("expected `app NAME { ... }`")
                    .help("a file holds one `app NAME { ... }` block"),
                );
                return None;
            }
        };
        let items = self.app_items(body);
        let span = Span::new(first.span().start, body.span.end);
        Some((
            App {
                name: name_of(name),
                items,
                span,
            },
            3,
        ))
    }

    /// The items of the app body.
    pub fn app_items(&mut self, body: &Body) -> Vec<Item> {
        let mut items = Vec::new();
        for line in &body.lines {
            self.app_line(&line.toks, &mut items, Ctx::App);
        }
        items
    }

    fn app_line(&mut self, toks: &[Tok], items: &mut Vec<Item>, ctx: Ctx) {
        let mut at = 0;
        let mut after_key = false;
        while let Some(t) = toks.get(at) {
            match t {
                Tok::Word(s)
                    if super::table::is_keyword(self.text(*s))
                        && !matches!(toks.get(at + 1), Some(Tok::Eq(_))) =>
                {
                    let kw = self.text(*s);
                    after_key = false;
                    match self.statement(kw, *s, toks, at, Some(ctx)) {
                        Ok((mut read, next)) => {
                            items.extend(self.item_of(&mut read));
                            at = next.max(at + 1);
                        }
                        Err(d) => {
                            self.diags.push(*d);
                            return;
                        }
                    }
                }
                Tok::Word(_) | Tok::Str(_) => {
                    let (stmt, next) = self.key_or_entry(toks, at);
                    after_key = matches!(stmt.as_ref().map(|s| &s.kind), Some(StmtKind::Key(_)));
                    items.extend(stmt.map(Item::Stmt));
                    at = next.max(at + 1);
                }
                // `servce web { ... }`: the unknown word is reported, not the rest.
                _ if after_key => return,
                other => {
                    let d = self.stray(other, "the app body");
                    self.diags.push(d);
                    return;
                }
            }
        }
    }

    /// An item of the app body, from a statement read there.
    fn item_of(&mut self, r: &mut Read) -> Option<Item> {
        let env_block = matches!(r.caps.as_slice(), [Cap::Val(_), Cap::Block(_)]);
        let row = r.row;
        if !is_item(row) {
            return self.stmt_of(r, Some(Ctx::App)).map(Item::Stmt);
        }
        let mut c = Caps::new(&mut r.caps);
        let kind = match r.row.keyword {
            "namespace" => BlockKind::Namespace,
            "chart" => BlockKind::Chart,
            "config" => BlockKind::Config,
            "secret" => BlockKind::Secret,
            "service" => BlockKind::Service,
            "database" => BlockKind::Database,
            "job" => BlockKind::Job,
            "volume" if r.row.ctxs.contains(&Ctx::App) => BlockKind::Volume,
            "ingress" => BlockKind::Ingress,
            "network" => BlockKind::Network,
            "naming" => return Some(Item::Naming(self.map(c.block()?), r.span)),
            "autoscale" => return Some(Item::Autoscale(autoscale(&mut c, r.span)?)),
            "env" if env_block => {
                let name = name_of(c.val()?);
                let body = c.block()?;
                let items = self.env_items(body);
                return Some(Item::Env(EnvBlock {
                    name,
                    items,
                    span: r.span,
                    braces: (body.open, body.close),
                }));
            }
            _ => return None,
        };
        let name = match c.val() {
            Some(n) => name_of(n),
            None => Spanned::new(String::new(), r.keyword),
        };
        let body = c.block();
        let (stmts, recovered) = match body {
            Some(b) => self.stmts(b, Some(kind.ctx())),
            None => (Vec::new(), false),
        };
        let end = Span::new(r.span.end, r.span.end);
        Some(Item::Block(Block {
            kind,
            name,
            stmts,
            span: r.span,
            braces: body.map_or((end, end), |b| (b.open, b.close)),
            recovered,
        }))
    }

    /// The overrides of `env NAME { }`.
    fn env_items(&mut self, body: &Body) -> Vec<EnvItem> {
        let mut out = Vec::new();
        for line in &body.lines {
            self.env_line(&line.toks, &mut out);
        }
        out
    }

    fn env_line(&mut self, toks: &[Tok], out: &mut Vec<EnvItem>) {
        let mut at = 0;
        while let Some(t) = toks.get(at) {
            let Tok::Word(s) = t else {
                let d = self.stray(t, "an env block");
                self.diags.push(d);
                return;
            };
            let word = self.text(*s);
            // `TARGET { statements }`
            if let Some(item) = self.target_block(word, *s, toks.get(at + 1)) {
                out.push(item);
                at += 2;
                continue;
            }
            // `TARGET.statement` or `CONFIG.KEY = value`
            if let Some((target, rest)) = word
                .split_once('.')
                .filter(|_| !super::table::is_keyword(word))
            {
                let t_span = Span::new(s.start, s.start + target.len());
                let r_span = Span::new(t_span.end + 1, s.end);
                let target = Spanned::new(target.to_string(), t_span);
                if super::table::is_keyword(rest) {
                    match self.statement(rest, r_span, toks, at, None) {
                        Ok((mut read, next)) => {
                            let stmts = self
                                .stmt_of(&mut read, None)
                                .into_iter()
                                .map(exclude_part)
                                .collect();
                            out.push(EnvItem::Target { target, stmts });
                            at = next.max(at + 1);
                            continue;
                        }
                        Err(d) => {
                            self.diags.push(*d);
                            return;
                        }
                    }
                }
                if matches!(toks.get(at + 1), Some(Tok::Eq(_))) {
                    if let Some((value, next)) = self.matcher(toks).expr(at + 2) {
                        let key = Spanned::new(rest.to_string(), r_span);
                        let span = key.span.to(value.span);
                        out.push(EnvItem::Target {
                            target,
                            stmts: vec![Stmt {
                                kw: None,
                                kind: StmtKind::Entry { key, value },
                                keyword: r_span,
                                span,
                            }],
                        });
                        at = next;
                        continue;
                    }
                }
            }
            if !super::table::is_keyword(word) {
                self.diags.push(self.not_an_override(*s));
                return;
            }
            match self.statement(word, *s, toks, at, Some(Ctx::App)) {
                Ok((mut read, next)) => {
                    out.extend(self.item_of(&mut read).map(|i| EnvItem::App(Box::new(i))));
                    at = next.max(at + 1);
                }
                Err(d) => {
                    self.diags.push(*d);
                    return;
                }
            }
        }
    }

    /// `TARGET { statements }` in an environment.
    fn target_block(&mut self, word: &str, at: Span, next: Option<&Tok>) -> Option<EnvItem> {
        let Some(Tok::Block(b)) = next.filter(|_| !super::table::is_keyword(word)) else {
            return None;
        };
        let (stmts, _) = self.stmts(b, None);
        Some(EnvItem::Target {
            target: Spanned::new(word.to_string(), at),
            stmts: stmts.into_iter().map(exclude_part).collect(),
        })
    }

    fn not_an_override(&self, s: Span) -> Diagnostic {
        let word = self.text(s);
        Diagnostic::new(
            Code::UnknownStatement,
            s,
            format!("unknown statement `{word}`"),
        )
        .label("not a statement here")
        .maybe_help(crate::suggest::did_you_mean(
            word,
            super::table::KEYWORDS.iter().copied(),
            "statements valid here",
        ))
    }
}

fn autoscale(c: &mut Caps, span: Span) -> Option<Autoscale> {
    let target = name_of(c.val()?);
    let range = c.val()?;
    let mut a = Autoscale {
        target,
        range,
        cpu: None,
        memory: None,
        name: None,
        windows: [None, None],
        rates: [None, None],
        no_scale_down: None,
        span,
    };
    while let Some(w) = c.lit() {
        let up = usize::from(!w.starts_with("up"));
        match w {
            "cpu" => a.cpu = c.val(),
            "memory" => a.memory = c.val(),
            "name" => a.name = c.val(),
            "up-window" | "down-window" => {
                if let Some(slot) = a.windows.get_mut(up) {
                    *slot = c.val();
                }
            }
            "up-rate" | "down-rate" => {
                let amount = c.val();
                c.lit();
                let period = c.val();
                if let (Some(slot), Some(amount), Some(period)) =
                    (a.rates.get_mut(up), amount, period)
                {
                    *slot = Some((amount, period));
                }
            }
            _ => a.no_scale_down = Some(span),
        }
    }
    Some(a)
}

/// Whether a row read in the app body is an item (a block, `naming`,
/// `autoscale`, `env NAME { }`) rather than a statement.
fn is_item(row: &super::table::Row) -> bool {
    match row.keyword {
        "namespace" | "chart" | "config" | "secret" | "service" | "database" | "job"
        | "ingress" | "network" | "naming" | "autoscale" => true,
        "volume" | "env" => {
            row.ctxs.contains(&Ctx::App)
                && row
                    .sig
                    .iter()
                    .any(|s| matches!(s, super::table::Sig::Block(_) | super::table::Sig::Alt(_)))
                && !row.ctxs.contains(&Ctx::Workload)
        }
        _ => false,
    }
}

/// A `TARGET { }` block of an environment is read before the kind of its
/// item is known, so `exclude WHAT NAME` may have been read as the app-level
/// `exclude ITEM ...`: with one or two values, it is the part form (a config
/// or secret reads `exclude KEY [KEY]` from it too).
fn exclude_part(stmt: Stmt) -> Stmt {
    match stmt.kind {
        StmtKind::List(Kw::Exclude, vals) if vals.len() <= 2 => {
            let mut vals = vals.into_iter();
            let kind = match vals.next() {
                Some(what) => StmtKind::ExcludePart {
                    what,
                    name: vals.next(),
                },
                None => StmtKind::List(Kw::Exclude, Vec::new()),
            };
            Stmt {
                kw: Some(Kw::ExcludePart),
                kind,
                ..stmt
            }
        }
        _ => stmt,
    }
}
