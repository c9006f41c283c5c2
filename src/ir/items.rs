//! AST → IR for every item but workloads: namespace, naming, chart, configs,
//! secrets, volumes, ingresses, networks and autoscalers.

use super::layer::{Admit, At, Key, Keyed, L, Layer, LineEnd, MetaBuilder, Misplaced, Seen};
use super::layer::{excluded_keys, in_environment, nothing_to_exclude, optional_as_key};
use super::values::{self, Diags, QtyKind};
use super::*;
use crate::ast::{self, Block, BlockKind, Kw, StmtKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::table as keywords;

/// `namespace NAME { fixed }`.
pub fn is_fixed(b: &Block) -> bool {
    b.stmts.iter().any(|s| s.kind == StmtKind::Flag(Kw::Fixed))
}

pub fn namespace(b: &Block, diags: &mut Diags) -> Namespace {
    let mut meta = MetaBuilder::default();
    let mut mis = Misplaced::new();
    let no_line = |at: usize| at;
    let mut fixed = false;
    for s in &b.stmts {
        if s.kind == StmtKind::Flag(Kw::Fixed) {
            fixed = true;
            continue;
        }
        if !meta.take(
            &L {
                stmt: s,
                layer: Layer::Own,
            },
            diags,
        ) {
            mis.report(
                &no_line,
                s,
                "a namespace",
                &keywords::valid_in(BlockKind::Namespace.ctx()),
                diags,
            );
        }
    }
    Namespace {
        name: b.name.clone(),
        meta: meta.meta(),
        implicit: false,
        fixed,
    }
}

/// The object kinds a `naming` pattern may name.
pub const NAMING_KEYS: &[&str] = &[
    "default",
    "deployment",
    "statefulset",
    "job",
    "cronjob",
    "service",
    "autoscaler",
    "network-policy",
];

pub fn naming(pairs: &[(&ast::Pair, Layer)], diags: &mut Diags) -> Vec<(Name, Name)> {
    let mut out: Keyed<(Name, Name)> = Keyed::default();
    for (p, layer) in pairs {
        if !NAMING_KEYS.contains(&p.key.text.as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    p.key.span,
                    format!("`{}` is not a naming key", p.key.text),
                )
                .label(format!("expected one of {}", NAMING_KEYS.join(", ")))
                .maybe_help(
                    crate::suggest::nearest(&p.key.text, NAMING_KEYS.iter().copied())
                        .map(|b| format!("did you mean `{b}`?")),
                ),
            );
            continue;
        }
        if !p.value.text.contains("{name}") {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    p.value.span,
                    "a naming pattern must contain `{name}`",
                )
                .label("every item would get the same name")
                .help("e.g. \"{name}-deployment\" or \"{app}-{name}\""),
            );
            continue;
        }
        let at = At {
            layer: *layer,
            span: p.key.span,
            what: &format!("naming `{}`", p.key.text),
            code: Code::DuplicateKey,
        };
        out.upsert(
            &p.key.text,
            &at,
            (p.key.spanned(), p.value.spanned()),
            diags,
        );
    }
    out.into_values()
}

pub fn chart(stmts: &[L], diags: &mut Diags) -> Chart {
    let mut c = Chart::default();
    let mut seen = Seen::default();
    let mut mis = Misplaced::new();
    let no_line = |at: usize| at;
    for l in stmts {
        let (slot, value) = match &l.stmt.kind {
            StmtKind::Simple(Kw::Version, v) => (&mut c.version, v),
            StmtKind::Simple(Kw::AppVersion, v) => (&mut c.app_version, v),
            StmtKind::Simple(Kw::Description, v) => (&mut c.description, v),
            StmtKind::Simple(Kw::Type, v) => (&mut c.chart_type, v),
            _ => {
                mis.report(
                    &no_line,
                    l.stmt,
                    "the chart block",
                    &keywords::valid_in(BlockKind::Chart.ctx()),
                    diags,
                );
                continue;
            }
        };
        if seen.setting(l, diags) {
            *slot = Some(value.spanned());
        }
    }
    c
}

