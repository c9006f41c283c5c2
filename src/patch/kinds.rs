//! What tfc knows of kinds: the Kubernetes type of each (for strict
//! reads), which are cluster-scoped, and which fields have a statement.

use crate::emit::{Extra, Object};
use serde_json::Value;

/// An object as JSON.
pub fn to_json(o: &Object) -> Value {
    macro_rules! to_json {
        ($o:expr; $($v:ident),*) => {
            match $o {
                $(Object::$v(x) => serde_json::to_value(x),)*
                Object::Extra(x) => serde_json::to_value(x),
            }
        };
    }
    crate::emit::with_kinds!(to_json!(o)).unwrap_or(Value::Null)
}

/// JSON read back as an object of the same type as `like`.
pub fn from_json(like: &Object, v: Value) -> Result<Object, String> {
    fn read<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
        serde_json::from_value(v).map_err(|e| e.to_string())
    }
    macro_rules! from_json {
        ($like:expr, $val:expr; $($v:ident),*) => {
            match $like {
                $(Object::$v(_) => Object::$v(read($val)?),)*
                Object::Extra(x) => Object::Extra(Box::new(extra(&x.api_version, &x.kind, $val)?)),
            }
        };
    }
    Ok(crate::emit::with_kinds!(from_json!(like, v)))
}

/// An extra object from JSON (`apiVersion` and `kind` given apart).
pub fn extra(api_version: &str, kind: &str, v: Value) -> Result<Extra, String> {
    let Value::Object(mut rest) = v else {
        return Err("an object is a YAML mapping".to_string());
    };
    rest.remove("apiVersion");
    rest.remove("kind");
    let metadata = rest.remove("metadata").unwrap_or(Value::Null);
    let metadata = serde_json::from_value(metadata).map_err(|e| format!("metadata: {e}"))?;
    Ok(Extra {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        metadata,
        rest,
    })
}

/// Declares the kinds tfc reads strictly: `(apiVersion, kind) => type`.
macro_rules! typed {
    ($($api:literal $kind:literal => $ty:ty;)*) => {
        /// Reads an object of a known kind with its Kubernetes type and
        /// writes it back: what the type keeps. None for a kind tfc does
        /// not know (a custom resource).
        pub fn strict(api_version: &str, kind: &str, v: &Value) -> Option<Result<Value, String>> {
            fn round<T: serde::de::DeserializeOwned + serde::Serialize>(v: &Value) -> Result<Value, String> {
                let typed: T = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
                serde_json::to_value(typed).map_err(|e| e.to_string())
            }
            match (api_version, kind) {
                $(($api, $kind) => Some(round::<$ty>(v)),)*
                _ => None,
            }
        }

        /// The kinds tfc reads strictly, for messages.
        pub const TYPED: &[(&str, &str)] = &[$(($api, $kind),)*];
    };
}

typed! {
    "v1" "ConfigMap" => k8s_openapi::api::core::v1::ConfigMap;
    "v1" "Service" => k8s_openapi::api::core::v1::Service;
    "v1" "ServiceAccount" => k8s_openapi::api::core::v1::ServiceAccount;
    "v1" "PersistentVolumeClaim" => k8s_openapi::api::core::v1::PersistentVolumeClaim;
    "v1" "PersistentVolume" => k8s_openapi::api::core::v1::PersistentVolume;
    "v1" "Namespace" => k8s_openapi::api::core::v1::Namespace;
    "v1" "LimitRange" => k8s_openapi::api::core::v1::LimitRange;
    "v1" "ResourceQuota" => k8s_openapi::api::core::v1::ResourceQuota;
    "v1" "Pod" => k8s_openapi::api::core::v1::Pod;
    "apps/v1" "Deployment" => k8s_openapi::api::apps::v1::Deployment;
    "apps/v1" "StatefulSet" => k8s_openapi::api::apps::v1::StatefulSet;
    "apps/v1" "DaemonSet" => k8s_openapi::api::apps::v1::DaemonSet;
    "batch/v1" "Job" => k8s_openapi::api::batch::v1::Job;
    "batch/v1" "CronJob" => k8s_openapi::api::batch::v1::CronJob;
    "policy/v1" "PodDisruptionBudget" => k8s_openapi::api::policy::v1::PodDisruptionBudget;
    "autoscaling/v2" "HorizontalPodAutoscaler" => k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
    "networking.k8s.io/v1" "Ingress" => k8s_openapi::api::networking::v1::Ingress;
    "networking.k8s.io/v1" "IngressClass" => k8s_openapi::api::networking::v1::IngressClass;
    "networking.k8s.io/v1" "NetworkPolicy" => k8s_openapi::api::networking::v1::NetworkPolicy;
    "rbac.authorization.k8s.io/v1" "Role" => k8s_openapi::api::rbac::v1::Role;
    "rbac.authorization.k8s.io/v1" "RoleBinding" => k8s_openapi::api::rbac::v1::RoleBinding;
    "rbac.authorization.k8s.io/v1" "ClusterRole" => k8s_openapi::api::rbac::v1::ClusterRole;
    "rbac.authorization.k8s.io/v1" "ClusterRoleBinding" => k8s_openapi::api::rbac::v1::ClusterRoleBinding;
    "scheduling.k8s.io/v1" "PriorityClass" => k8s_openapi::api::scheduling::v1::PriorityClass;
    "storage.k8s.io/v1" "StorageClass" => k8s_openapi::api::storage::v1::StorageClass;
}

