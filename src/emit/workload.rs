//! A service → Deployment + Service (+ claims); a database → StatefulSet +
//! headless Service, with secure pod defaults.

use super::slot::Role;
use super::{Emitted, Object, Out, clamp_i32, meta, tunables};
use crate::ast::ProbeKind;
use crate::ir::{
    App, EnvValue, Expose, IntOrPercent, JobRestart, MountSource, PortRef, Probe, ProbeAction,
    Quantity, RunAs, Source, Strategy, Workload, WorkloadKind,
};
use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment, StatefulSet,
    StatefulSetSpec,
};
use k8s_openapi::api::core::v1::{
    Capabilities, ConfigMapEnvSource, ConfigMapKeySelector, ConfigMapVolumeSource, Container,
    ContainerPort, EmptyDirVolumeSource, EnvFromSource, EnvVar, EnvVarSource, ExecAction,
    GRPCAction, HTTPGetAction, HTTPHeader, HostPathVolumeSource, KeyToPath, ObjectFieldSelector,
    PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeClaimVolumeSource,
    PodSecurityContext, PodSpec, PodTemplateSpec, Probe as K8sProbe, ResourceFieldSelector,
    ResourceRequirements, SeccompProfile, SecretEnvSource, SecretKeySelector, SecretVolumeSource,
    SecurityContext, Service, ServicePort, ServiceSpec, TCPSocketAction, Volume, VolumeDevice,
    VolumeMount, VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as K8sQuantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

pub fn emit(app: &App, w: &Workload, out: &mut Out) {
    let labels = app.pod_labels(w);
    let selector = app.selector(w);
    let template = PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(labels.clone()),
            annotations: super::placement::pod_annotations(w),
            ..ObjectMeta::default()
        }),
        spec: Some(pod_spec(app, w, &selector)),
    };
    let name = w.object_name.clone();
    let replicas = w.replicas.as_ref().map(|r| clamp_i32(r.node));
    let selector_of = |s: &BTreeMap<String, String>| LabelSelector {
        match_labels: Some(s.clone()),
        ..LabelSelector::default()
    };
    match w.kind {
        WorkloadKind::Job => {
            claims(app, w, &labels, out);
            super::job::emit(app, w, template, &labels, out);
        }
        WorkloadKind::Service => {
            claims(app, w, &labels, out);
            let spec = DeploymentSpec {
                replicas,
                selector: selector_of(&selector),
                strategy: strategy(w),
                template,
                ..DeploymentSpec::default()
            };
            let object = Object::Deployment(Deployment {
                metadata: meta(app, name, labels.clone(), Some(&w.meta)),
                spec: Some(spec),
                ..Deployment::default()
            });
            out.push_with(
                Emitted::new(object, w.item, Role::Workload, w.id.span),
                || tunables::workload(w),
            );
        }
        WorkloadKind::Database => {
            let templates: Vec<PersistentVolumeClaim> = w
                .mounts
                .iter()
                .filter_map(|m| match (&m.source, &m.claim) {
                    (MountSource::New(spec), Some(name)) => Some(claim(name.clone(), spec)),
                    _ => None,
                })
                .collect();
            let spec = StatefulSetSpec {
                service_name: Some(w.host.clone()),
                replicas,
                selector: selector_of(&selector),
                template,
                volume_claim_templates: (!templates.is_empty()).then_some(templates),
                ..StatefulSetSpec::default()
            };
            let object = Object::StatefulSet(StatefulSet {
                metadata: meta(app, name, labels.clone(), Some(&w.meta)),
                spec: Some(spec),
                ..StatefulSet::default()
            });
            out.push_with(
                Emitted::new(object, w.item, Role::Workload, w.id.span),
                || tunables::workload(w),
            );
        }
    }
    super::placement::budget(app, w, &labels, &selector, out);
    for s in &w.services {
        let object = Object::Service(service(app, w, s, &labels, &selector));
        out.push_with(Emitted::new(object, w.item, Role::Service, s.span), || {
            tunables::service(w, s)
        });
    }
}

/// `keys KEY[:FILE]` of a config or secret volume: its items.
fn key_files(m: &crate::ir::Mount) -> Option<Vec<KeyToPath>> {
    let items: Vec<KeyToPath> = m
        .items
        .iter()
        .map(|(k, f)| KeyToPath {
            key: k.node.clone(),
            path: f.node.clone(),
            mode: None,
        })
        .collect();
    (!items.is_empty()).then_some(items)
}

