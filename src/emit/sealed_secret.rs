//! `secret NAME { sealed FILE }`: the SealedSecret (`bitnami.com/v1alpha1`)
//! read from FILE and checked in src/sealed.rs, emitted in place of the
//! Secret with the app's namespace and labels. The types are the part of
//! its API a SealedSecret holds; reading it back with
//! `deny_unknown_fields` catches a patch that writes a field it lacks.

use super::Extra;
use crate::ir::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Deserialize;
use std::collections::BTreeMap;

pub use crate::sealed::{API_VERSION, KIND};

/// `spec` of a SealedSecret.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SealedSecretSpec {
    pub encrypted_data: BTreeMap<String, String>,
    #[serde(default)]
    pub template: Option<TemplateSpec>,
    /// The deprecated single blob of the first releases.
    #[serde(default)]
    pub data: Option<String>,
}

/// `spec.template`: the Secret the controller makes, without its values.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TemplateSpec {
    #[serde(default)]
    pub metadata: Option<ObjectMeta>,
    #[serde(default, rename = "type")]
    pub type_: Option<String>,
    #[serde(default)]
    pub immutable: Option<bool>,
    /// Keys whose values are templates, not encrypted.
    #[serde(default)]
    pub data: Option<BTreeMap<String, String>>,
}

/// The SealedSecret of a `sealed` secret (None without one, or before its
/// file was read). tfc's metadata first, then the file's labels and
/// annotations (its scope) where tfc sets none.
pub fn object(s: &Secret, mut metadata: ObjectMeta) -> Option<Extra> {
    let read = s.sealed.as_ref()?.object.as_ref()?;
    let theirs: ObjectMeta = read
        .get("metadata")
        .cloned()
        .and_then(|m| serde_json::from_value(m).ok())
        .unwrap_or_default();
    for (mine, their) in [
        (&mut metadata.labels, theirs.labels),
        (&mut metadata.annotations, theirs.annotations),
    ] {
        for (k, v) in their.unwrap_or_default() {
            mine.get_or_insert_with(BTreeMap::new).entry(k).or_insert(v);
        }
    }
    // Each key is encrypted on its own: a key the environment excludes
    // leaves the Secret with the file.
    let mut spec = read.get("spec")?.clone();
    for at in ["/encryptedData", "/template/data"] {
        if let Some(m) = spec
            .pointer_mut(at)
            .and_then(serde_json::Value::as_object_mut)
        {
            for k in &s.excluded {
                m.remove(&k.node);
            }
        }
    }
    let mut rest = serde_json::Map::new();
    rest.insert("spec".to_string(), spec);
    Some(Extra {
        api_version: API_VERSION.to_string(),
        kind: KIND.to_string(),
        metadata,
        rest,
    })
}
