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
    /// An `init` or `sidecar` block: one more container of the pod.
    Container,
    /// A `job` block (a Job, or a CronJob with `schedule`).
    Job,
    /// A `host HOST ... { }` block of an ingress: the routes of its hosts.
    Host,
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
            Ctx::Container => "an init or sidecar container",
            Ctx::Job => "a job",
            Ctx::Host => "a host block",
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
            Ctx::Container => "an `init` or `sidecar` block",
            Ctx::Job => "a job",
            Ctx::Host => "an ingress's `host HOST { }` block",
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
    /// A value that starts like a number (a digit, sign or `.`): where an
    /// optional word may stand before it, a word is never taken for it, so
    /// `port 80 next-statement` ends the port at `80`. Its value is checked
    /// when lowered (`80x` is TF0315).
    Num(&'static str),
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
    pub kw: Kw,
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
/// Pod statements: in a service, a database and a job.
const WL: &[Ctx] = &[Workload, Job];
/// Pod statements that may also stand in the app body, as defaults.
const WL_DEFAULT: &[Ctx] = &[Workload, App, Job];
/// Container statements: in a workload (its app container) and in an
/// `init` or `sidecar` block.
const WL_C: &[Ctx] = &[Workload, Job, Container];
/// Container statements that may also stand in the app body, as defaults
/// (for app containers only).
const WL_DEFAULT_C: &[Ctx] = &[Workload, App, Job, Container];
/// Statements of long-running workloads (services and databases), not jobs.
const SVC: &[Ctx] = &[Workload];
const SVC_DEFAULT: &[Ctx] = &[Workload, App];
/// Statements of a job.
const JOB: &[Ctx] = &[Job];

/// Port names may be the probe kinds' own words (`port grpc 9090`).
const PROBE_WORDS: &[&str] = &["http", "tcp", "exec", "grpc"];

const PROBE: &[Sig] = &[
    Alt(&[
        &[Lit("http"), Opt(&[Val("PATH")])],
        &[Lit("tcp"), Opt(&[ValOr("PORT", PROBE_WORDS)])],
        &[Lit("exec"), Cmd("COMMAND")],
        &[Lit("grpc"), Opt(&[ValOr("PORT", PROBE_WORDS)])],
    ]),
    Opts(&[
        ("port", &[ValOr("PORT", PROBE_WORDS)]),
        ("scheme", &[Val("http|https")]),
        ("header", &[Val("NAME"), Lit("="), Val("VALUE")]),
        ("service", &[Val("NAME")]),
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

/// Declares the statements: the [`Kw`] enum (one variant per row) and the
/// rows. A keyword with two rows reads by the first whose signature fits
/// (`volume NAME { }` at app level, `volume NAME SOURCE at PATH` in a
/// service; `env NAME { }` and the variable forms).
macro_rules! statements {
    ($($kw:ident $word:literal $ctxs:expr, $sig:expr, $doc:literal, $ex:literal;)*) => {
        /// A statement, by its row of the table.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kw {
            $($kw,)*
        }

        impl Kw {
            /// The keyword as written.
            pub fn word(self) -> &'static str {
                match self {
                    $(Kw::$kw => $word,)*
                }
            }

            /// The first row of a keyword (a `match`, so a decision on
            /// length and bytes rather than a search).
            #[allow(unreachable_patterns)]
            pub fn parse(word: &str) -> Option<Kw> {
                match word {
                    $($word => Some(Kw::$kw),)*
                    _ => None,
                }
            }
        }

        /// Every row.
        pub const ROWS: &[Row] = &[
            $(Row { kw: Kw::$kw, keyword: $word, ctxs: $ctxs, sig: $sig, doc: $doc, example: $ex },)*
        ];

        /// Every statement keyword (a keyword with two rows, twice).
        pub const KEYWORDS: &[&str] = &[$($word,)*];
    };
}

#[rustfmt::skip]
statements! {
    Namespace "namespace" &[App], &[Val("NAME"), OptBlock(Stmts(Namespace))], "the namespace of every object", "namespace shop-prod";
    Fixed "fixed" &[Namespace], &[], "the namespace wins over `tfc compile --namespace` (and Argo CD's destination)", "namespace shop { fixed }";
    Labels "labels" META, &[Block(Map)], "labels, merged key by key", "labels { team = web }";
    Annotations "annotations" META, &[Block(Map)], "annotations, merged key by key", "annotations { owner = \"ops@example.com\" }";
    Annotation "annotation" META, &[ValOr("KEY", KEYWORDS), Lit("="), ValOr("VALUE", KEYWORDS)], "one annotation", "annotation owner = \"ops@example.com\"";
    Naming "naming" &[App], &[Block(Map)], "patterns for the names of workload objects", "naming { default = \"{app}-{name}\" }";
    Chart "chart" &[App], &[Block(Stmts(Chart))], "the metadata of the Helm chart", "chart { version 1.0.0 }";
    Config "config" &[App], &[Val("NAME"), Block(Stmts(Config))], "a ConfigMap", "config app-config { LOG_LEVEL = \"info\" }";
    Secret "secret" &[App], &[Val("NAME"), Block(Stmts(Secret))], "a Secret whose values come at compile time", "secret creds { username password }";
    Service "service" &[App], &[Val("NAME"), Block(Stmts(Workload))], "a Deployment and its Service", "service web { image nginx:1.27  port http 80 }";
    Database "database" &[App], &[Val("NAME"), Block(Stmts(Workload))], "a StatefulSet and its headless Service", "database db { image postgres:16  port postgres 5432 }";
    Job "job" &[App], &[Val("NAME"), Block(Stmts(Job))], "a Job, or a CronJob when it has a `schedule`", "job migrate { image ghcr.io/acme/api:1.4.2  command [\"alembic\", \"upgrade\", \"head\"] }";
    Volume "volume" &[App], &[Val("NAME"), Block(Stmts(Volume))], "a PersistentVolumeClaim", "volume uploads { size 10Gi }";
    Mount "volume" WL, &[Val("NAME"), Alt(&[&[Lit("emptydir"), Opts(&[("size", &[Val("SIZE")]), ("memory", &[])])], &[Lit("claim"), Val("VOLUME")], &[Lit("config"), Val("CONFIG"), Opts(&[("keys", &[Many("KEY[:FILE]", &[])]), ("file-mode", &[Val("MODE")])])], &[Lit("secret"), Val("SECRET"), Opts(&[("keys", &[Many("KEY[:FILE]", &[])]), ("file-mode", &[Val("MODE")])])], &[Lit("host-path"), Val("HOSTPATH")], &[Val("SIZE"), Opts(&[("class", &[Val("CLASS")]), ("access", &[Val("ACCESS")]), ("mode", &[Val("MODE")])])]]), Lit("at"), Val("PATH"), Opts(&[("read-only", &[]), ("sub-path", &[Val("SUBPATH")])])], "a volume mounted into the container", "volume data 10Gi at /data";
    Init "init" WL, &[Val("NAME"), Block(Stmts(Container))], "a container that runs to completion before the app container starts", "init migrate { image ghcr.io/acme/api:1.4.2  command [\"alembic\", \"upgrade\", \"head\"] }";
    Sidecar "sidecar" WL, &[Val("NAME"), Opt(&[Lit("native")]), Block(Stmts(Container))], "a container beside the app container; `native`: started first, stopped last", "sidecar metrics { image prom/statsd-exporter:v0.26.0  port metrics 9102 }";
    Use "mount" &[Container], &[Val("VOLUME"), Lit("at"), Val("PATH"), Opts(&[("read-only", &[]), ("sub-path", &[Val("SUBPATH")])])], "mount a volume of the pod into this container", "mount cache at /cache";
    Ingress "ingress" &[App], &[Val("NAME"), Block(Stmts(Ingress))], "an Ingress", "ingress public { host shop.example.com  route / -> web }";
    Autoscale "autoscale" &[App], &[Val("SERVICE"), Val("MIN..MAX"), Opts(&[("cpu", &[Val("PERCENT")]), ("memory", &[Val("PERCENT")]), ("name", &[Val("NAME")]), ("up-window", &[Val("DURATION")]), ("down-window", &[Val("DURATION")]), ("up-rate", &[Val("N|N%"), Lit("per"), Val("DURATION")]), ("down-rate", &[Val("N|N%"), Lit("per"), Val("DURATION")]), ("no-scale-down", &[])])], "a HorizontalPodAutoscaler", "autoscale web 2..10 cpu 70%";
    NetworkMode "network-mode" &[App], &[Val("closed|internal|open")], "how open the app's network is", "network-mode internal";
    Network "network" &[App], &[Opt(&[Val("NAME")]), Block(Stmts(Network))], "network rules", "network { allow web -> api }";
    Environment "env" &[App], &[Alt(&[&[Val("NAME"), Block(Env)]])], "an environment: overrides applied with --env NAME", "env dev { web.replicas 1 }";
    Exclude "exclude" &[App], &[Many("ITEM", &["autoscale"])], "items left out unless an environment includes them; in an environment, items it leaves out", "exclude redis";
    ExcludePart "exclude" &[Workload, Job, Config, Secret, Volume, Ingress, Network], &[Alt(&[&[Lit("allow"), ValOr("FROM", &["ingress"]), Lit("->"), Val("TO[.PORT]")], &[ValOr("WHAT", KEYWORDS), Opt(&[ValOr("NAME", KEYWORDS)])]])], "in an environment: a part of an item it leaves out (`exclude env NAME`, `exclude port NAME`, `exclude volume NAME`, `exclude init NAME`, `exclude sidecar NAME`, `exclude readiness`, `exclude label KEY`, `exclude annotation KEY`; in a config or secret, `exclude KEY`; in an ingress, `exclude host HOST`, `exclude route PATH`; in a network, `exclude allow FROM -> TO`)", "exclude env DEBUG";
    Include "include" &[App], &[Many("ITEM", &["autoscale"])], "in an environment: items excluded at app level", "include redis";
    Patch "patch" &[App], &[ValOr("KIND", KEYWORDS), ValOr("NAME", KEYWORDS), Val("YAML")], "a merge patch on an emitted object", "patch deployment web \"spec: {minReadySeconds: 5}\"";
    Object "object" &[App], &[Val("YAML")], "extra Kubernetes objects, written in YAML", "object \"\"\"...\"\"\"";
    Env "env" WL_DEFAULT_C, &[Alt(ENV_VAR)], "environment variables", "env LOG_LEVEL = \"info\"";
    Name "name" WL, &[Val("NAME")], "the base of the Kubernetes names", "name shop-web";
    Container "container" WL, &[Val("NAME")], "the container name", "container web";
    Image "image" WL_C, &[Val("IMAGE")], "the container image", "image ghcr.io/acme/web:1.4.2";
    Pull "pull" WL_DEFAULT_C, &[Val("always|if-not-present|never")], "the image pull policy", "pull if-not-present";
    Replicas "replicas" SVC_DEFAULT, &[Val("N")], "the number of pods", "replicas 2";
    Selector "selector" SVC_DEFAULT, &[Block(Selector)], "the labels that select the pods", "selector { app }";
    Port "port" &[Workload, Container], &[Opt(&[Val("NAME")]), Num("PORT"), Opt(&[Lit("->"), Val("TARGET")]), Opts(&[("node", &[Val("NODEPORT")]), ("protocol", &[Val("tcp|udp|sctp")]), ("target-name", &[Val("NAME")])])], "a port of the Service and container", "port http 80 -> 8080";
    Expose "expose" SVC, &[Val("cluster-ip|headless|node-port|load-balancer|none"), Opts(&[("as", &[Val("NAME")]), ("ports", &[Many("PORT", &[])])])], "how the Service is exposed; `as NAME` adds another Service", "expose load-balancer as web-external ports http";
    Cpu "cpu" WL_DEFAULT_C, &[Val("REQUEST..LIMIT")], "cpu request and limit", "cpu 100m..500m";
    Ephemeral "ephemeral" WL_DEFAULT_C, &[Val("REQUEST..LIMIT")], "ephemeral-storage request and limit (scratch space, logs, a writable root)", "ephemeral 1Gi..2Gi";
    Memory "memory" WL_DEFAULT_C, &[Val("REQUEST..LIMIT")], "memory request and limit", "memory 128Mi..512Mi";
    Liveness "liveness" WL_DEFAULT_C, PROBE, "the liveness probe", "liveness http /healthz delay 10s";
    Readiness "readiness" WL_DEFAULT_C, PROBE, "the readiness probe", "readiness http /healthz";
    Startup "startup" WL_DEFAULT_C, PROBE, "the startup probe", "startup tcp 8080 failures 30";
    Command "command" WL_C, &[Cmd("COMMAND")], "the container's command", "command [\"node\", \"server.js\"]";
    Args "args" WL_C, &[Cmd("ARGS")], "the container's arguments", "args [\"--port\", \"8080\"]";
    Workdir "workdir" WL_C, &[Val("PATH")], "the working directory", "workdir /srv";
    Strategy "strategy" SVC_DEFAULT, &[Alt(&[&[Lit("recreate")], &[Lit("rolling"), Opts(&[("surge", &[Val("N")]), ("unavailable", &[Val("N")])])]])], "the update strategy", "strategy rolling surge 1";
    TargetPorts "target-ports" SVC_DEFAULT, &[Val("by-name|by-number")], "how Services and probes name container ports: `by-name` (targetPort: http) or `by-number` (the default)", "target-ports by-name";
    Grace "grace" WL_DEFAULT, &[Val("DURATION")], "the time a pod gets to shut down before it is killed", "grace 45s";
    FsGroup "fs-group" WL_DEFAULT, &[Val("GID")], "the group that owns the pod's volumes (fsGroup)", "fs-group 2000";
    RunAs "run-as" WL_DEFAULT_C, &[Val("UID[:GID]|root")], "the user and group", "run-as 10001";
    WritableRoot "writable-root" WL_DEFAULT_C, &[], "a writable root file system", "";
    AllowEscalation "allow-escalation" WL_DEFAULT_C, &[], "allow privilege escalation", "";
    RootImage "root-image" WL_DEFAULT, &[], "the image starts as root (a stock nginx, httpd, ...): run it as root, with a writable root and its entrypoint's capabilities", "";
    MountToken "mount-token" WL_DEFAULT, &[], "mount the service account token", "";
    CapAdd "cap-add" WL_DEFAULT_C, &[Many("CAPABILITY", &[])], "Linux capabilities to add", "cap-add NET_BIND_SERVICE";
    Seccomp "seccomp" WL_DEFAULT, &[Val("runtime-default|unconfined")], "the seccomp profile", "seccomp runtime-default";
    PodAnnotations "pod-annotations" WL_DEFAULT, &[Block(Map)], "annotations of the pods (not of the Deployment)", "pod-annotations { prometheus.io/scrape = \"true\" }";
    ServiceAccount "service-account" WL_DEFAULT, &[Val("NAME")], "the pods' service account, which tfc emits", "service-account web";
    PullSecret "pull-secret" WL_DEFAULT, &[Many("SECRET", &[])], "registry secrets to pull the images with", "pull-secret registry";
    NodeSelector "node-selector" WL_DEFAULT, &[Block(Map)], "node labels the pods must run on", "node-selector { disktype = ssd }";
    Tolerate "tolerate" WL_DEFAULT, &[Val("KEY"), Opt(&[Lit("="), Val("VALUE")]), Opts(&[("effect", &[Val("no-schedule|prefer-no-schedule|no-execute")])])], "a node taint the pods tolerate", "tolerate dedicated = gpu effect no-schedule";
    Spread "spread" WL_DEFAULT, &[Many("nodes|zones|strict", &[])], "spread the pods over nodes or zones", "spread nodes zones";
    Disruption "disruption" SVC_DEFAULT, &[Alt(&[&[Lit("max-unavailable"), Val("N|N%")], &[Lit("min-available"), Val("N|N%")], &[Lit("none")]])], "a PodDisruptionBudget for the pods", "disruption max-unavailable 1";
    PreStop "pre-stop" WL_DEFAULT_C, &[Alt(&[&[Lit("sleep"), Val("DURATION")], &[Cmd("COMMAND")]])], "what runs before a container is stopped", "pre-stop sleep 5s";
    Accept "accept" WL_DEFAULT, &[Many("WARNING", &["writable-root"])], "warnings accepted on purpose", "accept image-not-pinned";
    Schedule "schedule" JOB, &[Val("CRON")], "run the job on a schedule (a CronJob)", "schedule \"0 3 * * *\"";
    Timezone "timezone" JOB, &[Val("ZONE")], "the time zone of the schedule", "timezone Europe/Berlin";
    Concurrency "concurrency" JOB, &[Val("forbid|allow|replace")], "what a scheduled run does while the last one runs", "concurrency replace";
    History "history" JOB, &[Val("SUCCEEDED"), Opt(&[Val("FAILED")])], "how many finished runs a CronJob keeps", "history 3 1";
    Retries "retries" JOB, &[Val("N")], "retries before the job fails (backoffLimit)", "retries 2";
    Deadline "deadline" JOB, &[Val("DURATION")], "the longest a job may run", "deadline 10m";
    KeepFor "keep-for" JOB, &[Val("DURATION")], "how long a finished job is kept (ttlSecondsAfterFinished)", "keep-for 1h";
    Restart "restart" JOB, &[Val("never|on-failure")], "the pods' restart policy", "restart on-failure";
    Completions "completions" JOB, &[Val("N")], "successful pods the job needs", "completions 5";
    Parallel "parallel" JOB, &[Val("N")], "pods that run at once", "parallel 2";
    Size "size" &[Volume], &[Val("SIZE")], "the storage size", "size 10Gi";
    Class "class" &[Volume, Ingress], &[Val("CLASS")], "the storage or ingress class", "class standard";
    Access "access" &[Volume], &[Many("MODE", &[])], "access modes", "access rwo";
    Mode "mode" &[Volume], &[Val("filesystem|block")], "the volume mode", "mode filesystem";
    HostPath "host-path" &[Volume], &[Val("PATH")], "back the claim with a hostPath PersistentVolume", "host-path /mnt/data";
    HostType "host-type" &[Volume], &[Val("TYPE")], "the hostPath type", "host-type directory-or-create";
    Pv "pv" &[Volume], &[Val("NAME")], "the name of the PersistentVolume", "pv shop-data-pv";
    PvLabels "pv-labels" &[Volume], &[Block(Map)], "labels of the PersistentVolume", "pv-labels { type = local }";
    Reclaim "reclaim" &[Volume], &[Val("retain|delete")], "the reclaim policy", "reclaim retain";
    Host "host" &[Ingress], &[Many("HOST", &[]), OptBlock(Stmts(Host))], "the hosts of an ingress; with `{ }`, hosts with routes and TLS of their own", "host api.example.com { route / -> api  tls api-tls }";
    Tls "tls" &[Ingress, Host], &[Opt(&[Val("SECRET")])], "serve TLS", "tls shop-tls";
    Route "route" &[Ingress, Host], &[Opt(&[Alt(&[&[Lit("exact")], &[Lit("regex")], &[Lit("prefix")]])]), Val("PATH"), Lit("->"), Val("SERVICE[.PORT]")], "a route to a service", "route /api -> api";
    Allow "allow" &[Network], &[ValOr("FROM", &["ingress"]), Lit("->"), Val("TO[.PORT]")], "allowed traffic", "allow web -> api.http";
    Store "store" &[Secret], &[Val("STORE"), Opts(&[("cluster", &[]), ("remote", &[Val("KEY")]), ("refresh", &[Val("DURATION")])])], "the values come from an External Secrets Operator store: tfc emits an ExternalSecret, no Secret", "store vault-backend remote prod/shop";
    Sealed "sealed" &[Secret], &[Val("FILE")], "the values come from a Sealed Secrets file (kubeseal's output, relative to the .taskflow file): tfc checks its keys, scope and type and emits the SealedSecret, no Secret", "sealed sealed/creds.yaml";
    External "external" &[Config, Secret], &[Opt(&[Lit("optional")])], "the ConfigMap or Secret exists in the cluster, managed elsewhere: tfc emits none and checks references against the keys listed; `optional`: pods start without it", "external optional";
    Type "type" &[Secret, Chart], &[Val("TYPE")], "the Secret type, or the chart type", "type kubernetes.io/tls";
    Version "version" &[Chart], &[Val("VERSION")], "the chart version", "version 1.0.0";
    AppVersion "app-version" &[Chart], &[Val("VERSION")], "the chart's appVersion", "app-version 2.3.1";
    Description "description" &[Chart], &[Val("TEXT")], "the chart description", "description \"The shop\"";
}

/// Whether a word starts a statement somewhere.
pub fn is_keyword(word: &str) -> bool {
    Kw::parse(word).is_some()
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
pub fn home_of(keyword: &str) -> Option<String> {
    let ctxs: Vec<Ctx> = rows(keyword).flat_map(|r| r.ctxs.iter().copied()).collect();
    if ctxs.contains(&Workload) {
        return Some(Workload.home().to_string());
    }
    let mut homes: Vec<&str> = Vec::new();
    for c in ctxs {
        if !homes.contains(&c.home()) {
            homes.push(c.home());
        }
    }
    match homes.split_last()? {
        (last, []) => Some(last.to_string()),
        (last, rest) => Some(format!("{} or {last}", rest.join(", "))),
    }
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
        Val(n) | ValOr(n, _) | Num(n) | Expr(n) | Cmd(n) => (*n).to_string(),
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
            Some(
                "port [NAME] PORT [-> TARGET] [node NODEPORT] [protocol tcp|udp|sctp] [target-name NAME]"
            )
        );
        assert_eq!(usage("writable-root").as_deref(), Some("writable-root"));
    }
}
