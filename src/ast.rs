//! The spanned syntax tree of a .taskflow file: what was written, untyped.
//!
//! Values are kept as written (`Scalar`); the IR lowering gives them types.
//! Statements of every block share one `StmtKind`, so that an `env` override
//! can carry any statement to any item.

use crate::span::{Span, Spanned};
pub use crate::syntax::table::{Ctx, Kw};

/// A string or bare value as written, with escapes already resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar {
    pub text: String,
    /// Written in quotes (never a reference or a number).
    pub quoted: bool,
    pub span: Span,
}

impl Scalar {
    pub fn spanned(&self) -> Spanned<String> {
        Spanned::new(self.text.clone(), self.span)
    }
}

/// One part of a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    Scalar(Scalar),
    Call {
        name: Spanned<String>,
        args: Vec<Scalar>,
        span: Span,
    },
    List(Vec<Value>, Span),
}

impl Term {
    pub fn span(&self) -> Span {
        match self {
            Term::Scalar(s) => s.span,
            Term::Call { span, .. } | Term::List(_, span) => *span,
        }
    }
}

/// A value: one or more terms joined by `+`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    pub terms: Vec<Term>,
    pub span: Span,
}

/// `KEY = VALUE` in labels, annotations, naming or a selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub key: Scalar,
    pub value: Scalar,
}

/// A whole file: one app, and the trivia around its tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub app: App,
    /// Comments and separators, in source order (blank lines are the
    /// source's own: see [`crate::span::LineIndex`]).
    pub trivia: Vec<Trivia>,
}

/// What is kept beside the statements, for `fmt` and the language server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriviaKind {
    /// `# ...` up to the end of the line.
    Comment,
    /// `,` or `;` between tokens.
    Separator,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trivia {
    pub kind: TriviaKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct App {
    pub name: Spanned<String>,
    pub items: Vec<Item>,
    pub span: Span,
}

/// The kind of a named block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlockKind {
    Namespace,
    Chart,
    Config,
    Secret,
    Service,
    Database,
    Job,
    Volume,
    Ingress,
    Network,
}

impl BlockKind {
    /// The keyword that opens the block.
    pub fn keyword(self) -> &'static str {
        match self {
            BlockKind::Namespace => "namespace",
            BlockKind::Chart => "chart",
            BlockKind::Config => "config",
            BlockKind::Secret => "secret",
            BlockKind::Service => "service",
            BlockKind::Database => "database",
            BlockKind::Job => "job",
            BlockKind::Volume => "volume",
            BlockKind::Ingress => "ingress",
            BlockKind::Network => "network",
        }
    }

    /// The statement context of its block.
    pub fn ctx(self) -> Ctx {
        match self {
            BlockKind::Namespace => Ctx::Namespace,
            BlockKind::Chart => Ctx::Chart,
            BlockKind::Config => Ctx::Config,
            BlockKind::Secret => Ctx::Secret,
            BlockKind::Service | BlockKind::Database => Ctx::Workload,
            BlockKind::Job => Ctx::Job,
            BlockKind::Volume => Ctx::Volume,
            BlockKind::Ingress => Ctx::Ingress,
            BlockKind::Network => Ctx::Network,
        }
    }

    /// "a service", "an ingress", for messages.
    pub fn described(self) -> String {
        match self {
            BlockKind::Ingress => "an ingress".to_string(),
            other => format!("a {}", other.keyword()),
        }
    }
}

/// `KIND NAME { statements }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub name: Spanned<String>,
    pub stmts: Vec<Stmt>,
    pub span: Span,
    /// The spans of its `{` and `}` (empty spans where it has none).
    pub braces: (Span, Span),
    /// A statement of the block did not parse and was skipped.
    pub recovered: bool,
}

/// `autoscale SERVICE MIN..MAX [cpu N%] [memory N%] [name NAME]`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Autoscale {
    pub target: Spanned<String>,
    pub range: Scalar,
    pub cpu: Option<Scalar>,
    pub memory: Option<Scalar>,
    pub name: Option<Scalar>,
    /// `up-window D` and `down-window D`: stabilization windows.
    pub windows: [Option<Scalar>; 2],
    /// `up-rate N|N% per D` and `down-rate ...`: (amount, period).
    pub rates: [Option<(Scalar, Scalar)>; 2],
    /// `no-scale-down`.
    pub no_scale_down: Option<Span>,
    pub span: Span,
}

/// `env NAME { overrides }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvBlock {
    pub name: Spanned<String>,
    pub items: Vec<EnvItem>,
    pub span: Span,
    /// The spans of its `{` and `}`.
    pub braces: (Span, Span),
}

/// One override in an environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvItem {
    /// `TARGET.stmt` or `TARGET { stmts }`
    Target {
        target: Spanned<String>,
        stmts: Vec<Stmt>,
    },
    /// An app-level item or a default for every workload.
    App(Box<Item>),
}

