//! The rules, one row each: where in which kinds of object, and the check.
//! Each cites the Kubernetes validation function it follows (v1.35,
//! `pkg/apis/*/validation`); docs/security.md lists them.

use super::{Found, Problem, Rule, meta, pod};
use crate::diagnostic::Code;
use crate::emit::yaml::Node;

/// The kinds with a pod template; their rules' paths start at `@pod`, the
/// template (`spec.template`, a CronJob's `spec.jobTemplate.spec.template`),
/// and a rule on `containers[]` also applies to `initContainers[]`.
const WORKLOADS: &[&str] = &["Deployment", "StatefulSet", "Job", "CronJob"];
const DATA: &[&str] = &["ConfigMap", "Secret"];
/// Every kind tfc emits.
const ALL: &[&str] = crate::emit::Object::KINDS;

const CLAIMS: &[&str] = &["PersistentVolumeClaim", "PersistentVolume"];

/// Every rule tfc checks on emitted objects.
pub const RULES: &[Rule] = &[
    // apimachinery: ValidateObjectMeta with each kind's name function
    Rule {
        code: Code::InvalidName,
        kinds: ALL,
        at: "metadata.name",
        check: meta::name,
    },
    Rule {
        code: Code::InvalidName,
        kinds: ALL,
        at: "metadata.namespace",
        check: meta::namespace,
    },
    // apimachinery: ValidateLabels (objects, pod templates, selectors)
    Rule {
        code: Code::InvalidLabel,
        kinds: ALL,
        at: "metadata.labels.*",
        check: meta::label,
    },
    Rule {
        code: Code::InvalidLabel,
        kinds: WORKLOADS,
        at: "@pod.metadata.labels.*",
        check: meta::label,
    },
    Rule {
        code: Code::InvalidLabel,
        kinds: &["Service"],
        at: "spec.selector.*",
        check: meta::label,
    },
    // core: validateProbe → ValidatePortNumOrName
    Rule {
        code: Code::PortOutOfRange,
        kinds: WORKLOADS,
        at: "@pod.spec.containers[].*.httpGet.port",
        check: pod::probe_port,
    },
    Rule {
        code: Code::PortOutOfRange,
        kinds: WORKLOADS,
        at: "@pod.spec.containers[].*.tcpSocket.port",
        check: pod::probe_port,
    },
    Rule {
        code: Code::PortOutOfRange,
        kinds: WORKLOADS,
        at: "@pod.spec.containers[].*.grpc.port",
        check: pod::probe_port,
    },
    // core: validateHTTPGetAction → IsHTTPHeaderName
    Rule {
        code: Code::InvalidValue,
        kinds: WORKLOADS,
        at: "@pod.spec.containers[].*.httpGet.httpHeaders[].name",
        check: pod::header_name,
    },
    // core: ValidateSecurityContext
    Rule {
        code: Code::ConflictingSettings,
        kinds: WORKLOADS,
        at: "@pod.spec.containers[].securityContext",
        check: pod::sys_admin,
    },
    // core: ValidatePersistentVolumeClaimSpec, ValidatePersistentVolumeSpec
    Rule {
        code: Code::InvalidName,
        kinds: CLAIMS,
        at: "spec.storageClassName",
        check: pod::storage_class,
    },
    Rule {
        code: Code::InvalidName,
        kinds: &["StatefulSet"],
        at: "spec.volumeClaimTemplates[].spec.storageClassName",
        check: pod::storage_class,
    },
    Rule {
        code: Code::ConflictingSettings,
        kinds: CLAIMS,
        at: "spec.accessModes",
        check: pod::access_modes,
    },
    Rule {
        code: Code::ConflictingSettings,
        kinds: &["StatefulSet"],
        at: "spec.volumeClaimTemplates[].spec.accessModes",
        check: pod::access_modes,
    },
    // core: ValidateVolumeDevices (no backsteps in a device path)
    Rule {
        code: Code::PathBackstep,
        kinds: WORKLOADS,
        at: "@pod.spec.containers[].volumeDevices[].devicePath",
        check: no_backsteps,
    },
    // networking: ValidateIngressCreate (the class annotation agrees with the class)
    Rule {
        code: Code::ConflictingSettings,
        kinds: &["Ingress"],
        at: "metadata.annotations.*",
        check: ingress_class,
    },
    // policy: ValidatePodDisruptionBudgetSpec
    Rule {
        code: Code::InvalidValue,
        kinds: &["PodDisruptionBudget"],
        at: "spec.minAvailable",
        check: budget_bound,
    },
    Rule {
        code: Code::InvalidValue,
        kinds: &["PodDisruptionBudget"],
        at: "spec.maxUnavailable",
        check: budget_bound,
    },
    // core: ValidateService (a Service that is not headless has ports)
    Rule {
        code: Code::MissingField,
        kinds: &["Service"],
        at: "spec",
        check: service_ports,
    },
    // networking: validateIngressHTTPIngressPath
    Rule {
        code: Code::InvalidIngressPath,
        kinds: &["Ingress"],
        at: "spec.rules[].http.paths[]",
        check: ingress_path,
    },
    // apps: ValidateRollingUpdateDeployment
    Rule {
        code: Code::RolloutCannotProgress,
        kinds: &["Deployment"],
        at: "spec.strategy.rollingUpdate",
        check: rolling_update,
    },
    // core: validateExecAction (probes, and later lifecycle hooks)
    Rule {
        code: Code::EmptyCommand,
        kinds: WORKLOADS,
        at: "@pod.spec.containers[].*.exec",
        check: exec_command,
    },
    // core: validateHostPathVolumeSource, validatePathNoBacksteps
    Rule {
        code: Code::PathBackstep,
        kinds: WORKLOADS,
        at: "@pod.spec.volumes[].hostPath.path",
        check: no_backsteps,
    },
    Rule {
        code: Code::PathBackstep,
        kinds: &["PersistentVolume"],
        at: "spec.hostPath.path",
        check: no_backsteps,
    },
    // core: ValidateSecret (the type-specific keys)
    Rule {
        code: Code::SecretTypeKeys,
        kinds: &["Secret"],
        at: "",
        check: secret_type,
    },
    // core: ValidateConfigMap, ValidateSecret (IsConfigMapKey)
    Rule {
        code: Code::InvalidDataKey,
        kinds: DATA,
        at: "data.*",
        check: data_key,
    },
    // core: validateEnvFrom (the prefix is an environment variable name)
    Rule {
        code: Code::InvalidEnvPrefix,
        kinds: WORKLOADS,
        at: "@pod.spec.containers[].envFrom[].prefix",
        check: env_prefix,
    },
    // core: ValidateConfigMap, ValidateSecret (MaxSecretSize)
    Rule {
        code: Code::ObjectTooLarge,
        kinds: DATA,
        at: "data",
        check: data_size,
    },
    // apimachinery: ValidateAnnotationsSize (TotalAnnotationSizeLimitB)
    // core: validateLifecycle → validateHandler (exec, sleep)
    Rule {
        code: Code::EmptyCommand,
        kinds: WORKLOADS,
        at: "@pod.spec.containers[].lifecycle.*.exec",
        check: exec_command,
    },
    Rule {
        code: Code::ConflictingSettings,
        kinds: WORKLOADS,
        at: "@pod.spec.containers[].lifecycle.*.sleep.seconds",
        check: pod::sleep,
    },
    Rule {
        code: Code::ObjectTooLarge,
        kinds: WORKLOADS,
        at: "@pod.metadata.annotations",
        check: annotations_size,
    },
    Rule {
        code: Code::ObjectTooLarge,
        kinds: ALL,
        at: "metadata.annotations",
        check: annotations_size,
    },
];