pub fn secret(b: &Block, stmts: &[L], line_end: LineEnd, diags: &mut Diags) -> Secret {
    let mut meta = MetaBuilder::default();
    let mut keys: Vec<Name> = Vec::new();
    let mut excluded = Vec::new();
    let mut secret_type = None;
    let mut from = Sources::default();
    let mut seen = Seen::default();
    let mut mis = Misplaced::new();
    for l in stmts {
        if meta.take(l, diags) || from.take(l, &mut seen, diags) {
            continue;
        }
        match &l.stmt.kind {
            StmtKind::Key(k) => {
                if seen.admit(Key::Name(k.node.clone()), l.layer, k.span, &format!("key `{}`", k.node), Code::DuplicateKey, diags) == Admit::New {
                    keys.push(k.clone());
                }
            }
            StmtKind::Entry { key, value } => diags.push(
                Diagnostic::new(Code::InvalidValue, value.span, format!("secret key `{}` has a value in the file", key.node))
                    .label("secret values never belong in a .taskflow file")
                    .help(format!(
                        "declare the key alone (`{}`) and pass its value with `--secrets FILE`: `{}.{}=...`",
                        key.node, b.name.node, key.node
                    )),
            ),
            StmtKind::Simple(Kw::Type, t) => {
                if seen.setting(l, diags) {
                    secret_type = Some(t.spanned());
                }
            }
            kind if excluded_keys(kind).is_some() => {
                if in_environment(l, diags) {
                    for k in excluded_keys(kind).unwrap_or_default() {
                        excluded.push(k.spanned());
                        let n = keys.len();
                        keys.retain(|x| x.node != k.text);
                        if keys.len() == n {
                            diags.push(nothing_to_exclude(k.span, "key", &k.text));
                        }
                    }
                }
            }
            _ => mis.report(line_end, l.stmt, "a secret", &keywords::valid_in(BlockKind::Secret.ctx()), diags),
        }
    }
    optional_as_key(from.external, &keys.iter().collect::<Vec<_>>(), diags);
    let external = one_source(b, &from, keys.is_empty(), diags);
    Secret {
        name: b.name.clone(),
        item: ItemId::new(ItemKind::Secret, 0),
        keys,
        external,
        store: from.store,
        sealed: from.sealed,
        excluded,
        secret_type,
        meta: meta.meta(),
        span: b.span,
    }
}

/// `store STORE [cluster] [remote KEY] [refresh DURATION]`.
fn store_of(l: &L, diags: &mut Diags) -> Option<Store> {
    let StmtKind::Store {
        store,
        cluster,
        remote,
        refresh,
    } = &l.stmt.kind
    else {
        return None;
    };
    if let Some(d) = refresh.as_ref() {
        values::duration(d, diags);
    }
    Some(Store {
        name: store.spanned(),
        cluster: *cluster,
        remote: remote.as_ref().map(ast::Scalar::spanned),
        refresh: refresh.as_ref().map(ast::Scalar::spanned),
        span: l.stmt.span,
    })
}

/// Where a secret's values may come from besides `--secrets`.
#[derive(Default)]
struct Sources {
    external: Option<External>,
    store: Option<Store>,
    sealed: Option<Sealed>,
    /// The layer of the last source statement.
    layer: Option<Layer>,
}

