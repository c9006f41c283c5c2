//! Security warnings: every place where the .taskflow asks for a setting
//! weaker than tfc's secure default (each one also fails a checkov check),
//! and literals that look like credentials. `accept NAME` in a service (or
//! at app level) silences a warning deliberately.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{
    App, Container, EnvValue, Expr, MountSource, Part, PullPolicy, RunAs, Source, Workload,
};
use crate::span::Span;
use crate::suggest;

/// The codes `accept` may name: every warning about the file.
pub const ACCEPTABLE: &[Code] = &[
    Code::UnusedConfigKey,
    Code::UnusedSecretKey,
    Code::MissingProbes,
    Code::MissingResources,
    Code::MissingSecretValue,
    Code::ReplicasIgnored,
    Code::SelectorOverlap,
    Code::NotValidated,
    Code::PatchHasConstruct,
    Code::DrainBlocked,
    Code::UnreachableService,
    Code::ImageNeeds,
    Code::UndeclaredSealedKey,
    Code::ImageNotPinned,
    Code::ImageLatest,
    Code::PullNotAlways,
    Code::SecretInEnv,
    Code::LowUid,
    Code::RunAsRoot,
    Code::WritableRoot,
    Code::PrivilegeEscalation,
    Code::ServiceAccountToken,
    Code::AddedCapabilities,
    Code::SeccompUnconfined,
    Code::DefaultNamespace,
    Code::CredentialLiteral,
    Code::HostPathMount,
    Code::NetworkOpen,
];

/// A weaker-than-default setting the file asks for.
#[derive(Clone, Debug)]
pub struct OptIn<'a> {
    pub code: Code,
    /// The workload it concerns; None for the app as a whole.
    pub workload: Option<&'a Workload>,
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: String,
}

fn opt<'a>(
    code: Code,
    w: Option<&'a Workload>,
    span: Span,
    message: String,
    label: &str,
    help: &str,
) -> OptIn<'a> {
    OptIn {
        code,
        workload: w,
        span,
        message,
        label: label.to_string(),
        help: help.to_string(),
    }
}

/// The tag of an image reference, if any.
fn tag(image: &str) -> Option<&str> {
    let rest = image.split('@').next().unwrap_or(image);
    let last = rest.rsplit('/').next().unwrap_or(rest);
    last.split_once(':').map(|(_, t)| t)
}

/// Every weaker-than-default setting of the app, accepted or not.
pub fn opt_ins(app: &App) -> Vec<OptIn<'_>> {
    let mut out = Vec::new();
    if let Some(ns) = app
        .namespace
        .as_ref()
        .filter(|ns| ns.name.node == "default")
    {
        out.push(opt(
            Code::DefaultNamespace,
            None,
            ns.name.span,
            "the app is deployed to the `default` namespace".to_string(),
            "shared with everything else in the cluster",
            "name a namespace of its own, or `accept default-namespace` at app level",
        ));
    }
    if app.network_mode.node == crate::ir::NetworkMode::Open {
        out.push(opt(
            Code::NetworkOpen,
            None,
            app.network_mode.span,
            "the app has no network policy".to_string(),
            "every pod in the cluster may connect to every pod of the app",
            "prefer `network-mode internal`, or `accept network-open` at app level",
        ));
    }
    for w in &app.workloads {
        workload(w, &mut out);
    }
    credentials(app, &mut out);
    out
}

fn workload<'a>(w: &'a Workload, out: &mut Vec<OptIn<'a>>) {
    for c in w.containers() {
        image(w, c, out);
        secret_env(w, c, out);
        container_flags(w, c, out);
    }
    pod(w, out);
}

/// The image of a container: pinned by digest, not `latest`, pulled each time.
fn image<'a>(w: &'a Workload, c: &'a Container, out: &mut Vec<OptIn<'a>>) {
    let name = &w.id.node;
    if let Some(img) = c.image.as_ref().filter(|i| !i.node.contains('@')) {
        out.push(opt(
            Code::ImageNotPinned,
            Some(w),
            img.span,
            format!("the image of `{name}` is not pinned by digest"),
            "a tag can move to another image",
            "add `@sha256:...`, or `accept image-not-pinned`",
        ));
        if tag(&img.node).is_none_or(|t| t == "latest") {
            out.push(opt(
                Code::ImageLatest,
                Some(w),
                img.span,
                format!("`{name}` runs the `latest` image"),
                "changes under a running app",
                "use a version tag, or `accept image-latest`",
            ));
        }
    }
    if let Some(p) = c.pull.as_ref().filter(|p| p.node != PullPolicy::Always) {
        out.push(opt(
            Code::PullNotAlways,
            Some(w),
            p.span,
            format!("`{name}` does not pull its image on every start"),
            "a cached image is used without asking the registry",
            "remove `pull`, or `accept pull-not-always`",
        ));
    }
}

