//! AST → IR for the app: selects the environment, layers defaults and
//! overrides onto each item, and hands each item to its own lowering.

use super::layer::{L, Layer, LineEnd, MetaBuilder, Misplaced};
use super::values::Diags;
use super::{App, Meta, Name, Namespace, config, defaults, ingress, items, raw, workload};
use crate::ast::{self, Block, BlockKind, EnvItem, Item, Kw, StmtKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::{Span, Spanned};
use crate::suggest;
use crate::syntax::table as keywords;
use std::collections::HashMap;

/// What to compile.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The environment (`env NAME { }` block) to apply.
    pub env: Option<String>,
    /// Check the env blocks that are not applied too. Off when the caller
    /// lowers every environment in turn and has checked them all once, so
    /// that its work stays linear in the number of environments.
    pub check_other_envs: bool,
    /// Every item excluded at app level is in (`tfc check` checks that too).
    pub all_on: bool,
    /// `--namespace NS`: the namespace of the app, unless it fixes one.
    pub namespace: Option<String>,
    /// For a chart: every host name `url()` and `host()` write is preceded
    /// by [`super::RELEASE_TOKEN`], where the chart puts the release prefix.
    pub release_token: bool,
}

/// Everything of one item: its block and its statements with layers.
struct Gathered<'a> {
    block: &'a Block,
    stmts: Vec<L<'a>>,
}

/// Lowers the file's app for the selected environment.
pub fn lower(file: &ast::File, source: &str, opts: &Options) -> (App, Diags) {
    let app = &file.app;
    let mut diags = Diags::new();
    let line_end = |at: usize| {
        source
            .get(at..)
            .and_then(|r| r.find('\n'))
            .map_or(source.len(), |i| at + i)
    };
    let envs = Envs::of(app, opts, &mut diags);
    let mut g = Gather::default();
    g.app_items(app, &line_end, &mut diags);
    // Environments: every block is checked; only the selected one is applied.
    g.base_names = g.blocks.iter().map(|b| b.block.name.node.clone()).collect();
    for env in &envs.all {
        let apply = envs.selected.is_some_and(|s| std::ptr::eq(s, *env));
        if apply || envs.selected.is_none() || opts.check_other_envs {
            g.env(env, apply, &line_end, &mut diags);
        }
    }
    check_unique_names(&g.blocks, &mut diags);
    g.switch(opts.all_on, &mut diags);
    let mut out = g.build(app, &envs, source, &line_end, &mut diags);
    // `--namespace NS`: where the deployer puts the app, unless the file
    // fixes its namespace.
    if let Some(ns) = &opts.namespace {
        if let Some(n) = out.namespace.as_mut().filter(|n| !n.fixed) {
            n.name = Spanned::new(ns.clone(), n.name.span);
            n.implicit = false;
        }
    }
    if opts.release_token {
        out.release_token = true;
        super::defaults::texts(&mut out);
    }
    (out, diags)
}

/// The environments of the file, and the one `--env` selects.
struct Envs<'a> {
    all: Vec<&'a ast::EnvBlock>,
    selected: Option<&'a ast::EnvBlock>,
    /// Whether this lowering lists (and checks) every environment.
    listed: bool,
}

impl<'a> Envs<'a> {
    fn of(app: &'a ast::App, opts: &Options, diags: &mut Diags) -> Self {
        let all: Vec<&ast::EnvBlock> = app
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Env(e) => Some(e),
                _ => None,
            })
            .collect();
        let listed = opts.check_other_envs || opts.env.is_none();
        if listed {
            duplicate_envs(&all, diags);
        }
        let selected = opts.env.as_deref().and_then(|name| {
            let found = all.iter().find(|e| e.name.node == name).copied();
            if found.is_none() {
                diags.push(unknown_env(app, name, &all));
            }
            found
        });
        Envs {
            all,
            selected,
            listed,
        }
    }
}

