//! Rules on the metadata every object carries: its name, namespace and
//! labels (core and apimachinery `ValidateObjectMeta`, the name function of
//! each kind, `ValidateLabels`).

use super::formats::{dns1035_label, dns1123_label, dns1123_subdomain, label_key, label_value};
use super::{Found, Problem, Step};
use crate::emit::yaml::Node;

fn problem(message: String, label: &str, help: &str) -> Option<Problem> {
    Some(Problem {
        message,
        label: label.to_string(),
        help: Some(help.to_string()),
    })
}

/// The name function of each kind.
pub fn name(f: &Found) -> Option<Problem> {
    let Node::Str(name) = f.node else {
        return None;
    };
    let (ok, what) = match f.kind {
        "Namespace" => (
            dns1123_label(name),
            "a DNS-1123 label (at most 63 lowercase letters, digits and `-`)",
        ),
        "Service" => (
            dns1035_label(name),
            "a DNS-1035 label (a DNS-1123 label that starts with a letter)",
        ),
        // The controller labels each pod `controller-revision-hash: NAME-HASH`
        // (a hash of up to 10 characters): a longer name never gets a pod.
        "StatefulSet" => (
            dns1123_label(name) && name.len() <= 52,
            "a DNS-1123 label of at most 52 characters (its pods carry NAME-HASH in a label)",
        ),
        // The Job controller labels its pods `job-name: NAME` (a label value).
        "Job" => (
            dns1123_label(name),
            "a DNS-1123 label (its pods carry the name in a label)",
        ),
        // Each run is a Job named NAME-TIMESTAMP (11 characters more).
        "CronJob" => (
            dns1123_label(name) && name.len() <= 52,
            "a DNS-1123 label of at most 52 characters (each run is a Job NAME-TIMESTAMP)",
        ),
        _ => (
            dns1123_subdomain(name),
            "a DNS-1123 subdomain (lowercase letters, digits, `-` and `.`, at most 253)",
        ),
    };
    if ok {
        return None;
    }
    problem(
        format!("the {} name `{name}` is not valid", f.kind),
        &format!("a {} name is {what}", f.kind),
        "change `name`, or the `naming` pattern that makes it",
    )
}

pub fn namespace(f: &Found) -> Option<Problem> {
    let Node::Str(ns) = f.node else { return None };
    if dns1123_label(ns) {
        return None;
    }
    problem(
        format!("the namespace `{ns}` is not valid"),
        "a namespace is a DNS-1123 label",
        "name a namespace of at most 63 lowercase letters, digits and `-`",
    )
}

/// One label of an object, its pods or a selector.
pub fn label(f: &Found) -> Option<Problem> {
    let Some(&Step::Key(key)) = f.path.last() else {
        return None;
    };
    let value = match f.node {
        Node::Str(v) => v.as_str(),
        _ => "",
    };
    if !label_key(key) {
        return problem(
            format!("`{key}` is not a valid label key"),
            "expected `[prefix/]name`: a name of at most 63 letters, digits, `-`, `_`, `.`",
            "rename the label",
        );
    }
    if !label_value(value) {
        return problem(
            format!("`{value}` is not a valid value of label `{key}`"),
            "at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit",
            "shorten or change the value (a name used as a label value must fit too)",
        );
    }
    None
}
