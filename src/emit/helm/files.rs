//! The chart's fixed files (Chart.yaml, helpers, NOTES.txt, the values
//! files' framing) and the Helm-specific edits of templates: labels and
//! Secret data.

use super::go_string;
use super::path;
use crate::emit::yaml::{self, Node};
use crate::ir::resolve::{INSTANCE, MANAGED_BY, NAME, PART_OF};
use crate::ir::{App, Expose};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChartMeta {
    api_version: &'static str,
    name: String,
    description: String,
    #[serde(rename = "type")]
    chart_type: String,
    version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    app_version: Option<String>,
}

/// The version a chart gets when the .taskflow has no `chart { version }`.
pub const DEFAULT_VERSION: &str = "0.1.0";

pub fn chart_yaml(app: &App) -> String {
    let c = &app.chart;
    let meta = ChartMeta {
        api_version: "v2",
        name: app.name.node.clone(),
        description: c.description.as_ref().map_or_else(
            || {
                format!(
                    "The {} app, compiled from its .taskflow file by tfc",
                    app.name.node
                )
            },
            |d| d.node.clone(),
        ),
        chart_type: c
            .chart_type
            .as_ref()
            .map_or_else(|| "application".to_string(), |t| t.node.clone()),
        version: c
            .version
            .as_ref()
            .map_or_else(|| DEFAULT_VERSION.to_string(), |v| v.node.clone()),
        app_version: c.app_version.as_ref().map(|v| v.node.clone()),
    };
    yaml::to_yaml(&meta).unwrap_or_default()
}

/// Comments for the groups tfc itself puts in values.yaml.
fn group_comment(
    app: &App,
    path: &[&str],
    lifts: &BTreeMap<Vec<String>, String>,
) -> Option<String> {
    let owned: Vec<String> = path.iter().map(|s| s.to_string()).collect();
    if let Some(c) = lifts.get(&owned) {
        return Some(c.clone());
    }
    match path {
        ["namespace"] => Some("The namespace of every object.".to_string()),
        ["namespace", "name"] => Some("Its name.".to_string()),
        ["namespace", "create"] => {
            Some("Create the Namespace object (turn off when it exists already).".to_string())
        }
        ["names"] => Some("Object names.".to_string()),
        ["names", "releasePrefix"] => Some(
            "Prefix every object name with the release name (RELEASE-NAME), and every host\n\
             name that url() and host() wrote, so that two releases live in one namespace."
                .to_string(),
        ),
        ["config"] => Some("Config values, by config and key.".to_string()),
        ["ingress"] => Some("Ingresses, by name.".to_string()),
        ["enabled"] => Some("Objects that exist only in some environments.".to_string()),
        ["objects"] => {
            Some("Other fields that differ between environments, by object.".to_string())
        }
        ["secrets"] => Some(
            "Secret values never go in a values file. Per secret, `source` says where its\n\
             values come from: empty (a Secret with empty values, to fill in the cluster),\n\
             values (given at install: --set-string secrets.NAME.values.KEY=..., each\n\
             required), store (its ExternalSecret), sealed (its SealedSecret), or cluster\n\
             (nothing: the Secret is made outside the chart)."
                .to_string(),
        ),
        ["secrets", name, "source"] => Some(format!(
            "Where the values of Secret {name} come from; see above."
        )),
        ["secrets", _, "sealedFor"] => Some(
            "The namespace its SealedSecret was sealed for: the chart renders only there\n\
             (empty: sealed cluster-wide, it goes anywhere)."
                .to_string(),
        ),
        [group] => app.workload(group).map(|w| {
            let what = match w.kind {
                crate::ir::WorkloadKind::Service => "service",
                crate::ir::WorkloadKind::Database => "database",
                crate::ir::WorkloadKind::Job => "job",
            };
            format!("The `{group}` {what}.")
        }),
        _ => None,
    }
}

pub fn values_yaml(app: &App, values: &Node, comments: &BTreeMap<Vec<String>, String>) -> String {
    let mut out = format!(
        "# Values of the {} chart, written by tfc from its .taskflow file.\n\
         # Change the .taskflow and recompile to change the defaults; override them\n\
         # at install time with -f FILE or --set KEY=VALUE.\n\n",
        app.name.node
    );
    out.push_str(&yaml::commented(values, &|p| {
        group_comment(app, p, comments)
    }));
    out
}