fn problem(message: impl Into<String>, label: impl Into<String>) -> Option<Problem> {
    Some(Problem {
        message: message.into(),
        label: label.into(),
        help: None,
    })
}

fn with_help(p: Option<Problem>, help: impl Into<String>) -> Option<Problem> {
    p.map(|mut p| {
        p.help = Some(help.into());
        p
    })
}

/// Sequences the API server refuses in Prefix and Exact paths.
const BAD_SEQUENCES: &[&str] = &["//", "/./", "/../", "%2f", "%2F"];
const BAD_ENDINGS: &[&str] = &["/..", "/."];

fn ingress_path(f: &Found) -> Option<Problem> {
    let path = f.str("path")?;
    let kind = f.str("pathType").unwrap_or("");
    if !path.starts_with('/') {
        return with_help(
            problem(
                format!("the ingress path `{path}` is not absolute"),
                "ingress paths start with `/`",
            ),
            "a regex route too: e.g. `route regex \"/api(/|$)(.*)\" -> api`",
        );
    }
    if kind == "ImplementationSpecific" {
        return None;
    }
    if let Some(seq) = BAD_SEQUENCES.iter().find(|s| path.contains(**s)) {
        return with_help(
            problem(
                format!("the ingress path `{path}` contains `{seq}`"),
                "the API server rejects this path",
            ),
            "write the path without `//`, dot segments or an encoded `/`",
        );
    }
    if let Some(end) = BAD_ENDINGS.iter().find(|s| path.ends_with(**s)) {
        return with_help(
            problem(
                format!("the ingress path `{path}` ends in `{end}`"),
                "the API server rejects this path",
            ),
            "write the path without dot segments",
        );
    }
    None
}

