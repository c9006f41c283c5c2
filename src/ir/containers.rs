//! `init` and `sidecar` blocks: more containers in a workload's pod. A
//! block is read by the workload builder as if it were a workload of its
//! own (so a container statement means the same in every block); this
//! module groups the blocks by name across layers, keeps out what a
//! container cannot say, and adds the container to the pod.

use super::layer::{L, Layer, LineEnd, misplaced};
use super::values::Diags;
use super::{Container, ContainerRole, Name, VolumeUse, Workload};
use crate::ast::{ContainerBlock, StmtKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::table::{self, Ctx};

/// The blocks of one container name, from every layer.
pub struct Group<'a> {
    pub name: Name,
    pub init: bool,
    pub native: bool,
    /// The first block.
    pub span: Span,
    /// Its container statements, in layer order.
    pub stmts: Vec<L<'a>>,
    pub uses: Vec<VolumeUse>,
    pub recovered: bool,
}

/// The `init` and `sidecar` blocks an environment excludes, by name.
pub fn excluded(stmts: &[L]) -> Vec<String> {
    stmts
        .iter()
        .filter_map(|l| match &l.stmt.kind {
            StmtKind::ExcludePart {
                what,
                name: Some(n),
            } if matches!(what.text.as_str(), "init" | "sidecar") => Some(n.text.clone()),
            _ => None,
        })
        .collect()
}

/// Groups the `init`/`sidecar` statements by name (in order of first
/// appearance), reporting the statements a container does not take.
pub fn groups<'a>(blocks: &[L<'a>], line_end: LineEnd, diags: &mut Diags) -> Vec<Group<'a>> {
    let mut out: Vec<Group<'a>> = Vec::new();
    for l in blocks {
        let StmtKind::Container(cb) = &l.stmt.kind else {
            continue;
        };
        let at = match out.iter().position(|g| g.name.node == cb.name.node) {
            Some(i) => {
                same_kind(out.get(i), cb, l.layer, diags);
                i
            }
            None => {
                out.push(Group {
                    name: cb.name.clone(),
                    init: cb.init,
                    native: cb.native,
                    span: l.stmt.span,
                    stmts: Vec::new(),
                    uses: Vec::new(),
                    recovered: false,
                });
                out.len() - 1
            }
        };
        let Some(g) = out.get_mut(at) else { continue };
        g.recovered |= cb.recovered;
        take_stmts(g, cb, l.layer, line_end, diags);
    }
    out
}

/// A second block of a name must be of the same kind (an environment may
/// change a sidecar's settings, not make it an init container).
fn same_kind(g: Option<&Group>, cb: &ContainerBlock, layer: Layer, diags: &mut Diags) {
    let Some(g) = g else { return };
    let kind = |init: bool, native: bool| match (init, native) {
        (true, _) => "init",
        (false, true) => "sidecar native",
        (false, false) => "sidecar",
    };
    let (was, is) = (kind(g.init, g.native), kind(cb.init, cb.native));
    if was != is {
        diags.push(
            Diagnostic::new(
                Code::DuplicateName,
                cb.name.span,
                format!("`{}` is declared as `{was}` and as `{is}`", cb.name.node),
            )
            .label(format!("`{is}` here"))
            .also(g.name.span, format!("`{was}` here"))
            .help("a container keeps its kind; give the other one a name of its own"),
        );
    } else if layer == Layer::Own && g.stmts.iter().any(|s| s.layer == Layer::Own) {
        diags.push(
            Diagnostic::new(
                Code::DuplicateName,
                cb.name.span,
                format!("two containers are named `{}`", cb.name.node),
            )
            .label("second declaration")
            .also(g.name.span, "first declared here")
            .help("container names are unique within a pod"),
        );
    }
}

