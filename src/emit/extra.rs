//! An object written by the user (`object YAML`), of any kind: kept as
//! read, after a strict read with the Kubernetes types when tfc knows the
//! kind (src/patch/).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// An extra object: its type, metadata and other top-level fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Extra {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    /// The other top-level fields (`spec`, `rules`, ...), sorted by key.
    pub rest: serde_json::Map<String, serde_json::Value>,
}

impl Serialize for Extra {
    /// `apiVersion` and `kind` first, then every other field by name, as
    /// the Kubernetes types write them.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.rest.len() + 3))?;
        m.serialize_entry("apiVersion", &self.api_version)?;
        m.serialize_entry("kind", &self.kind)?;
        let mut metadata_done = false;
        for (k, v) in &self.rest {
            if !metadata_done && k.as_str() > "metadata" {
                m.serialize_entry("metadata", &self.metadata)?;
                metadata_done = true;
            }
            m.serialize_entry(k, v)?;
        }
        if !metadata_done {
            m.serialize_entry("metadata", &self.metadata)?;
        }
        m.end()
    }
}
