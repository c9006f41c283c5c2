//! Objects of app-wide items: Namespace, PersistentVolume(Claim)s, ConfigMaps,
//! Secrets, HorizontalPodAutoscalers and Ingresses.

use super::slot::Role;
use super::workload::claim;
use super::{Emitted, Object, Out, SecretValues, meta, tunables};
use crate::ast::RouteKind;
use crate::ir::{App, ItemId};
use k8s_openapi::ByteString;
use k8s_openapi::api::autoscaling::v2::{
    CrossVersionObjectReference, HPAScalingPolicy, HPAScalingRules, HorizontalPodAutoscaler,
    HorizontalPodAutoscalerBehavior, HorizontalPodAutoscalerSpec, MetricSpec, MetricTarget,
    ResourceMetricSource,
};
use k8s_openapi::api::core::v1::{
    ConfigMap, HostPathVolumeSource, Namespace, PersistentVolume, PersistentVolumeSpec, Secret,
};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::BTreeMap;

pub fn namespace(app: &App, out: &mut Out) {
    let Some(ns) = &app.namespace else { return };
    let mut m = meta(
        app,
        ns.name.node.clone(),
        app.item_labels(&ns.meta),
        Some(&ns.meta),
    );
    m.namespace = None;
    let ns_object = Object::Namespace(Namespace {
        metadata: m,
        ..Namespace::default()
    });
    out.push(Emitted::new(
        ns_object,
        ItemId::APP,
        Role::Namespace,
        ns.name.span,
    ));
}

pub fn volumes(app: &App, out: &mut Out) {
    for v in &app.volumes {
        let mut pvc = claim(v.name.node.clone(), &v.spec);
        pvc.metadata = meta(
            app,
            v.name.node.clone(),
            app.item_labels(&v.meta),
            Some(&v.meta),
        );
        if let Some(path) = &v.host_path {
            let pv_name = v
                .pv_name
                .as_ref()
                .map_or_else(|| format!("{}-pv", v.name.node), |n| n.node.clone());
            if let Some(spec) = pvc.spec.as_mut() {
                spec.volume_name = Some(pv_name.clone());
            }
            let mut labels = app.common_labels();
            labels.extend(
                v.pv_labels
                    .iter()
                    .map(|(k, val)| (k.node.clone(), val.node.clone())),
            );
            let access = pvc.spec.as_ref().and_then(|s| s.access_modes.clone());
            let capacity = v
                .spec
                .size
                .as_ref()
                .map(|s| BTreeMap::from([("storage".to_string(), Quantity(s.text.clone()))]));
            let mut pv_meta = meta(app, pv_name, labels, None);
            pv_meta.namespace = None;
            let pv = Object::PersistentVolume(PersistentVolume {
                metadata: pv_meta,
                spec: Some(PersistentVolumeSpec {
                    capacity,
                    access_modes: access,
                    persistent_volume_reclaim_policy: Some(
                        v.reclaim.clone().unwrap_or_else(|| "Retain".to_string()),
                    ),
                    storage_class_name: v.spec.class.as_ref().map(|c| c.node.clone()),
                    volume_mode: v
                        .spec
                        .volume_mode_set
                        .then(|| if v.spec.block { "Block" } else { "Filesystem" }.to_string()),
                    host_path: Some(HostPathVolumeSource {
                        path: path.node.clone(),
                        type_: Some(
                            v.host_type
                                .clone()
                                .unwrap_or_else(|| "DirectoryOrCreate".to_string()),
                        ),
                    }),
                    ..PersistentVolumeSpec::default()
                }),
                ..PersistentVolume::default()
            });
            out.push(Emitted::new(pv, v.item, Role::PersistentVolume, path.span));
        }
        out.push(Emitted::new(
            Object::PersistentVolumeClaim(pvc),
            v.item,
            Role::Claim,
            v.name.span,
        ));
    }
}

