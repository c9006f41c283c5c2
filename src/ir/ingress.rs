//! AST → IR for an ingress: its hosts, class, TLS and routes, in the short
//! form (`host`, `tls` and `route` for every host) and in `host HOST ... { }`
//! blocks (routes and TLS per group of hosts).

use super::layer::{At, Keyed, L, Layer, LineEnd, MetaBuilder, Misplaced, Seen};
use super::layer::{in_environment, nothing_to_exclude, unnamed_exclude};
use super::values::{self, Diags};
use super::*;
use crate::ast::{self, Block, BlockKind, Kw, StmtKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::table as keywords;
use std::collections::HashMap;

pub fn ingress(b: &Block, stmts: &[L], line_end: LineEnd, diags: &mut Diags) -> Ingress {
    let mut meta = MetaBuilder::default();
    let mut ing = Ingress {
        name: b.name.clone(),
        item: ItemId::new(ItemKind::Ingress, 0),
        hosts: Vec::new(),
        class: None,
        tls: None,
        routes: Vec::new(),
        groups: Vec::new(),
        meta: Meta::default(),
        span: b.span,
        incomplete: b.recovered,
    };
    let before = diags.len();
    let mut seen = Seen::default();
    let mut mis = Misplaced::new();
    let mut routes_replaced = false;
    let mut groups: Keyed<HostRules> = Keyed::default();
    for l in stmts {
        if meta.take(l, diags) {
            continue;
        }
        match &l.stmt.kind {
            StmtKind::Host(hosts) => {
                if seen.setting(l, diags) {
                    ing.hosts = hosts.iter().map(ast::Scalar::spanned).collect();
                }
            }
            StmtKind::HostBlock(hb) => host_block(l, hb, line_end, &mut groups, diags),
            StmtKind::Simple(Kw::Class, c) => {
                if seen.setting(l, diags) {
                    ing.class = Some(c.spanned());
                }
            }
            StmtKind::Tls(secret) => {
                if seen.setting(l, diags) {
                    ing.tls = Some(tls(secret.as_ref(), l));
                }
            }
            StmtKind::Route { kind, path, target } => {
                // Routes of an environment replace the base routes as a whole.
                if l.layer >= Layer::EnvDefault && !routes_replaced {
                    ing.routes.clear();
                    routes_replaced = true;
                }
                ing.routes.push(route(*kind, path, target, l));
            }
            StmtKind::ExcludePart { what, name } => {
                exclude(l, what, name.as_ref(), &mut ing, &mut groups, diags)
            }
            _ => mis.report(
                line_end,
                l.stmt,
                "an ingress",
                &keywords::valid_in(BlockKind::Ingress.ctx()),
                diags,
            ),
        }
    }
    ing.groups = groups.into_values();
    ing.groups.retain(|g| !g.hosts.is_empty());
    let recovered = finish_checks(b, stmts, &ing, diags);
    ing.incomplete |= recovered || diags.len() > before;
    ing.meta = meta.meta();
    ing
}

/// The checks of the whole ingress; whether a statement did not parse (it
/// may have been a route, so a missing route is not reported).
fn finish_checks(b: &Block, stmts: &[L], ing: &Ingress, diags: &mut Diags) -> bool {
    let recovered = b.recovered
        || stmts
            .iter()
            .any(|l| matches!(&l.stmt.kind, StmtKind::HostBlock(hb) if hb.recovered));
    if !recovered {
        // An environment's `exclude route` may be why routes are missing.
        let excluded: Vec<Span> = stmts
            .iter()
            .filter(|l| matches!(&l.stmt.kind, StmtKind::ExcludePart { what, .. } if what.text == "route"))
            .map(|l| l.stmt.span)
            .collect();
        no_routes(b, ing, &excluded, diags);
    }
    twice(ing, diags);
    paths_twice(ing, diags);
    tls_for_nothing(ing, diags);
    recovered
}

fn tls(secret: Option<&ast::Scalar>, l: &L) -> Tls {
    Tls {
        secret: secret.map(ast::Scalar::spanned),
        span: l.stmt.span,
    }
}

fn route(kind: ast::RouteKind, path: &ast::Scalar, target: &ast::Scalar, l: &L) -> Route {
    Route {
        kind,
        path: path.spanned(),
        target: values::target(target),
        span: l.stmt.span,
    }
}

/// `host HOST ... { route ...  tls ... }`, keyed by its first host: an
/// environment's block replaces the app's block of the same first host.
fn host_block(
    l: &L,
    hb: &ast::HostBlock,
    line_end: LineEnd,
    groups: &mut Keyed<HostRules>,
    diags: &mut Diags,
) {
    let Some(first) = hb.hosts.first() else {
        return;
    };
    let mut group = HostRules {
        hosts: hb.hosts.iter().map(ast::Scalar::spanned).collect(),
        tls: None,
        routes: Vec::new(),
        span: l.stmt.span,
    };
    let mut seen = Seen::default();
    let mut mis = Misplaced::new();
    for stmt in &hb.stmts {
        let inner = L {
            stmt,
            layer: l.layer,
        };
        match &stmt.kind {
            StmtKind::Route { kind, path, target } => {
                group.routes.push(route(*kind, path, target, &inner));
            }
            StmtKind::Tls(secret) => {
                if seen.setting(&inner, diags) {
                    group.tls = Some(tls(secret.as_ref(), &inner));
                }
            }
            _ => mis.report(
                line_end,
                stmt,
                "a host block",
                &keywords::valid_in(keywords::Ctx::Host),
                diags,
            ),
        }
    }
    let at = At {
        layer: l.layer,
        span: first.span,
        what: &format!("host block `{}`", first.text),
        code: Code::DuplicateKey,
    };
    groups.upsert(&first.text, &at, group, diags);
}

/// `exclude host HOST` (from the `host` list or a block; a block left with
/// no host goes) or `exclude route PATH` (every route of that path).
fn exclude(
    l: &L,
    what: &ast::Scalar,
    name: Option<&ast::Scalar>,
    ing: &mut Ingress,
    groups: &mut Keyed<HostRules>,
    diags: &mut Diags,
) {
    if !in_environment(l, diags) {
        return;
    }
    if name.is_none()
        && matches!(
            what.text.as_str(),
            "host" | "route" | "label" | "annotation"
        )
    {
        diags.push(unnamed_exclude(what));
        return;
    }
    let Some(name) = name.filter(|_| matches!(what.text.as_str(), "host" | "route")) else {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                what.span,
                format!("`exclude {}` is not supported in an ingress", what.text),
            )
            .label("a part that cannot be left out")
            .help("exclude `host HOST`, `route PATH`, `label KEY` or `annotation KEY`"),
        );
        return;
    };
    let key = name.text.as_str();
    let mut removed = 0;
    if what.text == "host" {
        let mut drop = |hosts: &mut Vec<Name>| {
            let n = hosts.len();
            hosts.retain(|h| h.node != key);
            removed += n - hosts.len();
        };
        let had_hosts = !ing.hosts.is_empty();
        drop(&mut ing.hosts);
        groups.for_each_mut(|g| drop(&mut g.hosts));
        // The routes of `host` go with its last host: without hosts they
        // would match every host.
        if had_hosts && ing.hosts.is_empty() {
            ing.routes.clear();
        }
    } else {
        let mut drop = |routes: &mut Vec<Route>| {
            let n = routes.len();
            routes.retain(|r| r.path.node != key);
            removed += n - routes.len();
        };
        drop(&mut ing.routes);
        groups.for_each_mut(|g| drop(&mut g.routes));
    }
    if removed == 0 {
        diags.push(nothing_to_exclude(name.span, &what.text, key));
    }
}

