//! The one table of statements: each row holds a keyword, the blocks that
//! accept it, its argument signature and its doc line. The reader parses by
//! it, "unknown" and "misplaced" messages and usage lines come from it, and
//! the editor keyword sets are checked against it (tests/suite/editors.rs).

/// Where a statement may stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ctx {
    /// The app body (also an `env NAME { }` block, which takes app statements).
    App,
    /// A `service` or `database` block (and, as defaults, the app body).
    Workload,
    Volume,
    Ingress,
    Network,
    Chart,
    Secret,
    Config,
    Namespace,
}

impl Ctx {
    /// "a service", "the app body", for messages.
    pub fn described(self) -> &'static str {
        match self {
            Ctx::App => "the app body",
            Ctx::Workload => "a service",
            Ctx::Volume => "a volume",
            Ctx::Ingress => "an ingress",
            Ctx::Network => "a network",
            Ctx::Chart => "a chart",
            Ctx::Secret => "a secret",
            Ctx::Config => "a config",
            Ctx::Namespace => "a namespace",
        }
    }

    /// Where statements of this context belong, for "belongs in" help.
    fn home(self) -> &'static str {
        match self {
            Ctx::App => "the app body",
            Ctx::Workload => "a service or database",
            Ctx::Volume => "a top-level volume",
            Ctx::Ingress => "an ingress",
            Ctx::Network => "a network",
            Ctx::Chart => "the chart block",
            Ctx::Secret => "a secret",
            Ctx::Config => "a config",
            Ctx::Namespace => "a namespace",
        }
    }
}

/// What a `{ }` block of a statement holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// Statements of a context.
    Stmts(Ctx),
    /// `KEY = VALUE` pairs.
    Map,
    /// `KEY` or `KEY = VALUE` items.
    Selector,
    /// `NAME = value` and `CONFIG.KEY` items of `env { }`.
    EnvGroup,
    /// The overrides of `env NAME { }`.
    Env,
}

