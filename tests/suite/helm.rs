//! `--format helm`: the chart passes `helm lint --strict`, renders exactly
//! what `tfc compile` emits (in every environment), keeps secret values out
//! of values files, and its schema rejects wrong values. Needs a real helm
//! (scripts/get-tools installs one); skips with a message without it.

use crate::support::{environments, examples, find_tool, root, skip, snapshot_settings, tfc};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn helm() -> Option<PathBuf> {
    let h = find_tool("helm");
    if h.is_none() {
        skip("the Helm chart tests", "helm is not installed");
    }
    h
}

fn run(helm: &Path, args: &[&str]) -> Output {
    Command::new(helm).args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Objects by (kind, name), without the labels Helm sets differently.
fn objects(stream: &str) -> BTreeMap<(String, String), Value> {
    let mut out = BTreeMap::new();
    for doc in serde_yaml::Deserializer::from_str(stream) {
        let mut v: Value = serde::Deserialize::deserialize(doc).unwrap();
        if v.is_null() {
            continue;
        }
        for path in [
            &["metadata", "labels"][..],
            &["spec", "template", "metadata", "labels"][..],
            &["spec", "jobTemplate", "metadata", "labels"][..],
            &[
                "spec",
                "jobTemplate",
                "spec",
                "template",
                "metadata",
                "labels",
            ][..],
        ] {
            let mut node = Some(&mut v);
            for k in path {
                node = node.and_then(|n| n.get_mut(*k));
            }
            if let Some(Value::Mapping(m)) = node {
                m.remove("app.kubernetes.io/managed-by");
                m.remove("helm.sh/chart");
            }
        }
        let kind = v["kind"].as_str().unwrap().to_string();
        let name = v["metadata"]["name"].as_str().unwrap().to_string();
        out.insert((kind, name), v);
    }
    out
}

/// Compiles `source` to a chart in `dir`.
fn chart(source: &Path, dir: &Path) {
    let out = tfc(
        &[
            "compile",
            source.to_str().unwrap(),
            "-o",
            dir.to_str().unwrap(),
            "--format",
            "helm",
        ],
        &root(),
    );
    assert!(out.status.success(), "{}", text(&out));
}

fn yaml_of(source: &Path, env: Option<&str>, secrets: Option<&Path>) -> String {
    let mut args = vec!["compile", source.to_str().unwrap(), "-o"];
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    args.push(dir.to_str().unwrap());
    if let Some(e) = env {
        args.extend(["--env", e]);
    }
    if let Some(s) = secrets {
        args.extend(["--secrets", s.to_str().unwrap()]);
    }
    let out = tfc(&args, &root());
    assert!(out.status.success(), "{}", text(&out));
    let mut stream = String::new();
    for f in crate::support::files_with(&dir, "yaml") {
        if !f.ends_with("kustomization.yaml") {
            stream.push_str("---\n");
            stream.push_str(&std::fs::read_to_string(f).unwrap());
        }
    }
    stream
}

/// `helm template` as a release named like the app, in the namespace the
/// YAML output uses, with the Namespace object on: what `tfc compile`
/// emits. `extra` adds arguments (`-f values-ENV.yaml`).
fn render_like(helm: &Path, chart: &str, expected: &str, extra: &[&str]) -> Output {
    let objects = objects(expected);
    let instance = objects
        .values()
        .find_map(|v| v["metadata"]["labels"]["app.kubernetes.io/instance"].as_str())
        .unwrap_or("release")
        .to_string();
    let namespace = objects
        .keys()
        .find(|(k, _)| k == "Namespace")
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| "default".to_string());
    let mut args = vec![
        "template",
        &instance,
        chart,
        "--namespace",
        &namespace,
        "--set",
        "namespace.create=true",
    ];
    args.extend(extra);
    let out = run(helm, &args);
    assert!(out.status.success(), "{}", text(&out));
    out
}

fn assert_same(expected: &str, rendered: &str, what: &str) {
    let (a, b) = (objects(expected), objects(rendered));
    let keys: Vec<_> = a.keys().chain(b.keys()).collect();
    for k in keys {
        assert_eq!(
            a.get(k),
            b.get(k),
            "{what}: {k:?} differs between tfc compile and helm template"
        );
    }
}