/// Secrets read into environment variables.
fn secret_env<'a>(w: &'a Workload, c: &'a Container, out: &mut Vec<OptIn<'a>>) {
    let name = &w.id.node;
    let help = "mount the secret as files (`volume NAME secret SECRET at /run/secrets`), or `accept secret-in-env`";
    let secret_vars: Vec<&crate::ir::EnvVar> = c
        .env
        .iter()
        .filter(|e| {
            matches!(
                &e.value,
                EnvValue::Ref {
                    from: Some(Source::Secret),
                    ..
                }
            )
        })
        .collect();
    if let Some(first) = secret_vars.first() {
        let names: Vec<&str> = secret_vars.iter().map(|e| e.name.as_str()).collect();
        out.push(opt(
            Code::SecretInEnv,
            Some(w),
            first.span,
            format!(
                "`{name}` reads secrets into environment variables: {}",
                names.join(", ")
            ),
            "environment variables leak into logs and dumps",
            help,
        ));
    }
    for f in c.env_from.iter().filter(|f| f.from == Some(Source::Secret)) {
        out.push(opt(
            Code::SecretInEnv,
            Some(w),
            f.span,
            format!(
                "`{name}` reads every key of secret `{}` into its environment",
                f.name.node
            ),
            "environment variables leak into logs and dumps",
            help,
        ));
    }
}

/// A writable root, privilege escalation, added capabilities.
fn container_flags<'a>(w: &'a Workload, c: &'a Container, out: &mut Vec<OptIn<'a>>) {
    let sec = &c.security;
    // What `root-image` set is in its one warning (run-as-root).
    let own = |s: Span| Some(s) != w.security.root_image;
    let flags = [
        (
            sec.writable_root.filter(|s| own(*s)),
            Code::WritableRoot,
            "has a writable root file system",
            "mount an emptydir where it writes, or `accept writable-root`",
        ),
        (
            sec.allow_escalation,
            Code::PrivilegeEscalation,
            "may gain privileges",
            "remove `allow-escalation`, or `accept privilege-escalation`",
        ),
    ];
    flag_opt_ins(w, &flags, out);
    let written: Vec<&crate::ir::Name> = sec.cap_add.iter().filter(|c| own(c.span)).collect();
    if let (Some(first), Some(last)) = (written.first(), written.last()) {
        let caps: Vec<&str> = written.iter().map(|c| c.as_str()).collect();
        out.push(opt(
            Code::AddedCapabilities,
            Some(w),
            first.span.to(last.span),
            format!("`{}` adds capabilities: {}", w.id.node, caps.join(", ")),
            "tfc drops all capabilities by default",
            "remove `cap-add`, or `accept added-capabilities`",
        ));
    }
}

/// A weaker setting that is present or not: (where, code, what, help).
type Flag = (Option<Span>, Code, &'static str, &'static str);

fn flag_opt_ins<'a>(w: &'a Workload, flags: &[Flag], out: &mut Vec<OptIn<'a>>) {
    for (span, code, what, help) in flags {
        if let Some(span) = span {
            out.push(opt(
                *code,
                Some(w),
                *span,
                format!("`{}` {what}", w.id.node),
                "weaker than the default",
                help,
            ));
        }
    }
}

