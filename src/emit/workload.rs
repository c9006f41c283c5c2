//! A service → Deployment + Service (+ claims); a database → StatefulSet +
//! headless Service, with secure pod defaults.

use super::{Object, meta};
use crate::ast::ProbeKind;
use crate::ir::{
    AccessMode, App, EnvValue, Expose, IntOrPercent, MountSource, PortRef, Probe, ProbeAction,
    PullPolicy, Quantity, RunAs, Strategy, Symbol, Workload, WorkloadKind,
};
use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment, StatefulSet,
    StatefulSetSpec,
};
use k8s_openapi::api::core::v1::{
    Capabilities, ConfigMapEnvSource, ConfigMapKeySelector, ConfigMapVolumeSource, Container,
    ContainerPort, EmptyDirVolumeSource, EnvFromSource, EnvVar, EnvVarSource, ExecAction,
    HTTPGetAction, HostPathVolumeSource, PersistentVolumeClaim, PersistentVolumeClaimSpec,
    PersistentVolumeClaimVolumeSource, PodSecurityContext, PodSpec, PodTemplateSpec,
    Probe as K8sProbe, ResourceRequirements, SeccompProfile, SecretEnvSource, SecretKeySelector,
    SecretVolumeSource, SecurityContext, Service, ServicePort, ServiceSpec, TCPSocketAction,
    Volume, VolumeDevice, VolumeMount, VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as K8sQuantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// The uid and gid pods run as unless `run-as` says otherwise.
pub const DEFAULT_UID: i64 = 10001;

pub fn emit(app: &App, w: &Workload, out: &mut Vec<Object>) {
    let labels = app.pod_labels(w);
    let selector = app.selector(w);
    let template = PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(labels.clone()),
            ..ObjectMeta::default()
        }),
        spec: Some(pod_spec(app, w)),
    };
    let name = app.workload_name(w);
    let autoscaled = app.autoscalers.iter().any(|a| a.target.node == w.id.node);
    match w.kind {
        WorkloadKind::Service => {
            for m in &w.mounts {
                if let MountSource::New(spec) = &m.source {
                    let mut pvc = claim(app.claim_name(w, &m.name.node), spec);
                    pvc.metadata = meta(
                        app,
                        app.claim_name(w, &m.name.node),
                        labels.clone(),
                        Some(&w.meta),
                    );
                    out.push(Object::PersistentVolumeClaim(pvc));
                }
            }
            let spec = DeploymentSpec {
                replicas: if autoscaled { None } else { Some(replicas(w)) },
                selector: LabelSelector {
                    match_labels: Some(selector.clone()),
                    ..LabelSelector::default()
                },
                strategy: strategy(app, w),
                template,
                ..DeploymentSpec::default()
            };
            out.push(Object::Deployment(Deployment {
                metadata: meta(app, name, labels.clone(), Some(&w.meta)),
                spec: Some(spec),
                ..Deployment::default()
            }));
        }
        WorkloadKind::Database => {
            let templates: Vec<PersistentVolumeClaim> = w
                .mounts
                .iter()
                .filter_map(|m| match &m.source {
                    MountSource::New(spec) => Some(claim(m.name.node.clone(), spec)),
                    _ => None,
                })
                .collect();
            let spec = StatefulSetSpec {
                service_name: Some(app.service_name(w)),
                replicas: if autoscaled { None } else { Some(replicas(w)) },
                selector: LabelSelector {
                    match_labels: Some(selector.clone()),
                    ..LabelSelector::default()
                },
                template,
                volume_claim_templates: (!templates.is_empty()).then_some(templates),
                ..StatefulSetSpec::default()
            };
            out.push(Object::StatefulSet(StatefulSet {
                metadata: meta(app, name, labels.clone(), Some(&w.meta)),
                spec: Some(spec),
                ..StatefulSet::default()
            }));
        }
    }
    if let Some(svc) = service(app, w, labels, selector) {
        out.push(Object::Service(svc));
    }
}

