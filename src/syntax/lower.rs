//! pest pairs → AST. Nothing after this module sees a pest `Pair`.

use super::Rule;
use super::errors::{self, Context};
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::{Span, Spanned};
use pest::iterators::{Pair as PestPair, Pairs};

type P<'i> = PestPair<'i, Rule>;

struct Lowerer<'s> {
    source: &'s str,
    diags: Vec<Diagnostic>,
}

/// The span of a pair, without the blanks and comment lines pest includes
/// after a statement whose optional tail did not match.
fn span(p: &P) -> Span {
    let s = p.as_span();
    let mut text = s.as_str().trim_end();
    while let Some(nl) = text.rfind('\n') {
        let last = text.get(nl + 1..).unwrap_or("").trim_start();
        if !last.starts_with('#') {
            break;
        }
        text = text.get(..nl).unwrap_or("").trim_end();
    }
    Span::new(s.start(), s.start() + text.len())
}

fn ident(p: &P) -> Spanned<String> {
    Spanned::new(p.as_str().to_string(), span(p))
}

/// Lowers the `file` rule.
pub fn lower_file(source: &str, mut pairs: Pairs<Rule>) -> (Option<File>, Vec<Diagnostic>) {
    let mut lw = Lowerer {
        source,
        diags: Vec::new(),
    };
    let mut app = None;
    let mut tail = None;
    if let Some(file) = pairs.next() {
        for p in file.into_inner() {
            match p.as_rule() {
                Rule::app => app = lw.app(p),
                Rule::bad_tail => tail = Some(span(&p)),
                _ => {}
            }
        }
    }
    match (app, tail) {
        (Some(app), None) => (Some(File { app }), lw.diags),
        (Some(app), Some(t)) => {
            let first_line = source
                .get(t.range())
                .and_then(|x| x.lines().next())
                .map_or(0, |l| l.trim_end().len());
            lw.diags.push(
                Diagnostic::new(
                    Code::MissingApp,
                    Span::new(t.start, t.start + first_line.max(1)),
                    "unexpected text after the app block",
                )
                .label("outside the app")
                .also(
                    Span::new(app.span.end.saturating_sub(1), app.span.end),
                    "the app block ends here",
                )
                .help("a file holds exactly one `app NAME { ... }` block; move this inside it"),
            );
            (Some(File { app }), lw.diags)
        }
        (None, Some(t)) => {
            let d = lw.no_app(t);
            lw.diags.push(d);
            (None, lw.diags)
        }
        (None, None) => {
            lw.diags.push(
                Diagnostic::new(Code::MissingApp, Span::new(0, 0), "the file has no app")
                    .label("empty")
                    .help("start with `app NAME { ... }`; see docs/language.md"),
            );
            (None, lw.diags)
        }
    }
}