/// The user of the pod, or of an init or sidecar container.
fn user<'a>(
    w: &'a Workload,
    run_as: Option<&crate::span::Spanned<RunAs>>,
    out: &mut Vec<OptIn<'a>>,
) {
    let name = &w.id.node;
    match run_as.map(|r| (&r.node, r.span)) {
        Some((RunAs::User { uid, .. }, span)) if *uid < 10000 => out.push(opt(
            Code::LowUid,
            Some(w),
            span,
            format!("`{name}` runs as user {uid}, below 10000"),
            "may coincide with a user of the node",
            "use an id of 10000 or more, or `accept low-uid`",
        )),
        Some((RunAs::Root, span)) if Some(span) == w.security.root_image => out.push(opt(
            Code::RunAsRoot,
            Some(w),
            span,
            format!("`{name}` runs its image as root, with a writable root and added capabilities"),
            "`root-image` relaxes the pod and its container",
            "prefer an image that runs as a user (e.g. nginxinc/nginx-unprivileged), or `accept run-as-root`",
        )),
        Some((RunAs::Root, span)) => out.push(opt(
            Code::RunAsRoot,
            Some(w),
            span,
            format!("`{name}` may run as root"),
            "runAsNonRoot is off",
            "use an image that runs as a user, or `accept run-as-root`",
        )),
        _ => {}
    }
}

/// The pod: its user, its token, its seccomp profile, host paths.
fn pod<'a>(w: &'a Workload, out: &mut Vec<OptIn<'a>>) {
    let name = &w.id.node;
    let sec = &w.security;
    user(w, sec.run_as.as_ref(), out);
    for c in w.containers() {
        user(w, c.security.run_as.as_ref(), out);
    }
    let flags = [
        (
            sec.mount_token,
            Code::ServiceAccountToken,
            "gets a Kubernetes API token",
            "remove `mount-token`, or `accept service-account-token`",
        ),
        (
            sec.seccomp_unconfined,
            Code::SeccompUnconfined,
            "runs without a seccomp profile",
            "remove `seccomp unconfined`, or `accept seccomp-unconfined`",
        ),
    ];
    flag_opt_ins(w, &flags, out);
    for m in &w.mounts {
        if let MountSource::HostPath(p) = &m.source {
            out.push(opt(
                Code::HostPathMount,
                Some(w),
                p.span,
                format!("`{name}` mounts `{}` of the node", p.node),
                "shares the node's file system",
                "use a claim or an emptydir, or `accept host-path-mount`",
            ));
        }
    }
}

/// Words in a name that say its value is a credential.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "CREDENTIAL",
    "ACCESS_KEY",
];

/// Prefixes of well-known credential formats.
const KEY_PREFIXES: &[&str] = &[
    "sk-",
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "AKIA",
    "ASIA",
    "ghp_",
    "gho_",
    "ghs_",
    "ghu_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "AIza",
    "ya29.",
    "-----BEGIN",
];

fn entropy(s: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in s.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let n = s.chars().count() as f64;
    counts
        .values()
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Why a literal looks like a credential, if it does.
pub fn looks_like_credential(name: &str, value: &str) -> Option<&'static str> {
    let upper = name.to_ascii_uppercase();
    if !value.is_empty() && !is_setting(value) && SECRET_WORDS.iter().any(|w| upper.contains(w)) {
        return Some("its name says it is a credential");
    }
    if KEY_PREFIXES.iter().any(|p| value.starts_with(p)) && value.len() >= 12 {
        return Some("it starts like a known kind of key");
    }
    if let Some((_, rest)) = value.split_once("://") {
        let auth = rest.split('/').next().unwrap_or("");
        if let Some((userinfo, _)) = auth.rsplit_once('@') {
            if userinfo
                .split_once(':')
                .is_some_and(|(_, pass)| !pass.is_empty() && !pass.starts_with("$("))
            {
                return Some("it is a URL with a password");
            }
        }
    }
    let classes = [
        value.chars().any(|c| c.is_ascii_lowercase()),
        value.chars().any(|c| c.is_ascii_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
    ];
    if value.len() >= 24
        && !value.contains([' ', '/', ':', '.'])
        && classes.iter().filter(|c| **c).count() == 3
        && entropy(value) >= 4.0
    {
        return Some("it is a long random string");
    }
    if value.starts_with("eyJ") && value.matches('.').count() == 2 && value.len() > 30 {
        return Some("it is a JSON Web Token");
    }
    None
}

/// A value no credential looks like, whatever its name says: a number of
/// up to ten digits (`TOKEN_EXPIRY_SECONDS = 3600`), a duration (`15m`) or
/// a boolean (`PASSWORD_RESET_ENABLED = true`).
fn is_setting(value: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit());
    let number = value.strip_prefix('-').unwrap_or(value);
    let duration = ["ms", "s", "m", "h", "d"]
        .iter()
        .any(|unit| value.strip_suffix(unit).is_some_and(digits));
    digits(number)
        || duration
        || ["true", "false", "yes", "no", "on", "off"]
            .contains(&value.to_ascii_lowercase().as_str())
}