fn replicas(w: &Workload) -> i32 {
    w.replicas.as_ref().map_or(1, |r| clamp_i32(r.node))
}

/// The container's ports: each target port once (two Service ports may
/// target one), named after the first Service port that targets it.
fn container_ports(w: &Workload) -> Vec<ContainerPort> {
    let mut seen = std::collections::HashSet::new();
    w.ports
        .iter()
        .filter(|p| seen.insert((p.target.node, p.protocol.as_k8s())))
        .map(|p| ContainerPort {
            name: Some(p.name.node.clone()),
            container_port: clamp_i32(p.target.node),
            protocol: Some(p.protocol.as_k8s().to_string()),
            ..ContainerPort::default()
        })
        .collect()
}

fn clamp_i32(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(if n < 0 { i32::MIN } else { i32::MAX })
}

/// A claim (stand-alone or template) named `name`.
pub fn claim(name: String, spec: &crate::ir::ClaimSpec) -> PersistentVolumeClaim {
    let access = if spec.access.is_empty() {
        vec![AccessMode::ReadWriteOnce]
    } else {
        spec.access.clone()
    };
    PersistentVolumeClaim {
        metadata: ObjectMeta {
            name: Some(name),
            ..ObjectMeta::default()
        },
        spec: Some(PersistentVolumeClaimSpec {
            access_modes: Some(access.iter().map(|a| a.as_k8s().to_string()).collect()),
            storage_class_name: spec.class.as_ref().map(|c| c.node.clone()),
            volume_mode: spec
                .volume_mode_set
                .then(|| if spec.block { "Block" } else { "Filesystem" }.to_string()),
            resources: spec.size.as_ref().map(|s| VolumeResourceRequirements {
                requests: Some(BTreeMap::from([("storage".to_string(), quantity(s))])),
                ..VolumeResourceRequirements::default()
            }),
            ..PersistentVolumeClaimSpec::default()
        }),
        ..PersistentVolumeClaim::default()
    }
}

fn quantity(q: &Quantity) -> K8sQuantity {
    K8sQuantity(q.text.clone())
}

fn strategy(app: &App, w: &Workload) -> Option<DeploymentStrategy> {
    let bound = |b: &Option<IntOrPercent>| {
        b.as_ref().map(|b| match b {
            IntOrPercent::Int(n) => IntOrString::Int(clamp_i32(*n)),
            IntOrPercent::Percent(p) => IntOrString::String(p.clone()),
        })
    };
    // A pod holding a ReadWriteOnce claim must stop before its successor can
    // mount it: such a Deployment is recreated unless its own block says otherwise.
    let own = w
        .strategy
        .as_ref()
        .filter(|_| !w.defaulted.contains(&crate::ast::Kw::Strategy));
    if own.is_none() && mounts_rwo_claim(app, w) {
        return Some(DeploymentStrategy {
            type_: Some("Recreate".to_string()),
            rolling_update: None,
        });
    }
    match w.strategy.as_ref().map(|s| &s.node) {
        Some(Strategy::Recreate) => Some(DeploymentStrategy {
            type_: Some("Recreate".to_string()),
            rolling_update: None,
        }),
        Some(Strategy::Rolling { surge, unavailable }) => Some(DeploymentStrategy {
            type_: Some("RollingUpdate".to_string()),
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: bound(surge),
                max_unavailable: bound(unavailable),
            }),
        }),
        None => None,
    }
}

fn mounts_rwo_claim(app: &App, w: &Workload) -> bool {
    w.mounts.iter().any(|m| {
        let access = match &m.source {
            MountSource::Claim(n) => app.volume(&n.node).map(|v| v.spec.access.clone()),
            MountSource::New(spec) => Some(spec.access.clone()),
            _ => None,
        };
        access.is_some_and(|a| {
            a.is_empty()
                || a.contains(&AccessMode::ReadWriteOnce)
                || a.contains(&AccessMode::ReadWriteOncePod)
        })
    })
}