fn duplicate_envs(envs: &[&ast::EnvBlock], diags: &mut Diags) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for e in envs {
        if let Some(first) = seen.insert(e.name.as_str(), e.name.span) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateName,
                    e.name.span,
                    format!("environment `{}` is defined twice", e.name.node),
                )
                .label("defined again here")
                .also(first, "first defined here")
                .help("merge the two blocks"),
            );
        }
    }
}

fn unknown_env(app: &ast::App, name: &str, envs: &[&ast::EnvBlock]) -> Diagnostic {
    let names: Vec<&str> = envs.iter().map(|e| e.name.as_str()).collect();
    Diagnostic::new(
        Code::UnknownEnvironment,
        app.name.span,
        format!("this app has no environment `{name}`"),
    )
    .label("selected with `--env`")
    .help(match suggest::nearest(name, names.iter().copied()) {
        Some(best) => format!("did you mean `--env {best}`?"),
        None if names.is_empty() => "the app defines no `env NAME { }` blocks".to_string(),
        None => format!("the environments are: {}", names.join(", ")),
    })
}

/// Everything of the app, gathered with layers before each item is lowered.
#[derive(Default)]
struct Gather<'a> {
    defaults: Vec<L<'a>>,
    app_meta: MetaBuilder,
    namespace: Vec<(&'a Block, Layer)>,
    chart: Vec<L<'a>>,
    naming: Vec<(&'a ast::Pair, Layer)>,
    autoscales: Vec<&'a ast::Autoscale>,
    blocks: Vec<Gathered<'a>>,
    misplaced: Misplaced,
    /// The names of the items of the app body (targets of overrides).
    base_names: Vec<String>,
    /// `network-mode` statements, the app's then the environment's.
    network_mode: Vec<L<'a>>,
    /// `patch` and `object` statements (the app's, and the environment's).
    raw: Vec<L<'a>>,
    /// Those of the environments not compiled: read for their errors only.
    raw_other: Vec<L<'a>>,
    /// `exclude` and `include`.
    switches: super::switches::Switches<'a>,
    /// Some item is excluded at app level.
    off_by_default: bool,
    /// The items `exclude` leaves out of this compile, with the name's span.
    left_out: Vec<(String, crate::span::Span)>,
    network_mode_other: Vec<L<'a>>,
}

fn layered(stmts: &[ast::Stmt], layer: Layer) -> Vec<L<'_>> {
    stmts.iter().map(|stmt| L { stmt, layer }).collect()
}

impl<'a> Gather<'a> {
    fn app_items(&mut self, app: &'a ast::App, line_end: LineEnd, diags: &mut Diags) {
        for item in &app.items {
            match item {
                Item::Block(b) => match b.kind {
                    BlockKind::Namespace => self.namespace.push((b, Layer::Own)),
                    BlockKind::Chart => self.chart.extend(layered(&b.stmts, Layer::Own)),
                    _ => self.blocks.push(Gathered {
                        block: b,
                        stmts: layered(&b.stmts, Layer::Own),
                    }),
                },
                Item::Naming(pairs, _) => {
                    self.naming.extend(pairs.iter().map(|p| (p, Layer::Own)));
                }
                Item::Autoscale(a) => self.autoscales.push(a),
                Item::Env(_) => {}
                Item::Stmt(s) => {
                    let l = L {
                        stmt: s,
                        layer: Layer::Default,
                    };
                    if self.whole_app(l, true, diags) {
                        continue;
                    }
                    app_stmt(
                        l,
                        &mut self.defaults,
                        &mut self.app_meta,
                        &mut self.misplaced,
                        line_end,
                        diags,
                    );
                }
            }
        }
        if let [(_, _), (second, _), ..] = self.namespace.as_slice() {
            let first = self
                .namespace
                .first()
                .map_or(second.span, |(b, _)| b.name.span);
            diags.push(
                Diagnostic::new(
                    Code::DuplicateSetting,
                    second.name.span,
                    "`namespace` is set twice",
                )
                .label("set again here")
                .also(first, "first set here"),
            );
        }
    }