/// The claims of a Deployment's or Job's own volumes (`volume NAME SIZE`).
fn claims(app: &App, w: &Workload, labels: &BTreeMap<String, String>, out: &mut Out) {
    for m in &w.mounts {
        if let (MountSource::New(spec), Some(claim_name)) = (&m.source, &m.claim) {
            let mut pvc = claim(claim_name.clone(), spec);
            pvc.metadata = meta(app, claim_name.clone(), labels.clone(), Some(&w.meta));
            let object = Object::PersistentVolumeClaim(pvc);
            out.push(Emitted::new(object, w.item, Role::Claim, m.name.span));
        }
    }
}

/// A claim (stand-alone or template) named `name`.
pub fn claim(name: String, spec: &crate::ir::ClaimSpec) -> PersistentVolumeClaim {
    PersistentVolumeClaim {
        metadata: ObjectMeta {
            name: Some(name),
            ..ObjectMeta::default()
        },
        spec: Some(PersistentVolumeClaimSpec {
            access_modes: Some(spec.access.iter().map(|a| a.as_k8s().to_string()).collect()),
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

fn strategy(w: &Workload) -> Option<DeploymentStrategy> {
    let bound = |b: &Option<IntOrPercent>| {
        b.as_ref().map(|b| match b {
            IntOrPercent::Int(n) => IntOrString::Int(clamp_i32(*n)),
            IntOrPercent::Percent(p) => IntOrString::String(p.clone()),
        })
    };
    match &w.strategy.as_ref()?.node {
        Strategy::Recreate => Some(DeploymentStrategy {
            type_: Some("Recreate".to_string()),
            rolling_update: None,
        }),
        Strategy::Rolling { surge, unavailable } => Some(DeploymentStrategy {
            type_: Some("RollingUpdate".to_string()),
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: bound(surge),
                max_unavailable: bound(unavailable),
            }),
        }),
    }
}

fn service(
    app: &App,
    w: &Workload,
    s: &crate::ir::Service,
    labels: &BTreeMap<String, String>,
    selector: &BTreeMap<String, String>,
) -> Service {
    let (type_, cluster_ip) = match s.expose {
        Expose::Headless => ("ClusterIP", Some("None".to_string())),
        Expose::NodePort => ("NodePort", None),
        Expose::LoadBalancer => ("LoadBalancer", None),
        Expose::ClusterIp | Expose::None => ("ClusterIP", None),
    };
    let ports: Vec<ServicePort> = s
        .ports
        .iter()
        .map(|p| ServicePort {
            name: Some(p.name.clone()),
            port: clamp_i32(p.port),
            target_port: Some(match &p.target_name {
                Some(n) => IntOrString::String(n.clone()),
                None => IntOrString::Int(clamp_i32(p.target)),
            }),
            node_port: p.node_port.map(clamp_i32),
            protocol: Some(p.protocol.as_k8s().to_string()),
            ..ServicePort::default()
        })
        .collect();
    Service {
        metadata: meta(app, s.name.clone(), labels.clone(), Some(&w.meta)),
        spec: Some(ServiceSpec {
            type_: Some(type_.to_string()),
            cluster_ip,
            selector: Some(selector.clone()),
            ports: (!ports.is_empty()).then_some(ports),
            session_affinity: Some("None".to_string()),
            ..ServiceSpec::default()
        }),
        ..Service::default()
    }
}

fn pod_spec(app: &App, w: &Workload, selector: &BTreeMap<String, String>) -> PodSpec {
    let sec = &w.security;
    let (volumes, mounts, devices) = volumes(app, w);
    let init: Vec<Container> = w.init.iter().map(|c| part(app, w, c)).collect();
    // The pod's volumes are the app container's mounts.
    let mut app_container = container(w, &w.app);
    app_container.volume_mounts = (!mounts.is_empty()).then_some(mounts);
    app_container.volume_devices = (!devices.is_empty()).then_some(devices);
    let containers: Vec<Container> = std::iter::once(app_container)
        .chain(w.sidecars.iter().map(|c| part(app, w, c)))
        .collect();
    PodSpec {
        automount_service_account_token: Some(sec.mount_token.is_some()),
        security_context: Some(pod_security(sec)),
        termination_grace_period_seconds: w.grace.as_ref().map(|g| g.node),
        init_containers: (!init.is_empty()).then_some(init),
        containers,
        volumes: (!volumes.is_empty()).then_some(volumes),
        restart_policy: w.job.restart.as_ref().map(|r| {
            match r.node {
                JobRestart::Never => "Never",
                JobRestart::OnFailure => "OnFailure",
            }
            .to_string()
        }),
        ..super::placement::pod(w, selector)
    }
}

fn pod_security(sec: &crate::ir::PodSecurity) -> PodSecurityContext {
    let (root, uid, gid) = match sec.run_as.as_ref().map(|r| &r.node) {
        Some(RunAs::User { uid, gid }) => (false, Some(*uid), *gid),
        Some(RunAs::Root) => (true, None, None),
        None => (false, None, None),
    };
    PodSecurityContext {
        run_as_non_root: Some(!root),
        run_as_user: uid,
        run_as_group: gid,
        fs_group: sec.fs_group.as_ref().map(|g| g.node).or(gid),
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
    }
}

/// An init or sidecar container: its own mounts of the pod's volumes, its
/// own user, and `restartPolicy: Always` for a native sidecar.
fn part(app: &App, w: &Workload, c: &crate::ir::Container) -> Container {
    let mut out = container(w, c);
    let (mut mounts, mut devices) = (Vec::new(), Vec::new());
    for u in &c.mounts {
        let block = w
            .mounts
            .iter()
            .find(|m| m.name.node == u.volume.node)
            .is_some_and(|m| is_block(app, &m.source));
        if block {
            devices.push(VolumeDevice {
                name: u.volume.node.clone(),
                device_path: u.path.node.clone(),
            });
        } else {
            mounts.push(VolumeMount {
                name: u.volume.node.clone(),
                mount_path: u.path.node.clone(),
                read_only: u.read_only.then_some(true),
                sub_path: u.sub_path.as_ref().map(|p| p.node.clone()),
                ..VolumeMount::default()
            });
        }
    }
    out.volume_mounts = (!mounts.is_empty()).then_some(mounts);
    out.volume_devices = (!devices.is_empty()).then_some(devices);
    out.restart_policy = c.native.then(|| "Always".to_string());
    if let (Some(sc), Some(run_as)) = (out.security_context.as_mut(), &c.security.run_as) {
        let (root, uid, gid) = match &run_as.node {
            RunAs::User { uid, gid } => (false, Some(*uid), Some(gid.unwrap_or(*uid))),
            RunAs::Root => (true, Some(0), Some(0)),
        };
        sc.run_as_non_root = Some(!root);
        sc.run_as_user = uid;
        sc.run_as_group = gid;
    }
    out
}

fn container(w: &Workload, c: &crate::ir::Container) -> Container {
    let sec = &c.security;
    let ports: Vec<ContainerPort> = c
        .ports
        .iter()
        .map(|p| ContainerPort {
            name: Some(p.name.clone()),
            container_port: clamp_i32(p.number),
            protocol: Some(p.protocol.as_k8s().to_string()),
            ..ContainerPort::default()
        })
        .collect();
    Container {
        name: c.name.node.clone(),
        image: c.image.as_ref().map(|i| i.node.clone()),
        image_pull_policy: c.pull.as_ref().map(|p| p.node.as_k8s().to_string()),
        command: c.command.clone(),
        args: c.args.clone(),
        working_dir: c.workdir.as_ref().map(|d| d.node.clone()),
        ports: (!ports.is_empty()).then_some(ports),
        env: env(c),
        env_from: env_from(c),
        resources: resources(c),
        liveness_probe: probe(w, c, ProbeKind::Liveness),
        readiness_probe: probe(w, c, ProbeKind::Readiness),
        startup_probe: probe(w, c, ProbeKind::Startup),
        lifecycle: super::placement::lifecycle(c),
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
    }
}

fn env(c: &crate::ir::Container) -> Option<Vec<EnvVar>> {
    let vars: Vec<EnvVar> = c
        .env
        .iter()
        .map(|e| {
            let (value, value_from) = match &e.value {
                EnvValue::Expr(x) => (x.text.clone(), None),
                EnvValue::Field(f) => (
                    None,
                    Some(EnvVarSource {
                        field_ref: Some(ObjectFieldSelector {
                            field_path: f.node.clone(),
                            ..ObjectFieldSelector::default()
                        }),
                        ..EnvVarSource::default()
                    }),
                ),
                EnvValue::Resource(r) => (
                    None,
                    Some(EnvVarSource {
                        resource_field_ref: Some(ResourceFieldSelector {
                            resource: r.node.clone(),
                            ..ResourceFieldSelector::default()
                        }),
                        ..EnvVarSource::default()
                    }),
                ),
                EnvValue::Ref {
                    item,
                    key,
                    from,
                    optional,
                } => {
                    let optional = optional.then_some(true);
                    let source = match from {
                        Some(Source::Secret) => EnvVarSource {
                            secret_key_ref: Some(SecretKeySelector {
                                name: item.node.clone(),
                                key: key.node.clone(),
                                optional,
                            }),
                            ..EnvVarSource::default()
                        },
                        _ => EnvVarSource {
                            config_map_key_ref: Some(ConfigMapKeySelector {
                                name: item.node.clone(),
                                key: key.node.clone(),
                                optional,
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

fn env_from(c: &crate::ir::Container) -> Option<Vec<EnvFromSource>> {
    let sources: Vec<EnvFromSource> = c
        .env_from
        .iter()
        .map(|f| {
            let secret = f.from == Some(Source::Secret);
            EnvFromSource {
                config_map_ref: (!secret).then(|| ConfigMapEnvSource {
                    name: f.name.node.clone(),
                    optional: f.optional.then_some(true),
                }),
                secret_ref: secret.then(|| SecretEnvSource {
                    name: f.name.node.clone(),
                    optional: f.optional.then_some(true),
                }),
                prefix: f.prefix.clone(),
            }
        })
        .collect();
    (!sources.is_empty()).then_some(sources)
}

fn resources(c: &crate::ir::Container) -> Option<ResourceRequirements> {
    let mut requests = BTreeMap::new();
    let mut limits = BTreeMap::new();
    let all = [
        ("cpu", &c.cpu),
        ("memory", &c.memory),
        ("ephemeral-storage", &c.ephemeral),
    ];
    for (key, r) in all {
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
        None => 0,
    };
    clamp_i32(n)
}

/// The port of an HTTP or TCP probe: the container port's name when the
/// Services target it by name (`target-ports by-name`, `target-name`), so
/// that probes and Services follow the container when its number changes.
fn named_probe_port(w: &Workload, c: &crate::ir::Container, port: &Option<PortRef>) -> IntOrString {
    let n = probe_port(w, port);
    let by_name = w.ports_by_name
        || w.ports
            .iter()
            .any(|p| p.target_name.is_some() && clamp_i32(p.target.node) == n);
    c.ports
        .iter()
        .find(|p| by_name && clamp_i32(p.number) == n)
        .map_or(IntOrString::Int(n), |p| IntOrString::String(p.name.clone()))
}

fn probe(w: &Workload, c: &crate::ir::Container, kind: ProbeKind) -> Option<K8sProbe> {
    let p: &Probe = c.probe(kind)?;
    let mut k = K8sProbe {
        initial_delay_seconds: p.delay.map(clamp_i32),
        period_seconds: p.period.map(clamp_i32),
        timeout_seconds: p.timeout.map(clamp_i32),
        failure_threshold: p.failures.map(clamp_i32),
        success_threshold: p.successes.map(clamp_i32),
        ..K8sProbe::default()
    };
    match &p.action {
        ProbeAction::Http {
            path,
            port,
            https,
            headers,
        } => {
            let headers: Vec<HTTPHeader> = headers
                .iter()
                .map(|(n, v)| HTTPHeader {
                    name: n.node.clone(),
                    value: v.node.clone(),
                })
                .collect();
            k.http_get = Some(HTTPGetAction {
                path: Some(path.node.clone()),
                port: named_probe_port(w, c, port),
                scheme: https.then(|| "HTTPS".to_string()),
                http_headers: (!headers.is_empty()).then_some(headers),
                ..HTTPGetAction::default()
            });
        }
        ProbeAction::Grpc { port, service } => {
            k.grpc = Some(GRPCAction {
                port: probe_port(w, port),
                service: service.as_ref().map(|s| s.node.clone()),
            });
        }
        ProbeAction::Tcp { port } => {
            k.tcp_socket = Some(TCPSocketAction {
                port: named_probe_port(w, c, port),
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
                sub_path: m.sub_path.as_ref().map(|p| p.node.clone()),
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
                    items: key_files(m),
                    default_mode: m.file_mode.as_ref().map(|f| clamp_i32(f.node)),
                    optional: m.optional.then_some(true),
                });
            }
            MountSource::Secret(n) => {
                v.secret = Some(SecretVolumeSource {
                    secret_name: Some(n.node.clone()),
                    items: key_files(m),
                    default_mode: m.file_mode.as_ref().map(|f| clamp_i32(f.node)),
                    optional: m.optional.then_some(true),
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
                    claim_name: m.claim.clone().unwrap_or_default(),
                    read_only: m.read_only.then_some(true),
                });
            }
        }
        volumes.push(v);
    }
    (volumes, mounts, devices)
}