impl Sources {
    /// Takes an `external`, `store` or `sealed` statement. One in an
    /// environment replaces the source the secret had.
    fn take(&mut self, l: &L, seen: &mut Seen, diags: &mut Diags) -> bool {
        let source = matches!(
            l.stmt.kind,
            StmtKind::External { .. } | StmtKind::Store { .. } | StmtKind::Simple(Kw::Sealed, _)
        );
        if source
            && self
                .layer
                .is_some_and(|was| was < l.layer && l.layer >= Layer::EnvDefault)
        {
            self.external = None;
            self.store = None;
            self.sealed = None;
        }
        if source {
            self.layer = Some(l.layer);
        }
        match &l.stmt.kind {
            StmtKind::External { optional } => {
                if seen.setting(l, diags) {
                    self.external = Some(External {
                        optional: *optional,
                        span: l.stmt.span,
                    });
                }
            }
            StmtKind::Store { .. } => {
                if seen.setting(l, diags) {
                    self.store = store_of(l, diags);
                }
            }
            StmtKind::Simple(Kw::Sealed, f) => {
                if seen.setting(l, diags) {
                    self.sealed = Some(Sealed {
                        file: f.spanned(),
                        span: l.stmt.span,
                        object: None,
                    });
                }
            }
            _ => return false,
        }
        true
    }
}

/// A secret's values come from one place: `external` (the cluster),
/// `store` (the External Secrets Operator) or `sealed` (a SealedSecret);
/// the last two make it external to tfc's Secrets too. Two is TF0315.
fn one_source(b: &Block, from: &Sources, no_keys: bool, diags: &mut Diags) -> Option<External> {
    let named: Vec<(&str, Span)> = [
        from.external.map(|e| ("external", e.span)),
        from.store.as_ref().map(|s| ("store", s.span)),
        from.sealed.as_ref().map(|s| ("sealed", s.span)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(&(what, at)) = named.first().filter(|_| no_keys && from.external.is_none()) {
        let help = format!("declare the keys it holds: `secret NAME {{ {what} ...  KEY KEY }}`");
        diags.push(
            Diagnostic::new(
                Code::MissingField,
                at,
                format!("secret `{}` declares no key", b.name.node),
            )
            .label(format!(
                "a secret filled by `{what}` needs at least one key"
            ))
            .help(help),
        );
    }
    if let [(first, first_at), (second, second_at), ..] = named.as_slice() {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                *second_at,
                format!(
                    "secret `{}` takes its values from both `{first}` and `{second}`",
                    b.name.node
                ),
            )
            .label(format!("`{second}` here"))
            .also(*first_at, format!("and `{first}` here"))
            .help(
                "keep one: `store` makes tfc emit an ExternalSecret, `sealed` a SealedSecret, `external` nothing",
            ),
        );
    }
    named.first().map(|&(what, span)| match from.external {
        Some(e) if what == "external" => e,
        _ => External {
            optional: false,
            span,
        },
    })
}

/// Parses `rwo`, `ReadWriteOnce`, ...
pub fn access_mode(s: &ast::Scalar, diags: &mut Diags) -> Option<AccessMode> {
    values::word(
        s,
        "access mode",
        &[
            ("rwo", AccessMode::ReadWriteOnce),
            ("rox", AccessMode::ReadOnlyMany),
            ("rwx", AccessMode::ReadWriteMany),
            ("rwop", AccessMode::ReadWriteOncePod),
            ("read-write-once", AccessMode::ReadWriteOnce),
            ("read-only-many", AccessMode::ReadOnlyMany),
            ("read-write-many", AccessMode::ReadWriteMany),
            ("read-write-once-pod", AccessMode::ReadWriteOncePod),
            ("ReadWriteOnce", AccessMode::ReadWriteOnce),
            ("ReadOnlyMany", AccessMode::ReadOnlyMany),
            ("ReadWriteMany", AccessMode::ReadWriteMany),
            ("ReadWriteOncePod", AccessMode::ReadWriteOncePod),
        ],
        diags,
    )
}

/// Parses `filesystem` or `block`; true for block.
pub fn volume_mode(s: &ast::Scalar, diags: &mut Diags) -> Option<bool> {
    values::word(
        s,
        "volume mode",
        &[
            ("filesystem", false),
            ("block", true),
            ("Filesystem", false),
            ("Block", true),
        ],
        diags,
    )
}