/// An IntOrString bound: a count, or a percentage.
enum Bound {
    Int(i64),
    Percent(i64),
    Other,
}

fn bound(node: Option<&Node>) -> Option<Bound> {
    Some(match node? {
        Node::Int(n) => Bound::Int(*n),
        Node::UInt(n) => Bound::Int(i64::try_from(*n).unwrap_or(i64::MAX)),
        Node::Str(s) => s
            .strip_suffix('%')
            .and_then(|p| p.parse::<i64>().ok())
            .map_or(Bound::Other, Bound::Percent),
        _ => Bound::Other,
    })
}

/// A budget is a count or a percentage of 0 or more, at most 100%.
fn budget_bound(f: &Found) -> Option<Problem> {
    let bad = match bound(Some(f.node))? {
        Bound::Int(n) | Bound::Percent(n) if n < 0 => "is negative",
        Bound::Percent(n) if n > 100 => "is over 100%",
        Bound::Other => "is not a count or a percentage",
        _ => return None,
    };
    with_help(
        problem(
            format!("the disruption budget {bad}"),
            "a count or a percentage from 0 to 100%",
        ),
        "write e.g. `disruption max-unavailable 1` or `disruption min-available 50%`",
    )
}

fn is_zero(b: &Option<Bound>) -> bool {
    matches!(b, Some(Bound::Int(0) | Bound::Percent(0)))
}

fn rolling_update(f: &Found) -> Option<Problem> {
    let field = |k: &str| match f.node {
        Node::Map(m) => m.iter().find(|(key, _)| key == k).map(|(_, v)| v),
        _ => None,
    };
    let surge = bound(field("maxSurge"));
    let unavailable = bound(field("maxUnavailable"));
    for (b, what) in [(&surge, "surge"), (&unavailable, "unavailable")] {
        if matches!(b, Some(Bound::Int(n) | Bound::Percent(n)) if *n < 0) {
            return with_help(
                problem(
                    format!("`{what}` is negative"),
                    "a count or percentage of 0 or more",
                ),
                "write e.g. `surge 1` or `unavailable 25%`",
            );
        }
    }
    if let Some(Bound::Percent(p)) = unavailable {
        if p > 100 {
            return with_help(
                problem(
                    format!("`unavailable {p}%` is over 100%"),
                    "at most every pod can be down",
                ),
                "write at most `unavailable 100%`",
            );
        }
    }
    if is_zero(&surge) && is_zero(&unavailable) {
        return with_help(
            problem(
                "`surge 0 unavailable 0` can never replace a pod",
                "no extra pod may start, and no pod may stop",
            ),
            "allow one extra pod (`surge 1`) or one pod down (`unavailable 1`)",
        );
    }
    None
}

fn exec_command(f: &Found) -> Option<Problem> {
    let empty = match super::child(f.node, "command") {
        Some(Node::Seq(words)) => words.iter().all(|w| *w == Node::Str(String::new())),
        Some(Node::Null) | None => true,
        Some(_) => false,
    };
    if !empty {
        return None;
    }
    if f.path.contains(&super::Step::Key("lifecycle")) {
        return with_help(
            problem("the `pre-stop` hook has no command", "nothing to run"),
            "give the command, e.g. `pre-stop [\"nginx\", \"-s\", \"quit\"]`, or wait: `pre-stop sleep 5s`",
        );
    }
    with_help(
        problem("the exec probe has no command", "nothing to run"),
        "give the command, e.g. `readiness exec \"pg_isready -U app\"`, or probe by `http` or `tcp`",
    )
}