impl Lowerer<'_> {
    /// Explains why the text that should be an app is not one.
    fn no_app(&self, tail: Span) -> Diagnostic {
        let text = self.source.get(tail.range()).unwrap_or("");
        let first = text.split_whitespace().next().unwrap_or("");
        if first != "app" {
            return Diagnostic::new(
                Code::MissingApp,
                Span::new(tail.start, tail.start + first.len()),
                format!("expected `app`, found `{first}`"),
            )
            .label("a file starts with `app NAME {`")
            .help("wrap the items in `app NAME { ... }`");
        }
        use pest::Parser;
        match super::TaskflowParser::parse(Rule::file_strict, self.source) {
            Err(e) => errors::from_pest(&e, self.source, 0, "the file"),
            Ok(_) => Diagnostic::new(Code::SyntaxError, tail, "the app block cannot be read"),
        }
    }

    fn skipped(&mut self, p: &P, ctx: Context) {
        let d = errors::skipped(p.as_str(), span(p).start, ctx);
        self.diags.push(d);
    }

    fn app(&mut self, p: P) -> Option<App> {
        let sp = span(&p);
        let mut inner = p.into_inner();
        let _kw = inner.next()?;
        let name = ident(&inner.next()?);
        let mut items = Vec::new();
        for item in inner {
            if item.as_rule() == Rule::bad_stmt {
                self.skipped(&item, Context::App);
                continue;
            }
            if let Some(i) = self.item(item) {
                items.push(i);
            }
        }
        Some(App {
            name,
            items,
            span: sp,
        })
    }

    fn item(&mut self, p: P) -> Option<Item> {
        let sp = span(&p);
        let rule = p.as_rule();
        let block_kind = match rule {
            Rule::namespace_item => Some(BlockKind::Namespace),
            Rule::chart_item => Some(BlockKind::Chart),
            Rule::config_item => Some(BlockKind::Config),
            Rule::secret_item => Some(BlockKind::Secret),
            Rule::service_item => Some(BlockKind::Service),
            Rule::database_item => Some(BlockKind::Database),
            Rule::volume_item => Some(BlockKind::Volume),
            Rule::ingress_item => Some(BlockKind::Ingress),
            Rule::network_item => Some(BlockKind::Network),
            _ => None,
        };
        if let Some(kind) = block_kind {
            return self.block(kind, p).map(Item::Block);
        }
        match rule {
            Rule::naming_item => {
                let map = p.into_inner().nth(1)?;
                Some(Item::Naming(self.map(map), sp))
            }
            Rule::autoscale_item => self.autoscale(p).map(Item::Autoscale),
            Rule::env_block => self.env_block(p).map(Item::Env),
            _ => self.stmt(p).map(Item::Stmt),
        }
    }

    fn block(&mut self, kind: BlockKind, p: P) -> Option<Block> {
        let sp = span(&p);
        let mut inner = p.into_inner();
        let kw = inner.next()?;
        let (name, body) = match inner.peek().map(|p| p.as_rule()) {
            // `chart { }` and `network { }` may go without a name.
            Some(Rule::ident) => (ident(&inner.next()?), inner.next()),
            _ => (Spanned::new(String::new(), span(&kw)), inner.next()),
        };
        let (stmts, recovered) = match body {
            Some(b) => self.body(b, Some(kind)),
            None => (Vec::new(), false),
        };
        Some(Block {
            kind,
            name,
            stmts,
            span: sp,
            recovered,
        })
    }

    /// The statements of a block, and whether one was skipped.
    fn body(&mut self, p: P, kind: Option<BlockKind>) -> (Vec<Stmt>, bool) {
        let mut stmts: Vec<Stmt> = Vec::new();
        let mut recovered = false;
        for s in p.into_inner() {
            if s.as_rule() == Rule::bad_stmt {
                recovered = true;
                // `imagee api:2.0` reads as keys `imagee`, `api` and then
                // junk: the unknown key is reported later, once per line.
                let after_key = stmts.last().is_some_and(|last| {
                    matches!(last.kind, StmtKind::Key(_))
                        && self.same_line(last.span.end, span(&s).start)
                });
                let bad = span(&s);
                if after_key && kind != Some(BlockKind::Secret) {
                    continue;
                }
                // Junk right after a statement on its line usually belongs to
                // it (`port http 80 ->`): re-parse them together.
                match stmts
                    .last()
                    .filter(|last| self.same_line(last.span.end, bad.start))
                {
                    Some(last) => {
                        let start = last.span.start;
                        let text = self.source.get(start..bad.end).unwrap_or("");
                        self.diags
                            .push(errors::skipped(text, start, Context::Block(kind)));
                    }
                    None => self.skipped(&s, Context::Block(kind)),
                }
            } else if let Some(stmt) = self.stmt(s) {
                stmts.push(stmt);
            }
        }
        (stmts, recovered)
    }

    fn same_line(&self, a: usize, b: usize) -> bool {
        self.source
            .get(a.min(b)..a.max(b))
            .is_some_and(|between| !between.contains('\n'))
    }

    fn autoscale(&mut self, p: P) -> Option<Autoscale> {
        let sp = span(&p);
        let mut inner = p.into_inner();
        let _kw = inner.next()?;
        let target = ident(&inner.next()?);
        let range = self.scalar(inner.next()?);
        let mut a = Autoscale {
            target,
            range,
            cpu: None,
            memory: None,
            name: None,
            span: sp,
        };
        for opt in inner {
            let mut o = opt.into_inner();
            let (Some(kw), Some(v)) = (o.next(), o.next()) else {
                continue;
            };
            let v = self.scalar(v);
            match kw.as_rule() {
                Rule::k_cpu => a.cpu = Some(v),
                Rule::k_memory => a.memory = Some(v),
                _ => a.name = Some(v),
            }
        }
        Some(a)
    }

    fn env_block(&mut self, p: P) -> Option<EnvBlock> {
        let sp = span(&p);
        let mut inner = p.into_inner();
        let _kw = inner.next()?;
        let name = ident(&inner.next()?);
        let mut items = Vec::new();
        for i in inner {
            match i.as_rule() {
                Rule::bad_stmt => self.skipped(&i, Context::Env),
                Rule::target_stmt => {
                    let mut t = i.into_inner();
                    let (Some(target), Some(stmt)) = (t.next(), t.next()) else {
                        continue;
                    };
                    if let Some(stmt) = self.stmt(stmt) {
                        items.push(EnvItem::Target {
                            target: ident(&target),
                            stmts: vec![stmt],
                        });
                    }
                }
                Rule::target_block => {
                    let mut t = i.into_inner();
                    let (Some(target), Some(body)) = (t.next(), t.next()) else {
                        continue;
                    };
                    let (stmts, _) = self.body(body, None);
                    items.push(EnvItem::Target {
                        target: ident(&target),
                        stmts,
                    });
                }
                _ => {
                    if let Some(item) = self.item(i) {
                        items.push(EnvItem::App(Box::new(item)));
                    }
                }
            }
        }
        Some(EnvBlock {
            name,
            items,
            span: sp,
        })
    }

    // -- values ---------------------------------------------------------

    fn scalar(&mut self, p: P) -> Scalar {
        let sp = span(&p);
        match p.as_rule() {
            Rule::string => {
                let text = match p.into_inner().next() {
                    Some(inner) if inner.as_rule() == Rule::raw_string => raw_text(inner.as_str()),
                    Some(inner) => self.unescape(inner.as_str(), span(&inner)),
                    None => String::new(),
                };
                self.carriable(&text, sp);
                Scalar {
                    text,
                    quoted: true,
                    span: sp,
                }
            }
            _ => Scalar {
                text: p.as_str().to_string(),
                quoted: false,
                span: sp,
            },
        }
    }

    /// Reports text that kustomize cannot carry (see [`crate::emit::yaml::uncarriable`]).
    fn carriable(&mut self, text: &str, sp: Span) {
        if let Some(c) = text.chars().find(|c| crate::emit::yaml::uncarriable(*c)) {
            self.diags.push(
                Diagnostic::new(
                    Code::UncarriableText,
                    sp,
                    format!(
                        "this string holds U+{:04X}, which `kubectl apply -k` cannot carry",
                        u32::from(c)
                    ),
                )
                .label("DEL, C1 controls, U+FFFE and U+FFFF cannot be written")
                .help(
                    "remove the character; docs/language.md lists the characters text cannot hold",
                ),
            );
        }
    }

    /// Resolves the escapes of a quoted string (`raw` includes the quotes).
    fn unescape(&mut self, raw: &str, sp: Span) -> String {
        let body = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
        let mut out = String::with_capacity(body.len());
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let at = sp.start + 1 + i;
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, '"')) => out.push('"'),
                Some((_, 'u')) => match unicode_escape(&mut chars) {
                    Some(ch) => out.push(ch),
                    None => self.diags.push(
                        Diagnostic::new(
                            Code::InvalidEscape,
                            Span::new(at, at + 2),
                            "invalid unicode escape",
                        )
                        .label("expected `\\u{HEX}` naming a character")
                        .help("write e.g. `\\u{e9}` for é"),
                    ),
                },
                Some((_, other)) => self.diags.push(
                    Diagnostic::new(
                        Code::InvalidEscape,
                        Span::new(at, at + 1 + other.len_utf8()),
                        format!("unknown escape `\\{other}`"),
                    )
                    .label("not an escape")
                    .help("write `\\\\` for a backslash, or use a raw string \"\"\"...\"\"\""),
                ),
                None => {}
            }
        }
        out
    }

    fn value(&mut self, p: P) -> Value {
        let sp = span(&p);
        let terms = if p.as_rule() == Rule::value {
            p.into_inner().filter_map(|t| self.term(t)).collect()
        } else {
            self.term(p).into_iter().collect()
        };
        Value { terms, span: sp }
    }

    fn term(&mut self, p: P) -> Option<Term> {
        let sp = span(&p);
        match p.as_rule() {
            Rule::call => {
                let mut inner = p.into_inner();
                let name = ident(&inner.next()?);
                let args = inner.map(|a| self.scalar(a)).collect();
                Some(Term::Call {
                    name,
                    args,
                    span: sp,
                })
            }
            Rule::list => {
                let items = p.into_inner().map(|v| self.value(v)).collect();
                Some(Term::List(items, sp))
            }
            _ => Some(Term::Scalar(self.scalar(p))),
        }
    }

    fn map(&mut self, p: P) -> Vec<Pair> {
        let mut out = Vec::new();
        for item in p.into_inner() {
            match item.as_rule() {
                Rule::pair => {
                    if let Some(pair) = self.pair(item) {
                        out.push(pair);
                    }
                }
                _ => self.skipped(&item, Context::Map),
            }
        }
        out
    }

    fn pair(&mut self, p: P) -> Option<Pair> {
        let mut inner = p.into_inner();
        let key = self.scalar(inner.next()?);
        let value = self.scalar(inner.next()?);
        Some(Pair { key, value })
    }

    // -- statements -----------------------------------------------------

    fn stmt(&mut self, p: P) -> Option<Stmt> {
        let sp = span(&p);
        let rule = p.as_rule();
        let mut inner = p.into_inner();
        let first = inner.next()?;
        let keyword = span(&first);
        let kind = match rule {
            Rule::labels_stmt => StmtKind::Labels(self.map(inner.next()?)),
            Rule::annotations_stmt => StmtKind::Annotations(self.map(inner.next()?)),
            Rule::annotation_stmt => StmtKind::Annotation(self.pair(inner.next()?)?),
            Rule::pv_labels_stmt => StmtKind::PvLabels(self.map(inner.next()?)),
            Rule::name_stmt => StmtKind::Name(self.scalar(inner.next()?)),
            Rule::container_stmt => StmtKind::Container(self.scalar(inner.next()?)),
            Rule::image_stmt => StmtKind::Image(self.scalar(inner.next()?)),
            Rule::pull_stmt => StmtKind::Pull(self.scalar(inner.next()?)),
            Rule::replicas_stmt => StmtKind::Replicas(self.scalar(inner.next()?)),
            Rule::expose_stmt => StmtKind::Expose(self.scalar(inner.next()?)),
            Rule::cpu_stmt => StmtKind::Cpu(self.scalar(inner.next()?)),
            Rule::memory_stmt => StmtKind::Memory(self.scalar(inner.next()?)),
            Rule::workdir_stmt => StmtKind::Workdir(self.scalar(inner.next()?)),
            Rule::run_as_stmt => StmtKind::RunAs(self.scalar(inner.next()?)),
            Rule::seccomp_stmt => StmtKind::Seccomp(self.scalar(inner.next()?)),
            Rule::size_stmt => StmtKind::Size(self.scalar(inner.next()?)),
            Rule::class_stmt => StmtKind::Class(self.scalar(inner.next()?)),
            Rule::mode_stmt => StmtKind::Mode(self.scalar(inner.next()?)),
            Rule::host_path_stmt => StmtKind::HostPath(self.scalar(inner.next()?)),
            Rule::host_type_stmt => StmtKind::HostType(self.scalar(inner.next()?)),
            Rule::pv_stmt => StmtKind::Pv(self.scalar(inner.next()?)),
            Rule::reclaim_stmt => StmtKind::Reclaim(self.scalar(inner.next()?)),
            Rule::type_stmt => StmtKind::Type(self.scalar(inner.next()?)),
            Rule::version_stmt => StmtKind::Version(self.scalar(inner.next()?)),
            Rule::app_version_stmt => StmtKind::AppVersion(self.scalar(inner.next()?)),
            Rule::description_stmt => StmtKind::Description(self.scalar(inner.next()?)),
            Rule::access_stmt => StmtKind::Access(inner.map(|s| self.scalar(s)).collect()),
            Rule::cap_add_stmt => StmtKind::CapAdd(inner.map(|s| self.scalar(s)).collect()),
            Rule::accept_stmt => StmtKind::Accept(inner.map(|s| self.scalar(s)).collect()),
            Rule::host_stmt => StmtKind::Host(inner.map(|s| self.scalar(s)).collect()),
            Rule::tls_stmt => StmtKind::Tls(inner.next().map(|s| self.scalar(s))),
            Rule::command_stmt => StmtKind::Command(self.value(inner.next()?)),
            Rule::args_stmt => StmtKind::Args(self.value(inner.next()?)),
            Rule::flag_stmt => StmtKind::Flag(match first.as_rule() {
                Rule::k_writable_root => Flag::WritableRoot,
                Rule::k_allow_escalation => Flag::AllowEscalation,
                _ => Flag::MountToken,
            }),
            Rule::selector_stmt => StmtKind::Selector(self.selector(inner)),
            Rule::port_stmt => self.port(inner)?,
            Rule::probe_stmt => self.probe(first, inner)?,
            Rule::env_stmt => StmtKind::Env(self.env_form(inner.next()?)?),
            Rule::strategy_stmt => self.strategy(inner),
            Rule::mount_stmt => self.mount(inner)?,
            Rule::route_stmt => self.route(inner)?,
            Rule::allow_stmt => StmtKind::Allow {
                from: self.scalar(inner.next()?),
                to: self.scalar(inner.next()?),
            },
            Rule::entry => {
                let key = ident(&first);
                StmtKind::Entry {
                    key,
                    value: self.value(inner.next()?),
                }
            }
            Rule::key_stmt if first.as_rule() == Rule::string => {
                StmtKind::Key(self.scalar(first.clone()).spanned())
            }
            Rule::key_stmt => StmtKind::Key(ident(&first)),
            _ => return None,
        };
        Some(Stmt {
            kind,
            keyword,
            span: sp,
        })
    }

    fn selector(&mut self, inner: Pairs<Rule>) -> Vec<(Scalar, Option<Scalar>)> {
        let mut out = Vec::new();
        for item in inner {
            match item.as_rule() {
                Rule::pair => {
                    if let Some(pair) = self.pair(item) {
                        out.push((pair.key, Some(pair.value)));
                    }
                }
                Rule::sel_key => {
                    if let Some(s) = item.into_inner().next() {
                        out.push((self.scalar(s), None));
                    }
                }
                _ => self.skipped(&item, Context::Map),
            }
        }
        out
    }

    fn port(&mut self, inner: Pairs<Rule>) -> Option<StmtKind> {
        let mut first = None;
        let mut second = None;
        let mut target = None;
        let mut node = None;
        let mut protocol = None;
        for p in inner {
            match p.as_rule() {
                Rule::port_target => target = p.into_inner().next().map(|s| self.scalar(s)),
                Rule::port_opt => {
                    let mut o = p.into_inner();
                    let (Some(kw), Some(v)) = (o.next(), o.next()) else {
                        continue;
                    };
                    let v = self.scalar(v);
                    if kw.as_rule() == Rule::k_node {
                        node = Some(v);
                    } else {
                        protocol = Some(v);
                    }
                }
                _ => {
                    let s = self.scalar(p);
                    if first.is_none() {
                        first = Some(s);
                    } else {
                        second = Some(s);
                    }
                }
            }
        }
        Some(StmtKind::Port {
            first: first?,
            second,
            target,
            node,
            protocol,
        })
    }

    fn probe(&mut self, kind_pair: P, mut inner: Pairs<Rule>) -> Option<StmtKind> {
        let kind = match kind_pair.into_inner().next()?.as_rule() {
            Rule::k_liveness => ProbeKind::Liveness,
            Rule::k_readiness => ProbeKind::Readiness,
            _ => ProbeKind::Startup,
        };
        let action_pair = inner.next()?.into_inner().next()?;
        let action_rule = action_pair.as_rule();
        let mut a = action_pair.into_inner();
        let _kw = a.next();
        let arg = a.next();
        let action = match action_rule {
            Rule::probe_http => ProbeAction::Http(arg.map(|s| self.scalar(s))),
            Rule::probe_tcp => ProbeAction::Tcp(arg.map(|s| self.scalar(s))),
            _ => ProbeAction::Exec(self.value(arg?)),
        };
        let mut opts = Vec::new();
        for o in inner {
            let mut oi = o.into_inner();
            let (Some(kw), Some(v)) = (oi.next(), oi.next()) else {
                continue;
            };
            let opt = match kw.as_rule() {
                Rule::k_port => ProbeOpt::Port,
                Rule::k_delay => ProbeOpt::Delay,
                Rule::k_period => ProbeOpt::Period,
                Rule::k_timeout => ProbeOpt::Timeout,
                Rule::k_failures => ProbeOpt::Failures,
                _ => ProbeOpt::Successes,
            };
            opts.push((opt, self.scalar(v)));
        }
        Some(StmtKind::Probe { kind, action, opts })
    }

    fn env_form(&mut self, p: P) -> Option<EnvForm> {
        match p.as_rule() {
            Rule::env_from => {
                let mut inner = p.into_inner();
                let _kw = inner.next();
                let name = ident(&inner.next()?);
                let _prefix_kw = inner.next();
                let prefix = inner.next().map(|s| self.scalar(s));
                Some(EnvForm::From { name, prefix })
            }
            Rule::env_group => {
                let mut forms = Vec::new();
                for f in p.into_inner() {
                    if f.as_rule() == Rule::bad_stmt {
                        self.skipped(&f, Context::Map);
                    } else if let Some(form) = self.env_form(f) {
                        forms.push(form);
                    }
                }
                Some(EnvForm::Group(forms))
            }
            Rule::env_assign => {
                let mut inner = p.into_inner();
                let name = ident(&inner.next()?);
                let value = self.value(inner.next()?);
                Some(EnvForm::Assign { name, value })
            }
            _ => {
                let atom = p.into_inner().next()?;
                Some(EnvForm::Pick(self.scalar(atom)))
            }
        }
    }

    fn strategy(&mut self, mut inner: Pairs<Rule>) -> StmtKind {
        let recreate = inner
            .next()
            .is_some_and(|k| k.as_rule() == Rule::k_recreate);
        let mut surge = None;
        let mut unavailable = None;
        for o in inner {
            let mut oi = o.into_inner();
            let (Some(kw), Some(v)) = (oi.next(), oi.next()) else {
                continue;
            };
            let v = self.scalar(v);
            if kw.as_rule() == Rule::k_surge {
                surge = Some(v);
            } else {
                unavailable = Some(v);
            }
        }
        StmtKind::Strategy {
            recreate,
            surge,
            unavailable,
        }
    }

    fn mount(&mut self, mut inner: Pairs<Rule>) -> Option<StmtKind> {
        let name = ident(&inner.next()?);
        let source_pair = inner.next()?.into_inner().next()?;
        let source_rule = source_pair.as_rule();
        let mut s = source_pair.into_inner();
        let source = match source_rule {
            Rule::mount_emptydir => {
                let _kw = s.next();
                let mut size = None;
                let mut memory = false;
                while let Some(x) = s.next() {
                    match x.as_rule() {
                        Rule::k_size => size = s.next().map(|v| self.scalar(v)),
                        _ => memory = true,
                    }
                }
                MountSource::EmptyDir { size, memory }
            }
            Rule::mount_claim => MountSource::Claim(ident(&s.nth(1)?)),
            Rule::mount_config => MountSource::Config(ident(&s.nth(1)?)),
            Rule::mount_secret => MountSource::Secret(ident(&s.nth(1)?)),
            Rule::mount_host => MountSource::HostPath(self.scalar(s.nth(1)?)),
            _ => {
                let size = self.scalar(s.next()?);
                let (mut class, mut access, mut mode) = (None, None, None);
                for o in s {
                    let mut oi = o.into_inner();
                    let (Some(kw), Some(v)) = (oi.next(), oi.next()) else {
                        continue;
                    };
                    let v = Some(self.scalar(v));
                    match kw.as_rule() {
                        Rule::k_class => class = v,
                        Rule::k_access => access = v,
                        _ => mode = v,
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
        let _at = inner.next()?;
        let path = self.scalar(inner.next()?);
        let read_only = inner.next().is_some();
        Some(StmtKind::Mount {
            name,
            source,
            path,
            read_only,
        })
    }

    fn route(&mut self, inner: Pairs<Rule>) -> Option<StmtKind> {
        let mut kind = RouteKind::Prefix;
        let mut scalars = Vec::new();
        for p in inner {
            if p.as_rule() == Rule::route_kind {
                kind = match p.into_inner().next()?.as_rule() {
                    Rule::k_exact => RouteKind::Exact,
                    Rule::k_regex => RouteKind::Regex,
                    _ => RouteKind::Prefix,
                };
            } else {
                scalars.push(self.scalar(p));
            }
        }
        let mut it = scalars.into_iter();
        Some(StmtKind::Route {
            kind,
            path: it.next()?,
            target: it.next()?,
        })
    }
}

/// The text of a raw string: without its quotes, a leading newline, and the
/// indentation common to its lines.
fn raw_text(raw: &str) -> String {
    let body = raw.get(3..raw.len().saturating_sub(3)).unwrap_or("");
    let body = body
        .strip_prefix("\r\n")
        .or_else(|| body.strip_prefix('\n'))
        .unwrap_or(body);
    let indent = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = body
        .lines()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect();
    // A closing `"""` on its own line leaves an indentation-only last line.
    if out.last().is_some_and(|l| l.trim().is_empty()) && !body.ends_with('\n') {
        out.pop();
        return out.join("\n") + "\n";
    }
    let mut s = out.join("\n");
    if body.ends_with('\n') {
        s.push('\n');
    }
    s
}

fn unicode_escape(chars: &mut std::iter::Peekable<std::str::CharIndices>) -> Option<char> {
    if chars.next()?.1 != '{' {
        return None;
    }
    let mut hex = String::new();
    for (_, c) in chars.by_ref() {
        if c == '}' {
            return u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
        }
        if hex.len() > 6 {
            return None;
        }
        hex.push(c);
    }
    None
}