fn literal(e: &Expr) -> String {
    e.parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => t.as_str(),
            _ => "",
        })
        .collect()
}

fn credentials<'a>(app: &'a App, out: &mut Vec<OptIn<'a>>) {
    let help = "declare a secret key and read it with `env NAME = SECRET.KEY` (value via --secrets), or `accept credential-literal`";
    for c in &app.configs {
        for e in &c.entries {
            if let Some(why) = looks_like_credential(&e.key.node, &literal(&e.value)) {
                out.push(opt(
                    Code::CredentialLiteral,
                    None,
                    e.value.span,
                    format!("`{}.{}` looks like a credential", c.name.node, e.key.node),
                    why,
                    help,
                ));
            }
        }
    }
    for w in &app.workloads {
        for e in w.containers().flat_map(|c| &c.env) {
            if let EnvValue::Expr(x) = &e.value {
                if let Some(why) = looks_like_credential(&e.name.node, &literal(x)) {
                    out.push(opt(
                        Code::CredentialLiteral,
                        Some(w),
                        x.span,
                        format!(
                            "environment variable `{}` of `{}` looks like a credential",
                            e.name.node, w.id.node
                        ),
                        why,
                        help,
                    ));
                }
            }
        }
    }
}

/// Whether the file accepts a warning: at app level, or in the workload
/// whose block holds the warning's span.
pub fn accepted(app: &App, d: &Diagnostic) -> bool {
    !d.is_error()
        && (accepts(&app.accept, d.code)
            || app.workloads.iter().any(|w| {
                w.span.start <= d.primary.span.start
                    && d.primary.span.end <= w.span.end
                    && accepts(&w.accept, d.code)
            }))
}

/// Whether an accept list names the code (by number or name).
fn accepts(list: &[crate::ir::Name], code: Code) -> bool {
    list.iter()
        .any(|a| a.node == code.name() || a.node.eq_ignore_ascii_case(code.as_str()))
}

/// The opt-ins that are not accepted become warnings; unknown accept names are errors.
pub fn check(app: &App, diags: &mut Vec<Diagnostic>) {
    // An app-level default that relaxes every workload is one warning,
    // naming how many workloads it applies to, not one per workload.
    let mut shown: Vec<(OptIn, Vec<&str>)> = Vec::new();
    for o in opt_ins(app) {
        let accepted =
            accepts(&app.accept, o.code) || o.workload.is_some_and(|w| accepts(&w.accept, o.code));
        if accepted {
            continue;
        }
        let who = o.workload.map_or("", |w| w.id.node.as_str());
        match shown
            .iter_mut()
            .find(|(x, _)| x.code == o.code && x.span == o.span)
        {
            Some((_, names)) => names.push(who),
            None => shown.push((o, vec![who])),
        }
    }
    for (o, names) in shown {
        let (message, label) = match names.as_slice() {
            [first, _, ..] => {
                let prefix = format!("`{first}`");
                let who = format!("each of {} workloads", names.len());
                let message = match o.message.strip_prefix(&prefix) {
                    Some(rest) => format!("{who}{rest}"),
                    None => o.message,
                };
                let label = format!("{} (an app-level default: {})", o.label, names.join(", "));
                (message, label)
            }
            _ => (o.message, o.label),
        };
        diags.push(
            Diagnostic::new(o.code, o.span, message)
                .label(label)
                .help(o.help),
        );
    }
    let names: Vec<&str> = ACCEPTABLE.iter().map(|c| c.name()).collect();
    let lists = app
        .accept
        .iter()
        .chain(app.workloads.iter().flat_map(|w| &w.accept));
    let mut seen = std::collections::HashSet::new();
    for a in lists {
        if !seen.insert(a.span) {
            continue;
        }
        let known = ACCEPTABLE
            .iter()
            .any(|c| a.node == c.name() || a.node.eq_ignore_ascii_case(c.as_str()));
        if !known {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    a.span,
                    format!("`{}` is not a warning `accept` can silence", a.node),
                )
                .label("unknown warning")
                .maybe_help(suggest::did_you_mean(
                    &a.node,
                    names.iter().copied(),
                    "warnings",
                )),
            );
        }
    }
}