    /// Takes a statement about the app as a whole (`patch`, `object`,
    /// `network-mode`), of the app or of an environment (`apply`: the one
    /// compiled; the others are read for their errors only). False for any
    /// other statement.
    fn whole_app(&mut self, l: L<'a>, apply: bool, diags: &mut Diags) -> bool {
        if self.switches.take(l, apply, diags) {
            return true;
        }
        let list = if raw::is_raw(&l) {
            if apply {
                &mut self.raw
            } else {
                &mut self.raw_other
            }
        } else if matches!(l.stmt.kind, StmtKind::Simple(Kw::NetworkMode, _)) {
            if apply {
                &mut self.network_mode
            } else {
                &mut self.network_mode_other
            }
        } else {
            return false;
        };
        list.push(l);
        true
    }

    /// An environment: checked, and applied when it is the selected one.
    fn env(&mut self, env: &'a ast::EnvBlock, apply: bool, line_end: LineEnd, diags: &mut Diags) {
        for item in &env.items {
            match item {
                EnvItem::Target { target, stmts } => {
                    let known = self.base_names.contains(&target.node);
                    let g = self
                        .blocks
                        .iter_mut()
                        .find(|g| known && g.block.name.node == target.node);
                    match g {
                        None => diags.push(unknown_target(target, &self.base_names)),
                        Some(g) if apply => g.stmts.extend(layered(stmts, Layer::EnvOwn)),
                        Some(_) => {}
                    }
                }
                EnvItem::App(item) => self.env_app_item(item, apply, line_end, diags),
            }
        }
    }

    /// An app-level item of an environment.
    fn env_app_item(&mut self, item: &'a Item, apply: bool, line_end: LineEnd, diags: &mut Diags) {
        match item {
            Item::Stmt(s) => {
                let l = L {
                    stmt: s,
                    layer: Layer::EnvDefault,
                };
                if self.whole_app(l, apply, diags) {
                    return;
                }
                if apply {
                    app_stmt(
                        l,
                        &mut self.defaults,
                        &mut self.app_meta,
                        &mut self.misplaced,
                        line_end,
                        diags,
                    );
                } else {
                    let (mut scratch, mut meta) = (Vec::new(), MetaBuilder::default());
                    app_stmt(
                        l,
                        &mut scratch,
                        &mut meta,
                        &mut self.misplaced,
                        line_end,
                        diags,
                    );
                }
            }
            Item::Block(b) => self.env_block(b, apply, diags),
            Item::Naming(pairs, _) if apply => {
                self.naming.extend(pairs.iter().map(|p| (p, Layer::EnvOwn)));
            }
            Item::Autoscale(a) if apply => self.autoscales.push(a),
            Item::Naming(..) | Item::Autoscale(_) => {}
            Item::Env(inner) => diags.push(
                Diagnostic::new(
                    Code::MisplacedStatement,
                    inner.name.span,
                    "environments cannot be nested",
                )
                .label("an env block inside an env block"),
            ),
        }
    }

    /// A block in an environment: the namespace, or an item only it has.
    fn env_block(&mut self, b: &'a Block, apply: bool, diags: &mut Diags) {
        match b.kind {
            BlockKind::Namespace if apply => self.namespace.push((b, Layer::EnvOwn)),
            BlockKind::Namespace => {}
            BlockKind::Chart => diags.push(
                Diagnostic::new(
                    Code::MisplacedStatement,
                    b.name.span,
                    "`chart` cannot change per environment",
                )
                .label("in an env block")
                .help("chart metadata is the same for every environment; move it to the app body"),
            ),
            _ => {
                let known = self.base_names.contains(&b.name.node);
                if let Some(first) = self
                    .blocks
                    .iter()
                    .find(|g| known && g.block.name.node == b.name.node)
                {
                    diags.push(
                        Diagnostic::new(Code::DuplicateName, b.name.span, format!("`{}` already exists", b.name.node))
                            .label("declared again in an environment")
                            .also(first.block.name.span, "declared here")
                            .help(format!(
                                "to change it in this environment, write `{} {{ ... }}` with only the statements to override",
                                b.name.node
                            )),
                    );
                } else if apply {
                    self.blocks.push(Gathered {
                        block: b,
                        stmts: layered(&b.stmts, Layer::Own),
                    });
                }
            }
        }
    }