#[test]
fn every_example_chart_lints_and_renders_what_compile_emits() {
    let Some(helm) = helm() else { return };
    for src in examples() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("chart");
        chart(&src, &dir);
        let d = dir.to_str().unwrap();
        let lint = run(&helm, &["lint", "--strict", d]);
        assert!(
            lint.status.success(),
            "helm lint --strict {}:\n{}",
            src.display(),
            text(&lint)
        );
        let expected = yaml_of(&src, None, None);
        let rendered = render_like(&helm, d, &expected, &[]);
        assert_same(
            &expected,
            &String::from_utf8_lossy(&rendered.stdout),
            &src.display().to_string(),
        );
        let source = std::fs::read_to_string(&src).unwrap();
        for env in environments(&source) {
            let values = dir.join(format!("values-{env}.yaml"));
            let expected = yaml_of(&src, Some(&env), None);
            let rendered = render_like(&helm, d, &expected, &["-f", values.to_str().unwrap()]);
            let what = format!("{} --env {env}", src.display());
            assert_same(&expected, &String::from_utf8_lossy(&rendered.stdout), &what);
        }
    }
}

/// An app whose environments change more than the standard values: a
/// literal env var, labels, a port, the Service type, a service that exists
/// only there, and the namespace.
const EXOTIC: &str = r#"app shop {
  namespace shop
  config c { LEVEL = "info" }
  service web {
    image ghcr.io/acme/web:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    port http 80 -> 8080
    cpu 100m..200m  memory 64Mi..128Mi
    env MODE = "normal"
    env from c
    readiness http /healthz
    labels { tier = web }
    grace 20s
  }
  ingress public { host shop.example.com  tls shop-tls  class nginx  route / -> web }
  autoscale web 2..5 cpu 60%
  env staging {
    namespace shop-staging
    web { env MODE = "canary"  labels { tier = edge }  expose load-balancer  grace 1m }
    c.LEVEL = "debug"
    service debug { image busybox:1.36 port http 8000 cpu 10m memory 16Mi readiness tcp }
  }
}
"#;

#[test]
fn environments_render_exactly_even_beyond_the_standard_values() {
    let Some(helm) = helm() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("shop.taskflow");
    std::fs::write(&src, EXOTIC).unwrap();
    let dir = tmp.path().join("chart");
    chart(&src, &dir);
    let d = dir.to_str().unwrap();
    assert!(run(&helm, &["lint", "--strict", d]).status.success());
    let expected = yaml_of(&src, None, None);
    let base = render_like(&helm, d, &expected, &[]);
    assert_same(
        &expected,
        &String::from_utf8_lossy(&base.stdout),
        "as written",
    );
    let values = dir.join("values-staging.yaml");
    let expected = yaml_of(&src, Some("staging"), None);
    let staging = render_like(&helm, d, &expected, &["-f", values.to_str().unwrap()]);
    assert_same(
        &expected,
        &String::from_utf8_lossy(&staging.stdout),
        "staging",
    );
    let overrides = std::fs::read_to_string(values).unwrap();
    assert!(overrides.contains("deployment-debug: true"), "{overrides}");
    // `grace` is a standard tunable: the environment sets its value.
    assert!(
        overrides.contains("terminationGracePeriodSeconds: 60"),
        "{overrides}"
    );
    assert!(
        !overrides.contains("replicas"),
        "only what staging changes: {overrides}"
    );
}