/// Hosts with nothing to route: an ingress without routes, the `host` list
/// without `route`s beside host blocks, a host block without routes (TF0319).
fn no_routes(b: &Block, ing: &Ingress, excluded: &[Span], diags: &mut Diags) {
    let missing = |at: Span, what: String| {
        let d = Diagnostic::new(Code::MissingField, at, what).label("routes nothing");
        match excluded.first() {
            Some(&off) => d.also(off, "left out in this environment").help(
                "an environment that leaves out every route of an ingress can `exclude` the ingress itself, or give it a route",
            ),
            None => d.help("add e.g. `route / -> frontend`"),
        }
    };
    if ing.groups.is_empty() && ing.routes.is_empty() {
        diags.push(missing(
            b.name.span,
            format!("ingress `{}` has no routes", b.name.node),
        ));
    } else if ing.routes.is_empty() {
        if let Some(h) = ing.hosts.first() {
            diags.push(missing(
                h.span,
                format!(
                    "the hosts of `host` in ingress `{}` have no routes",
                    b.name.node
                ),
            ));
        }
    }
    for g in ing.groups.iter().filter(|g| g.routes.is_empty()) {
        let at = g.hosts.first().map_or(g.span, |h| h.span);
        diags.push(missing(at, "this host block has no routes".to_string()));
    }
}