/// A top-level item of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Block(Block),
    Naming(Vec<Pair>, Span),
    Autoscale(Autoscale),
    Env(EnvBlock),
    /// `labels`, `annotations` and defaults for every workload.
    Stmt(Stmt),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

impl ProbeKind {
    pub fn keyword(self) -> &'static str {
        match self {
            ProbeKind::Liveness => "liveness",
            ProbeKind::Readiness => "readiness",
            ProbeKind::Startup => "startup",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProbeAction {
    Http(Option<Scalar>),
    Tcp(Option<Scalar>),
    Exec(Value),
    Grpc(Option<Scalar>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreStopAction {
    Sleep(Scalar),
    Exec(Value),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeOpt {
    Port,
    Scheme,
    /// `header NAME`; its value follows as [`ProbeOpt::HeaderValue`].
    Header,
    HeaderValue,
    Service,
    Delay,
    Period,
    Timeout,
    Failures,
    Successes,
}

impl ProbeOpt {
    pub fn keyword(self) -> &'static str {
        match self {
            ProbeOpt::Port => "port",
            ProbeOpt::Scheme => "scheme",
            ProbeOpt::Header | ProbeOpt::HeaderValue => "header",
            ProbeOpt::Service => "service",
            ProbeOpt::Delay => "delay",
            ProbeOpt::Period => "period",
            ProbeOpt::Timeout => "timeout",
            ProbeOpt::Failures => "failures",
            ProbeOpt::Successes => "successes",
        }
    }
}

/// How an `env` statement sets variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvForm {
    /// `env from NAME [prefix P]`
    From {
        name: Spanned<String>,
        prefix: Option<Scalar>,
    },
    /// `env NAME = value`
    Assign { name: Spanned<String>, value: Value },
    /// `env CONFIG.KEY`: a variable named after the key.
    Pick(Scalar),
    /// `env { ... }`
    Group(Vec<EnvForm>),
}

/// Where a workload volume comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountSource {
    EmptyDir {
        size: Option<Scalar>,
        memory: bool,
    },
    Claim(Spanned<String>),
    Config(Spanned<String>),
    Secret(Spanned<String>),
    HostPath(Scalar),
    /// `SIZE [class C] [access A] [mode M]`: a claim made for this workload.
    New {
        size: Scalar,
        class: Option<Scalar>,
        access: Option<Scalar>,
        mode: Option<Scalar>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RouteKind {
    Prefix,
    Exact,
    Regex,
}

/// `host HOST ... { }` in an ingress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostBlock {
    pub hosts: Vec<Scalar>,
    pub stmts: Vec<Stmt>,
    /// A statement of the block did not parse and was skipped.
    pub recovered: bool,
}

/// `init NAME { }` or `sidecar NAME [native] { }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerBlock {
    /// `init` (else `sidecar`).
    pub init: bool,
    /// `sidecar NAME native`: a restartable init container.
    pub native: bool,
    pub name: Spanned<String>,
    pub stmts: Vec<Stmt>,
    /// A statement of the block did not parse and was skipped.
    pub recovered: bool,
}

/// A statement: its keyword's span, the whole span, and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stmt {
    /// Its row of the statement table (None for `KEY` and `KEY = value`).
    pub kw: Option<Kw>,
    pub kind: StmtKind,
    pub keyword: Span,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StmtKind {
    Labels(Vec<Pair>),
    Annotations(Vec<Pair>),
    Annotation(Pair),
    /// Keys with an optional value each.
    Selector(Vec<(Scalar, Option<Scalar>)>),
    Port {
        first: Scalar,
        second: Option<Scalar>,
        target: Option<Scalar>,
        node: Option<Scalar>,
        protocol: Option<Scalar>,
        /// `target-name NAME`: the container port's own name.
        target_name: Option<Scalar>,
    },
    Probe {
        kind: ProbeKind,
        action: ProbeAction,
        opts: Vec<(ProbeOpt, Scalar)>,
    },
    Env(EnvForm),
    Command(Value),
    Args(Value),
    Strategy {
        recreate: bool,
        surge: Option<Scalar>,
        unavailable: Option<Scalar>,
    },
    Mount {
        name: Spanned<String>,
        source: MountSource,
        path: Scalar,
        read_only: bool,
        /// `sub-path SUBPATH`: mount one file or directory of the volume.
        sub_path: Option<Scalar>,
        /// `keys KEY[:FILE] ...` of a config or secret: only these, as these files.
        keys: Vec<Scalar>,
        /// `file-mode MODE` (octal) of a config or secret's files.
        file_mode: Option<Scalar>,
    },
    /// A statement of one value (`image REF`, `replicas N`, ...): most
    /// statements are this, and need no variant of their own.
    Simple(Kw, Scalar),
    /// A statement without a value (`writable-root`).
    Flag(Kw),
    CapAdd(Vec<Scalar>),
    Accept(Vec<Scalar>),
    Access(Vec<Scalar>),
    PvLabels(Vec<Pair>),
    /// A `{ KEY = VALUE }` statement of a workload (`pod-annotations`,
    /// `node-selector`).
    Pairs(Kw, Vec<Pair>),
    /// A statement of one or more values (`spread`, `pull-secret`).
    List(Kw, Vec<Scalar>),
    /// `tolerate KEY [= VALUE] [effect EFFECT]`.
    Tolerate {
        key: Scalar,
        value: Option<Scalar>,
        effect: Option<Scalar>,
    },
    /// `patch KIND NAME YAML`.
    Patch {
        kind: Scalar,
        name: Scalar,
        body: Scalar,
    },
    /// `object YAML`.
    Object(Scalar),
    /// `expose TYPE [as NAME] [ports PORT ...]`.
    Expose {
        kind: Scalar,
        name: Option<Scalar>,
        ports: Option<Vec<Scalar>>,
    },
    /// `pre-stop sleep DURATION` or `pre-stop COMMAND`.
    PreStop(PreStopAction),
    /// `init NAME { }` or `sidecar NAME [native] { }`: one more container.
    Container(Box<ContainerBlock>),
    /// `exclude WHAT [NAME]` in an item: a part an environment leaves out.
    ExcludePart {
        what: Scalar,
        name: Option<Scalar>,
    },
    /// `exclude allow FROM -> TO` in a network: a rule an environment leaves out.
    ExcludeAllow {
        from: Scalar,
        to: Scalar,
    },
    /// `mount VOLUME at PATH [read-only]` (in a container block).
    Use {
        volume: Scalar,
        path: Scalar,
        read_only: bool,
        sub_path: Option<Scalar>,
    },
    /// `disruption max-unavailable|min-available N|N%`, or `disruption none`
    /// (`None`); the bool is true for `min-available`.
    Disruption(Option<(bool, Scalar)>),
    /// `external [optional]` in a config or secret.
    External {
        optional: bool,
    },
    /// `store STORE [cluster] [remote KEY] [refresh DURATION]` in a secret.
    Store {
        store: Scalar,
        cluster: bool,
        remote: Option<Scalar>,
        refresh: Option<Scalar>,
    },
    Host(Vec<Scalar>),
    /// `host HOST ... { route ...  tls ... }`: hosts with routes of their own.
    HostBlock(Box<HostBlock>),
    Tls(Option<Scalar>),
    Route {
        kind: RouteKind,
        path: Scalar,
        target: Scalar,
    },
    Allow {
        from: Scalar,
        to: Scalar,
    },
    /// `KEY = value` (configs).
    Entry {
        key: Spanned<String>,
        value: Value,
    },
    /// `KEY` (secrets).
    Key(Spanned<String>),
}

impl StmtKind {
    /// The keyword of the statement, for messages.
    pub fn keyword(&self) -> &'static str {
        match self {
            StmtKind::Labels(_) => "labels",
            StmtKind::Annotations(_) => "annotations",
            StmtKind::Annotation(_) => "annotation",
            StmtKind::Selector(_) => "selector",
            StmtKind::Port { .. } => "port",
            StmtKind::Probe { kind, .. } => kind.keyword(),
            StmtKind::Env(_) => "env",
            StmtKind::Command(_) => "command",
            StmtKind::Args(_) => "args",
            StmtKind::Strategy { .. } => "strategy",
            StmtKind::Mount { .. } => "volume",
            StmtKind::Simple(kw, _) | StmtKind::Flag(kw) => kw.word(),
            StmtKind::CapAdd(_) => "cap-add",
            StmtKind::Accept(_) => "accept",
            StmtKind::Access(_) => "access",
            StmtKind::PvLabels(_) => "pv-labels",
            StmtKind::Pairs(kw, _) | StmtKind::List(kw, _) => kw.word(),
            StmtKind::Tolerate { .. } => "tolerate",
            StmtKind::PreStop(_) => "pre-stop",
            StmtKind::Container(c) if c.init => "init",
            StmtKind::Container(_) => "sidecar",
            StmtKind::Use { .. } => "mount",
            StmtKind::ExcludePart { .. } | StmtKind::ExcludeAllow { .. } => "exclude",
            StmtKind::HostBlock(_) => "host",
            StmtKind::External { .. } => "external",
            StmtKind::Store { .. } => "store",
            StmtKind::Disruption(_) => "disruption",
            StmtKind::Expose { .. } => "expose",
            StmtKind::Patch { .. } => "patch",
            StmtKind::Object(_) => "object",
            StmtKind::Host(_) => "host",
            StmtKind::Tls(_) => "tls",
            StmtKind::Route { .. } => "route",
            StmtKind::Allow { .. } => "allow",
            StmtKind::Entry { .. } => "KEY = value",
            StmtKind::Key(_) => "KEY",
        }
    }
}
