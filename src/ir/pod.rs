//! The parts of a workload's pod: its containers and the Services in front
//! of it. Lowering fills what the file says; [`super::defaults`] fills the
//! rest (names, ports, implicit values), so that `check` and `emit` see the
//! same pod.

use super::{EnvFrom, EnvVar, Name, Probe, Protocol, PullPolicy, Resource};
use crate::span::{Span, Spanned};

/// What a container is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerRole {
    /// The workload's own container (`image`, `port`, probes, ...).
    App,
    /// Runs to completion before the app container starts.
    Init,
    /// Runs beside the app container for the pod's whole life (in the
    /// workload's `init` list when `native`: a restartable init container).
    Sidecar,
}

/// One container of a pod.
#[derive(Clone, Debug, PartialEq)]
pub struct Container {
    pub role: ContainerRole,
    /// `container NAME`, else the item's name.
    pub name: Name,
    pub image: Option<Name>,
    /// Written, or `Always` (defaults pass).
    pub pull: Option<Spanned<PullPolicy>>,
    pub cpu: Option<Resource>,
    pub memory: Option<Resource>,
    /// `ephemeral`: the ephemeral-storage request and limit.
    pub ephemeral: Option<Resource>,
    pub probes: Vec<Probe>,
    pub env: Vec<EnvVar>,
    pub env_from: Vec<EnvFrom>,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    pub workdir: Option<Name>,
    /// The ports it listens on (defaults pass: one per target of the
    /// workload's `port` statements).
    pub ports: Vec<ContainerPort>,
    pub security: ContainerSecurity,
    /// `pre-stop`: what runs before the container is stopped.
    pub pre_stop: Option<Spanned<PreStop>>,
    /// `mount VOLUME at PATH`: volumes of the pod this container mounts
    /// (an init or sidecar container; the app container mounts every one).
    pub mounts: Vec<VolumeUse>,
    /// `sidecar NAME native`: an init container that keeps running
    /// (`restartPolicy: Always`).
    pub native: bool,
    /// The `init`/`sidecar` block, or the workload's name for the app container.
    pub span: Span,
}

/// `mount VOLUME at PATH [read-only]`.
#[derive(Clone, Debug, PartialEq)]
pub struct VolumeUse {
    pub volume: Name,
    pub path: Name,
    pub read_only: bool,
    pub sub_path: Option<Name>,
    pub span: Span,
}

/// A preStop hook.
#[derive(Clone, Debug, PartialEq)]
pub enum PreStop {
    /// Seconds to wait (a `sleep` action, Kubernetes 1.30 and later).
    Sleep(i64),
    Exec(Vec<String>),
}

/// `disruption`: how many pods a voluntary disruption (a node drain) may
/// take down at once.
#[derive(Clone, Debug, PartialEq)]
pub enum Disruption {
    MaxUnavailable(super::IntOrPercent),
    MinAvailable(super::IntOrPercent),
}

/// Where the pods may run: `node-selector`, `tolerate`, `spread`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Placement {
    pub node_selector: Vec<(Name, Name)>,
    pub tolerations: Vec<Toleration>,
    pub spread: Option<Spanned<Spread>>,
}

/// `tolerate KEY [= VALUE] [effect EFFECT]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Toleration {
    pub key: Name,
    pub value: Option<Name>,
    pub effect: Option<TaintEffect>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

impl TaintEffect {
    pub fn as_k8s(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NoSchedule",
            TaintEffect::PreferNoSchedule => "PreferNoSchedule",
            TaintEffect::NoExecute => "NoExecute",
        }
    }
}

/// `spread nodes|zones [strict]`: topology spread constraints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spread {
    pub nodes: bool,
    pub zones: bool,
    /// `DoNotSchedule` rather than `ScheduleAnyway`.
    pub strict: bool,
}

impl Container {
    pub fn new(role: ContainerRole, name: Name) -> Container {
        let span = name.span;
        Container {
            role,
            name,
            image: None,
            pull: None,
            cpu: None,
            memory: None,
            ephemeral: None,
            probes: Vec::new(),
            env: Vec::new(),
            env_from: Vec::new(),
            command: None,
            args: None,
            workdir: None,
            ports: Vec::new(),
            security: ContainerSecurity::default(),
            pre_stop: None,
            mounts: Vec::new(),
            native: false,
            span,
        }
    }

    pub fn probe(&self, kind: crate::ast::ProbeKind) -> Option<&Probe> {
        self.probes.iter().find(|p| p.kind == kind)
    }
}