#[test]
fn secret_values_come_only_from_the_install_command() {
    let Some(helm) = helm() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let src = root().join("examples/taskflow-helm.taskflow");
    let dir = tmp.path().join("chart");
    chart(&src, &dir);
    let d = dir.to_str().unwrap();
    for f in crate::support::files_with(&dir, "yaml") {
        let t = std::fs::read_to_string(&f).unwrap();
        assert!(!t.contains("canary"), "{}", f.display());
    }
    // source=values: every key is required, and named when missing.
    let from_values = "secrets.taskflow-secrets.source=values";
    let missing = run(&helm, &["template", "r", d, "--set", from_values]);
    assert!(!missing.status.success());
    assert!(
        text(&missing).contains("secret taskflow-secrets key"),
        "{}",
        text(&missing)
    );
    let keys = ["database-url", "better-auth-secret", "openai-api-key"];
    let sets: Vec<String> = keys
        .iter()
        .map(|k| format!("secrets.taskflow-secrets.values.{k}=canary-{k}"))
        .collect();
    let env: String = keys
        .iter()
        .map(|k| format!("taskflow-secrets.{k}=canary-{k}\n"))
        .collect();
    let secrets = tmp.path().join("s.env");
    std::fs::write(&secrets, env).unwrap();
    let expected = yaml_of(&src, None, Some(&secrets));
    let sets = sets.join(",");
    let extra = ["--set", from_values, "--set-string", &sets];
    let with = render_like(&helm, d, &expected, &extra);
    assert_same(
        &expected,
        &String::from_utf8_lossy(&with.stdout),
        "source=values",
    );
    // A misspelt key is refused by the schema, not silently ignored.
    let typo = format!("{from_values},secrets.taskflow-secrets.values.database-uri=x");
    let wrong = run(&helm, &["template", "r", d, "--set", &typo]);
    assert!(
        text(&wrong).contains("additional properties 'database-uri'"),
        "{}",
        text(&wrong)
    );
    // By default the Secret is rendered empty, and NOTES.txt says so.
    let installed = run(&helm, &["install", "r", d, "--dry-run"]);
    assert!(
        text(&installed).contains("WARNING: Secret taskflow-secrets has empty values"),
        "{}",
        text(&installed)
    );
    // source=cluster: the chart renders no Secret at all, and warns of none.
    let cluster = ["--set", "secrets.taskflow-secrets.source=cluster"];
    let external = run(&helm, &[&["template", "r", d][..], &cluster[..]].concat());
    assert!(external.status.success(), "{}", text(&external));
    assert!(!String::from_utf8_lossy(&external.stdout).contains("kind: Secret"));
    let quiet = run(
        &helm,
        &[&["install", "r", d, "--dry-run"][..], &cluster[..]].concat(),
    );
    assert!(
        !text(&quiet).contains("WARNING: Secret"),
        "{}",
        text(&quiet)
    );
}

#[test]
fn the_values_schema_rejects_wrong_values() {
    let Some(helm) = helm() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("chart");
    chart(&root().join("examples/taskflow-helm.taskflow"), &dir);
    let d = dir.to_str().unwrap();
    let cases = [
        ("frontend.replicas=abc", "want integer"),
        ("frontend.replicas=0", "minimum"),
        ("frontend.service.nodePorts.http=-1", "minimum"),
        ("frontend.image.pullPolicy=Sometimes", "one of"),
        ("backend.service.type=Headless", "one of"),
        ("frontend.resources.limits.cpu=lots", "pattern"),
        ("frontend.replica=3", "additional properties"),
        ("frontend.probes.liveness.periodSeconds=-5", "minimum"),
    ];
    for (set, why) in cases {
        let out = run(&helm, &["template", "r", d, "--set", set]);
        assert!(!out.status.success(), "--set {set} was accepted");
        assert!(text(&out).contains(why), "--set {set}: {}", text(&out));
    }
    let good = run(
        &helm,
        &[
            "template",
            "r",
            d,
            "--set",
            "frontend.replicas=5,config.taskflow-config.LOG_LEVEL=warn",
        ],
    );
    assert!(good.status.success(), "{}", text(&good));
}

