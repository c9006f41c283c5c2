//! Phase 3, IR: the typed model of one app in one environment. Every value is
//! parsed, every override applied; references are still names (checked by
//! `check`, resolved by `emit` through [`App`]'s lookups).

mod config;
mod containers;
mod defaults;
pub mod graph;
mod ingress;
mod items;
mod job;
mod layer;
mod lower;
mod names;
mod placement;
mod pod;
mod raw;
pub mod resolve;
mod switches;
mod symbols;
pub use symbols::Symbol;
mod values;
mod workload;

pub use lower::{Options, lower};
pub use pod::{
    Container, ContainerPort, ContainerRole, ContainerSecurity, Disruption, Expose, ExtraService,
    Placement, PodSecurity, PreStop, RunAs, Service, ServicePort, Spread, TaintEffect, Toleration,
    VolumeUse,
};
pub use raw::{Patch, RawObject, line_span};

use crate::ast::{ProbeKind, RouteKind};
use crate::span::{Span, Spanned};
use std::collections::HashMap;

/// Where a chart puts the release prefix in a value that names a host
/// (`url()`, `host()`): `RELEASE-` under `names.releasePrefix`, else nothing.
pub const RELEASE_TOKEN: &str = "__RELEASE_PREFIX__";

/// A name or text value with where it was written.
pub type Name = Spanned<String>;

/// What kind of item an [`ItemId`] names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    /// The app itself (its namespace, its deny-by-default policy).
    App,
    Config,
    Secret,
    Volume,
    Workload,
    Ingress,
    Autoscaler,
    Network,
}

/// One item of the app: its kind and its position among the items of that
/// kind (`App::workloads[index]`, ...). Numbered by the defaults pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId {
    pub kind: ItemKind,
    pub index: usize,
}

impl ItemId {
    pub const APP: ItemId = ItemId {
        kind: ItemKind::App,
        index: 0,
    };

    pub fn new(kind: ItemKind, index: usize) -> ItemId {
        ItemId { kind, index }
    }
}

/// Labels and annotations, in source order (emit sorts them).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub labels: Vec<(Name, Name)>,
    pub annotations: Vec<(Name, Name)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct App {
    pub name: Name,
    /// Host names in values carry [`RELEASE_TOKEN`] (a chart's lowering).
    pub release_token: bool,
    /// The environment compiled, if `--env` chose one.
    pub env: Option<Name>,
    /// Every `env NAME { }` block of the file (empty in an environment lowered
    /// without `check_other_envs`).
    pub environments: Vec<Name>,
    pub namespace: Option<Namespace>,
    pub meta: Meta,
    pub naming: Vec<(Name, Name)>,
    pub chart: Chart,
    pub configs: Vec<Config>,
    pub secrets: Vec<Secret>,
    pub workloads: Vec<Workload>,
    pub volumes: Vec<Volume>,
    pub ingresses: Vec<Ingress>,
    pub autoscalers: Vec<Autoscaler>,
    pub networks: Vec<Network>,
    /// Security warnings accepted at app level (`accept` in the app body).
    pub accept: Vec<Name>,
    /// `network-mode`: closed (the default), internal or open.
    pub network_mode: Spanned<NetworkMode>,
    /// `patch KIND NAME YAML`, applied after emit (src/patch/).
    pub patches: Vec<Patch>,
    /// `object YAML`: extra objects, emitted as written.
    pub objects: Vec<RawObject>,
    /// Every connection the app allows (defaults pass).
    pub edges: Vec<graph::Edge>,
    /// Positions of items by name (see [`App::index`]).
    pub by_name: Index,
    /// Some item is excluded at app level (`tfc check` also checks it in).
    pub off_by_default: bool,
    /// The items `exclude` leaves out of this compile (name, where it says so).
    pub left_out: Vec<(String, Span)>,
}

/// How open the app's network is (`network-mode`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NetworkMode {
    /// Deny everything the file does not say flows (the default).
    #[default]
    Closed,
    /// Pods of the app reach each other on any port; the rest is closed.
    Internal,
    /// No NetworkPolicy at all.
    Open,
}

/// Where each named item is, for lookups in constant time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Index {
    workloads: HashMap<String, usize>,
    configs: HashMap<String, usize>,
    secrets: HashMap<String, usize>,
    volumes: HashMap<String, usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Namespace {
    pub name: Name,
    pub meta: Meta,
    /// Not declared: an app without `namespace` gets one named after it, so
    /// that nothing lands in `default`.
    pub implicit: bool,
    /// `namespace NAME { fixed }`: `--namespace` does not move the app.
    pub fixed: bool,
}