pub fn volume(b: &Block, stmts: &[L], line_end: LineEnd, diags: &mut Diags) -> Volume {
    let mut meta = MetaBuilder::default();
    let mut v = Volume {
        name: b.name.clone(),
        item: ItemId::new(ItemKind::Volume, 0),
        spec: ClaimSpec::default(),
        meta: Meta::default(),
        host_path: None,
        host_type: None,
        pv_name: None,
        pv_labels: Vec::new(),
        reclaim: None,
        span: b.span,
    };
    let mut seen = Seen::default();
    let mut mis = Misplaced::new();
    for l in stmts {
        if meta.take(l, diags) {
            continue;
        }
        let known = matches!(
            l.stmt.kw,
            Some(
                Kw::Size
                    | Kw::Class
                    | Kw::Access
                    | Kw::Mode
                    | Kw::HostPath
                    | Kw::HostType
                    | Kw::Pv
                    | Kw::PvLabels
                    | Kw::Reclaim
            )
        );
        if !known {
            let valid = keywords::valid_in(BlockKind::Volume.ctx());
            mis.report(line_end, l.stmt, "a volume", &valid, diags);
        } else if seen.setting(l, diags) {
            claim_stmt(&mut v, l, diags);
        }
    }
    if v.host_path.is_none() {
        pv_without_host_path(stmts, diags);
    }
    if v.spec.size.is_none() && !seen.contains(&Key::Setting(Kw::Size)) && !b.recovered {
        diags.push(
            Diagnostic::new(
                Code::MissingField,
                b.name.span,
                format!("volume `{}` has no size", b.name.node),
            )
            .label("a claim needs a size")
            .help("add e.g. `size 10Gi`"),
        );
    }
    v.meta = meta.meta();
    v
}

/// One setting of a top-level volume (its claim, or its PersistentVolume).
fn claim_stmt(v: &mut Volume, l: &L, diags: &mut Diags) {
    match &l.stmt.kind {
        StmtKind::Simple(Kw::Size, s) => v.spec.size = values::quantity(s, QtyKind::Bytes, diags),
        StmtKind::Simple(Kw::Class, s) => v.spec.class = Some(s.spanned()),
        StmtKind::Access(list) => {
            v.spec.access = list.iter().filter_map(|s| access_mode(s, diags)).collect();
        }
        StmtKind::Simple(Kw::Mode, s) => {
            v.spec.block = volume_mode(s, diags).unwrap_or(false);
            v.spec.volume_mode_set = true;
        }
        StmtKind::Simple(Kw::HostPath, s) => v.host_path = Some(s.spanned()),
        StmtKind::Simple(Kw::HostType, s) => {
            let types = [
                ("directory-or-create", "DirectoryOrCreate"),
                ("directory", "Directory"),
                ("file-or-create", "FileOrCreate"),
                ("file", "File"),
            ];
            v.host_type = values::word(s, "host path type", &types, diags).map(str::to_string);
        }
        StmtKind::Simple(Kw::Pv, s) => v.pv_name = Some(s.spanned()),
        StmtKind::PvLabels(pairs) => {
            v.pv_labels = pairs
                .iter()
                .map(|p| (p.key.spanned(), p.value.spanned()))
                .collect();
        }
        StmtKind::Simple(Kw::Reclaim, s) => {
            let policies = [("retain", "Retain"), ("delete", "Delete")];
            v.reclaim = values::word(s, "reclaim policy", &policies, diags).map(str::to_string);
        }
        _ => {}
    }
}

/// The PersistentVolume settings of a volume without `host-path`.
fn pv_without_host_path(stmts: &[L], diags: &mut Diags) {
    for l in stmts {
        if matches!(
            l.stmt.kw,
            Some(Kw::Pv | Kw::PvLabels | Kw::HostType | Kw::Reclaim)
        ) {
            let kw = l.stmt.kind.keyword();
            diags.push(
                Diagnostic::new(Code::MissingField, l.stmt.keyword, format!("`{kw}` needs `host-path`"))
                    .label("describes the PersistentVolume of a host path")
                    .help("add `host-path /path` to back the claim with a hostPath PersistentVolume, or remove this"),
            );
        }
    }
}