pub fn configs(app: &App, out: &mut Out) {
    // An external config lives in the cluster: tfc emits no ConfigMap.
    for c in app.configs.iter().filter(|c| c.external.is_none()) {
        let data: BTreeMap<String, String> = c
            .entries
            .iter()
            .map(|e| (e.key.node.clone(), e.value.text.clone().unwrap_or_default()))
            .collect();
        let slots = if out.slots {
            // A value that names a host follows the release prefix: not a
            // value of its own.
            let tunable = data
                .iter()
                .filter(|(_, v)| !v.contains(crate::ir::RELEASE_TOKEN))
                .map(|(k, _)| k);
            tunables::config(&c.name.node, tunable)
        } else {
            Vec::new()
        };
        let object = Object::ConfigMap(ConfigMap {
            metadata: meta(
                app,
                c.name.node.clone(),
                app.item_labels(&c.meta),
                Some(&c.meta),
            ),
            data: Some(data),
            ..ConfigMap::default()
        });
        out.push_with(
            Emitted::new(object, c.item, Role::Config, c.name.span),
            || slots,
        );
    }
}

pub fn secrets(app: &App, values: &SecretValues, out: &mut Out) {
    // A secret filled from a store or sealed: the ExternalSecret or
    // SealedSecret that fills it.
    for s in &app.secrets {
        let m = meta(
            app,
            s.name.node.clone(),
            app.item_labels(&s.meta),
            Some(&s.meta),
        );
        let x = super::external_secret::object(s, m.clone())
            .or_else(|| super::sealed_secret::object(s, m));
        if let Some(x) = x {
            let object = Object::Extra(Box::new(x));
            out.push(Emitted::new(object, s.item, Role::Secret, s.name.span));
        }
    }
    // An external secret lives in the cluster: tfc emits no Secret.
    for s in app.secrets.iter().filter(|s| s.external.is_none()) {
        let given = values.get(&s.name.node);
        let data: BTreeMap<String, ByteString> = s
            .keys
            .iter()
            .map(|k| {
                let v = given
                    .and_then(|g| g.get(&k.node))
                    .cloned()
                    .unwrap_or_default();
                (k.node.clone(), ByteString(v.into_bytes()))
            })
            .collect();
        let object = Object::Secret(Secret {
            metadata: meta(
                app,
                s.name.node.clone(),
                app.item_labels(&s.meta),
                Some(&s.meta),
            ),
            type_: Some(
                s.secret_type
                    .as_ref()
                    .map_or_else(|| "Opaque".to_string(), |t| t.node.clone()),
            ),
            data: Some(data),
            ..Secret::default()
        });
        out.push(Emitted::new(object, s.item, Role::Secret, s.name.span));
    }
}

pub fn autoscalers(app: &App, out: &mut Out) {
    for a in &app.autoscalers {
        let Some(w) = app.workload(&a.target.node) else {
            continue;
        };
        let name = a.object_name.clone();
        let metric = |resource: &str, pct: i64| MetricSpec {
            type_: "Resource".to_string(),
            resource: Some(ResourceMetricSource {
                name: resource.to_string(),
                target: MetricTarget {
                    type_: "Utilization".to_string(),
                    average_utilization: Some(i32::try_from(pct).unwrap_or(i32::MAX)),
                    ..MetricTarget::default()
                },
            }),
            ..MetricSpec::default()
        };
        let mut metrics = Vec::new();
        if let Some(c) = &a.cpu {
            metrics.push(metric("cpu", c.node));
        }
        if let Some(m) = &a.memory {
            metrics.push(metric("memory", m.node));
        }
        let kind = w.object_kind();
        let object = Object::HorizontalPodAutoscaler(HorizontalPodAutoscaler {
            metadata: meta(app, name, app.pod_labels(w), Some(&w.meta)),
            spec: Some(HorizontalPodAutoscalerSpec {
                scale_target_ref: CrossVersionObjectReference {
                    api_version: Some("apps/v1".to_string()),
                    kind: kind.to_string(),
                    name: w.object_name.clone(),
                },
                min_replicas: Some(i32::try_from(a.min.node).unwrap_or(1)),
                max_replicas: i32::try_from(a.max.node).unwrap_or(i32::MAX),
                metrics: (!metrics.is_empty()).then_some(metrics),
                behavior: behavior(a),
            }),
            ..HorizontalPodAutoscaler::default()
        });
        out.push_with(
            Emitted::new(object, a.item, Role::Autoscaler, a.span),
            || tunables::autoscaler(a, &w.id.node),
        );
    }
}

