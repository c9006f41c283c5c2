//! The pod's identity and placement: its annotations, ServiceAccount,
//! pull secrets, node selector, tolerations, topology spread and the
//! container's preStop hook.

use super::slot::Role;
use super::{Emitted, Object, Out, meta};
use crate::ir::{App, Container, Disruption, IntOrPercent, PreStop, Workload};
use k8s_openapi::api::core::v1::{
    ExecAction, Lifecycle, LifecycleHandler, LocalObjectReference, PodSpec, ServiceAccount,
    SleepAction, Toleration, TopologySpreadConstraint,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// `pod-annotations`, sorted; none when there are none.
pub fn pod_annotations(w: &Workload) -> Option<BTreeMap<String, String>> {
    let a: BTreeMap<String, String> = w
        .pod_annotations
        .iter()
        .map(|(k, v)| (k.node.clone(), v.node.clone()))
        .collect();
    (!a.is_empty()).then_some(a)
}

/// One ServiceAccount per name the workloads use, in the order first used.
/// Its token is not mounted unless a pod asks (`mount-token`).
pub fn service_accounts(app: &App, out: &mut Out) {
    let mut done: Vec<&str> = Vec::new();
    for w in &app.workloads {
        let Some(name) = &w.service_account else {
            continue;
        };
        if done.contains(&name.node.as_str()) {
            continue;
        }
        done.push(&name.node);
        let object = Object::ServiceAccount(ServiceAccount {
            metadata: meta(app, name.node.clone(), app.common_labels(), None),
            automount_service_account_token: Some(false),
            ..ServiceAccount::default()
        });
        out.push(Emitted::new(
            object,
            w.item,
            Role::ServiceAccount,
            name.span,
        ));
    }
}

/// A workload's PodDisruptionBudget (`disruption`), named like its workload.
pub fn budget(
    app: &App,
    w: &Workload,
    labels: &BTreeMap<String, String>,
    selector: &BTreeMap<String, String>,
    out: &mut Out,
) {
    let Some(d) = &w.disruption else {
        return;
    };
    let value = |n: &IntOrPercent| match n {
        IntOrPercent::Int(n) => IntOrString::Int(i32::try_from(*n).unwrap_or(i32::MAX)),
        IntOrPercent::Percent(p) => IntOrString::String(p.clone()),
    };
    let (min_available, max_unavailable) = match &d.node {
        Disruption::MinAvailable(n) => (Some(value(n)), None),
        Disruption::MaxUnavailable(n) => (None, Some(value(n))),
    };
    let object = Object::PodDisruptionBudget(PodDisruptionBudget {
        metadata: meta(app, w.object_name.clone(), labels.clone(), Some(&w.meta)),
        spec: Some(PodDisruptionBudgetSpec {
            min_available,
            max_unavailable,
            selector: Some(LabelSelector {
                match_labels: Some(selector.clone()),
                ..LabelSelector::default()
            }),
            ..PodDisruptionBudgetSpec::default()
        }),
        ..PodDisruptionBudget::default()
    });
    out.push(Emitted::new(object, w.item, Role::Budget, d.span));
}

/// The pod's account, pull secrets and placement; the rest is default.
pub fn pod(w: &Workload, selector: &BTreeMap<String, String>) -> PodSpec {
    let p = &w.placement;
    let node_selector: BTreeMap<String, String> = p
        .node_selector
        .iter()
        .map(|(k, v)| (k.node.clone(), v.node.clone()))
        .collect();
    let tolerations: Vec<Toleration> = p
        .tolerations
        .iter()
        .map(|t| Toleration {
            key: Some(t.key.node.clone()),
            operator: Some(if t.value.is_some() { "Equal" } else { "Exists" }.to_string()),
            value: t.value.as_ref().map(|v| v.node.clone()),
            effect: t.effect.map(|e| e.as_k8s().to_string()),
            ..Toleration::default()
        })
        .collect();
    let spread = p.spread.as_ref().map(|s| {
        let when = if s.node.strict {
            "DoNotSchedule"
        } else {
            "ScheduleAnyway"
        };
        [
            (s.node.nodes, "kubernetes.io/hostname"),
            (s.node.zones, "topology.kubernetes.io/zone"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, key)| TopologySpreadConstraint {
            max_skew: 1,
            topology_key: key.to_string(),
            when_unsatisfiable: when.to_string(),
            label_selector: Some(LabelSelector {
                match_labels: Some(selector.clone()),
                ..LabelSelector::default()
            }),
            ..TopologySpreadConstraint::default()
        })
        .collect()
    });
    let pull: Vec<LocalObjectReference> = w
        .pull_secrets
        .iter()
        .map(|s| LocalObjectReference {
            name: s.node.clone(),
        })
        .collect();
    PodSpec {
        service_account_name: w.service_account.as_ref().map(|s| s.node.clone()),
        image_pull_secrets: (!pull.is_empty()).then_some(pull),
        node_selector: (!node_selector.is_empty()).then_some(node_selector),
        tolerations: (!tolerations.is_empty()).then_some(tolerations),
        topology_spread_constraints: spread,
        ..PodSpec::default()
    }
}

/// The container's preStop hook.
pub fn lifecycle(c: &Container) -> Option<Lifecycle> {
    let handler = match &c.pre_stop.as_ref()?.node {
        PreStop::Sleep(seconds) => LifecycleHandler {
            sleep: Some(SleepAction { seconds: *seconds }),
            ..LifecycleHandler::default()
        },
        PreStop::Exec(command) => LifecycleHandler {
            exec: Some(ExecAction {
                command: Some(command.clone()),
            }),
            ..LifecycleHandler::default()
        },
    };
    Some(Lifecycle {
        pre_stop: Some(handler),
        ..Lifecycle::default()
    })
}
