//! Phase 6, validate: the API server's own rules (from the Kubernetes
//! validation code, `pkg/apis/*/validation`), run on the emitted objects as
//! they will be sent: after the defaults pass, after emit. A rule is a row
//! of [`rules::RULES`]: the object kinds it applies to, a path pattern into
//! the object, and a check. Each finding points at the statement that
//! produced the field, through the object's origin ([`locate`]); a field
//! tfc produced on its own points at the item and says so.

mod formats;
mod locate;
mod meta;
mod pod;
mod rules;

use crate::diagnostic::{Code, Diagnostic};
use crate::emit::Emitted;
use crate::emit::slot::Seg;
use crate::emit::yaml::{self, Node};
use crate::ir::App;

pub use rules::RULES;

/// What a rule found wrong with one field.
pub struct Problem {
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

/// One step of a path into an object, borrowed from it while rules walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step<'a> {
    Key(&'a str),
    Idx(usize),
}

/// A field a rule's pattern reached.
pub struct Found<'a> {
    /// The kind of the object (`Deployment`, ...).
    pub kind: &'a str,
    /// The field.
    pub node: &'a Node,
    /// The whole object.
    pub root: &'a Node,
    /// Where the field is in the object.
    pub path: &'a [Step<'a>],
}

impl Found<'_> {
    /// The text of a child field, if it is text.
    pub fn str(&self, key: &str) -> Option<&str> {
        match child(self.node, key)? {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a top-level field of the object, if it is text.
    pub fn str_at_root(&self, key: &str) -> Option<&str> {
        match child(self.root, key)? {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// One rule of the API server.
pub struct Rule {
    pub code: Code,
    /// The kinds it applies to (`Ingress`, ...).
    pub kinds: &'static [&'static str],
    /// Where in the object: keys joined by `.`; `[]` is every item of a
    /// list, `*` every value of a map (`spec.rules[].http.paths[].path`).
    pub at: &'static str,
    pub check: fn(&Found) -> Option<Problem>,
}

/// Checks every emitted object against the API server's rules.
pub fn validate(app: &App, emitted: &[Emitted]) -> Vec<Diagnostic> {
    validate_with(app, emitted, RULES)
        .into_iter()
        .filter(|d| !crate::check::security::accepted(app, d))
        .collect()
}

/// Checks the objects against `rules`; an object of a kind no rule names
/// gets a warning that it went unchecked.
fn validate_with(app: &App, emitted: &[Emitted], rules: &[Rule]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Each rule's paths, resolved once for each place a pod template sits.
    const TEMPLATE: &[&str] = &["spec", "template"];
    const JOB_TEMPLATE: &[&str] = &["spec", "jobTemplate", "spec", "template"];
    let resolve = |pod: &[&'static str], r: &Rule| -> Vec<Vec<&'static str>> {
        expand(r.at)
            .into_iter()
            .map(|steps| match steps.split_first() {
                Some((&"@pod", rest)) => pod.iter().chain(rest).copied().collect(),
                _ => steps,
            })
            .collect()
    };
    let patterns: Vec<[Vec<Vec<&str>>; 2]> = rules
        .iter()
        .map(|r| [resolve(TEMPLATE, r), resolve(JOB_TEMPLATE, r)])
        .collect();
    for e in emitted {
        let mut kind = e.object.kind();
        match external_secret(app, e) {
            Some(Some(d)) => {
                out.push(d);
                continue;
            }
            // A secret's custom resource that fits its API: the rules on
            // the metadata of a Secret (what it makes) apply to it.
            Some(None) => kind = "Secret",
            None => {}
        }
        if !rules.iter().any(|r| r.kinds.contains(&kind)) {
            out.push(not_validated(e));
            continue;
        }
        let root = match yaml::object_node(&e.object) {
            Ok(n) => n,
            Err(err) => {
                out.push(Diagnostic::new(Code::InternalError, e.origin.span, err.0));
                continue;
            }
        };
        let at = usize::from(kind == "CronJob");
        for (rule, resolved) in rules.iter().zip(&patterns) {
            if !rule.kinds.contains(&kind) {
                continue;
            }
            for steps in resolved.get(at).into_iter().flatten() {
                let mut path = Vec::new();
                walk(kind, &root, &root, steps, &mut path, &mut |found| {
                    if let Some(p) = (rule.check)(found) {
                        out.push(diagnostic(app, e, rule.code, &root, found.path, p));
                    }
                });
            }
        }
    }
    out
}

/// The paths of a rule's pattern: itself, and for `containers[]` the same
/// path under `initContainers[]`.
fn expand(at: &str) -> Vec<Vec<&str>> {
    let steps: Vec<&str> = at.split('.').filter(|s| !s.is_empty()).collect();
    let mut out = vec![steps.clone()];
    if steps.contains(&"containers[]") {
        let init = steps
            .iter()
            .map(|s| {
                if *s == "containers[]" {
                    "initContainers[]"
                } else {
                    s
                }
            })
            .collect();
        out.push(init);
    }
    out
}

/// The pod template of a workload object (`spec.template`, or a CronJob's
/// `spec.jobTemplate.spec.template`).
pub fn pod_template(root: &Node) -> Option<&Node> {
    let spec = child(root, "spec")?;
    match child(spec, "template") {
        Some(t) => Some(t),
        None => child(child(child(spec, "jobTemplate")?, "spec")?, "template"),
    }
}

/// The custom resource of a `store` secret (an `external-secrets.io/v1`
/// ExternalSecret) or a `sealed` one (a `bitnami.com/v1alpha1`
/// SealedSecret), maybe patched: read back strictly with the types of its
/// API; a field the API does not have is an error. None for any other object.
fn external_secret(app: &App, e: &Emitted) -> Option<Option<Diagnostic>> {
    use crate::emit::{external_secret as es, sealed_secret as ss};
    let crate::emit::Object::Extra(x) = &e.object else {
        return None;
    };
    let spec = x.rest.get("spec").cloned().unwrap_or_default();
    let (read, help) = match (x.api_version.as_str(), x.kind.as_str()) {
        (es::API_VERSION, es::KIND) => (
            serde_json::from_value::<es::ExternalSecretSpec>(spec).map(drop),
            "the fields tfc writes are `spec.secretStoreRef`, `spec.target`, `spec.data` and `spec.refreshInterval`",
        ),
        (ss::API_VERSION, ss::KIND) => (
            serde_json::from_value::<ss::SealedSecretSpec>(spec).map(drop),
            "a SealedSecret has `spec.encryptedData` and `spec.template` (`metadata`, `type`, `immutable`, `data`)",
        ),
        _ => return None,
    };
    let problem = match read {
        Ok(()) if x.rest.keys().all(|k| k == "spec") => return Some(None),
        Ok(()) => "only `spec` is written besides the metadata".to_string(),
        Err(err) => err.to_string(),
    };
    let message = format!(
        "the {} `{}` does not fit its API ({}): {problem}",
        x.kind,
        x.metadata.name.as_deref().unwrap_or(""),
        x.api_version
    );
    // tfc writes what fits: a patch made it not fit.
    let patch = e.patched.last().and_then(|&i| app.patches.get(i));
    let d = match patch {
        Some(p) => Diagnostic::new(Code::InvalidPatch, p.body.span, message)
            .label("this patch")
            .also(e.origin.span, format!("on this secret's {}", x.kind)),
        None => Diagnostic::new(Code::InvalidPatch, e.origin.span, message)
            .label(format!("this secret's {}", x.kind)),
    };
    Some(Some(d.help(help)))
}

fn not_validated(e: &Emitted) -> Diagnostic {
    Diagnostic::new(
        Code::NotValidated,
        e.origin.span,
        format!(
            "the {} `{}` is not checked against the API server's rules",
            e.object.kind(),
            e.object.name()
        ),
    )
    .label(format!("tfc has no rules for a {}", e.object.kind()))
    .help("check it with `kubectl apply --dry-run=server`, then `accept not-validated`")
}

/// Calls `f` on every field `steps` reaches from `node`.
fn walk<'a>(
    kind: &'a str,
    node: &'a Node,
    root: &'a Node,
    steps: &[&'a str],
    path: &mut Vec<Step<'a>>,
    f: &mut dyn FnMut(&Found),
) {
    let Some((step, rest)) = steps.split_first() else {
        f(&Found {
            kind,
            node,
            root,
            path,
        });
        return;
    };
    let (key, list) = match step.strip_suffix("[]") {
        Some(k) => (k, true),
        None => (*step, false),
    };
    if key == "*" {
        if let Node::Map(entries) = node {
            for (k, v) in entries {
                path.push(Step::Key(k));
                walk(kind, v, root, rest, path, f);
                path.pop();
            }
        }
        return;
    }
    let Some(child) = child(node, key) else {
        return;
    };
    path.push(Step::Key(key));
    match (list, child) {
        (true, Node::Seq(items)) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Idx(i));
                walk(kind, item, root, rest, path, f);
                path.pop();
            }
        }
        (true, _) => {}
        (false, c) => walk(kind, c, root, rest, path, f),
    }
    path.pop();
}

fn child<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match node {
        Node::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

/// The diagnostic of a finding, at the statement that produced the field.
fn diagnostic(
    app: &App,
    e: &Emitted,
    code: Code,
    root: &Node,
    path: &[Step],
    p: Problem,
) -> Diagnostic {
    let path: Vec<Seg> = path
        .iter()
        .map(|s| match s {
            Step::Key(k) => Seg::Key(k.to_string()),
            Step::Idx(i) => Seg::Idx(*i),
        })
        .collect();
    let path = path.as_slice();
    let at = locate::locate(app, e, root, path);
    let mut d = Diagnostic::new(code, at.span, p.message).label(p.label);
    if at.implicit {
        d = d.also(
            at.span,
            format!(
                "tfc writes `{}` of {} `{}` on its own",
                crate::emit::slot::show(path),
                e.object.kind(),
                e.object.name()
            ),
        );
    }
    d.maybe_help(p.help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (App, Vec<Emitted>) {
        let source = "app shop {\n  config c { A = \"1\" }\n  volume v { size 1Gi }\n}\n";
        let (file, diags) = crate::syntax::parse(source);
        assert!(diags.is_empty(), "{diags:?}");
        let Some(file) = file else {
            unreachable!("the sample parses")
        };
        let (app, _) = crate::ir::lower(&file, source, &crate::ir::Options::default());
        let emitted = crate::emit::emit(&app, &crate::emit::SecretValues::new());
        (app, emitted)
    }

    #[test]
    fn every_kind_tfc_emits_has_rules() {
        for kind in crate::emit::Object::KINDS {
            assert!(RULES.iter().any(|r| r.kinds.contains(kind)), "{kind}");
        }
    }

    #[test]
    fn an_object_of_a_kind_without_rules_is_reported_unchecked() {
        let (app, emitted) = sample();
        let only_configs = [Rule {
            code: Code::InvalidName,
            kinds: &["ConfigMap"],
            at: "metadata.name",
            check: |_| None,
        }];
        let found = validate_with(&app, &emitted, &only_configs);
        let unchecked: Vec<&str> = found
            .iter()
            .filter(|d| d.code == Code::NotValidated)
            .map(|d| d.message.as_str())
            .collect();
        assert!(
            unchecked
                .iter()
                .any(|m| m.contains("PersistentVolumeClaim `v`")),
            "{unchecked:?}"
        );
        assert!(
            !unchecked.iter().any(|m| m.contains("ConfigMap")),
            "{unchecked:?}"
        );
        assert!(validate(&app, &emitted).is_empty());
    }
}