fn no_backsteps(f: &Found) -> Option<Problem> {
    let Node::Str(path) = f.node else { return None };
    if path.split('/').any(|part| part == "..") {
        let what = match f.path.last() {
            Some(super::Step::Key("devicePath")) => "device path",
            _ => "host path",
        };
        return with_help(
            problem(
                format!("the {what} `{path}` contains `..`"),
                format!("the API server rejects a {what} with a `..` element"),
            ),
            "write the path without `..`",
        );
    }
    None
}

/// The keys each Secret type requires (one of each inner list).
const SECRET_TYPES: &[(&str, &[&[&str]])] = &[
    ("kubernetes.io/tls", &[&["tls.crt"], &["tls.key"]]),
    ("kubernetes.io/basic-auth", &[&["username", "password"]]),
    ("kubernetes.io/ssh-auth", &[&["ssh-privatekey"]]),
    ("kubernetes.io/dockerconfigjson", &[&[".dockerconfigjson"]]),
    ("kubernetes.io/dockercfg", &[&[".dockercfg"]]),
];

fn secret_type(f: &Found) -> Option<Problem> {
    let kind = f.str("type")?;
    if kind == "kubernetes.io/service-account-token" {
        return service_account_token(f);
    }
    if let Some(p) = docker_json(f, kind) {
        return Some(p);
    }
    let (_, required) = SECRET_TYPES.iter().find(|(t, _)| *t == kind)?;
    let keys: Vec<&str> = match super::child(f.node, "data") {
        Some(Node::Map(m)) => m.iter().map(|(k, _)| k.as_ref()).collect(),
        _ => Vec::new(),
    };
    let missing: Vec<String> = required
        .iter()
        .filter(|any| !any.iter().any(|k| keys.contains(k)))
        .map(|any| {
            any.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        })
        .collect();
    if missing.is_empty() {
        return None;
    }
    let all: Vec<String> = required
        .iter()
        .map(|any| {
            any.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        })
        .collect();
    with_help(
        problem(
            format!("a `{kind}` Secret needs {}", missing.join(" and ")),
            format!("this type requires {}", all.join(" and ")),
        ),
        "declare the keys the type requires, or leave `type` out (Opaque)",
    )
}

fn data_key(f: &Found) -> Option<Problem> {
    let Some(&super::Step::Key(key)) = f.path.last() else {
        return None;
    };
    let chars_ok = key
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    let why = if key.is_empty() || !chars_ok {
        "letters, digits, `-`, `_` and `.` only"
    } else if key.len() > 253 {
        "at most 253 characters"
    } else if key == "." || key == ".." {
        "`.` and `..` name directories"
    } else if key.starts_with("..") {
        "names starting with `..` are Kubernetes' own in a volume"
    } else {
        return None;
    };
    with_help(
        problem(format!("`{key}` is not a valid key"), why),
        "rename the key",
    )
}

fn env_prefix(f: &Found) -> Option<Problem> {
    let Node::Str(prefix) = f.node else {
        return None;
    };
    // The relaxed rule of Kubernetes 1.33 and later: printable ASCII but `=`.
    let bad = prefix
        .chars()
        .find(|c| *c == '=' || !(' '..='~').contains(c));
    let c = bad?;
    with_help(
        problem(
            format!("the prefix `{prefix}` cannot start a variable name"),
            format!(
                "`{}` is not allowed in an environment variable name",
                c.escape_default()
            ),
        ),
        "use letters, digits and `_`",
    )
}

/// The most data one ConfigMap or Secret may hold (core.MaxSecretSize).
const MAX_DATA: usize = 1024 * 1024;
/// The most annotation text one object may carry (TotalAnnotationSizeLimitB).
const MAX_ANNOTATIONS: usize = 256 * 1024;