    /// Leaves out the items `exclude` and `include` leave out.
    fn switch(&mut self, all_on: bool, diags: &mut Diags) {
        let items: Vec<String> = self
            .base_names
            .iter()
            .cloned()
            .chain(
                self.autoscales
                    .iter()
                    .map(|a| format!("autoscale {}", a.target.node)),
            )
            .collect();
        self.switches.check(&items, diags);
        self.off_by_default = self.switches.any_off_by_default();
        self.left_out = self.switches.removed(all_on);
        let removed: std::collections::HashSet<&String> =
            self.left_out.iter().map(|(k, _)| k).collect();
        if removed.is_empty() {
            return;
        }
        self.blocks
            .retain(|g| !removed.contains(&g.block.name.node));
        self.autoscales
            .retain(|a| !removed.contains(&format!("autoscale {}", a.target.node)));
    }

    /// The app: each gathered item lowered with its layers.
    fn build(
        mut self,
        app: &ast::App,
        envs: &Envs,
        source: &str,
        line_end: LineEnd,
        diags: &mut Diags,
    ) -> App {
        let mut namespace = match self.namespace.last() {
            Some((b, _)) => items::namespace(b, diags),
            None => Namespace {
                name: app.name.clone(),
                meta: Meta::default(),
                implicit: true,
                fixed: false,
            },
        };

        // `fixed` stays when an environment renames the namespace.
        namespace.fixed |= self.namespace.iter().any(|(b, _)| items::is_fixed(b));
        let accept = self
            .defaults
            .iter()
            .filter_map(|l| match &l.stmt.kind {
                StmtKind::Accept(names) => Some(names.iter().map(ast::Scalar::spanned)),
                _ => None,
            })
            .flatten()
            .collect();
        let mut out = App {
            name: app.name.clone(),
            release_token: false,
            env: envs.selected.map(|e| e.name.clone()),
            // Listed once, in the app as written or with every env checked.
            environments: if envs.listed {
                envs.all.iter().map(|e| e.name.clone()).collect()
            } else {
                Vec::new()
            },
            namespace: Some(namespace),
            meta: std::mem::take(&mut self.app_meta).meta(),
            naming: items::naming(&self.naming, diags),
            chart: items::chart(&self.chart, diags),
            configs: Vec::new(),
            secrets: Vec::new(),
            workloads: Vec::new(),
            volumes: Vec::new(),
            ingresses: Vec::new(),
            autoscalers: Vec::new(),
            networks: Vec::new(),
            accept,
            network_mode: network_mode(&self.network_mode, diags),
            patches: Vec::new(),
            objects: Vec::new(),
            edges: Vec::new(),
            by_name: Default::default(),
            off_by_default: self.off_by_default,
            left_out: std::mem::take(&mut self.left_out),
        };
        self.defaults.sort_by_key(|l| l.layer);
        for g in &mut self.blocks {
            g.stmts.sort_by_key(|l| l.layer);
            lower_item(&mut out, g, &self.defaults, source, line_end, diags);
        }
        if out.workloads.is_empty() {
            unused_defaults(app, &self.defaults, line_end, diags);
        }
        out.autoscalers = self
            .autoscales
            .iter()
            .filter_map(|a| items::autoscale(a, diags))
            .collect();
        (out.patches, out.objects) = raw::lower(&self.raw, source, diags);
        let _ = raw::lower(&self.raw_other, source, diags);
        let _ = network_mode(&self.network_mode_other, diags);
        out.index();
        defaults::fill(&mut out);
        out
    }
}