/// Kinds whose objects have no namespace.
pub const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "StorageClass",
    "PriorityClass",
    "IngressClass",
    "CustomResourceDefinition",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "APIService",
    "CSIDriver",
    "CSINode",
    "RuntimeClass",
    "Node",
    "VolumeAttachment",
    "VolumeAttributesClass",
    "CertificateSigningRequest",
    "FlowSchema",
    "PriorityLevelConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "DeviceClass",
    // Custom resources that are cluster-wide by design.
    "ClusterSecretStore",
    "ClusterExternalSecret",
    "ClusterIssuer",
    "ClusterPolicy",
];

const WORKLOADS: &[&str] = &["Deployment", "StatefulSet", "Job"];

/// Fields that a statement writes: `(kinds, path, statement)`. A patch
/// that sets one gets TF1010.
pub const CONSTRUCTS: &[(&[&str], &str, &str)] = &[
    (&[], "metadata.labels", "labels"),
    (&[], "metadata.annotations", "annotations"),
    (&["Job"], "spec.backoffLimit", "retries"),
    (&["Job"], "spec.activeDeadlineSeconds", "deadline"),
    (&["Job"], "spec.ttlSecondsAfterFinished", "keep-for"),
    (&["Job"], "spec.completions", "completions"),
    (&["Job"], "spec.parallelism", "parallel"),
    (&["CronJob"], "spec.schedule", "schedule"),
    (&["CronJob"], "spec.timeZone", "timezone"),
    (&["CronJob"], "spec.concurrencyPolicy", "concurrency"),
    (WORKLOADS, "spec.replicas", "replicas"),
    (WORKLOADS, "spec.strategy", "strategy"),
    (WORKLOADS, "spec.selector", "selector"),
    (
        WORKLOADS,
        "spec.template.metadata.annotations",
        "pod-annotations",
    ),
    (WORKLOADS, "spec.template.metadata.labels", "labels"),
    (
        WORKLOADS,
        "spec.template.spec.nodeSelector",
        "node-selector",
    ),
    (WORKLOADS, "spec.template.spec.tolerations", "tolerate"),
    (
        WORKLOADS,
        "spec.template.spec.topologySpreadConstraints",
        "spread",
    ),
    (
        WORKLOADS,
        "spec.template.spec.serviceAccountName",
        "service-account",
    ),
    (
        WORKLOADS,
        "spec.template.spec.imagePullSecrets",
        "pull-secret",
    ),
    (
        WORKLOADS,
        "spec.template.spec.terminationGracePeriodSeconds",
        "grace",
    ),
    (
        WORKLOADS,
        "spec.template.spec.automountServiceAccountToken",
        "mount-token",
    ),
    (
        WORKLOADS,
        "spec.template.spec.securityContext",
        "run-as` or `seccomp",
    ),
    (WORKLOADS, "spec.template.spec.volumes", "volume"),
    (WORKLOADS, "spec.template.spec.containers[].image", "image"),
    (
        WORKLOADS,
        "spec.template.spec.containers[].imagePullPolicy",
        "pull",
    ),
    (
        WORKLOADS,
        "spec.template.spec.containers[].command",
        "command",
    ),
    (WORKLOADS, "spec.template.spec.containers[].args", "args"),
    (
        WORKLOADS,
        "spec.template.spec.containers[].workingDir",
        "workdir",
    ),
    (WORKLOADS, "spec.template.spec.containers[].env", "env"),
    (
        WORKLOADS,
        "spec.template.spec.containers[].envFrom",
        "env from",
    ),
    (
        WORKLOADS,
        "spec.template.spec.containers[].resources",
        "cpu` or `memory",
    ),
    (
        WORKLOADS,
        "spec.template.spec.containers[].livenessProbe",
        "liveness",
    ),
    (
        WORKLOADS,
        "spec.template.spec.containers[].readinessProbe",
        "readiness",
    ),
    (
        WORKLOADS,
        "spec.template.spec.containers[].startupProbe",
        "startup",
    ),
    (
        WORKLOADS,
        "spec.template.spec.containers[].lifecycle.preStop",
        "pre-stop",
    ),
    (WORKLOADS, "spec.template.spec.containers[].ports", "port"),
    (
        WORKLOADS,
        "spec.template.spec.containers[].volumeMounts",
        "volume",
    ),
    (
        WORKLOADS,
        "spec.template.spec.containers[].securityContext",
        "writable-root`, `allow-escalation` or `cap-add",
    ),
    (&["Service"], "spec.type", "expose"),
    (&["Service"], "spec.ports", "port"),
    (
        &["HorizontalPodAutoscaler"],
        "spec.minReplicas",
        "autoscale",
    ),
    (
        &["HorizontalPodAutoscaler"],
        "spec.maxReplicas",
        "autoscale",
    ),
    (&["HorizontalPodAutoscaler"], "spec.metrics", "autoscale"),
    (&["Ingress"], "spec.ingressClassName", "class"),
    (&["Ingress"], "spec.tls", "tls"),
    (&["Ingress"], "spec.rules", "host` or `route"),
    (&["PersistentVolumeClaim"], "spec.resources", "size"),
    (&["PersistentVolumeClaim"], "spec.storageClassName", "class"),
    (&["PersistentVolumeClaim"], "spec.accessModes", "access"),
];

/// Whether the patch sets something at `path` (`[]`: any item of a list).
pub fn sets(patch: &Value, path: &str) -> bool {
    let mut at = vec![patch];
    for step in path.split('.') {
        let (key, list) = match step.strip_suffix("[]") {
            Some(k) => (k, true),
            None => (step, false),
        };
        let next: Vec<&Value> = at.iter().filter_map(|v| v.get(key)).collect();
        at = if list {
            next.iter().filter_map(|v| v.as_array()).flatten().collect()
        } else {
            next
        };
        if at.is_empty() {
            return false;
        }
    }
    at.iter().any(|v| !v.is_null())
}
