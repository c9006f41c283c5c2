//! The one module that writes YAML: objects, the multi-document stream and
//! `kustomization.yaml`. Swapping the YAML library touches only this file.

use super::Object;
use serde::Serialize;

/// An error while serialising (a bug: every object is plain data).
#[derive(Debug)]
pub struct YamlError(pub String);

fn to_yaml<T: Serialize>(value: &T) -> Result<String, YamlError> {
    serde_yaml::to_string(value).map_err(|e| YamlError(e.to_string()))
}

/// One object as a YAML document.
pub fn object(o: &Object) -> Result<String, YamlError> {
    match o {
        Object::Namespace(x) => to_yaml(x),
        Object::PersistentVolume(x) => to_yaml(x),
        Object::ConfigMap(x) => to_yaml(x),
        Object::Secret(x) => to_yaml(x),
        Object::PersistentVolumeClaim(x) => to_yaml(x),
        Object::Service(x) => to_yaml(x),
        Object::Deployment(x) => to_yaml(x),
        Object::StatefulSet(x) => to_yaml(x),
        Object::HorizontalPodAutoscaler(x) => to_yaml(x),
        Object::Ingress(x) => to_yaml(x),
        Object::NetworkPolicy(x) => to_yaml(x),
    }
}

/// All objects as one multi-document stream.
pub fn stream(objects: &[Object]) -> Result<String, YamlError> {
    let mut out = String::new();
    for o in objects {
        out.push_str("---\n");
        out.push_str(&object(o)?);
    }
    Ok(out)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Kustomization<'a> {
    api_version: &'a str,
    kind: &'a str,
    resources: Vec<String>,
}

/// `kustomization.yaml` listing the object files in apply order.
pub fn kustomization(files: &[String]) -> Result<String, YamlError> {
    to_yaml(&Kustomization {
        api_version: "kustomize.config.k8s.io/v1beta1",
        kind: "Kustomization",
        resources: files.to_vec(),
    })
}