/// Workload defaults that no workload takes: read anyway, for their errors.
fn unused_defaults(app: &ast::App, defaults: &[L], line_end: LineEnd, diags: &mut Diags) {
    if defaults.is_empty() {
        return;
    }
    let nobody = Block {
        kind: BlockKind::Service,
        name: app.name.clone(),
        stmts: Vec::new(),
        span: app.span,
        braces: (app.span, app.span),
        recovered: false,
    };
    let _ = workload::lower(&nobody, defaults, &[], line_end, diags);
}

/// Lowers one gathered item into the app.
fn lower_item(
    out: &mut App,
    g: &Gathered,
    defaults: &[L],
    source: &str,
    line_end: LineEnd,
    diags: &mut Diags,
) {
    let b = g.block;
    match b.kind {
        BlockKind::Service | BlockKind::Database | BlockKind::Job => {
            out.workloads
                .push(workload::lower(b, defaults, &g.stmts, line_end, diags));
        }
        BlockKind::Config => out
            .configs
            .push(config::config(b, &g.stmts, source, line_end, diags)),
        BlockKind::Secret => out
            .secrets
            .push(items::secret(b, &g.stmts, line_end, diags)),
        BlockKind::Volume => out
            .volumes
            .push(items::volume(b, &g.stmts, line_end, diags)),
        BlockKind::Ingress => out
            .ingresses
            .push(ingress::ingress(b, &g.stmts, line_end, diags)),
        BlockKind::Network => out
            .networks
            .push(items::network(b, &g.stmts, line_end, diags)),
        BlockKind::Namespace | BlockKind::Chart => {}
    }
}

/// Sorts an app-level statement: app labels, a workload default, or a mistake.
fn app_stmt<'a>(
    l: L<'a>,
    defaults: &mut Vec<L<'a>>,
    meta: &mut MetaBuilder,
    mis: &mut Misplaced,
    line_end: LineEnd,
    diags: &mut Diags,
) {
    if meta.take(&l, diags) {
        return;
    }
    let kw = l.stmt.kind.keyword();
    if keywords::workload_defaults().contains(&kw) {
        defaults.push(l);
    } else {
        let valid: Vec<&str> = keywords::valid_in(keywords::Ctx::App);
        mis.report(line_end, l.stmt, "the app body", &valid, diags);
    }
}

/// The network mode: the last `network-mode` (an environment's wins).
fn network_mode(stmts: &[L], diags: &mut Diags) -> Spanned<super::NetworkMode> {
    use super::NetworkMode;
    let mut mode = Spanned::new(NetworkMode::Closed, Span::new(0, 0));
    for l in stmts {
        if let StmtKind::Simple(_, s) = &l.stmt.kind {
            let m = super::values::word(
                s,
                "network mode",
                &[
                    ("closed", NetworkMode::Closed),
                    ("internal", NetworkMode::Internal),
                    ("open", NetworkMode::Open),
                ],
                diags,
            );
            if let Some(m) = m {
                mode = Spanned::new(m, l.stmt.span);
            }
        }
    }
    mode
}

fn unknown_target(target: &Name, names: &[String]) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownTarget,
        target.span,
        format!("no item is called `{}`", target.node),
    )
    .label("nothing to override")
    .maybe_help(suggest::did_you_mean(
        &target.node,
        names.iter().map(String::as_str),
        "items",
    ))
}

/// Items share one namespace: a name may be declared once.
fn check_unique_names(blocks: &[Gathered], diags: &mut Diags) {
    let mut seen: HashMap<&str, &Block> = HashMap::new();
    for g in blocks {
        let b = g.block;
        if b.name.node.is_empty() {
            continue;
        }
        if let Some(first) = seen.get(b.name.as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateName,
                    b.name.span,
                    format!("the name `{}` is already taken", b.name.node),
                )
                .label(format!("declared again as {}", b.kind.described()))
                .also(
                    first.name.span,
                    format!("first declared as {}", first.kind.described()),
                )
                .help("items of every kind share one namespace; rename one of them"),
            );
        } else {
            seen.insert(b.name.as_str(), b);
        }
    }
}