pub fn env_values_yaml(
    env: &str,
    values: &Node,
    comments: &BTreeMap<Vec<String>, String>,
) -> String {
    let mut out = format!(
        "# The `{env}` environment: only what it changes from values.yaml.\n\
         # helm install RELEASE CHART -f values-{env}.yaml\n\n"
    );
    if matches!(values, Node::Map(m) if m.is_empty()) {
        out.push_str("{}\n");
    } else {
        out.push_str(&yaml::commented(values, &|p| {
            comments
                .get(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .cloned()
        }));
    }
    out
}

pub fn helpers(app: &App) -> String {
    let n = &app.name.node;
    let q = yaml::quote_in_template(n);
    format!(
        "{{{{/* The chart label: NAME-VERSION. */}}}}\n\
         {{{{- define \"{n}.chart\" -}}}}\n\
         {{{{- printf \"%s-%s\" .Chart.Name .Chart.Version | replace \"+\" \"_\" | trunc 63 | trimSuffix \"-\" -}}}}\n\
         {{{{- end }}}}\n\n\
         {{{{/* The recommended labels of every object. */}}}}\n\
         {{{{- define \"{n}.labels\" -}}}}\n\
         {INSTANCE}: {{{{ .Release.Name | quote }}}}\n\
         {MANAGED_BY}: {{{{ .Release.Service }}}}\n\
         {NAME}: {q}\n\
         {PART_OF}: {q}\n\
         helm.sh/chart: {{{{ include \"{n}.chart\" . }}}}\n\
         {{{{- end }}}}\n"
    )
}

/// Labels as Helm charts set them: the recommended ones through the helper,
/// `managed-by` from the release, and `helm.sh/chart`.
pub fn helm_labels(app: &App, node: &mut Node) {
    // The chart marked the labels that name the release and Helm.
    let app_name = Node::Str(super::prefix::NAME_TOKEN.to_string());
    let tfc = Node::Str(super::prefix::SERVICE_TOKEN.to_string());
    if let Some(Node::Map(labels)) = path::get_mut(node, &path::parse("metadata.labels")) {
        // Helm owns this label: one the file sets would be a second key.
        labels.retain(|(k, _)| k != "helm.sh/chart");
        let standard = [
            (INSTANCE, &app_name),
            (MANAGED_BY, &tfc),
            (NAME, &app_name),
            (PART_OF, &app_name),
        ];
        let all_standard = standard
            .iter()
            .all(|(k, v)| labels.iter().any(|(lk, lv)| lk == k && lv == *v));
        if all_standard {
            labels.retain(|(k, _)| !standard.iter().any(|(s, _)| k == s));
            labels.insert(
                0,
                (
                    "".into(),
                    Node::Splice(format!(
                        "{{{{- include \"{}.labels\" . | nindent {{INDENT}} }}}}",
                        app.name.node
                    )),
                ),
            );
        } else {
            for (k, v) in labels.iter_mut() {
                if k == MANAGED_BY && *v == tfc {
                    *v = Node::Template("{{ .Release.Service }}".to_string());
                }
            }
            labels.push((
                "helm.sh/chart".into(),
                Node::Template(format!("{{{{ include \"{}.chart\" . }}}}", app.name.node)),
            ));
        }
    }
    let templates = [
        "spec.template.metadata.labels",
        "spec.jobTemplate.metadata.labels",
        "spec.jobTemplate.spec.template.metadata.labels",
    ];
    for at in templates {
        if let Some(Node::Map(labels)) = path::get_mut(node, &path::parse(at)) {
            for (k, v) in labels.iter_mut() {
                if k == MANAGED_BY && *v == tfc {
                    *v = Node::Template("{{ .Release.Service }}".to_string());
                }
            }
        }
    }
    release_instance(&app_name, node);
}

/// The instance label, wherever it stands (labels, selectors, network
/// peers), names the release, so that two releases of one chart select
/// only their own pods.
fn release_instance(app_name: &Node, node: &mut Node) {
    match node {
        Node::Map(entries) => {
            for (k, v) in entries.iter_mut() {
                if k == INSTANCE && *v == *app_name {
                    *v = Node::Template("{{ .Release.Name | quote }}".to_string());
                } else {
                    release_instance(app_name, v);
                }
            }
        }
        Node::Seq(items) => items.iter_mut().for_each(|i| release_instance(app_name, i)),
        _ => {}
    }
}

/// What `helm package` leaves out: tfc's record of the files it wrote, and
/// the usual editor and VCS files.
pub const HELMIGNORE: &str = "\
# Written by tfc. Patterns of files `helm package` leaves out.
.tfc-manifest
.git/
.gitignore
*.swp
*.bak
*.tmp
*~
.DS_Store
.vscode/
.idea/
";

/// A value read so that a path missing in some environment's values gives
/// `default` rather than a nil-pointer error: `dig "a" "b" DEFAULT .Values.AsMap`.
fn dig(path: &[&str], default: &str) -> String {
    let keys: Vec<String> = path.iter().map(|p| go_string(p)).collect();
    format!(
        "(dig {} {} .Values.AsMap)",
        keys.join(" "),
        go_string(default)
    )
}

/// NOTES.txt: how to reach each service once installed.
pub fn notes(app: &App) -> String {
    let ns = "{{ .Values.namespace.name | default .Release.Namespace }}";
    let mut out = format!(
        "{} is installed as release {{{{ .Release.Name }}}} in namespace {ns}.\n",
        app.name.node
    );
    for i in &app.ingresses {
        let tls = i.tls_entries();
        let rules = i.rules();
        out.push_str(&format!("\nIngress {}:\n", i.name.node));
        for (host, routes) in &rules {
            let secure = tls.iter().any(|(_, hosts)| match host {
                Some(h) => hosts.contains(h),
                None => hosts.is_empty(),
            });
            let scheme = if secure { "https" } else { "http" };
            let h = match host {
                None => "<ingress address>".to_string(),
                // The one rule's host is a value (tunables::ingress).
                Some(h) if rules.len() == 1 => format!(
                    "{{{{ {} }}}}",
                    dig(&["ingress", &i.name.node, "host"], &h.node)
                ),
                Some(h) => yaml::literal_braces(&h.node),
            };
            for r in routes.iter() {
                out.push_str(&format!(
                    "  {scheme}://{h}{} -> {}\n",
                    yaml::literal_braces(&r.path.node),
                    r.target.service.node
                ));
            }
        }
    }
    for w in &app.workloads {
        let Some((s, port)) = w.services.first().and_then(|s| Some((s, s.ports.first()?))) else {
            continue;
        };
        let svc = format!("{}{}", super::prefix::include(&app.name.node), s.name);
        let p = port.port;
        let expose = s.expose;
        out.push_str(&format!("\n{} (Service {svc}, port {p}):\n", w.id.node));
        let forward = format!(
            "  kubectl port-forward --namespace {ns} service/{svc} 8080:{p}   # then http://localhost:8080\n"
        );
        if expose == Expose::Headless {
            out.push_str(&forward);
            continue;
        }
        let kind = dig(&[&w.id.node, "service", "type"], "");
        out.push_str(&format!("{{{{- if eq {kind} \"NodePort\" }}}}\n"));
        out.push_str(&format!(
            "  minikube service --namespace {ns} {svc} --url\n"
        ));
        // The node port as the cluster has it: a value path may be missing
        // in an environment that drops or moves it.
        out.push_str(&format!(
            "  or http://NODE_IP:$(kubectl get --namespace {ns} service {svc} -o jsonpath='{{.spec.ports[0].nodePort}}')\n"
        ));
        out.push_str(&format!("{{{{- else if eq {kind} \"LoadBalancer\" }}}}\n"));
        out.push_str(&format!(
            "  kubectl get --namespace {ns} service {svc} --watch   # wait for EXTERNAL-IP, then http://EXTERNAL-IP:{p}\n"
        ));
        out.push_str("{{- else }}\n");
        out.push_str(&forward);
        out.push_str("{{- end }}\n");
    }
    out
}
