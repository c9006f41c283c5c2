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