/// One part of a signature.
#[derive(Clone, Copy, Debug)]
pub enum Sig {
    /// One value: a bare word or a string. Never a statement keyword (quote
    /// it) nor a word of the signature's own options.
    Val(&'static str),
    /// A bare word that may also be one of these keywords.
    ValOr(&'static str, &'static [&'static str]),
    /// A value expression: terms (strings, words, calls) joined by `+`.
    Expr(&'static str),
    /// A command: a list `[...]` or one string.
    Cmd(&'static str),
    /// A literal word or operator (`at`, `->`, `=`), captured when it leads
    /// an alternative.
    Lit(&'static str),
    /// Optional parts.
    Opt(&'static [Sig]),
    /// One or more values (words may also be these keywords).
    Many(&'static str, &'static [&'static str]),
    /// The first alternative that reads.
    Alt(&'static [&'static [Sig]]),
    /// Options led by a word, in any order.
    Opts(&'static [(&'static str, &'static [Sig])]),
    /// A `{ }` block.
    Block(Body),
    /// An optional `{ }` block.
    OptBlock(Body),
}

/// One statement as the table knows it.
#[derive(Debug)]
pub struct Row {
    pub keyword: &'static str,
    pub ctxs: &'static [Ctx],
    pub sig: &'static [Sig],
    pub doc: &'static str,
    /// A typical use, shown with the usage in help lines ("" for none).
    pub example: &'static str,
}

use Body::*;
use Ctx::*;
use Sig::*;

const META: &[Ctx] = &[
    App, Workload, Config, Secret, Volume, Ingress, Network, Namespace,
];
const WL: &[Ctx] = &[Workload];
/// Workload statements that may also stand in the app body, as defaults.
const WL_DEFAULT: &[Ctx] = &[Workload, App];

const PROBE: &[Sig] = &[
    Alt(&[
        &[Lit("http"), Opt(&[Val("PATH")])],
        &[Lit("tcp"), Opt(&[Val("PORT")])],
        &[Lit("exec"), Cmd("COMMAND")],
    ]),
    Opts(&[
        ("port", &[Val("PORT")]),
        ("delay", &[Val("DURATION")]),
        ("period", &[Val("DURATION")]),
        ("timeout", &[Val("DURATION")]),
        ("failures", &[Val("N")]),
        ("successes", &[Val("N")]),
    ]),
];

const ENV_VAR: &[&[Sig]] = &[
    &[
        Lit("from"),
        Val("NAME"),
        Opt(&[Lit("prefix"), Val("PREFIX")]),
    ],
    &[Block(EnvGroup)],
    &[Val("NAME"), Lit("="), Expr("VALUE")],
    &[Val("CONFIG.KEY")],
];

/// Every statement. A keyword with two rows reads by the first whose
/// signature fits (`volume NAME { }` at app level, `volume NAME SOURCE at
/// PATH` in a service; `env NAME { }` and the variable forms).
pub const ROWS: &[Row] = &[
    Row {
        keyword: "namespace",
        ctxs: &[App],
        sig: &[Val("NAME"), OptBlock(Stmts(Namespace))],
        doc: "the namespace of every object",
        example: "namespace shop-prod",
    },
    Row {
        keyword: "labels",
        ctxs: META,
        sig: &[Block(Map)],
        doc: "labels, merged key by key",
        example: "labels { team = web }",
    },
    Row {
        keyword: "annotations",
        ctxs: META,
        sig: &[Block(Map)],
        doc: "annotations, merged key by key",
        example: "annotations { owner = \"ops@example.com\" }",
    },
    Row {
        keyword: "annotation",
        ctxs: META,
        sig: &[ValOr("KEY", KEYWORDS), Lit("="), ValOr("VALUE", KEYWORDS)],
        doc: "one annotation",
        example: "annotation owner = \"ops@example.com\"",
    },
    Row {
        keyword: "naming",
        ctxs: &[App],
        sig: &[Block(Map)],
        doc: "patterns for the names of workload objects",
        example: "naming { default = \"{app}-{name}\" }",
    },
    Row {
        keyword: "chart",
        ctxs: &[App],
        sig: &[Block(Stmts(Chart))],
        doc: "the metadata of the Helm chart",
        example: "chart { version 1.0.0 }",
    },
    Row {
        keyword: "config",
        ctxs: &[App],
        sig: &[Val("NAME"), Block(Stmts(Config))],
        doc: "a ConfigMap",
        example: "config app-config { LOG_LEVEL = \"info\" }",
    },
    Row {
        keyword: "secret",
        ctxs: &[App],
        sig: &[Val("NAME"), Block(Stmts(Secret))],
        doc: "a Secret whose values come at compile time",
        example: "secret creds { username password }",
    },
    Row {
        keyword: "service",
        ctxs: &[App],
        sig: &[Val("NAME"), Block(Stmts(Workload))],
        doc: "a Deployment and its Service",
        example: "service web { image nginx:1.27  port http 80 }",
    },
    Row {
        keyword: "database",
        ctxs: &[App],
        sig: &[Val("NAME"), Block(Stmts(Workload))],
        doc: "a StatefulSet and its headless Service",
        example: "database db { image postgres:16  port postgres 5432 }",
    },
    Row {
        keyword: "volume",
        ctxs: &[App],
        sig: &[Val("NAME"), Block(Stmts(Volume))],
        doc: "a PersistentVolumeClaim",
        example: "volume uploads { size 10Gi }",
    },
    Row {
        keyword: "volume",
        ctxs: WL,
        sig: &[
            Val("NAME"),
            Alt(&[
                &[
                    Lit("emptydir"),
                    Opts(&[("size", &[Val("SIZE")]), ("memory", &[])]),
                ],
                &[Lit("claim"), Val("VOLUME")],
                &[Lit("config"), Val("CONFIG")],
                &[Lit("secret"), Val("SECRET")],
                &[Lit("host-path"), Val("HOSTPATH")],
                &[
                    Val("SIZE"),
                    Opts(&[
                        ("class", &[Val("CLASS")]),
                        ("access", &[Val("ACCESS")]),
                        ("mode", &[Val("MODE")]),
                    ]),
                ],
            ]),
            Lit("at"),
            Val("PATH"),
            Opt(&[Lit("read-only")]),
        ],
        doc: "a volume mounted into the container",
        example: "volume data 10Gi at /data",
    },
    Row {
        keyword: "ingress",
        ctxs: &[App],
        sig: &[Val("NAME"), Block(Stmts(Ingress))],
        doc: "an Ingress",
        example: "ingress public { host shop.example.com  route / -> web }",
    },
    Row {
        keyword: "autoscale",
        ctxs: &[App],
        sig: &[
            Val("SERVICE"),
            Val("MIN..MAX"),
            Opts(&[
                ("cpu", &[Val("PERCENT")]),
                ("memory", &[Val("PERCENT")]),
                ("name", &[Val("NAME")]),
            ]),
        ],
        doc: "a HorizontalPodAutoscaler",
        example: "autoscale web 2..10 cpu 70%",
    },
    Row {
        keyword: "network",
        ctxs: &[App],
        sig: &[Opt(&[Val("NAME")]), Block(Stmts(Network))],
        doc: "network rules",
        example: "network { allow web -> api }",
    },
    Row {
        keyword: "env",
        ctxs: &[App],
        sig: &[Alt(&[&[Val("NAME"), Block(Env)]])],
        doc: "an environment: overrides applied with --env NAME",
        example: "env dev { web.replicas 1 }",
    },
    Row {
        keyword: "env",
        ctxs: WL_DEFAULT,
        sig: &[Alt(ENV_VAR)],
        doc: "environment variables",
        example: "env LOG_LEVEL = \"info\"",
    },
    Row {
        keyword: "name",
        ctxs: WL,
        sig: &[Val("NAME")],
        doc: "the base of the Kubernetes names",
        example: "name shop-web",
    },
    Row {
        keyword: "container",
        ctxs: WL,
        sig: &[Val("NAME")],
        doc: "the container name",
        example: "container web",
    },
    Row {
        keyword: "image",
        ctxs: WL,
        sig: &[Val("IMAGE")],
        doc: "the container image",
        example: "image ghcr.io/acme/web:1.4.2",
    },
    Row {
        keyword: "pull",
        ctxs: WL_DEFAULT,
        sig: &[Val("always|if-not-present|never")],
        doc: "the image pull policy",
        example: "pull if-not-present",
    },
    Row {
        keyword: "replicas",
        ctxs: WL_DEFAULT,
        sig: &[Val("N")],
        doc: "the number of pods",
        example: "replicas 2",
    },
    Row {
        keyword: "selector",
        ctxs: WL_DEFAULT,
        sig: &[Block(Selector)],
        doc: "the labels that select the pods",
        example: "selector { app }",
    },
    Row {
        keyword: "port",
        ctxs: WL,
        sig: &[
            Opt(&[Val("NAME")]),
            Val("PORT"),
            Opt(&[Lit("->"), Val("TARGET")]),
            Opts(&[
                ("node", &[Val("NODEPORT")]),
                ("protocol", &[Val("tcp|udp|sctp")]),
            ]),
        ],
        doc: "a port of the Service and container",
        example: "port http 80 -> 8080",
    },
    Row {
        keyword: "expose",
        ctxs: WL,
        sig: &[Val("cluster-ip|headless|node-port|load-balancer|none")],
        doc: "how the Service is exposed",
        example: "expose node-port",
    },
    Row {
        keyword: "cpu",
        ctxs: WL_DEFAULT,
        sig: &[Val("REQUEST..LIMIT")],
        doc: "cpu request and limit",
        example: "cpu 100m..500m",
    },
    Row {
        keyword: "memory",
        ctxs: WL_DEFAULT,
        sig: &[Val("REQUEST..LIMIT")],
        doc: "memory request and limit",
        example: "memory 128Mi..512Mi",
    },
    Row {
        keyword: "liveness",
        ctxs: WL_DEFAULT,
        sig: PROBE,
        doc: "the liveness probe",
        example: "liveness http /healthz delay 10s",
    },
    Row {
        keyword: "readiness",
        ctxs: WL_DEFAULT,
        sig: PROBE,
        doc: "the readiness probe",
        example: "readiness http /healthz",
    },
    Row {
        keyword: "startup",
        ctxs: WL_DEFAULT,
        sig: PROBE,
        doc: "the startup probe",
        example: "startup tcp 8080 failures 30",
    },
    Row {
        keyword: "command",
        ctxs: WL,
        sig: &[Cmd("COMMAND")],
        doc: "the container's command",
        example: "command [\"node\", \"server.js\"]",
    },
    Row {
        keyword: "args",
        ctxs: WL,
        sig: &[Cmd("ARGS")],
        doc: "the container's arguments",
        example: "args [\"--port\", \"8080\"]",
    },
    Row {
        keyword: "workdir",
        ctxs: WL,
        sig: &[Val("PATH")],
        doc: "the working directory",
        example: "workdir /srv",
    },
    Row {
        keyword: "strategy",
        ctxs: WL_DEFAULT,
        sig: &[Alt(&[
            &[Lit("recreate")],
            &[
                Lit("rolling"),
                Opts(&[("surge", &[Val("N")]), ("unavailable", &[Val("N")])]),
            ],
        ])],
        doc: "the update strategy",
        example: "strategy rolling surge 1",
    },
    Row {
        keyword: "run-as",
        ctxs: WL_DEFAULT,
        sig: &[Val("UID[:GID]|root")],
        doc: "the user and group",
        example: "run-as 10001",
    },
    Row {
        keyword: "writable-root",
        ctxs: WL_DEFAULT,
        sig: &[],
        doc: "a writable root file system",
        example: "",
    },
    Row {
        keyword: "allow-escalation",
        ctxs: WL_DEFAULT,
        sig: &[],
        doc: "allow privilege escalation",
        example: "",
    },
    Row {
        keyword: "mount-token",
        ctxs: WL_DEFAULT,
        sig: &[],
        doc: "mount the service account token",
        example: "",
    },
    Row {
        keyword: "cap-add",
        ctxs: WL_DEFAULT,
        sig: &[Many("CAPABILITY", &[])],
        doc: "Linux capabilities to add",
        example: "cap-add NET_BIND_SERVICE",
    },
    Row {
        keyword: "seccomp",
        ctxs: WL_DEFAULT,
        sig: &[Val("runtime-default|unconfined")],
        doc: "the seccomp profile",
        example: "seccomp runtime-default",
    },
    Row {
        keyword: "accept",
        ctxs: WL_DEFAULT,
        sig: &[Many("WARNING", &["writable-root"])],
        doc: "warnings accepted on purpose",
        example: "accept image-not-pinned",
    },
    Row {
        keyword: "size",
        ctxs: &[Volume],
        sig: &[Val("SIZE")],
        doc: "the storage size",
        example: "size 10Gi",
    },
    Row {
        keyword: "class",
        ctxs: &[Volume, Ingress],
        sig: &[Val("CLASS")],
        doc: "the storage or ingress class",
        example: "class standard",
    },
    Row {
        keyword: "access",
        ctxs: &[Volume],
        sig: &[Many("MODE", &[])],
        doc: "access modes",
        example: "access rwo",
    },
    Row {
        keyword: "mode",
        ctxs: &[Volume],
        sig: &[Val("filesystem|block")],
        doc: "the volume mode",
        example: "mode filesystem",
    },
    Row {
        keyword: "host-path",
        ctxs: &[Volume],
        sig: &[Val("PATH")],
        doc: "back the claim with a hostPath PersistentVolume",
        example: "host-path /mnt/data",
    },
    Row {
        keyword: "host-type",
        ctxs: &[Volume],
        sig: &[Val("TYPE")],
        doc: "the hostPath type",
        example: "host-type directory-or-create",
    },
    Row {
        keyword: "pv",
        ctxs: &[Volume],
        sig: &[Val("NAME")],
        doc: "the name of the PersistentVolume",
        example: "pv shop-data-pv",
    },
    Row {
        keyword: "pv-labels",
        ctxs: &[Volume],
        sig: &[Block(Map)],
        doc: "labels of the PersistentVolume",
        example: "pv-labels { type = local }",
    },
    Row {
        keyword: "reclaim",
        ctxs: &[Volume],
        sig: &[Val("retain|delete")],
        doc: "the reclaim policy",
        example: "reclaim retain",
    },
    Row {
        keyword: "host",
        ctxs: &[Ingress],
        sig: &[Many("HOST", &[])],
        doc: "the hosts of an ingress",
        example: "host shop.example.com",
    },
    Row {
        keyword: "tls",
        ctxs: &[Ingress],
        sig: &[Opt(&[Val("SECRET")])],
        doc: "serve TLS",
        example: "tls shop-tls",
    },
    Row {
        keyword: "route",
        ctxs: &[Ingress],
        sig: &[
            Opt(&[Alt(&[&[Lit("exact")], &[Lit("regex")], &[Lit("prefix")]])]),
            Val("PATH"),
            Lit("->"),
            Val("SERVICE[.PORT]"),
        ],
        doc: "a route to a service",
        example: "route /api -> api",
    },
    Row {
        keyword: "allow",
        ctxs: &[Network],
        sig: &[ValOr("FROM", &["ingress"]), Lit("->"), Val("TO[.PORT]")],
        doc: "allowed traffic",
        example: "allow web -> api.http",
    },
    Row {
        keyword: "type",
        ctxs: &[Secret, Chart],
        sig: &[Val("TYPE")],
        doc: "the Secret type, or the chart type",
        example: "type kubernetes.io/tls",
    },
    Row {
        keyword: "version",
        ctxs: &[Chart],
        sig: &[Val("VERSION")],
        doc: "the chart version",
        example: "version 1.0.0",
    },
    Row {
        keyword: "app-version",
        ctxs: &[Chart],
        sig: &[Val("VERSION")],
        doc: "the chart's appVersion",
        example: "app-version 2.3.1",
    },
    Row {
        keyword: "description",
        ctxs: &[Chart],
        sig: &[Val("TEXT")],
        doc: "the chart description",
        example: "description \"The shop\"",
    },
];

/// Every statement keyword, once, in table order.
pub const KEYWORDS: &[&str] = &[
    "namespace",
    "labels",
    "annotations",
    "annotation",
    "naming",
    "chart",
    "config",
    "secret",
    "service",
    "database",
    "volume",
    "ingress",
    "autoscale",
    "network",
    "env",
    "name",
    "container",
    "image",
    "pull",
    "replicas",
    "selector",
    "port",
    "expose",
    "cpu",
    "memory",
    "liveness",
    "readiness",
    "startup",
    "command",
    "args",
    "workdir",
    "strategy",
    "run-as",
    "writable-root",
    "allow-escalation",
    "mount-token",
    "cap-add",
    "seccomp",
    "accept",
    "size",
    "class",
    "access",
    "mode",
    "host-path",
    "host-type",
    "pv",
    "pv-labels",
    "reclaim",
    "host",
    "tls",
    "route",
    "allow",
    "type",
    "version",
    "app-version",
    "description",
];

/// Whether a word starts a statement somewhere (a `match` the compiler
/// turns into a decision on length and bytes; a test keeps it equal to
/// [`KEYWORDS`]).
pub fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "namespace"
            | "labels"
            | "annotations"
            | "annotation"
            | "naming"
            | "chart"
            | "config"
            | "secret"
            | "service"
            | "database"
            | "volume"
            | "ingress"
            | "autoscale"
            | "network"
            | "env"
            | "name"
            | "container"
            | "image"
            | "pull"
            | "replicas"
            | "selector"
            | "port"
            | "expose"
            | "cpu"
            | "memory"
            | "liveness"
            | "readiness"
            | "startup"
            | "command"
            | "args"
            | "workdir"
            | "strategy"
            | "run-as"
            | "writable-root"
            | "allow-escalation"
            | "mount-token"
            | "cap-add"
            | "seccomp"
            | "accept"
            | "size"
            | "class"
            | "access"
            | "mode"
            | "host-path"
            | "host-type"
            | "pv"
            | "pv-labels"
            | "reclaim"
            | "host"
            | "tls"
            | "route"
            | "allow"
            | "type"
            | "version"
            | "app-version"
            | "description"
    )
}

/// The rows of a keyword (compared by length and first byte before the
/// whole word: this runs once per statement).
pub fn rows(keyword: &str) -> impl Iterator<Item = &'static Row> + '_ {
    let first = keyword.as_bytes().first().copied();
    ROWS.iter().filter(move |r| {
        r.keyword.len() == keyword.len()
            && r.keyword.as_bytes().first().copied() == first
            && r.keyword == keyword
    })
}

/// The rows of a keyword valid in `ctx` first, then the others.
pub fn rows_for(keyword: &str, ctx: Option<Ctx>) -> impl Iterator<Item = &'static Row> + '_ {
    let fits = move |r: &&Row| ctx.is_none_or(|c| r.ctxs.contains(&c));
    rows(keyword)
        .filter(fits)
        .chain(rows(keyword).filter(move |r| !fits(r)))
}

/// The keywords valid in a context.
pub fn valid_in(ctx: Ctx) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Vec::new();
    for r in ROWS.iter().filter(|r| r.ctxs.contains(&ctx)) {
        if !v.contains(&r.keyword) {
            v.push(r.keyword);
        }
    }
    v
}

/// Where a keyword belongs, for "`X` belongs in ..." help.
pub fn home_of(keyword: &str) -> Option<&'static str> {
    let ctxs: Vec<Ctx> = rows(keyword).flat_map(|r| r.ctxs.iter().copied()).collect();
    if ctxs.contains(&Workload) {
        return Some(Workload.home());
    }
    ctxs.first().map(|c| c.home())
}

/// The keywords a block of this kind accepts.
pub fn statements(kind: crate::ast::BlockKind) -> Vec<&'static str> {
    valid_in(super::build::block_ctx(kind))
}

/// The workload statements that may also stand in the app body, as defaults.
pub fn workload_defaults() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Vec::new();
    for r in ROWS
        .iter()
        .filter(|r| r.ctxs.contains(&Workload) && r.ctxs.contains(&App))
    {
        if !v.contains(&r.keyword) {
            v.push(r.keyword);
        }
    }
    v
}

/// How a statement is written (every form), for help lines.
pub fn usage(keyword: &str) -> Option<String> {
    let forms: Vec<String> = rows(keyword)
        .map(|r| {
            let sig = show(r.sig);
            if sig.is_empty() {
                keyword.to_string()
            } else {
                format!("{keyword} {sig}")
            }
        })
        .collect();
    (!forms.is_empty()).then(|| forms.join("; or "))
}

/// A signature as usage text: `[NAME] PORT [-> TARGET] [node NODEPORT]`.
pub fn show(sig: &[Sig]) -> String {
    sig.iter().map(show_one).collect::<Vec<_>>().join(" ")
}

fn show_one(s: &Sig) -> String {
    match s {
        Val(n) | ValOr(n, _) | Expr(n) | Cmd(n) => (*n).to_string(),
        Lit(w) => (*w).to_string(),
        Opt(inner) => format!("[{}]", show(inner)),
        Many(n, _) => format!("{n}..."),
        Alt(alts) => {
            let forms: Vec<String> = alts.iter().map(|a| show(a)).collect();
            if forms.len() == 1 {
                forms.concat()
            } else {
                forms.join(" | ")
            }
        }
        Opts(opts) => opts
            .iter()
            .map(|(w, rest)| {
                let r = show(rest);
                if r.is_empty() {
                    format!("[{w}]")
                } else {
                    format!("[{w} {r}]")
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
        Block(b) | OptBlock(b) => {
            let inner = match b {
                Stmts(_) => "...",
                Map => "KEY = VALUE ...",
                Selector => "KEY ...",
                EnvGroup => "NAME = VALUE ...",
                Env => "overrides",
            };
            if matches!(s, OptBlock(_)) {
                format!("[{{ {inner} }}]")
            } else {
                format!("{{ {inner} }}")
            }
        }
    }
}

/// Whether a signature uses a word as an option or literal (then it is
/// never taken as a value of that statement).
pub fn is_own_word(sig: &[Sig], word: &str) -> bool {
    sig.iter().any(|s| match s {
        Lit(w) => *w == word,
        Opt(inner) => is_own_word(inner, word),
        Alt(alts) => alts.iter().any(|a| is_own_word(a, word)),
        Opts(opts) => opts
            .iter()
            .any(|(w, rest)| *w == word || is_own_word(rest, word)),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_keyword_is_listed_and_every_keyword_has_a_row() {
        for r in ROWS {
            assert!(
                KEYWORDS.contains(&r.keyword),
                "{} is not in KEYWORDS",
                r.keyword
            );
        }
        for k in KEYWORDS {
            assert!(rows(k).next().is_some(), "{k} has no row");
        }
    }

    #[test]
    fn is_keyword_is_exactly_the_keyword_list() {
        for k in KEYWORDS {
            assert!(is_keyword(k), "{k}");
        }
        let words = ROWS.iter().flat_map(|r| {
            let mut v = vec![r.keyword];
            collect_words(r.sig, &mut v);
            v
        });
        for w in words {
            assert_eq!(is_keyword(w), KEYWORDS.contains(&w), "{w}");
        }
    }

    fn collect_words(sig: &[Sig], out: &mut Vec<&'static str>) {
        for s in sig {
            match s {
                Lit(w) => out.push(w),
                Opt(i) => collect_words(i, out),
                Alt(a) => a.iter().for_each(|x| collect_words(x, out)),
                Opts(o) => o.iter().for_each(|(w, r)| {
                    out.push(w);
                    collect_words(r, out);
                }),
                _ => {}
            }
        }
    }

    #[test]
    fn usage_is_the_signature() {
        assert_eq!(
            usage("port").as_deref(),
            Some("port [NAME] PORT [-> TARGET] [node NODEPORT] [protocol tcp|udp|sctp]")
        );
        assert_eq!(usage("writable-root").as_deref(), Some("writable-root"));
    }
}