/// A port a container listens on.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerPort {
    pub name: String,
    pub number: i64,
    pub protocol: Protocol,
}

/// Container security settings; `None` keeps the secure default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerSecurity {
    pub writable_root: Option<Span>,
    pub allow_escalation: Option<Span>,
    pub cap_add: Vec<Name>,
    /// `run-as` in an `init` or `sidecar` block: the container's own user
    /// (the app container's is the pod's).
    pub run_as: Option<Spanned<RunAs>>,
}

/// Pod security settings; `None` keeps the secure default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodSecurity {
    /// Written, or the default user 10001:10001 (defaults pass).
    pub run_as: Option<Spanned<RunAs>>,
    pub mount_token: Option<Span>,
    pub seccomp_unconfined: Option<Span>,
    /// `root-image`: run as root, writable root, the capabilities of
    /// [`ROOT_IMAGE_CAPS`] (what it does not override is set by lowering).
    pub root_image: Option<Span>,
    /// `fs-group`: the group of the pod's volumes (else the user's group).
    pub fs_group: Option<Spanned<i64>>,
}

/// The capabilities `root-image` adds: what a stock entrypoint that starts
/// as root uses to bind port 80, take over its directories and drop to its
/// own user.
pub const ROOT_IMAGE_CAPS: [&str; 6] = [
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "SETGID",
    "SETUID",
    "NET_BIND_SERVICE",
];

#[derive(Clone, Debug, PartialEq)]
pub enum RunAs {
    Root,
    User { uid: i64, gid: Option<i64> },
}

/// How a Service is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expose {
    ClusterIp,
    Headless,
    NodePort,
    LoadBalancer,
    /// No Service at all.
    None,
}

/// `expose TYPE as NAME [ports ...]`: a Service besides the workload's own.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtraService {
    pub name: Name,
    pub expose: Spanned<Expose>,
    /// The ports it carries; all when none are listed.
    pub ports: Option<Vec<Name>>,
    pub span: Span,
}

/// A Service in front of a workload's pods.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// The object name: the host name other services use.
    pub name: String,
    /// Never [`Expose::None`]: a workload without a Service has none in its list.
    pub expose: Expose,
    pub ports: Vec<ServicePort>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServicePort {
    pub name: String,
    pub port: i64,
    /// The container port it forwards to.
    pub target: i64,
    /// The container port's name, when `target-name` gives it one of its
    /// own: the Service then targets it by name.
    pub target_name: Option<String>,
    pub node_port: Option<i64>,
    pub protocol: Protocol,
}

impl super::Workload {
    /// A workload with nothing set.
    pub(super) fn empty(id: &Name, kind: super::WorkloadKind, span: Span) -> super::Workload {
        use super::*;
        Workload {
            id: id.clone(),
            item: ItemId::new(ItemKind::Workload, 0),
            kind,
            span,
            name: None,
            object_name: String::new(),
            policy_name: String::new(),
            host: String::new(),
            replicas: None,
            replicas_ignored: None,
            meta: Meta::default(),
            selector: None,
            selector_span: id.span,
            ports: Vec::new(),
            expose: None,
            expose_ports: None,
            extra_services: Vec::new(),
            strategy: None,
            grace: None,
            ports_by_name: false,
            excluded: Vec::new(),
            mounts: Vec::new(),
            security: PodSecurity::default(),
            pod_annotations: Vec::new(),
            service_account: None,
            pull_secrets: Vec::new(),
            placement: Placement::default(),
            disruption: None,
            job: JobSpec::default(),
            app: Container::new(ContainerRole::App, id.clone()),
            init: Vec::new(),
            sidecars: Vec::new(),
            services: Vec::new(),
            incomplete: false,
            defaulted: Default::default(),
            accept: Vec::new(),
        }
    }
}

impl super::Workload {
    /// `root-image`: what is not written otherwise becomes root, a writable
    /// root and the stock entrypoint's capabilities, all pointing at it.
    pub(super) fn apply_root_image(&mut self) {
        let Some(at) = self.security.root_image else {
            return;
        };
        self.security
            .run_as
            .get_or_insert(Spanned::new(RunAs::Root, at));
        self.app.security.writable_root.get_or_insert(at);
        for cap in ROOT_IMAGE_CAPS {
            let has = self
                .app
                .security
                .cap_add
                .iter()
                .any(|c| c.node.trim_start_matches("CAP_") == cap);
            if !has {
                self.app
                    .security
                    .cap_add
                    .push(Spanned::new(cap.to_string(), at));
            }
        }
    }
}