pub fn network(b: &Block, stmts: &[L], line_end: LineEnd, diags: &mut Diags) -> Network {
    let mut meta = MetaBuilder::default();
    let mut rules = Vec::new();
    let mut mis = Misplaced::new();
    for l in stmts {
        if meta.take(l, diags) {
            continue;
        }
        match &l.stmt.kind {
            StmtKind::Allow { from, to } => {
                let peer = match from.text.as_str() {
                    "world" => Peer::World(from.span),
                    "ingress" => Peer::Ingress(from.span),
                    _ => Peer::Service(from.spanned()),
                };
                rules.push(Allow {
                    from: peer,
                    to: values::target(to),
                    span: l.stmt.span,
                });
            }
            StmtKind::ExcludeAllow { from, to } => {
                if in_environment(l, diags) {
                    let n = rules.len();
                    rules.retain(|r| !r.is(&from.text, &to.text));
                    if rules.len() == n {
                        let rule = format!("{} -> {}", from.text, to.text);
                        diags.push(nothing_to_exclude(l.stmt.span, "rule", &rule));
                    }
                }
            }
            _ => mis.report(
                line_end,
                l.stmt,
                "a network",
                &keywords::valid_in(BlockKind::Network.ctx()),
                diags,
            ),
        }
    }
    Network {
        name: b.name.clone(),
        item: ItemId::new(ItemKind::Network, 0),
        rules,
        meta: meta.meta(),
        span: b.span,
    }
}

pub fn autoscale(a: &ast::Autoscale, diags: &mut Diags) -> Option<Autoscaler> {
    let before = diags.len();
    let (min, max) = values::int_range(&a.range, diags)?;
    let cpu = a.cpu.as_ref().and_then(|s| values::percent(s, diags));
    let memory = a.memory.as_ref().and_then(|s| values::percent(s, diags));
    let window = |w: &Option<ast::Scalar>, diags: &mut Diags| {
        let w = w.as_ref()?;
        let n = values::duration(w, diags)?;
        in_range(
            Spanned::new(n, w.span),
            0,
            3600,
            "a stabilization window",
            diags,
        )
    };
    let windows = [window(&a.windows[0], diags), window(&a.windows[1], diags)];
    let rates = [
        rate(a.rates[0].as_ref(), diags),
        rate(a.rates[1].as_ref(), diags),
    ];
    Some(Autoscaler {
        item: ItemId::new(ItemKind::Autoscaler, 0),
        object_name: String::new(),
        incomplete: diags.len() > before,
        target: a.target.clone(),
        name: a.name.as_ref().map(ast::Scalar::spanned),
        min,
        max,
        cpu,
        memory,
        windows,
        rates,
        no_scale_down: a.no_scale_down.is_some(),
        span: a.span,
    })
}

/// `N|N% per DURATION`: a value above 0, a period of 1 to 1800 seconds
/// (`validateScalingPolicy`).
fn rate(r: Option<&(ast::Scalar, ast::Scalar)>, diags: &mut Diags) -> Option<super::Rate> {
    let (amount, period) = r?;
    let percent = amount.text.ends_with('%');
    let value = if percent {
        values::percent(amount, diags)?
    } else {
        values::int(amount, "a scaling rate", diags)?
    };
    let value = in_range(value, 1, i64::from(i32::MAX), "a scaling rate", diags)?;
    let seconds = values::duration(period, diags)?;
    let period = in_range(
        Spanned::new(seconds, period.span),
        1,
        1800,
        "a scaling period (seconds)",
        diags,
    )?;
    Some(super::Rate {
        percent,
        value,
        period,
    })
}

fn in_range(
    n: Spanned<i64>,
    min: i64,
    max: i64,
    what: &str,
    diags: &mut Diags,
) -> Option<Spanned<i64>> {
    if (min..=max).contains(&n.node) {
        return Some(n);
    }
    diags.push(
        Diagnostic::new(
            Code::InvalidValue,
            n.span,
            format!("{what} is {min} to {max}"),
        )
        .label(format!("{} is out of range", n.node)),
    );
    None
}