/// One path twice for one host: two backends would compete for it, and
/// ingress controllers refuse the Ingress (TF0107).
fn paths_twice(ing: &Ingress, diags: &mut Diags) {
    let mut reported = std::collections::HashSet::new();
    for (host, routes) in ing.rules() {
        let mut first: HashMap<(ast::RouteKind, &str), Span> = HashMap::new();
        for r in routes {
            let key = (r.kind, r.path.node.as_str());
            match first.get(&key) {
                Some(&at) if reported.insert(r.path.span) => diags.push(
                    Diagnostic::new(
                        Code::DuplicateKey,
                        r.path.span,
                        format!(
                            "path `{}` is routed twice for {}",
                            r.path.node,
                            host.map_or("every host".to_string(), |h| format!("`{}`", h.node))
                        ),
                    )
                    .label("routed again here")
                    .also(at, "first routed here")
                    .help("give each path of a host one backend"),
                ),
                Some(_) => {}
                None => {
                    first.insert(key, r.path.span);
                }
            }
        }
    }
}

/// The ingress's `tls` when every host has a `tls` of its own and no rule
/// is left for it (TF0315): it would be dropped silently.
fn tls_for_nothing(ing: &Ingress, diags: &mut Diags) {
    let Some(t) = &ing.tls else { return };
    if ing.tls_entries().iter().any(|(x, _)| std::ptr::eq(*x, t)) {
        return;
    }
    diags.push(
        Diagnostic::new(
            Code::InvalidValue,
            t.span,
            format!("this `tls` of ingress `{}` covers no host", ing.name.node),
        )
        .label("every host has a `tls` of its own")
        .help("remove it, or leave a `host` block without a `tls` of its own for it to cover"),
    );
}

/// A host named twice in one ingress: its rules would compete (TF0107).
fn twice(ing: &Ingress, diags: &mut Diags) {
    let mut first: HashMap<&str, Span> = HashMap::new();
    for h in ing.all_hosts() {
        if let Some(&at) = first.get(h.node.as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateKey,
                    h.span,
                    format!(
                        "host `{}` appears twice in ingress `{}`",
                        h.node, ing.name.node
                    ),
                )
                .label("named again here")
                .also(at, "first named here")
                .help("give each host one list of routes"),
            );
        } else {
            first.insert(&h.node, h.span);
        }
    }
}

impl Ingress {
    /// Every route, of the short form and of each host block.
    pub fn all_routes(&self) -> impl Iterator<Item = &Route> {
        self.routes
            .iter()
            .chain(self.groups.iter().flat_map(|g| &g.routes))
    }

    /// Every host, of the short form and of each host block.
    pub fn all_hosts(&self) -> impl Iterator<Item = &Name> {
        self.hosts
            .iter()
            .chain(self.groups.iter().flat_map(|g| &g.hosts))
    }

    /// The rules of the Ingress in order: a host (none for a rule that
    /// matches every host) and its routes. The short form gives one rule per
    /// host, or one without a host when it names none; it gives none when it
    /// has no routes and host blocks stand beside it.
    pub fn rules(&self) -> Vec<(Option<&Name>, &[Route])> {
        let mut out = Vec::new();
        if self.hosts.is_empty() {
            if !self.routes.is_empty() || self.groups.is_empty() {
                out.push((None, self.routes.as_slice()));
            }
        } else {
            out.extend(self.hosts.iter().map(|h| (Some(h), self.routes.as_slice())));
        }
        for g in &self.groups {
            out.extend(g.hosts.iter().map(|h| (Some(h), g.routes.as_slice())));
        }
        out
    }

    /// The TLS entries in order: the ingress's `tls` with the hosts it
    /// covers, then each host block's own.
    pub fn tls_entries(&self) -> Vec<(&Tls, Vec<&Name>)> {
        let mut out = Vec::new();
        let catch_all =
            self.hosts.is_empty() && (!self.routes.is_empty() || self.groups.is_empty());
        if let Some(t) = &self.tls {
            let hosts: Vec<&Name> = self
                .hosts
                .iter()
                .chain(
                    self.groups
                        .iter()
                        .filter(|g| g.tls.is_none())
                        .flat_map(|g| &g.hosts),
                )
                .collect();
            // A `tls` that covers no host serves the rule without a host.
            if !hosts.is_empty() || catch_all {
                out.push((t, hosts));
            }
        }
        for g in &self.groups {
            if let Some(t) = &g.tls {
                out.push((t, g.hosts.iter().collect()));
            }
        }
        out
    }
}