fn service(
    app: &App,
    w: &Workload,
    labels: BTreeMap<String, String>,
    selector: BTreeMap<String, String>,
) -> Option<Service> {
    let expose = w.expose();
    if expose == Expose::None || (w.ports.is_empty() && expose != Expose::Headless) {
        return None;
    }
    let (type_, cluster_ip) = match expose {
        Expose::Headless => ("ClusterIP", Some("None".to_string())),
        Expose::NodePort => ("NodePort", None),
        Expose::LoadBalancer => ("LoadBalancer", None),
        _ => ("ClusterIP", None),
    };
    let ports = w
        .ports
        .iter()
        .map(|p| ServicePort {
            name: Some(p.name.node.clone()),
            port: clamp_i32(p.port.node),
            target_port: Some(IntOrString::Int(clamp_i32(p.target.node))),
            node_port: p.node.as_ref().map(|n| clamp_i32(n.node)),
            protocol: Some(p.protocol.as_k8s().to_string()),
            ..ServicePort::default()
        })
        .collect();
    Some(Service {
        metadata: meta(app, app.service_name(w), labels, Some(&w.meta)),
        spec: Some(ServiceSpec {
            type_: Some(type_.to_string()),
            cluster_ip,
            selector: Some(selector),
            ports: (!w.ports.is_empty()).then_some(ports),
            session_affinity: Some("None".to_string()),
            ..ServiceSpec::default()
        }),
        ..Service::default()
    })
}

fn pod_spec(app: &App, w: &Workload) -> PodSpec {
    let sec = &w.security;
    let root = matches!(sec.run_as.as_ref().map(|r| &r.node), Some(RunAs::Root));
    let (uid, gid) = match sec.run_as.as_ref().map(|r| &r.node) {
        Some(RunAs::User { uid, gid }) => (Some(*uid), Some(gid.unwrap_or(*uid))),
        Some(RunAs::Root) => (None, None),
        None => (Some(DEFAULT_UID), Some(DEFAULT_UID)),
    };
    let (mut volumes, mut mounts, devices) = volumes(app, w);
    if sec.writable_root.is_none() && !w.mounts.iter().any(|m| m.path.node == "/tmp") {
        let name = if w.mounts.iter().any(|m| m.name.node == "tmp") {
            "tfc-tmp"
        } else {
            "tmp"
        };
        volumes.push(Volume {
            name: name.to_string(),
            empty_dir: Some(EmptyDirVolumeSource::default()),
            ..Volume::default()
        });
        mounts.push(VolumeMount {
            name: name.to_string(),
            mount_path: "/tmp".to_string(),
            ..VolumeMount::default()
        });
    }
    let container = Container {
        name: app.container_name(w),
        image: w.image.as_ref().map(|i| i.node.clone()),
        image_pull_policy: Some(
            w.pull
                .as_ref()
                .map_or(PullPolicy::Always, |p| p.node)
                .as_k8s()
                .to_string(),
        ),
        command: w.command.clone(),
        args: w.args.clone(),
        working_dir: w.workdir.as_ref().map(|d| d.node.clone()),
        ports: (!w.ports.is_empty()).then(|| container_ports(w)),
        env: env(app, w),
        env_from: env_from(app, w),
        resources: resources(w),
        liveness_probe: probe(w, ProbeKind::Liveness),
        readiness_probe: probe(w, ProbeKind::Readiness),
        startup_probe: probe(w, ProbeKind::Startup),
        volume_mounts: (!mounts.is_empty()).then_some(mounts),
        volume_devices: (!devices.is_empty()).then_some(devices),
        security_context: Some(SecurityContext {
            allow_privilege_escalation: Some(sec.allow_escalation.is_some()),
            privileged: Some(false),
            read_only_root_filesystem: Some(sec.writable_root.is_none()),
            capabilities: Some(Capabilities {
                drop: Some(vec!["ALL".to_string()]),
                add: (!sec.cap_add.is_empty())
                    .then(|| sec.cap_add.iter().map(|c| c.node.clone()).collect()),
            }),
            ..SecurityContext::default()
        }),
        ..Container::default()
    };
    PodSpec {
        automount_service_account_token: Some(sec.mount_token.is_some()),
        security_context: Some(PodSecurityContext {
            run_as_non_root: Some(!root),
            run_as_user: uid,
            run_as_group: gid,
            fs_group: gid,
            seccomp_profile: Some(SeccompProfile {
                type_: if sec.seccomp_unconfined.is_some() {
                    "Unconfined"
                } else {
                    "RuntimeDefault"
                }
                .to_string(),
                ..SeccompProfile::default()
            }),
            ..PodSecurityContext::default()
        }),
        containers: vec![container],
        volumes: (!volumes.is_empty()).then_some(volumes),
        ..PodSpec::default()
    }
}

