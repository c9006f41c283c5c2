//! Checks of a pod's identity and placement: pod annotations, the service
//! account's name, pull secrets (declared registry secrets), node selector
//! labels and tolerations.

use super::names::{annotation, is_label_key, is_label_value, label, name};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{App, Workload};

const REGISTRY_TYPES: &[&str] = &["kubernetes.io/dockerconfigjson", "kubernetes.io/dockercfg"];

pub fn check(app: &App, diags: &mut Vec<Diagnostic>) {
    for w in &app.workloads {
        workload(app, w, diags);
    }
}

fn workload(app: &App, w: &Workload, diags: &mut Vec<Diagnostic>) {
    for (k, v) in &w.pod_annotations {
        annotation(k, v, diags);
    }
    if let Some(sa) = &w.service_account {
        name(sa, "the service account", diags);
    }
    for s in &w.pull_secrets {
        pull_secret(app, s, diags);
    }
    for (k, v) in &w.placement.node_selector {
        label(k, v, diags);
    }
    for t in &w.placement.tolerations {
        if !is_label_key(&t.key.node) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidLabel,
                    t.key.span,
                    format!("`{}` is not a valid taint key", t.key.node),
                )
                .label("a taint key is a label key: `[prefix/]name`"),
            );
        }
        if let Some(v) = t.value.as_ref().filter(|v| !is_label_value(&v.node)) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidLabel,
                    v.span,
                    format!("`{}` is not a valid taint value", v.node),
                )
                .label("at most 63 letters, digits, `-`, `_` and `.`"),
            );
        }
    }
}

/// A pull secret names a declared secret of a registry type.
fn pull_secret(app: &App, s: &crate::ir::Name, diags: &mut Vec<Diagnostic>) {
    let Some(secret) = app.secrets.iter().find(|x| x.name.node == s.node) else {
        if let Some(c) = app.configs.iter().find(|c| c.name.node == s.node) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    s.span,
                    format!("`{}` is a config", s.node),
                )
                .label("a pull secret is a registry secret")
                .also(c.name.span, "declared here"),
            );
            return;
        }
        let secrets = app.secrets.iter().map(|x| x.name.as_str());
        let help = match crate::suggest::nearest(&s.node, secrets) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "declare it: `secret {} {{ type kubernetes.io/dockerconfigjson \".dockerconfigjson\" }}`",
                s.node
            ),
        };
        diags.push(
            Diagnostic::new(
                Code::UnknownConfig,
                s.span,
                format!("no secret is called `{}`", s.node),
            )
            .label("unknown secret")
            .help(help),
        );
        return;
    };
    let kind = secret.secret_type.as_ref().map(|t| t.node.as_str());
    if kind.is_some_and(|k| REGISTRY_TYPES.contains(&k)) {
        return;
    }
    diags.push(
        Diagnostic::new(
            Code::InvalidValue,
            s.span,
            format!("`{}` is not a registry secret", s.node),
        )
        .label(format!(
            "its type is `{}`; the kubelet reads only docker config secrets",
            kind.unwrap_or("Opaque")
        ))
        .also(secret.name.span, "declared here")
        .help("give it `type kubernetes.io/dockerconfigjson` and the key `.dockerconfigjson`"),
    );
}