fn take_stmts<'a>(
    g: &mut Group<'a>,
    cb: &'a ContainerBlock,
    layer: Layer,
    line_end: LineEnd,
    diags: &mut Diags,
) {
    let what = if cb.init {
        "an init container"
    } else {
        "a sidecar"
    };
    let valid = table::valid_in(Ctx::Container);
    let mut last_key_line = None;
    for stmt in &cb.stmts {
        if let StmtKind::Use {
            volume,
            path,
            read_only,
            sub_path,
        } = &stmt.kind
        {
            g.uses.push(VolumeUse {
                volume: volume.spanned(),
                path: path.spanned(),
                read_only: *read_only,
                sub_path: sub_path.as_ref().map(|s| s.spanned()),
                span: stmt.span,
            });
            continue;
        }
        let fits = stmt.kw.is_some_and(|kw| {
            table::ROWS
                .iter()
                .any(|r| r.kw == kw && r.ctxs.contains(&Ctx::Container))
        });
        if fits {
            g.stmts.push(L { stmt, layer });
            continue;
        }
        // One report per line of unknown words (as in every block).
        let line = line_end(stmt.span.start);
        if matches!(stmt.kind, StmtKind::Key(_)) && last_key_line == Some(line) {
            continue;
        }
        last_key_line = Some(line);
        misplaced(stmt, what, &valid, diags);
    }
}

/// Adds the container read from `part` (the group's statements, read as a
/// workload) to `w`.
pub fn add(w: &mut Workload, g: Group, part: Workload, diags: &mut Diags) {
    let mut c: Container = part.app;
    c.name = g.name.clone();
    c.span = g.span;
    c.mounts = g.uses;
    c.native = g.native;
    c.security.run_as = part.security.run_as;
    c.role = if g.init {
        ContainerRole::Init
    } else {
        ContainerRole::Sidecar
    };
    w.incomplete |= part.incomplete || g.recovered;
    if g.init {
        not_in_init(&c, &part.ports, diags);
    } else {
        sidecar_ports(w, &c, part.ports, diags);
    }
    let taken = std::iter::once(&w.app.name)
        .chain(w.init.iter().map(|c| &c.name))
        .chain(w.sidecars.iter().map(|c| &c.name))
        .find(|n| n.node == c.name.node);
    if let Some(first) = taken {
        diags.push(
            Diagnostic::new(
                Code::DuplicateName,
                c.name.span,
                format!("the pod already has a container named `{}`", c.name.node),
            )
            .label("second container of this name")
            .also(first.span, "first named here")
            .help("container names are unique within a pod; rename this block"),
        );
        return;
    }
    if g.init || g.native {
        w.init.push(c);
    } else {
        w.sidecars.push(c);
    }
}

/// What an init container cannot have: it runs to completion before the
/// app starts, so no probes, ports or stop hook (the API server refuses
/// probes and lifecycle hooks on init containers).
fn not_in_init(c: &Container, ports: &[super::Port], diags: &mut Diags) {
    let spans = c
        .probes
        .iter()
        .map(|p| (p.span, "probes"))
        .chain(ports.iter().map(|p| (p.span, "ports")))
        .chain(c.pre_stop.iter().map(|p| (p.span, "`pre-stop` hook")));
    for (span, what) in spans {
        diags.push(
            Diagnostic::new(
                Code::MisplacedStatement,
                span,
                format!("an init container has no {what}"),
            )
            .label(format!("in `init {}`", c.name.node))
            .help(format!(
                "an init container runs to completion before the app starts; for a container that keeps running, write `sidecar {} native {{ ... }}`",
                c.name.node
            )),
        );
    }
}

/// A sidecar's ports are the pod's (in its Services, reachable by network
/// rules), listened on by the sidecar.
fn sidecar_ports(w: &mut Workload, c: &Container, ports: Vec<super::Port>, diags: &mut Diags) {
    for mut p in ports {
        if let Some(first) = w.ports.iter().find(|q| q.name.node == p.name.node) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicatePort,
                    p.name.span,
                    format!("the pod already has a port named `{}`", p.name.node),
                )
                .label(format!("in sidecar `{}`", c.name.node))
                .also(first.name.span, "first declared here")
                .help("port names are unique within a pod and its Service"),
            );
            continue;
        }
        let same = |q: &&super::Port| q.target.node == p.target.node && q.protocol == p.protocol;
        if let Some(first) = w.ports.iter().find(same) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicatePort,
                    p.target.span,
                    format!("port {} is already listened on in this pod", p.target.node),
                )
                .label(format!("in sidecar `{}`", c.name.node))
                .also(first.span, "declared here")
                .help(
                    "the containers of a pod share its network: each listens on a port of its own",
                ),
            );
            continue;
        }
        p.container = Some(c.name.node.clone());
        w.ports.push(p);
    }
}
