//! Every string a user writes reaches every reader of the output byte for
//! byte: a YAML 1.2 reader (serde_yaml), a YAML 1.1 reader (PyYAML),
//! kustomize (`kubectl kustomize`) and Helm (`helm template` of the chart).
//! At least 10,000 random strings per run, in every place text can go:
//! config keys and values, env literals, labels, annotations, command and
//! args, probe paths, ingress paths and hosts. The tools run once each over
//! one app that holds them all. Strings with a character kustomize cannot
//! carry are refused with TF0321 instead.

use crate::support::{find_tool, skip, tfc};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// Strings a YAML reader could take for something else.
const TRICKY: &[&str] = &[
    "yes",
    "No",
    "ON",
    "off",
    "y",
    "n",
    "true",
    "False",
    "null",
    "NULL",
    "~",
    "",
    "=",
    "<<",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "1e3",
    "6.8523015e+5",
    ".5",
    "+.5",
    "-.inf",
    ".NaN",
    "190:20:30",
    "2001-12-14",
    "2024-01-15 10:00:00",
    "2001-12-14t21:59:43.10-05:00",
    "- a",
    "? x",
    ": y",
    "a: b",
    "a #b",
    "#c",
    "&x",
    "*x",
    "!tag",
    "|",
    ">",
    "%YAML",
    "@x",
    "`x",
    "'",
    "\"",
    "'q'",
    "{{ .Values.x }}",
    "{{",
    "}}",
    "{{-",
    "{{/* */}}",
    "---",
    "...",
    " lead",
    "trail ",
    "\t",
    "a\nb",
    "a\n\nb\n",
    "\n",
    "x\r\ny",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{a0}",
    "\u{200b}",
    "\u{202e}rtl",
    "e\u{301}",
    "😀",
    "日本語",
    "\\",
    "\\n",
    "$(HOME)",
    "${X}",
    "%s %d",
];

/// Characters that stress quoting, escaping and templating.
fn special_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            ' ',
            '\t',
            '\n',
            '\r',
            '\0',
            '\u{1b}',
            '\u{8}',
            '\u{b}',
            '\u{c}',
            ':',
            '#',
            '-',
            '?',
            '\'',
            '"',
            '\\',
            '{',
            '}',
            '[',
            ']',
            ',',
            '&',
            '*',
            '!',
            '|',
            '>',
            '%',
            '@',
            '`',
            '=',
            '<',
            '~',
            '.',
            '/',
            '$',
            '\u{2028}',
            '\u{2029}',
            '\u{feff}',
            '\u{a0}',
            '\u{200b}',
            '\u{fffd}',
            '\u{10ffff}',
            '\u{e000}',
            '😀',
            'é',
        ]),
        any::<char>(),
    ]
}

/// A random string, free of the characters kustomize cannot carry.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop::sample::select(TRICKY).prop_map(str::to_string),
        4 => prop::collection::vec(
            prop_oneof![3 => proptest::char::range('a', 'z'), 2 => special_char()],
            0..24
        )
        .prop_map(|cs| cs.into_iter().collect::<String>()),
        1 => (prop::sample::select(TRICKY), any::<String>())
            .prop_map(|(a, b)| format!("{a}{b}")),
    ]
    .prop_map(|s| {
        s.chars()
            .filter(|c| !tfc::emit::yaml::uncarriable(*c))
            .collect()
    })
}

/// A label value: what Kubernetes allows, often in a form YAML types.
fn label_value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
            "true",
            "null",
            "NULL",
            "0x1F",
            "0o17",
            "017",
            "1_000",
            "1e3",
            "1.5",
            "2001-12-14",
            "12",
            "1-2",
            "0b101",
            "inf",
            "nan",
        ])
        .prop_map(str::to_string),
        "[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?",
    ]
}

/// An ingress host: a DNS subdomain, often one that reads as a number.
fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "1.5",
            "1e3.io",
            "0x1f.dev",
            "2001.12.14",
            "yes.no",
            "123"
        ])
        .prop_map(str::to_string),
        "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?){0,3}"
            // An IP address is no ingress host (TF0309): tfc refuses it.
            .prop_filter("an IPv4 address", |h| !is_ipv4(h)),
    ]
}

