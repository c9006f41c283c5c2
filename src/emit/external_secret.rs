//! `secret NAME { store STORE ... }`: an ExternalSecret
//! (`external-secrets.io/v1`) that has the External Secrets Operator fill
//! the Secret from a store, one property per declared key. The types are
//! the part of the v1 API tfc writes, from its reference documentation;
//! reading them back with `deny_unknown_fields` is the schema check that a
//! strict Kubernetes validator cannot do for a custom resource.

use super::Extra;
use crate::ir::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

pub const API_VERSION: &str = "external-secrets.io/v1";
pub const KIND: &str = "ExternalSecret";

/// `spec` of an ExternalSecret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExternalSecretSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_interval: Option<String>,
    pub secret_store_ref: SecretStoreRef,
    pub target: Target,
    pub data: Vec<Data>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretStoreRef {
    pub name: String,
    pub kind: StoreKind,
}

/// The kind of store an ExternalSecret reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoreKind {
    SecretStore,
    ClusterSecretStore,
}

/// What the operator does with the Secret it makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreationPolicy {
    /// The ExternalSecret owns it: deleted with it.
    Owner,
    Orphan,
    Merge,
    None,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Target {
    pub name: String,
    /// `Owner`: the Secret is deleted with the ExternalSecret.
    pub creation_policy: CreationPolicy,
    /// The Secret's `type` (`kubernetes.io/dockerconfigjson`, ...), when
    /// the secret declares one; the operator makes an Opaque Secret without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<Template>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Template {
    #[serde(rename = "type")]
    pub type_: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Data {
    pub secret_key: String,
    pub remote_ref: RemoteRef,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RemoteRef {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
}

/// The ExternalSecret of a secret filled from a store (None without `store`).
pub fn object(s: &Secret, metadata: ObjectMeta) -> Option<Extra> {
    let store = s.store.as_ref()?;
    let remote = store
        .remote
        .as_ref()
        .map_or_else(|| s.name.node.clone(), |r| r.node.clone());
    let spec = ExternalSecretSpec {
        refresh_interval: store.refresh.as_ref().map(|r| r.node.clone()),
        secret_store_ref: SecretStoreRef {
            name: store.name.node.clone(),
            kind: if store.cluster {
                StoreKind::ClusterSecretStore
            } else {
                StoreKind::SecretStore
            },
        },
        target: Target {
            name: s.name.node.clone(),
            creation_policy: CreationPolicy::Owner,
            template: s.secret_type.as_ref().map(|t| Template {
                type_: t.node.clone(),
            }),
        },
        data: s
            .keys
            .iter()
            .map(|k| Data {
                secret_key: k.node.clone(),
                remote_ref: RemoteRef {
                    key: remote.clone(),
                    property: Some(k.node.clone()),
                },
            })
            .collect(),
    };
    let mut rest = serde_json::Map::new();
    rest.insert("spec".to_string(), serde_json::to_value(spec).ok()?);
    Some(Extra {
        api_version: API_VERSION.to_string(),
        kind: KIND.to_string(),
        metadata,
        rest,
    })
}