/// `up-window`, `up-rate`, `down-window`, `down-rate`, `no-scale-down`.
fn behavior(a: &crate::ir::Autoscaler) -> Option<HorizontalPodAutoscalerBehavior> {
    let rules = |i: usize, disabled: bool| {
        let window = a.windows.get(i).cloned().flatten();
        let rate = a.rates.get(i).cloned().flatten();
        if window.is_none() && rate.is_none() && !disabled {
            return None;
        }
        let clamp = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
        Some(HPAScalingRules {
            stabilization_window_seconds: window.map(|w| clamp(w.node)),
            policies: rate.map(|r| {
                vec![HPAScalingPolicy {
                    type_: if r.percent { "Percent" } else { "Pods" }.to_string(),
                    value: clamp(r.value.node),
                    period_seconds: clamp(r.period.node),
                }]
            }),
            select_policy: disabled.then(|| "Disabled".to_string()),
            ..HPAScalingRules::default()
        })
    };
    let (up, down) = (rules(0, false), rules(1, a.no_scale_down));
    (up.is_some() || down.is_some()).then_some(HorizontalPodAutoscalerBehavior {
        scale_up: up,
        scale_down: down,
    })
}

pub fn ingresses(app: &App, out: &mut Out) {
    for i in &app.ingresses {
        let paths = |routes: &[crate::ir::Route]| -> Vec<HTTPIngressPath> {
            routes
                .iter()
                .filter_map(|r| {
                    let (w, port) = app.target_port(&r.target)?;
                    Some(HTTPIngressPath {
                        path: Some(r.path.node.clone()),
                        path_type: match r.kind {
                            RouteKind::Prefix => "Prefix",
                            RouteKind::Exact => "Exact",
                            RouteKind::Regex => "ImplementationSpecific",
                        }
                        .to_string(),
                        backend: IngressBackend {
                            service: Some(IngressServiceBackend {
                                name: w.host.clone(),
                                port: Some(ServiceBackendPort {
                                    number: Some(i32::try_from(port.port.node).unwrap_or(0)),
                                    ..ServiceBackendPort::default()
                                }),
                            }),
                            ..IngressBackend::default()
                        },
                    })
                })
                .collect()
        };
        let rules: Vec<IngressRule> = i
            .rules()
            .into_iter()
            .map(|(host, routes)| IngressRule {
                host: host.map(|h| h.node.clone()),
                http: Some(HTTPIngressRuleValue {
                    paths: paths(routes),
                }),
            })
            .collect();
        let tls: Vec<IngressTLS> = i
            .tls_entries()
            .into_iter()
            .map(|(t, hosts)| IngressTLS {
                hosts: (!hosts.is_empty()).then(|| hosts.iter().map(|h| h.node.clone()).collect()),
                secret_name: t.secret.as_ref().map(|s| s.node.clone()),
            })
            .collect();
        let tls = (!tls.is_empty()).then_some(tls);
        let spec = IngressSpec {
            ingress_class_name: i.class.as_ref().map(|c| c.node.clone()),
            rules: Some(rules),
            tls,
            ..IngressSpec::default()
        };
        let slots = if out.slots {
            tunables::ingress(&i.name.node, &spec)
        } else {
            Vec::new()
        };
        let object = Object::Ingress(Ingress {
            metadata: meta(
                app,
                i.name.node.clone(),
                app.item_labels(&i.meta),
                Some(&i.meta),
            ),
            spec: Some(spec),
            ..Ingress::default()
        });
        out.push_with(
            Emitted::new(object, i.item, Role::Ingress, i.name.span),
            || slots,
        );
    }
}