fn env(app: &App, w: &Workload) -> Option<Vec<EnvVar>> {
    let vars: Vec<EnvVar> = w
        .env
        .iter()
        .map(|e| {
            let (value, value_from) = match &e.value {
                EnvValue::Expr(x) => (app.render(x), None),
                EnvValue::Ref { item, key } => {
                    let source = match app.symbol(&item.node) {
                        Some(Symbol::Secret(_)) => EnvVarSource {
                            secret_key_ref: Some(SecretKeySelector {
                                name: item.node.clone(),
                                key: key.node.clone(),
                                ..SecretKeySelector::default()
                            }),
                            ..EnvVarSource::default()
                        },
                        _ => EnvVarSource {
                            config_map_key_ref: Some(ConfigMapKeySelector {
                                name: item.node.clone(),
                                key: key.node.clone(),
                                ..ConfigMapKeySelector::default()
                            }),
                            ..EnvVarSource::default()
                        },
                    };
                    (None, Some(source))
                }
            };
            EnvVar {
                name: e.name.node.clone(),
                value,
                value_from,
            }
        })
        .collect();
    (!vars.is_empty()).then_some(vars)
}

fn env_from(app: &App, w: &Workload) -> Option<Vec<EnvFromSource>> {
    let sources: Vec<EnvFromSource> = w
        .env_from
        .iter()
        .map(|f| {
            let secret = matches!(app.symbol(&f.name.node), Some(Symbol::Secret(_)));
            EnvFromSource {
                config_map_ref: (!secret).then(|| ConfigMapEnvSource {
                    name: f.name.node.clone(),
                    ..ConfigMapEnvSource::default()
                }),
                secret_ref: secret.then(|| SecretEnvSource {
                    name: f.name.node.clone(),
                    ..SecretEnvSource::default()
                }),
                prefix: f.prefix.clone(),
            }
        })
        .collect();
    (!sources.is_empty()).then_some(sources)
}

