//! Rules on pods, claims and their settings (core `validateProbe`,
//! `ValidateSecurityContext`, `ValidateVolumeDevices`,
//! `ValidatePersistentVolumeClaimSpec`).

use super::{Found, Problem};
use crate::emit::yaml::Node;

fn problem(message: String, label: &str, help: &str) -> Option<Problem> {
    Some(Problem {
        message,
        label: label.to_string(),
        help: Some(help.to_string()),
    })
}

/// The port of an HTTP or TCP probe: a number in 1-65535 (a name is
/// checked against the ports on the file).
pub fn probe_port(f: &Found) -> Option<Problem> {
    let n = match f.node {
        Node::Int(n) => *n,
        Node::UInt(n) => i64::try_from(*n).unwrap_or(i64::MAX),
        _ => return None,
    };
    if (1..=65535).contains(&n) {
        return None;
    }
    problem(
        format!("the probe checks port {n}"),
        "ports are 1 to 65535",
        "give the probe a port the container listens on, e.g. `port http`",
    )
}

/// `allowPrivilegeEscalation: false` with CAP_SYS_ADMIN added (a literal
/// compare in the API server: `SYS_ADMIN` is not caught there).
pub fn sys_admin(f: &Found) -> Option<Problem> {
    let escalation = super::child(f.node, "allowPrivilegeEscalation");
    if escalation != Some(&Node::Bool(false)) {
        return None;
    }
    let added = super::child(f.node, "capabilities").and_then(|c| super::child(c, "add"));
    let Some(Node::Seq(caps)) = added else {
        return None;
    };
    if !caps.contains(&Node::Str("CAP_SYS_ADMIN".to_string())) {
        return None;
    }
    problem(
        "`cap-add CAP_SYS_ADMIN` needs privilege escalation".to_string(),
        "tfc turns privilege escalation off, and the API server refuses CAP_SYS_ADMIN without it",
        "add `allow-escalation` (and `accept privilege-escalation`), or drop CAP_SYS_ADMIN",
    )
}

/// A claim's storage class: a DNS-1123 subdomain.
pub fn storage_class(f: &Found) -> Option<Problem> {
    let Node::Str(class) = f.node else {
        return None;
    };
    if super::formats::dns1123_subdomain(class) {
        return None;
    }
    problem(
        format!("the storage class `{class}` is not valid"),
        "a storage class name is a DNS-1123 subdomain",
        "use the name `kubectl get storageclass` shows",
    )
}

/// ReadWriteOncePod, which excludes every other access mode.
pub fn access_modes(f: &Found) -> Option<Problem> {
    let Node::Seq(modes) = f.node else {
        return None;
    };
    let rwop = modes.contains(&Node::Str("ReadWriteOncePod".to_string()));
    if !rwop || modes.len() < 2 {
        return None;
    }
    problem(
        "`rwop` (ReadWriteOncePod) cannot be combined with other access modes".to_string(),
        "one pod only, or not: pick one",
        "write `access rwop` alone",
    )
}

/// A `sleep` hook waits at least a second, and less than the pod's grace
/// period (the API server's default, 30 s, when `grace` is not written).
pub fn sleep(f: &Found) -> Option<Problem> {
    let seconds = match f.node {
        Node::Int(n) => *n,
        _ => return None,
    };
    let grace = match super::pod_template(f.root)
        .and_then(|t| super::child(t, "spec"))
        .and_then(|s| super::child(s, "terminationGracePeriodSeconds"))
    {
        Some(Node::Int(g)) => *g,
        _ => 30,
    };
    if seconds <= 0 {
        return problem(
            "`pre-stop sleep` waits no time".to_string(),
            "the API server wants at least 1 second",
            "write e.g. `pre-stop sleep 5s`, or remove it",
        );
    }
    if seconds <= grace {
        return None;
    }
    problem(
        format!("`pre-stop sleep` waits {seconds}s, longer than the {grace}s grace period"),
        "the pod would be killed before the hook ends; the API server refuses it",
        "raise `grace`, or sleep less",
    )
}

/// An HTTP header name: letters, digits and `-`.
pub fn header_name(f: &Found) -> Option<Problem> {
    let Node::Str(name) = f.node else {
        return None;
    };
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return None;
    }
    problem(
        format!("`{name}` is not an HTTP header name"),
        "header names are letters, digits and `-`",
        "write e.g. `header Host = example.com`",
    )
}