fn data_size(f: &Found) -> Option<Problem> {
    let Node::Map(entries) = f.node else {
        return None;
    };
    let secret = f.str_at_root("type").is_some();
    let total: usize = entries
        .iter()
        .map(|(_, v)| match v {
            // Secret data is emitted base64-encoded: count the bytes it holds.
            Node::Str(s) if secret => {
                let pad = s.bytes().rev().take_while(|b| *b == b'=').count();
                (s.len() / 4 * 3).saturating_sub(pad)
            }
            Node::Str(s) => s.len(),
            _ => 0,
        })
        .sum();
    if total <= MAX_DATA {
        return None;
    }
    with_help(
        problem(
            format!("{total} bytes of data is over the 1 MiB limit"),
            "the API server stores at most 1,048,576 bytes",
        ),
        "split it in two, or keep large files out of the cluster",
    )
}

fn annotations_size(f: &Found) -> Option<Problem> {
    let Node::Map(entries) = f.node else {
        return None;
    };
    let total: usize = entries
        .iter()
        .map(|(k, v)| {
            k.len()
                + match v {
                    Node::Str(s) => s.len(),
                    _ => 0,
                }
        })
        .sum();
    if total <= MAX_ANNOTATIONS {
        return None;
    }
    with_help(
        problem(
            format!("{total} bytes of annotations is over the 256 KiB limit"),
            "the API server allows at most 262,144 bytes of annotation keys and values",
        ),
        "keep large text out of annotations (a config, a volume)",
    )
}

fn ingress_class(f: &Found) -> Option<Problem> {
    if f.path.last() != Some(&super::Step::Key("kubernetes.io/ingress.class")) {
        return None;
    }
    let Node::Str(annotation) = f.node else {
        return None;
    };
    let class =
        super::child(f.root, "spec").and_then(|s| match super::child(s, "ingressClassName") {
            Some(Node::Str(c)) => Some(c.as_str()),
            _ => None,
        })?;
    if annotation == class {
        return None;
    }
    with_help(
        problem(
            format!(
                "the annotation `kubernetes.io/ingress.class` says `{annotation}`, the class `{class}`"
            ),
            "the API server refuses an Ingress whose class annotation and class differ",
        ),
        "remove the annotation: `class` sets the ingress class",
    )
}

/// A service-account token Secret names its account in an annotation.
fn service_account_token(f: &Found) -> Option<Problem> {
    let name = super::child(f.node, "metadata")
        .and_then(|m| super::child(m, "annotations"))
        .and_then(|a| super::child(a, "kubernetes.io/service-account.name"));
    match name {
        Some(Node::Str(n)) if !n.is_empty() => None,
        _ => with_help(
            problem(
                "a `kubernetes.io/service-account-token` Secret needs the annotation `kubernetes.io/service-account.name`",
                "which service account is the token for?",
            ),
            "add `annotation kubernetes.io/service-account.name = \"ACCOUNT\"` to the secret",
        ),
    }
}

/// The value of a docker config Secret, when given, is a JSON object.
fn docker_json(f: &Found, kind: &str) -> Option<Problem> {
    let key = match kind {
        "kubernetes.io/dockerconfigjson" => ".dockerconfigjson",
        "kubernetes.io/dockercfg" => ".dockercfg",
        _ => return None,
    };
    let Some(Node::Str(encoded)) = super::child(f.node, "data").and_then(|d| super::child(d, key))
    else {
        return None;
    };
    // Without a value (none passed with --secrets) TF1005 says so already.
    let bytes = base64_decode(encoded)?;
    if bytes.is_empty() {
        return None;
    }
    let ok = serde_json::from_slice::<serde_json::Value>(&bytes).is_ok_and(|v| v.is_object());
    if ok {
        return None;
    }
    with_help(
        problem(
            format!("the value of `{key}` is not a JSON object"),
            format!("a `{kind}` Secret holds a docker config file"),
        ),
        "pass the file's content, e.g. from `kubectl create secret docker-registry --dry-run=client -o yaml`",
    )
}

/// Standard base64 (as k8s-openapi writes Secret data); None if malformed.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    };
    let trimmed = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in trimmed.bytes() {
        acc = (acc << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xFF).ok()?);
        }
    }
    Some(out)
}

fn service_ports(f: &Found) -> Option<Problem> {
    let headless = f.str("clusterIP") == Some("None");
    let ports = matches!(super::child(f.node, "ports"), Some(Node::Seq(p)) if !p.is_empty());
    if headless || ports {
        return None;
    }
    with_help(
        problem(
            "this Service has no port",
            "the API server refuses a Service without ports, unless it is headless",
        ),
        "list a port after `ports`, or leave `ports` out to carry them all",
    )
}
