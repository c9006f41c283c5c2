//! AST → IR for the app: selects the environment, layers defaults and
//! overrides onto each item, and hands each item to its own lowering.

use super::layer::{L, Layer, LineEnd, MetaBuilder, Misplaced};
use super::values::Diags;
use super::{App, Meta, Name, Namespace, items, workload};
use crate::ast::{self, Block, BlockKind, EnvItem, Item, StmtKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
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

    let envs: Vec<&ast::EnvBlock> = app
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Env(e) => Some(e),
            _ => None,
        })
        .collect();
    let mut env_seen: HashMap<&str, Span> = HashMap::new();
    let check_envs = opts.check_other_envs || opts.env.is_none();
    for e in envs.iter().filter(|_| check_envs) {
        if let Some(first) = env_seen.insert(e.name.as_str(), e.name.span) {
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
    let selected = opts.env.as_deref().and_then(|name| {
        let found = envs.iter().find(|e| e.name.node == name).copied();
        if found.is_none() {
            let names: Vec<&str> = envs.iter().map(|e| e.name.as_str()).collect();
            diags.push(
                Diagnostic::new(
                    Code::UnknownEnvironment,
                    app.name.span,
                    format!("this app has no environment `{name}`"),
                )
                .label("selected with `--env`")
                .help(match suggest::nearest(name, names.iter().copied()) {
                    Some(best) => format!("did you mean `--env {best}`?"),
                    None if names.is_empty() => {
                        "the app defines no `env NAME { }` blocks".to_string()
                    }
                    None => format!("the environments are: {}", names.join(", ")),
                }),
            );
        }
        found
    });

    let mut defaults: Vec<L> = Vec::new();
    let mut app_meta = MetaBuilder::default();
    let mut namespace: Vec<(&Block, Layer)> = Vec::new();
    let mut chart: Vec<L> = Vec::new();
    let mut naming: Vec<(&ast::Pair, Layer)> = Vec::new();
    let mut autoscales: Vec<&ast::Autoscale> = Vec::new();
    let mut blocks: Vec<Gathered> = Vec::new();
    let mut app_misplaced = Misplaced::new();

    for item in &app.items {
        match item {
            Item::Block(b) => match b.kind {
                BlockKind::Namespace => namespace.push((b, Layer::Own)),
                BlockKind::Chart => chart.extend(b.stmts.iter().map(|s| L {
                    stmt: s,
                    layer: Layer::Own,
                })),
                _ => blocks.push(Gathered {
                    block: b,
                    stmts: b
                        .stmts
                        .iter()
                        .map(|s| L {
                            stmt: s,
                            layer: Layer::Own,
                        })
                        .collect(),
                }),
            },
            Item::Naming(pairs, _) => naming.extend(pairs.iter().map(|p| (p, Layer::Own))),
            Item::Autoscale(a) => autoscales.push(a),
            Item::Env(_) => {}
            Item::Stmt(s) => app_stmt(
                L {
                    stmt: s,
                    layer: Layer::Default,
                },
                &mut defaults,
                &mut app_meta,
                &mut app_misplaced,
                &line_end,
                &mut diags,
            ),
        }
    }
    if let [(_, _), (second, _), ..] = namespace.as_slice() {
        let first = namespace.first().map_or(second.span, |(b, _)| b.name.span);
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

    // Environments: every block is checked; only the selected one is applied.
    let base_names: Vec<String> = blocks.iter().map(|g| g.block.name.node.clone()).collect();
    for env in &envs {
        let apply = selected.is_some_and(|s| std::ptr::eq(s, *env));
        if !apply && selected.is_some() && !opts.check_other_envs {
            continue;
        }
        for item in &env.items {
            match item {
                EnvItem::Target { target, stmts } => {
                    let Some(g) = blocks.iter_mut().find(|g| g.block.name.node == target.node && base_names.contains(&target.node)) else {
                        diags.push(unknown_target(target, &base_names));
                        continue;
                    };
                    if apply {
                        g.stmts.extend(stmts.iter().map(|s| L { stmt: s, layer: Layer::EnvOwn }));
                    }
                }
                EnvItem::App(item) => match item.as_ref() {
                Item::Stmt(s) => {
                    let l = L { stmt: s, layer: Layer::EnvDefault };
                    if apply {
                        app_stmt(l, &mut defaults, &mut app_meta, &mut app_misplaced, &line_end, &mut diags);
                    } else {
                        let mut scratch_defaults = Vec::new();
                        let mut scratch_meta = MetaBuilder::default();
                        app_stmt(l, &mut scratch_defaults, &mut scratch_meta, &mut app_misplaced, &line_end, &mut diags);
                    }
                }
                Item::Block(b) => match b.kind {
                    BlockKind::Namespace => {
                        if apply {
                            namespace.push((b, Layer::EnvOwn));
                        }
                    }
                    BlockKind::Chart => diags.push(
                        Diagnostic::new(Code::MisplacedStatement, b.name.span, "`chart` cannot change per environment")
                            .label("in an env block")
                            .help("chart metadata is the same for every environment; move it to the app body"),
                    ),
                    _ => {
                        if let Some(first) = blocks.iter().find(|g| g.block.name.node == b.name.node && base_names.contains(&b.name.node)) {
                            diags.push(
                                Diagnostic::new(Code::DuplicateName, b.name.span, format!("`{}` already exists", b.name.node))
                                    .label("declared again in an environment")
                                    .also(first.block.name.span, "declared here")
                                    .help(format!("to change it in this environment, write `{} {{ ... }}` with only the statements to override", b.name.node)),
                            );
                        } else if apply {
                            blocks.push(Gathered {
                                block: b,
                                stmts: b.stmts.iter().map(|s| L { stmt: s, layer: Layer::Own }).collect(),
                            });
                        }
                    }
                },
                Item::Naming(pairs, _) => {
                    if apply {
                        naming.extend(pairs.iter().map(|p| (p, Layer::EnvOwn)));
                    }
                }
                Item::Autoscale(a) => {
                    if apply {
                        autoscales.push(a);
                    }
                }
                Item::Env(inner) => diags.push(
                    Diagnostic::new(Code::MisplacedStatement, inner.name.span, "environments cannot be nested")
                        .label("an env block inside an env block"),
                ),
                },
            }
        }
    }

    check_unique_names(&blocks, &mut diags);

    let mut out = App {
        name: app.name.clone(),
        env: selected.map(|e| e.name.clone()),
        // Listed once, in the app as written or with every env checked.
        environments: if check_envs {
            envs.iter().map(|e| e.name.clone()).collect()
        } else {
            Vec::new()
        },
        namespace: Some(match namespace.last() {
            Some((b, _)) => items::namespace(b, &mut diags),
            None => Namespace {
                name: app.name.clone(),
                meta: Meta::default(),
                implicit: true,
            },
        }),
        meta: app_meta.meta(),
        naming: items::naming(&naming, &mut diags),
        chart: items::chart(&chart, &mut diags),
        configs: Vec::new(),
        secrets: Vec::new(),
        workloads: Vec::new(),
        volumes: Vec::new(),
        ingresses: Vec::new(),
        autoscalers: Vec::new(),
        networks: Vec::new(),
        accept: defaults
            .iter()
            .filter_map(|l| match &l.stmt.kind {
                StmtKind::Accept(names) => Some(names.iter().map(ast::Scalar::spanned)),
                _ => None,
            })
            .flatten()
            .collect(),
        by_name: Default::default(),
    };
    defaults.sort_by_key(|l| l.layer);
    for g in &mut blocks {
        g.stmts.sort_by_key(|l| l.layer);
        let b = g.block;
        match b.kind {
            BlockKind::Service | BlockKind::Database => {
                out.workloads.push(workload::lower(
                    b, &defaults, &g.stmts, &line_end, &mut diags,
                ));
            }
            BlockKind::Config => out
                .configs
                .push(items::config(b, &g.stmts, source, &line_end, &mut diags)),
            BlockKind::Secret => out
                .secrets
                .push(items::secret(b, &g.stmts, &line_end, &mut diags)),
            BlockKind::Volume => out
                .volumes
                .push(items::volume(b, &g.stmts, &line_end, &mut diags)),
            BlockKind::Ingress => out
                .ingresses
                .push(items::ingress(b, &g.stmts, &line_end, &mut diags)),
            BlockKind::Network => out
                .networks
                .push(items::network(b, &g.stmts, &line_end, &mut diags)),
            BlockKind::Namespace | BlockKind::Chart => {}
        }
    }
    for a in autoscales {
        if let Some(a) = items::autoscale(a, &mut diags) {
            out.autoscalers.push(a);
        }
    }
    out.index();
    (out, diags)
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