/// Four dot-separated numbers up to 255, as the API server reads an IPv4 address.
fn is_ipv4(h: &str) -> bool {
    let parts: Vec<&str> = h.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u16>().is_ok_and(|n| n <= 255))
}

/// A path: `/` and then printable text.
fn path() -> impl Strategy<Value = String> {
    // Without what the API server refuses (TF0501): a path ending in `/.`
    // or `/..`, or holding an encoded slash.
    "/[A-Za-z0-9._~!$&'()*+,;=:@%{} -]{0,20}".prop_filter("a path the API server takes", |p| {
        p != "/." && p != "/.." && !p.to_ascii_lowercase().contains("%2f")
    })
}

/// A .taskflow string literal holding `s`.
fn lit(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}

/// Where each string went, by place and key.
#[derive(Default)]
struct Expected {
    config: BTreeMap<String, String>,
    env: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
    labels: BTreeMap<String, String>,
    args: Vec<String>,
    command: Vec<String>,
    probe_path: String,
    routes: Vec<String>,
    hosts: Vec<String>,
}

fn sample<S: Strategy>(runner: &mut TestRunner, s: &S) -> S::Value {
    s.new_tree(runner).unwrap().current()
}

/// One app holding `n` random strings, and what its output must hold.
fn app(runner: &mut TestRunner, n: usize) -> (String, Expected) {
    let mut e = Expected::default();
    let (t, lv, h, p) = (text(), label_value(), host(), path());
    let keys = [
        "yes",
        "no",
        "1e3",
        "0x1F",
        "2001-12-14",
        "null",
        "True",
        "017",
    ];
    for i in 0..n {
        let s = sample(runner, &t);
        match i % 10 {
            0..=2 => {
                let key = keys
                    .get(i / 10)
                    .map_or_else(|| format!("K{i}"), |k| (*k).to_string());
                e.config.insert(key, s);
            }
            3 | 4 => {
                e.env.insert(format!("E{i}"), s);
            }
            5 | 6 => {
                // kustomize cannot carry this shape (TF0321, tested in tests/cases).
                let s = if s.starts_with('\t') && s.contains('\n') {
                    format!("x{s}")
                } else {
                    s
                };
                e.annotations.insert(format!("tfc.test/a{i}"), s);
            }
            7 => e.args.push(s),
            8 => e.command.push(s),
            _ => {
                e.labels
                    .insert(format!("tfc.test/l{i}"), sample(runner, &lv));
            }
        }
    }
    e.probe_path = sample(runner, &p);
    for _ in 0..20 {
        e.routes.push(sample(runner, &p));
        e.hosts.push(sample(runner, &h));
    }
    e.routes.sort();
    e.routes.dedup();
    e.hosts.sort();
    e.hosts.dedup();
    (source(&e), e)
}

fn source(e: &Expected) -> String {
    let mut s =
        String::from("app rt {\n  accept image-not-pinned credential-literal\n  config c {\n");
    for (k, v) in &e.config {
        let _ = writeln!(s, "    {k} = {}", lit(v));
    }
    s.push_str(
        "  }\n  service web {\n    image nginxinc/nginx-unprivileged:1.27\n    port http 8080\n",
    );
    s.push_str("    cpu 100m..200m  memory 64Mi..128Mi\n    env from c\n");
    let _ = writeln!(s, "    readiness http {}", lit(&e.probe_path));
    for (k, v) in &e.env {
        let _ = writeln!(s, "    env {k} = {}", lit(v));
    }
    let list = |v: &[String]| v.iter().map(|x| lit(x)).collect::<Vec<_>>().join(", ");
    let _ = writeln!(s, "    command [{}]", list(&e.command));
    let _ = writeln!(s, "    args [{}]", list(&e.args));
    s.push_str("    annotations {\n");
    for (k, v) in &e.annotations {
        let _ = writeln!(s, "      {k} = {}", lit(v));
    }
    s.push_str("    }\n    labels {\n");
    for (k, v) in &e.labels {
        let _ = writeln!(s, "      {k} = {}", lit(v));
    }
    s.push_str("    }\n  }\n  ingress public {\n    host");
    for h in &e.hosts {
        let _ = write!(s, " {}", lit(h));
    }
    s.push('\n');
    for r in &e.routes {
        let _ = writeln!(s, "    route {} -> web", lit(r));
    }
    s.push_str("  }\n}\n");
    s
}