/// Helm chart metadata (`chart { }`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chart {
    pub version: Option<Name>,
    pub app_version: Option<Name>,
    pub description: Option<Name>,
    pub chart_type: Option<Name>,
}

/// A value computed at compile time: text and references to services.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub parts: Vec<Part>,
    pub span: Span,
    /// Its text, once every reference resolves (defaults pass).
    pub text: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Text(String),
    /// `url(SERVICE[.PORT][, SCHEME])`
    Url {
        target: Target,
        scheme: Option<String>,
    },
    /// `host(SERVICE)`
    Host(Target),
    /// `port(SERVICE[.PORT])`
    Port(Target),
}

/// `SERVICE` or `SERVICE.PORT`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub service: Name,
    pub port: Option<Name>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub name: Name,
    pub item: ItemId,
    /// The keys and their values; an external config's keys have no value.
    pub entries: Vec<Entry>,
    /// `external`: the ConfigMap lives in the cluster; tfc emits none.
    pub external: Option<External>,
    /// Keys the selected environment's `exclude` left out, where it says so.
    pub excluded: Vec<Name>,
    pub meta: Meta,
    pub span: Span,
}

/// `store STORE ...`: an External Secrets Operator store the values come from.
#[derive(Clone, Debug, PartialEq)]
pub struct Store {
    pub name: Name,
    /// A ClusterSecretStore (else a SecretStore of the namespace).
    pub cluster: bool,
    /// The remote key (default the secret's name); each key is a property.
    pub remote: Option<Name>,
    /// How often the operator refreshes the Secret (a duration as written).
    pub refresh: Option<Name>,
    pub span: Span,
}

/// `sealed FILE`: the SealedSecret that the Sealed Secrets controller
/// decrypts into the Secret.
#[derive(Clone, Debug, PartialEq)]
pub struct Sealed {
    /// The file, as written: relative to the .taskflow file's directory.
    pub file: Name,
    pub span: Span,
    /// The SealedSecret read from the file once checked (src/sealed.rs):
    /// its `metadata` and `spec`.
    pub object: Option<serde_json::Value>,
}

/// `external [optional]`: a ConfigMap or Secret that exists in the cluster,
/// managed elsewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct External {
    /// References are `optional: true`: pods start without it.
    pub optional: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Name,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Secret {
    pub name: Name,
    pub item: ItemId,
    pub keys: Vec<Name>,
    /// `external`: the Secret lives in the cluster; tfc emits none.
    pub external: Option<External>,
    /// `store`: the External Secrets Operator fills it (external too).
    pub store: Option<Store>,
    /// `sealed FILE`: a SealedSecret from kubeseal fills it (external too).
    pub sealed: Option<Sealed>,
    /// Keys the selected environment's `exclude` left out, where it says so.
    pub excluded: Vec<Name>,
    pub secret_type: Option<Name>,
    pub meta: Meta,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadKind {
    /// A Deployment.
    Service,
    /// A StatefulSet with a headless Service.
    Database,
    /// A Job, or a CronJob when it has a schedule.
    Job,
}

/// How a `job` runs; its schedule makes it a CronJob.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobSpec {
    /// `schedule`: the cron schedule, as written.
    pub schedule: Option<Name>,
    pub timezone: Option<Name>,
    /// Written, or `Forbid` for a CronJob (defaults pass).
    pub concurrency: Option<Spanned<Concurrency>>,
    /// `history SUCCEEDED [FAILED]`.
    pub history: Option<(Spanned<i64>, Option<Spanned<i64>>)>,
    pub retries: Option<Spanned<i64>>,
    pub deadline: Option<Spanned<i64>>,
    pub keep_for: Option<Spanned<i64>>,
    /// Written, or `Never` (defaults pass).
    pub restart: Option<Spanned<JobRestart>>,
    pub completions: Option<Spanned<i64>>,
    pub parallel: Option<Spanned<i64>>,
}

/// `concurrency`: what a CronJob does when a run is due and the last one
/// still runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Concurrency {
    Allow,
    Forbid,
    Replace,
}

/// `restart`: the restart policy of a job's pods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobRestart {
    Never,
    OnFailure,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PullPolicy {
    Always,
    IfNotPresent,
    Never,
}