fn resources(w: &Workload) -> Option<ResourceRequirements> {
    let mut requests = BTreeMap::new();
    let mut limits = BTreeMap::new();
    for (key, r) in [("cpu", &w.cpu), ("memory", &w.memory)] {
        if let Some(r) = r {
            if let Some(q) = &r.request {
                requests.insert(key.to_string(), quantity(q));
            }
            if let Some(q) = &r.limit {
                limits.insert(key.to_string(), quantity(q));
            }
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return None;
    }
    Some(ResourceRequirements {
        requests: (!requests.is_empty()).then_some(requests),
        limits: (!limits.is_empty()).then_some(limits),
        ..ResourceRequirements::default()
    })
}

/// The container port a probe checks.
fn probe_port(w: &Workload, port: &Option<PortRef>) -> i32 {
    let n = match port {
        Some(PortRef::Number(n)) => n.node,
        Some(PortRef::Name(name)) => w.port_named(&name.node).map_or(0, |p| p.target.node),
        None => w.ports.first().map_or(0, |p| p.target.node),
    };
    clamp_i32(n)
}

fn probe(w: &Workload, kind: ProbeKind) -> Option<K8sProbe> {
    let p: &Probe = w.probe(kind)?;
    let mut k = K8sProbe {
        initial_delay_seconds: Some(clamp_i32(p.delay.unwrap_or(0))),
        period_seconds: Some(clamp_i32(p.period.unwrap_or(10))),
        timeout_seconds: Some(clamp_i32(p.timeout.unwrap_or(1))),
        failure_threshold: Some(clamp_i32(p.failures.unwrap_or(3))),
        success_threshold: p.successes.map(clamp_i32),
        ..K8sProbe::default()
    };
    match &p.action {
        ProbeAction::Http { path, port } => {
            k.http_get = Some(HTTPGetAction {
                path: Some(path.node.clone()),
                port: IntOrString::Int(probe_port(w, port)),
                ..HTTPGetAction::default()
            });
        }
        ProbeAction::Tcp { port } => {
            k.tcp_socket = Some(TCPSocketAction {
                port: IntOrString::Int(probe_port(w, port)),
                ..TCPSocketAction::default()
            });
        }
        ProbeAction::Exec(cmd) => {
            k.exec = Some(ExecAction {
                command: Some(cmd.clone()),
            });
        }
    }
    Some(k)
}

/// Whether a mount is a raw block device (`mode block`).
fn is_block(app: &App, source: &MountSource) -> bool {
    match source {
        MountSource::Claim(n) => app.volume(&n.node).is_some_and(|v| v.spec.block),
        MountSource::New(spec) => spec.block,
        _ => false,
    }
}

/// The pod's volumes, and the container's mounts and block devices.
fn volumes(app: &App, w: &Workload) -> (Vec<Volume>, Vec<VolumeMount>, Vec<VolumeDevice>) {
    let mut volumes = Vec::new();
    let mut mounts = Vec::new();
    let mut devices = Vec::new();
    for m in &w.mounts {
        if is_block(app, &m.source) {
            devices.push(VolumeDevice {
                name: m.name.node.clone(),
                device_path: m.path.node.clone(),
            });
        } else {
            mounts.push(VolumeMount {
                name: m.name.node.clone(),
                mount_path: m.path.node.clone(),
                read_only: m.read_only.then_some(true),
                ..VolumeMount::default()
            });
        }
        let mut v = Volume {
            name: m.name.node.clone(),
            ..Volume::default()
        };
        match &m.source {
            MountSource::EmptyDir { size, memory } => {
                v.empty_dir = Some(EmptyDirVolumeSource {
                    medium: memory.then(|| "Memory".to_string()),
                    size_limit: size.as_ref().map(quantity),
                });
            }
            MountSource::Claim(n) => {
                v.persistent_volume_claim = Some(PersistentVolumeClaimVolumeSource {
                    claim_name: n.node.clone(),
                    read_only: m.read_only.then_some(true),
                });
            }
            MountSource::Config(n) => {
                v.config_map = Some(ConfigMapVolumeSource {
                    name: n.node.clone(),
                    ..ConfigMapVolumeSource::default()
                });
            }
            MountSource::Secret(n) => {
                v.secret = Some(SecretVolumeSource {
                    secret_name: Some(n.node.clone()),
                    ..SecretVolumeSource::default()
                });
            }
            MountSource::HostPath(p) => {
                v.host_path = Some(HostPathVolumeSource {
                    path: p.node.clone(),
                    type_: None,
                });
            }
            MountSource::New(_) if w.kind == WorkloadKind::Database => continue,
            MountSource::New(_) => {
                v.persistent_volume_claim = Some(PersistentVolumeClaimVolumeSource {
                    claim_name: app.claim_name(w, &m.name.node),
                    read_only: m.read_only.then_some(true),
                });
            }
        }
        volumes.push(v);
    }
    (volumes, mounts, devices)
}