/// The differences between what an output holds and what was written.
fn compare(reader: &str, docs: &[Value], e: &Expected, out: &mut Vec<String>) {
    let find = |kind: &str| {
        docs.iter()
            .find(|d| d["kind"].as_str() == Some(kind))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let mut check = |what: String, got: Option<&Value>, want: &str| {
        if got.and_then(Value::as_str) != Some(want) {
            out.push(format!("{reader}: {what}: wrote {want:?}, read {got:?}"));
        }
    };
    let cm = find("ConfigMap");
    for (k, v) in &e.config {
        check(format!("config {k:?}"), cm["data"].get(k), v);
    }
    let dep = find("Deployment");
    let pod = &dep["spec"]["template"];
    let c = &pod["spec"]["containers"][0];
    let env: BTreeMap<String, Value> = c["env"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(|x| Some((x["name"].as_str()?.to_string(), x["value"].clone())))
        .collect();
    for (k, v) in &e.env {
        check(format!("env {k}"), env.get(k), v);
    }
    for (k, v) in &e.annotations {
        check(
            format!("annotation {k}"),
            dep["metadata"]["annotations"].get(k),
            v,
        );
    }
    for (k, v) in &e.labels {
        check(format!("label {k}"), pod["metadata"]["labels"].get(k), v);
    }
    for (i, v) in e.args.iter().enumerate() {
        check(format!("args[{i}]"), c["args"].get(i), v);
    }
    for (i, v) in e.command.iter().enumerate() {
        check(format!("command[{i}]"), c["command"].get(i), v);
    }
    check(
        "probe path".into(),
        c["readinessProbe"]["httpGet"].get("path"),
        &e.probe_path,
    );
    let ing = find("Ingress");
    let rules = ing["spec"]["rules"]
        .as_sequence()
        .cloned()
        .unwrap_or_default();
    for (i, h) in e.hosts.iter().enumerate() {
        check(
            format!("host {i}"),
            rules.get(i).and_then(|r| r.get("host")),
            h,
        );
    }
    let paths = rules
        .first()
        .map(|r| r["http"]["paths"].clone())
        .unwrap_or(Value::Null);
    for (i, r) in e.routes.iter().enumerate() {
        let got = paths.get(i).and_then(|p| p.get("path"));
        check(format!("route {i}"), got, r);
    }
}

fn parse_stream(text: &str) -> Vec<Value> {
    serde_yaml::Deserializer::from_str(text)
        .map(|d| serde::Deserialize::deserialize(d).unwrap())
        .filter(|v: &Value| !v.is_null())
        .collect()
}

fn read_dir_yaml(dir: &Path) -> Vec<Value> {
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            docs.extend(parse_stream(&std::fs::read_to_string(&p).unwrap()));
        }
    }
    docs
}