#[test]
fn the_chart_of_the_helm_example_is_snapshotted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("chart");
    chart(&root().join("examples/taskflow-helm.taskflow"), &dir);
    let mut all = String::new();
    let mut files: Vec<PathBuf> = [
        "Chart.yaml",
        "values.yaml",
        "values-dev.yaml",
        "values.schema.json",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect();
    let mut templates: Vec<PathBuf> = std::fs::read_dir(dir.join("templates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    templates.sort();
    files.extend(templates);
    for f in files {
        all.push_str(&format!(
            "=== {}\n",
            f.strip_prefix(&dir).unwrap().display()
        ));
        all.push_str(&std::fs::read_to_string(f).unwrap());
    }
    snapshot_settings().bind(|| insta::assert_snapshot!("chart__taskflow-helm", all));
}

#[test]
fn a_chart_cannot_go_to_stdout_nor_carry_secrets_or_one_environment() {
    let src = root().join("examples/taskflow-helm.taskflow");
    let s = src.to_str().unwrap();
    assert_eq!(
        tfc(&["compile", s, "-o", "-", "--format", "helm"], &root())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        tfc(
            &[
                "compile", s, "-o", "/tmp/x", "--format", "helm", "--env", "dev"
            ],
            &root()
        )
        .status
        .code(),
        Some(2)
    );
    let tmp = tempfile::tempdir().unwrap();
    let secrets = tmp.path().join("s.env");
    std::fs::write(&secrets, "a.b=c\n").unwrap();
    let out = tfc(
        &[
            "compile",
            s,
            "-o",
            "/tmp/x",
            "--format",
            "helm",
            "--secrets",
            secrets.to_str().unwrap(),
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(2));
}

/// Text that Go templates would run: a log format, an injection that would
/// add a privileged Pod, template calls, in every place text reaches a template.
const INJECTION: &str = r#"app inj {
  accept image-not-pinned
  service web {
    image nginxinc/nginx-unprivileged:1.27
    port http 8080  cpu 100m  memory 64Mi  readiness http "/{{ .Release.Name }}"
    args ["--log-format", "{{.Time}} {{.Level}} {{.Message}}", "{{ printf \"\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: evil\nspec:\n  containers:\n  - name: x\n    image: x\n    securityContext:\n      privileged: true\n\" }}"]
    command ["sh", "-c", "echo {{ .Chart.Name }}"]
    env FORMAT = "{{ .Values }}"
    annotations { note = "{{ template \"x\" }}" }
  }
  ingress public { host inj.example.com  route "/{{x}}" -> web }
}
"#;

#[test]
fn releases_choose_instance_and_namespace_and_the_chart_owns_no_namespace() {
    let Some(helm) = helm() else { return };
    let tmp = tempfile::tempdir().unwrap();
    // Without `namespace`, objects go to the release's namespace.
    let src = tmp.path().join("shop.taskflow");
    std::fs::write(
        &src,
        "app shop {\n  accept image-not-pinned\n  \
         service web { image nginxinc/nginx-unprivileged:1.27 port http 8080 cpu 100m memory 64Mi readiness http / }\n}\n",
    )
    .unwrap();
    let dir = tmp.path().join("chart");
    chart(&src, &dir);
    let d = dir.to_str().unwrap();
    let out = run(&helm, &["template", "blue", d, "--namespace", "team-a"]);
    assert!(out.status.success(), "{}", text(&out));
    let got = objects(&String::from_utf8_lossy(&out.stdout));
    assert!(
        got.keys().all(|(k, _)| k != "Namespace"),
        "{:?}",
        got.keys()
    );
    for ((kind, name), v) in &got {
        assert_eq!(
            v["metadata"]["namespace"].as_str(),
            Some("team-a"),
            "{kind} {name}"
        );
        assert_eq!(
            v["metadata"]["labels"]["app.kubernetes.io/instance"].as_str(),
            Some("blue"),
            "{kind} {name}"
        );
    }
    let deployment = &got[&("Deployment".to_string(), "web".to_string())];
    assert_eq!(
        deployment["spec"]["selector"]["matchLabels"]["app.kubernetes.io/instance"].as_str(),
        Some("blue")
    );
    // A pinned namespace wins over the release's.
    std::fs::write(
        &src,
        "app shop {\n  namespace shop\n  accept image-not-pinned\n  \
         service web { image nginxinc/nginx-unprivileged:1.27 port http 8080 cpu 100m memory 64Mi readiness http / }\n}\n",
    )
    .unwrap();
    chart(&src, &dir);
    let out = run(&helm, &["template", "blue", d, "--namespace", "team-a"]);
    let got = objects(&String::from_utf8_lossy(&out.stdout));
    assert!(
        got.values()
            .all(|v| v["metadata"]["namespace"].as_str() == Some("shop"))
    );
    assert!(got.keys().all(|(k, _)| k != "Namespace"));
}

#[test]
fn user_text_is_never_run_by_helm() {
    let Some(helm) = helm() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("inj.taskflow");
    std::fs::write(&src, INJECTION).unwrap();
    let dir = tmp.path().join("chart");
    chart(&src, &dir);
    let lint = run(&helm, &["lint", "--strict", dir.to_str().unwrap()]);
    assert!(lint.status.success(), "{}", text(&lint));
    let expected = yaml_of(&src, None, None);
    let rendered = render_like(&helm, dir.to_str().unwrap(), &expected, &[]);
    let stream = String::from_utf8_lossy(&rendered.stdout).into_owned();
    let got = objects(&stream);
    assert!(
        got.keys().all(|(kind, _)| kind != "Pod"),
        "the chart gained an object: {:?}",
        got.keys()
    );
    // Exactly what `tfc compile` emits, every string byte for byte.
    assert_same(&expected, &stream, "the injection app");
    let notes = run(
        &helm,
        &["install", "inj", dir.to_str().unwrap(), "--dry-run=client"],
    );
    assert!(notes.status.success(), "{}", text(&notes));
    assert!(
        text(&notes).contains("http://inj.example.com/{{x}} -> web"),
        "{}",
        text(&notes)
    );
}

#[test]
fn notes_render_in_every_environment_and_package_leaves_tfc_files_out() {
    let Some(helm) = helm() else { return };
    let tmp = tempfile::tempdir().unwrap();
    // The environment drops the nodePort and the NodePort type: NOTES.txt
    // must not read a value that is missing there (it did: a nil pointer).
    let src = tmp.path().join("shop.taskflow");
    std::fs::write(
        &src,
        "app shop {\n  accept image-not-pinned missing-probes missing-resources\n  \
         service web { image nginxinc/nginx-unprivileged:1.27 port http 80 -> 8080 node 30080 }\n  \
         ingress public { host shop.example.com route / -> web }\n  \
         env prod { web.expose cluster-ip  web.port http 80 -> 8080  public.host prod.example.com }\n}\n",
    )
    .unwrap();
    let dir = tmp.path().join("chart");
    chart(&src, &dir);
    let d = dir.to_str().unwrap();
    let prod = dir.join("values-prod.yaml");
    for extra in [vec![], vec!["-f", prod.to_str().unwrap()]] {
        let mut args = vec!["install", "x", d, "--dry-run=client", "--namespace", "shop"];
        args.extend(extra.iter().copied());
        let o = run(&helm, &args);
        let out = text(&o);
        assert!(o.status.success(), "{out}");
        assert!(
            out.contains("NOTES:") && out.contains("(Service web, port 80)"),
            "{out}"
        );
    }
    let o = run(&helm, &["package", d, "-d", tmp.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let tgz = tmp.path().join("shop-0.1.0.tgz");
    let list = Command::new("tar")
        .args(["tzf", tgz.to_str().unwrap()])
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(list.contains("shop/Chart.yaml"), "{list}");
    assert!(!list.contains(".tfc-manifest"), "{list}");
}

#[test]
fn the_schema_shares_repeated_parts_and_still_checks_each_service() {
    let Some(helm) = helm() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut src = String::from("app big {\n  accept image-not-pinned unreachable-service\n");
    for i in 0..200 {
        src.push_str(&format!(
            "  service svc{i} {{ image registry.example.com/svc{i}:1.{i} port http 8080 cpu 100m..200m memory 64Mi..128Mi readiness http /healthz }}\n"
        ));
    }
    src.push_str("}\n");
    let file = tmp.path().join("big.taskflow");
    std::fs::write(&file, src).unwrap();
    let dir = tmp.path().join("chart");
    chart(&file, &dir);
    let schema = std::fs::read_to_string(dir.join("values.schema.json")).unwrap();
    // 200 services, each with an image, resources and probe timings: the
    // shapes are written once under $defs (it was 4.8 MB for 1000).
    assert!(schema.contains("\"$defs\""), "no $defs");
    assert!(schema.len() < 60_000, "{} bytes", schema.len());
    let d = dir.to_str().unwrap();
    let bad = run(
        &helm,
        &[
            "template",
            "r",
            d,
            "--set",
            "svc150.image.pullPolicy=Sometimes",
        ],
    );
    assert!(
        !bad.status.success(),
        "a wrong value behind a $ref was accepted"
    );
    let bad = run(&helm, &["template", "r", d, "--set", "svc199.replicas=0"]);
    assert!(!bad.status.success(), "replicas 0 was accepted");
    assert!(run(&helm, &["lint", "--strict", d]).status.success());
}

/// The clean cases (no error code, no secret values): each compiles to
/// YAML as written (when it does) and in each environment, and to a chart.
pub fn clean_cases() -> Vec<PathBuf> {
    crate::support::files_with(&root().join("tests/cases"), "taskflow")
        .into_iter()
        .filter(|p| {
            // Cases about encodings are not UTF-8: they are about input, not output.
            let Ok(source) = std::fs::read_to_string(p) else {
                return false;
            };
            let header: Vec<&str> = source.lines().take_while(|l| l.starts_with('#')).collect();
            let errors = header
                .iter()
                .filter_map(|l| l.strip_prefix("# expect:"))
                .flat_map(str::split_whitespace)
                .any(|c| {
                    c.trim_start_matches("TF")
                        .parse::<u32>()
                        .is_ok_and(|n| n < 1000)
                });
            !errors && !header.iter().any(|l| l.starts_with("# secrets:"))
        })
        .collect()
}

/// Whether `tfc compile` succeeds for the variant.
fn compiles(source: &Path, env: Option<&str>) -> bool {
    let mut args = vec!["check", source.to_str().unwrap()];
    if let Some(e) = env {
        args.extend(["--env", e]);
    }
    tfc(&args, &root()).status.success()
}

/// Renders the chart as the same release in namespace `elsewhere` and
/// returns the objects that differ from `expected` moved there.
fn moved_elsewhere(
    helm: &Path,
    chart: &str,
    expected: &BTreeMap<(String, String), Value>,
    extra: &[&str],
) -> Vec<(String, String)> {
    let Some(instance) = expected
        .values()
        .find_map(|v| v["metadata"]["labels"]["app.kubernetes.io/instance"].as_str())
    else {
        return Vec::new();
    };
    let mut moved = expected.clone();
    moved.retain(|(kind, _), _| kind != "Namespace");
    for v in moved.values_mut() {
        if let Some(m) = v.get_mut("metadata").and_then(Value::as_mapping_mut) {
            if m.contains_key("namespace") {
                m.insert("namespace".into(), "elsewhere".into());
            }
        }
    }
    let mut args = vec!["template", instance, chart, "--namespace", "elsewhere"];
    args.extend(extra);
    let out = run(helm, &args);
    let got = objects(&String::from_utf8_lossy(&out.stdout));
    let keys: std::collections::BTreeSet<_> = moved.keys().chain(got.keys()).cloned().collect();
    keys.into_iter()
        .filter(|k| moved.get(k) != got.get(k))
        .collect()
}

/// Every construct's case is also a chart that renders exactly what
/// `tfc compile` emits, as written and in each environment.
#[test]
fn every_clean_case_chart_renders_what_compile_emits_in_every_environment() {
    let Some(helm) = helm() else { return };
    let mut problems = Vec::new();
    let mut rendered = 0;
    for src in clean_cases() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("chart");
        let d = dir.to_str().unwrap();
        let out = tfc(
            &[
                "compile",
                src.to_str().unwrap(),
                "-o",
                d,
                "--format",
                "helm",
            ],
            &root(),
        );
        if !out.status.success() {
            continue;
        }
        let source = std::fs::read_to_string(&src).unwrap();
        let variants = std::iter::once(None).chain(environments(&source).into_iter().map(Some));
        for env in variants {
            if !compiles(&src, env.as_deref()) {
                continue;
            }
            let expected = yaml_of(&src, env.as_deref(), None);
            let values = env.as_ref().map(|e| dir.join(format!("values-{e}.yaml")));
            let extra: Vec<&str> = match &values {
                Some(v) => vec!["-f", v.to_str().unwrap()],
                None => Vec::new(),
            };
            let out = render_like(&helm, d, &expected, &extra);
            let (a, b) = (
                objects(&expected),
                objects(&String::from_utf8_lossy(&out.stdout)),
            );
            let keys: std::collections::BTreeSet<_> = a.keys().chain(b.keys()).collect();
            for k in keys {
                if a.get(k) != b.get(k) {
                    problems.push(format!("{} {env:?}: {k:?} differs", src.display()));
                }
            }
            // Installed in another namespace, an app that pins none moves
            // there whole: every object, whatever its environment changes.
            let values_yaml = std::fs::read_to_string(dir.join("values.yaml")).unwrap();
            if values_yaml.contains("namespace:\n  # ") && values_yaml.contains("  name: ''") {
                for k in moved_elsewhere(&helm, d, &a, &extra) {
                    problems.push(format!(
                        "{} {env:?} in another namespace: {k:?} differs",
                        src.display()
                    ));
                }
            }
            rendered += 1;
        }
    }
    assert!(rendered > 60, "only {rendered} variants rendered");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A chart keeps each secret's source as the .taskflow says (sealed, from
/// a store, compile-time) in `secrets.NAME.source`, per environment; a
/// SealedSecret sealed for its namespace refuses to render elsewhere.
#[test]
fn each_secret_has_its_own_source_and_a_sealed_one_stays_in_its_namespace() {
    let Some(helm) = helm() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("chart");
    chart(
        &root().join("tests/cases/constructs/secret-sealed.taskflow"),
        &dir,
    );
    let d = dir.to_str().unwrap();
    let values = std::fs::read_to_string(dir.join("values.yaml")).unwrap();
    assert!(values.contains("creds:\n    # Where the values of Secret creds come from; see above.\n    source: sealed"), "{values}");
    // The release's namespace instead of the one it was sealed for.
    let moved = run(
        &helm,
        &["template", "r", d, "--set", "namespace.name=team-b"],
    );
    assert!(!moved.status.success());
    assert!(
        text(&moved).contains("secret creds was sealed for namespace shop"),
        "{}",
        text(&moved)
    );
    // prod's file was sealed cluster-wide: it goes anywhere.
    let prod = dir.join("values-prod.yaml");
    let anywhere = run(
        &helm,
        &[
            "template",
            "r",
            d,
            "-f",
            prod.to_str().unwrap(),
            "--set",
            "namespace.name=team-b",
        ],
    );
    assert!(anywhere.status.success(), "{}", text(&anywhere));
    // cluster: no SealedSecret; a source the secret cannot have is refused.
    let none = run(
        &helm,
        &["template", "r", d, "--set", "secrets.creds.source=cluster"],
    );
    assert!(!String::from_utf8_lossy(&none.stdout).contains("SealedSecret"));
    let wrong = run(
        &helm,
        &["template", "r", d, "--set", "secrets.creds.source=values"],
    );
    assert!(
        text(&wrong).contains("value must be one of 'sealed', 'cluster'"),
        "{}",
        text(&wrong)
    );
}

/// The hosts `scheme://HOST:` that the texts of a render name.
fn hosts(objs: &[serde_yaml::Value]) -> Vec<String> {
    fn texts(v: &serde_yaml::Value, out: &mut Vec<String>) {
        match v {
            serde_yaml::Value::String(s) => out.push(s.clone()),
            serde_yaml::Value::Sequence(items) => items.iter().for_each(|i| texts(i, out)),
            serde_yaml::Value::Mapping(m) => m.values().for_each(|i| texts(i, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    objs.iter().for_each(|o| texts(o, &mut all));
    all.iter()
        .flat_map(|t| t.split("://").skip(1))
        .filter_map(|rest| rest.split([':', '/']).next())
        .map(str::to_string)
        .collect()
}

/// `names.releasePrefix`: two releases of one chart in one namespace share
/// no object name; every name reference resolves inside each release, and
/// every host a value names is the release's own Service.
#[test]
fn two_releases_with_the_name_prefix_live_side_by_side() {
    let Some(helm) = helm() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut sources = crate::support::examples();
    sources.extend(clean_cases());
    let mut checked = 0;
    for (i, src) in sources.iter().enumerate() {
        let dir = tmp.path().join(format!("chart{i}"));
        chart(src, &dir);
        let d = dir.to_str().unwrap();
        let mut values = vec![None];
        values.extend(
            crate::support::files_with(&dir, "yaml")
                .into_iter()
                .filter(|f| {
                    f.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with("values-")
                })
                .map(Some),
        );
        for v in values {
            let render = |release: &str, prefix: bool| {
                let mut args = vec!["template", release, d, "-n", "shared"];
                let set = format!("names.releasePrefix={prefix}");
                args.extend(["--set", &set]);
                let file = v.as_ref().map(|f| f.to_str().unwrap().to_string());
                if let Some(f) = &file {
                    args.extend(["-f", f]);
                }
                let out = run(&helm, &args);
                // A name already at its limit leaves no room for a prefix:
                // the render says so.
                let full = "names.releasePrefix: a release name of more than";
                if prefix && text(&out).contains(full) {
                    return None;
                }
                assert!(out.status.success(), "{}: {}", src.display(), text(&out));
                let stream = String::from_utf8_lossy(&out.stdout).into_owned();
                assert!(
                    !stream.contains(tfc::ir::RELEASE_TOKEN),
                    "{}: {stream}",
                    src.display()
                );
                Some(crate::integrity::docs(&stream))
            };
            let plain = render("blue", false).unwrap();
            // Only where the output resolves already (no `external` items).
            if !crate::integrity::check(&plain).is_empty() {
                continue;
            }
            let names = |objs: &[serde_yaml::Value]| -> Vec<(String, String)> {
                objs.iter()
                    .map(|o| {
                        let t = |k: &[&str]| {
                            k.iter()
                                .try_fold(o, |v, k| v.get(*k))
                                .and_then(|v| v.as_str())
                                .unwrap_or("")
                                .to_string()
                        };
                        (t(&["kind"]), t(&["metadata", "name"]))
                    })
                    .filter(|(k, _)| k != "Namespace" && k != "SealedSecret")
                    .collect()
            };
            let (Some(blue), Some(green)) = (render("blue", true), render("green", true)) else {
                continue;
            };
            let at = format!(
                "{} {:?}",
                src.display(),
                v.as_ref().map(|f| f.file_name().unwrap().to_owned())
            );
            for (k, n) in names(&blue) {
                assert!(n.starts_with("blue-"), "{at}: {k} {n} has no prefix");
                assert!(
                    !names(&green).contains(&(k.clone(), n.clone())),
                    "{at}: both releases have {k} {n}"
                );
            }
            let problems = crate::integrity::check(&blue);
            assert!(problems.is_empty(), "{at}: {problems:#?}");
            let services: Vec<String> = names(&blue)
                .into_iter()
                .filter(|(k, _)| k == "Service")
                .map(|(_, n)| n)
                .collect();
            let plain_services: Vec<String> = names(&plain)
                .into_iter()
                .filter(|(k, _)| k == "Service")
                .map(|(_, n)| n)
                .collect();
            for h in hosts(&blue) {
                assert!(
                    services.contains(&h) || !plain_services.contains(&h),
                    "{at}: host {h} is not blue's"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} charts checked");
}

/// Under names.releasePrefix a secret keeps its name where the chart does
/// not make it: an environment makes it `external`, or seals it.
#[test]
fn the_prefix_follows_each_secret_source_per_environment() {
    let Some(helm) = helm() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("sealed")).unwrap();
    std::fs::write(
        d.join("sealed/creds.yaml"),
        "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: creds\n  namespace: shop\n  annotations:\n    sealedsecrets.bitnami.com/cluster-wide: \"true\"\nspec:\n  encryptedData:\n    password: AgBy\n",
    )
    .unwrap();
    let app = "app shop {\n  namespace shop\n  accept image-not-pinned missing-probes missing-resources unreachable-service secret-in-env\n  secret creds { password }\n  service api { image ghcr.io/acme/api:1  port http 8000  env P = creds.password }\n  env gitops { creds { external } }\n  env kubeseal { creds { sealed sealed/creds.yaml } }\n}\n";
    std::fs::write(d.join("app.taskflow"), app).unwrap();
    let dir = d.join("chart");
    chart(&d.join("app.taskflow"), &dir);
    let c = dir.to_str().unwrap();
    for (env, name) in [
        (None, "blue-creds"),
        (Some("gitops"), "creds"),
        (Some("kubeseal"), "creds"),
    ] {
        let mut args = vec!["template", "blue", c, "--set", "names.releasePrefix=true"];
        let file = env.map(|e| {
            dir.join(format!("values-{e}.yaml"))
                .to_str()
                .unwrap()
                .to_string()
        });
        if let Some(f) = &file {
            args.extend(["-f", f]);
        }
        let out = run(&helm, &args);
        assert!(out.status.success(), "{}", text(&out));
        let docs = crate::integrity::docs(&String::from_utf8_lossy(&out.stdout));
        let refs: Vec<&str> = docs
            .iter()
            .filter(|o| o["kind"] == "Deployment")
            .flat_map(|o| {
                o["spec"]["template"]["spec"]["containers"][0]["env"]
                    .as_sequence()
                    .unwrap()
            })
            .filter_map(|e| e["valueFrom"]["secretKeyRef"]["name"].as_str())
            .collect();
        assert_eq!(refs, vec![name], "{env:?}");
    }
}

/// The chart's markers cannot come from the file: they would be replaced.
#[test]
fn a_chart_refuses_text_that_looks_like_its_markers() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("app.taskflow");
    let app = "app shop {\n  accept image-not-pinned missing-probes missing-resources\n  service web { image ghcr.io/acme/web:1  port http 80  env MODE = \"__RELEASE_NAME__\" }\n}\n";
    std::fs::write(&src, app).unwrap();
    let args = [
        "compile",
        src.to_str().unwrap(),
        "-o",
        "chart",
        "--format",
        "helm",
    ];
    let out = tfc(&args, tmp.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("a chart reserves text that starts with `__RELEASE_`"),
        "{}",
        text(&out)
    );
    assert!(!tmp.path().join("chart").exists());
    // The YAML output has no such markers: it takes the text as written.
    let yaml = tfc(&["compile", src.to_str().unwrap(), "-o", "-"], tmp.path());
    assert_eq!(yaml.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&yaml.stdout).contains("__RELEASE_NAME__"));
}