impl PullPolicy {
    pub fn as_k8s(self) -> &'static str {
        match self {
            PullPolicy::Always => "Always",
            PullPolicy::IfNotPresent => "IfNotPresent",
            PullPolicy::Never => "Never",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub fn as_k8s(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Port {
    pub name: Name,
    /// The Service port.
    pub port: Spanned<i64>,
    /// The container port.
    pub target: Spanned<i64>,
    pub node: Option<Spanned<i64>>,
    pub protocol: Protocol,
    pub span: Span,
    /// `target-name`: the container port's name, when not the Service port's.
    pub target_name: Option<Name>,
    /// The sidecar that listens on it (`port` in a `sidecar` block); none
    /// for the app container.
    pub container: Option<String>,
}

/// A cpu, memory or storage amount as written, with its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    pub text: String,
    /// In base units (cores or bytes).
    pub value: f64,
    pub span: Span,
}

/// `REQUEST..LIMIT`
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub request: Option<Quantity>,
    pub limit: Option<Quantity>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PortRef {
    Number(Spanned<i64>),
    Name(Name),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ProbeAction {
    Http {
        path: Name,
        port: Option<PortRef>,
        https: bool,
        headers: Vec<(Name, Name)>,
    },
    Tcp {
        port: Option<PortRef>,
    },
    Exec(Vec<String>),
    /// A gRPC health check (Kubernetes 1.27 and later).
    Grpc {
        port: Option<PortRef>,
        service: Option<Name>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    pub kind: ProbeKind,
    pub action: ProbeAction,
    pub delay: Option<i64>,
    pub period: Option<i64>,
    pub timeout: Option<i64>,
    pub failures: Option<i64>,
    pub successes: Option<i64>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EnvValue {
    Expr(Expr),
    /// `ITEM.KEY`: a config or secret key.
    Ref {
        item: Name,
        key: Name,
        /// Whether `item` is a config or a secret (defaults pass).
        from: Option<Source>,
        /// `item` is `external optional` (defaults pass).
        optional: bool,
    },
    /// `field(PATH)`: a field of the pod (the downward API's `fieldRef`).
    Field(Name),
    /// `resource(limits.cpu)`: a request or limit of the container
    /// (`resourceFieldRef`).
    Resource(Name),
}

/// The kind of item an environment variable reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Config,
    Secret,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnvVar {
    pub name: Name,
    pub value: EnvValue,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnvFrom {
    pub name: Name,
    /// The config or secret is `external optional` (defaults pass).
    pub optional: bool,
    pub prefix: Option<String>,
    pub span: Span,
    /// Whether `name` is a config or a secret (defaults pass).
    pub from: Option<Source>,
}

/// A count or a percentage, for rolling updates.
#[derive(Clone, Debug, PartialEq)]
pub enum IntOrPercent {
    Int(i64),
    Percent(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Strategy {
    Recreate,
    Rolling {
        surge: Option<IntOrPercent>,
        unavailable: Option<IntOrPercent>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessMode {
    ReadWriteOnce,
    ReadOnlyMany,
    ReadWriteMany,
    ReadWriteOncePod,
}

impl AccessMode {
    pub fn as_k8s(self) -> &'static str {
        match self {
            AccessMode::ReadWriteOnce => "ReadWriteOnce",
            AccessMode::ReadOnlyMany => "ReadOnlyMany",
            AccessMode::ReadWriteMany => "ReadWriteMany",
            AccessMode::ReadWriteOncePod => "ReadWriteOncePod",
        }
    }
}

/// What a claim asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClaimSpec {
    pub size: Option<Quantity>,
    pub class: Option<Name>,
    pub access: Vec<AccessMode>,
    pub block: bool,
    pub volume_mode_set: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MountSource {
    EmptyDir {
        size: Option<Quantity>,
        memory: bool,
    },
    Claim(Name),
    Config(Name),
    Secret(Name),
    HostPath(Name),
    /// A claim of the workload's own (a StatefulSet claim template for databases).
    New(ClaimSpec),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mount {
    pub name: Name,
    pub source: MountSource,
    pub path: Name,
    pub read_only: bool,
    /// `sub-path`: the file or directory of the volume mounted at `path`.
    pub sub_path: Option<Name>,
    /// `keys`: the config's or secret's keys mounted, each as (key, file).
    pub items: Vec<(Name, Name)>,
    /// `file-mode`: the files' permission bits (defaultMode).
    pub file_mode: Option<Spanned<i64>>,
    /// The config or secret is `external optional` (defaults pass).
    pub optional: bool,
    pub span: Span,
    /// The claim a `new` volume makes: `WORKLOAD-VOLUME` for a Deployment,
    /// the claim template `VOLUME` for a StatefulSet (defaults pass).
    pub claim: Option<String>,
    /// Added by tfc, not written (the `/tmp` volume of a read-only root).
    pub implicit: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// The item's name (`service NAME`).
    pub id: Name,
    pub item: ItemId,
    pub kind: WorkloadKind,
    pub span: Span,
    /// `name`: the base of its object names.
    pub name: Option<Name>,
    /// The Deployment or StatefulSet name (defaults pass).
    pub object_name: String,
    /// The name of its `allow-...` NetworkPolicy (defaults pass).
    pub policy_name: String,
    /// The Service name, the host other services use (defaults pass), even
    /// when the workload has no Service.
    pub host: String,
    /// Written, or 1; none when autoscaled (defaults pass).
    pub replicas: Option<Spanned<i64>>,
    /// `replicas` written for an autoscaled workload, which the autoscaler
    /// overrides (defaults pass).
    pub replicas_ignored: Option<Spanned<i64>>,
    pub meta: Meta,
    pub selector: Option<Vec<(Name, Option<Name>)>>,
    pub selector_span: Span,
    /// The `port` statements: each is a Service port and a container port.
    pub ports: Vec<Port>,
    pub expose: Option<Spanned<Expose>>,
    /// `expose ... ports P ...`: the ports of the workload's own Service
    /// (all when none are listed; the container declares every port).
    pub expose_ports: Option<Vec<Name>>,
    /// `expose TYPE as NAME`: more Services in front of the same pods.
    pub extra_services: Vec<ExtraService>,
    /// Written, or `Recreate` for a Deployment holding a ReadWriteOnce claim (defaults pass).
    pub strategy: Option<Spanned<Strategy>>,
    /// `grace`: seconds a pod gets to shut down (terminationGracePeriodSeconds).
    pub grace: Option<Spanned<i64>>,
    /// `target-ports by-name`: Services and probes name the container port.
    pub ports_by_name: bool,
    /// The parts the selected environment's `exclude` left out, as
    /// (`port`, `volume`, ...; the name where the `exclude` says it).
    pub excluded: Vec<(String, Name)>,
    /// The pod's volumes, each mounted by the app container at its path;
    /// the defaults pass adds tfc's own `/tmp` volume.
    pub mounts: Vec<Mount>,
    pub security: PodSecurity,
    /// `pod-annotations`: annotations of the pod template.
    pub pod_annotations: Vec<(Name, Name)>,
    /// `service-account`: the pods' account, emitted as a ServiceAccount.
    pub service_account: Option<Name>,
    /// `pull-secret`: registry secrets (declared `secret`s) for the images.
    pub pull_secrets: Vec<Name>,
    pub placement: Placement,
    /// `disruption`: a PodDisruptionBudget (none written, or `none`: no budget).
    pub disruption: Option<Spanned<Disruption>>,
    /// How a job runs (empty for a service or database).
    pub job: JobSpec,
    /// The app container.
    pub app: Container,
    /// Containers that run before it, in order.
    pub init: Vec<Container>,
    /// Containers that run beside it.
    pub sidecars: Vec<Container>,
    /// The Services in front of the pods (defaults pass).
    pub services: Vec<Service>,
    /// A statement was skipped or a value rejected: checks for missing
    /// settings stay quiet rather than repeat that error.
    pub incomplete: bool,
    /// Settings (`replicas`, `strategy`, ...) not written in the item's own
    /// block: app-level defaults, and tfc's implicit defaults.
    pub defaulted: std::collections::BTreeSet<crate::ast::Kw>,
    /// Security warnings this workload accepts (`accept`), by name or code.
    pub accept: Vec<Name>,
}

impl Workload {
    /// The kind of the workload's object: `Deployment`, `StatefulSet`,
    /// `Job` or (a job with a schedule) `CronJob`.
    pub fn object_kind(&self) -> &'static str {
        match self.kind {
            WorkloadKind::Service => "Deployment",
            WorkloadKind::Database => "StatefulSet",
            WorkloadKind::Job if self.job.schedule.is_some() => "CronJob",
            WorkloadKind::Job => "Job",
        }
    }

    /// The port of a Service port name (or of a container port's `target-name`).
    pub fn port_named(&self, name: &str) -> Option<&Port> {
        self.ports.iter().find(|p| p.name.node == name).or_else(|| {
            self.ports
                .iter()
                .find(|p| p.target_name.as_ref().is_some_and(|t| t.node == name))
        })
    }

    /// Every container: init containers, the app container, sidecars.
    pub fn containers(&self) -> impl Iterator<Item = &Container> {
        self.init
            .iter()
            .chain(std::iter::once(&self.app))
            .chain(&self.sidecars)
    }

    /// How the workload's Service is exposed: `expose`, else NodePort when a
    /// port has a nodePort, else headless for a database, ClusterIP for a
    /// service with ports, and no Service for a service without.
    pub fn exposure(&self) -> Expose {
        if let Some(e) = &self.expose {
            return e.node;
        }
        if self.kind == WorkloadKind::Database {
            // A StatefulSet needs its governing Service, with or without ports.
            return Expose::Headless;
        }
        if self.ports.is_empty() {
            return Expose::None;
        }
        if self.ports.iter().any(|p| p.node.is_some()) {
            return Expose::NodePort;
        }
        Expose::ClusterIp
    }
}

/// A top-level `volume`: a PersistentVolumeClaim, maybe backed by a hostPath PersistentVolume.
#[derive(Clone, Debug, PartialEq)]
pub struct Volume {
    pub name: Name,
    pub item: ItemId,
    pub spec: ClaimSpec,
    pub meta: Meta,
    pub host_path: Option<Name>,
    pub host_type: Option<String>,
    pub pv_name: Option<Name>,
    pub pv_labels: Vec<(Name, Name)>,
    pub reclaim: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub kind: RouteKind,
    pub path: Name,
    pub target: Target,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tls {
    pub secret: Option<Name>,
    pub span: Span,
}

/// `host HOST ... { }`: hosts with routes and TLS of their own.
#[derive(Clone, Debug, PartialEq)]
pub struct HostRules {
    pub hosts: Vec<Name>,
    /// The block's own `tls`; without it, the ingress's `tls` covers its hosts.
    pub tls: Option<Tls>,
    pub routes: Vec<Route>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ingress {
    pub name: Name,
    pub item: ItemId,
    /// The hosts of the `host` statement (the short form): they take `routes`.
    pub hosts: Vec<Name>,
    pub class: Option<Name>,
    /// The ingress's `tls`: it covers `hosts` and the hosts of every block
    /// without a `tls` of its own.
    pub tls: Option<Tls>,
    pub routes: Vec<Route>,
    /// `host HOST ... { }` blocks, in order.
    pub groups: Vec<HostRules>,
    pub meta: Meta,
    pub span: Span,
    /// A statement was skipped or a value rejected (already reported).
    pub incomplete: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Autoscaler {
    pub item: ItemId,
    /// The HorizontalPodAutoscaler name (defaults pass).
    pub object_name: String,
    /// A value was rejected (already reported).
    pub incomplete: bool,
    pub target: Name,
    pub name: Option<Name>,
    pub min: Spanned<i64>,
    pub max: Spanned<i64>,
    pub cpu: Option<Spanned<i64>>,
    pub memory: Option<Spanned<i64>>,
    /// `behavior`: how fast it scales, up (index 0) and down (index 1).
    pub windows: [Option<Spanned<i64>>; 2],
    pub rates: [Option<Rate>; 2],
    pub no_scale_down: bool,
    pub span: Span,
}

/// `up-rate`/`down-rate N|N% per DURATION`: at most so many pods (or
/// percent) per period.
#[derive(Clone, Debug, PartialEq)]
pub struct Rate {
    pub percent: bool,
    pub value: Spanned<i64>,
    pub period: Spanned<i64>,
}

/// Who may open connections in an `allow` rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Peer {
    Service(Name),
    /// Any address, inside or outside the cluster.
    World(Span),
    /// The ingress controller.
    Ingress(Span),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Allow {
    pub from: Peer,
    pub to: Target,
    pub span: Span,
}

impl Allow {
    /// Whether this is the rule `from -> to` as written (`exclude allow`).
    pub fn is(&self, from: &str, to: &str) -> bool {
        let peer = match &self.from {
            Peer::Service(s) => s.node.as_str(),
            Peer::World(_) => "world",
            Peer::Ingress(_) => "ingress",
        };
        let target = match &self.to.port {
            Some(p) => format!("{}.{}", self.to.service.node, p.node),
            None => self.to.service.node.clone(),
        };
        peer == from && target == to
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    pub name: Name,
    pub item: ItemId,
    pub rules: Vec<Allow>,
    pub meta: Meta,
    pub span: Span,
}