/// The documents of every YAML file in `dir`, as read by PyYAML (YAML 1.1).
fn pyyaml(dir: &Path) -> Option<Vec<Value>> {
    let tools = std::env::var_os("TFC_TOOLS")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/tfc-tools")))?;
    let python = tools.join("venv/bin/python");
    if !python.is_file() {
        return None;
    }
    let script = "import sys, json, glob, yaml\n\
        docs = []\n\
        for p in sorted(glob.glob(sys.argv[1] + '/*.yaml')):\n\
        \x20   with open(p, encoding='utf-8') as f:\n\
        \x20       docs += [d for d in yaml.safe_load_all(f) if d is not None]\n\
        sys.stdout.write(json.dumps(docs, ensure_ascii=True))\n";
    let out = Command::new(python)
        .args(["-c", script, dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "PyYAML could not read the output: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// The end of a tool's error output.
fn tail(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let chars: Vec<char> = text.chars().collect();
    chars[chars.len().saturating_sub(300)..].iter().collect()
}

/// The first errors tfc reported.
fn errors(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let blocks: Vec<&str> = text
        .split("\n\n")
        .filter(|b| b.trim_start().starts_with("error"))
        .take(10)
        .collect();
    blocks.join("\n\n")
}

#[test]
fn ten_thousand_random_strings_read_back_exactly_in_every_reader() {
    let mut runner = TestRunner::new(Config::default());
    let (source, expected) = app(&mut runner, 10_000);
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("rt.taskflow");
    std::fs::write(&file, &source).unwrap();
    let out = tmp.path().join("out");
    let r = tfc(
        &[
            "compile",
            file.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
        tmp.path(),
    );
    if !r.status.success() {
        let kept = tmp.keep();
        panic!(
            "tfc exited with {:?} (input kept in {}):\n{}\n{}",
            r.status,
            kept.display(),
            errors(&r.stderr),
            tail(&r.stderr)
        );
    }
    let mut problems = Vec::new();
    compare("serde_yaml", &read_dir_yaml(&out), &expected, &mut problems);
    match pyyaml(&out) {
        Some(docs) => compare("PyYAML", &docs, &expected, &mut problems),
        None => skip(
            "the YAML 1.1 round trip",
            "PyYAML (the tools venv) is not installed",
        ),
    }
    match find_tool("kubectl") {
        Some(k) => {
            let o = Command::new(k)
                .args(["kustomize"])
                .arg(&out)
                .output()
                .unwrap();
            if o.status.success() {
                let docs = parse_stream(&String::from_utf8(o.stdout).unwrap());
                compare("kustomize", &docs, &expected, &mut problems);
            } else {
                problems.push(format!("kustomize failed: {}", tail(&o.stderr)));
            }
        }
        None => skip("the kustomize round trip", "kubectl is not installed"),
    }
    match find_tool("helm") {
        Some(h) => {
            let chart = tmp.path().join("chart");
            let r = tfc(
                &[
                    "compile",
                    file.to_str().unwrap(),
                    "-o",
                    chart.to_str().unwrap(),
                    "--format",
                    "helm",
                ],
                tmp.path(),
            );
            assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
            let o = Command::new(h)
                .arg("template")
                .arg(&chart)
                .output()
                .unwrap();
            if o.status.success() {
                let docs = parse_stream(&String::from_utf8(o.stdout).unwrap());
                compare("helm template", &docs, &expected, &mut problems);
            } else {
                problems.push(format!("helm template failed: {}", tail(&o.stderr)));
            }
        }
        None => skip("the Helm round trip", "helm is not installed"),
    }
    if !problems.is_empty() {
        let shown: Vec<&String> = problems.iter().take(30).collect();
        panic!(
            "{} mismatches (the files are kept in {}), first ones:\n{shown:#?}",
            problems.len(),
            tmp.keep().display()
        );
    }
}

#[test]
fn text_that_kustomize_cannot_carry_is_refused_with_tf0321() {
    let mut runner = TestRunner::new(Config::default());
    let bad = prop::sample::select(vec![
        '\u{7f}', '\u{80}', '\u{85}', '\u{9f}', '\u{fffe}', '\u{ffff}',
    ]);
    for _ in 0..200 {
        let s = sample(&mut runner, &(text(), bad.clone(), text()));
        let value = format!("{}{}{}", s.0, s.1, s.2);
        let src = format!(
            "app a {{\n  config c {{ K = {} }}\n  service web {{ image nginxinc/nginx-unprivileged:1.27 env from c }}\n}}\n",
            lit(&value)
        );
        let c = tfc::compile(&src, &tfc::CompileOptions::default());
        assert!(
            c.diagnostics
                .iter()
                .any(|d| d.code == tfc::diagnostic::Code::UncarriableText),
            "{value:?} was not refused"
        );
        assert!(c.objects.is_none());
    }
}
