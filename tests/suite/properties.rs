//! Property tests: generated valid apps compile to output that passes strict
//! schema validation; random edits of the examples (of characters and of
//! tokens) never panic or hang; every rejection carries a `file:line:column`
//! location.

use crate::support::{examples, find_tool, skip};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::sync::mpsc;
use std::time::Duration;
use tfc::diagnostic::{ColorChoice, render_human, render_json};

const NAMES: &[&str] = &[
    "web", "api", "worker", "auth", "search", "billing", "cache", "mail",
];

/// One generated service.
#[derive(Clone, Debug)]
struct Svc {
    name: &'static str,
    port: u16,
    target: u16,
    replicas: u8,
    cpu_req: u16,
    cpu_lim_extra: u16,
    mem: u16,
    probe: u8,
    expose: u8,
    refers: Option<usize>,
    reads_secret: bool,
}

fn svc(i: usize) -> impl Strategy<Value = Svc> {
    (
        1000u16..9000,
        1000u16..9000,
        1u8..5,
        10u16..500,
        0u16..500,
        32u16..1024,
        0u8..3,
        0u8..3,
        proptest::option::of(0usize..8),
        any::<bool>(),
    )
        .prop_map(
            move |(
                port,
                target,
                replicas,
                cpu_req,
                cpu_lim_extra,
                mem,
                probe,
                expose,
                refers,
                reads_secret,
            )| Svc {
                name: NAMES.get(i).copied().unwrap_or("web"),
                port,
                target,
                replicas,
                cpu_req,
                cpu_lim_extra,
                mem,
                probe,
                expose,
                refers,
                reads_secret,
            },
        )
}

/// A valid app of 1 to 6 services, with config, a secret, an ingress, an
/// autoscaler, a database and an environment.
fn app() -> impl Strategy<Value = String> {
    (1usize..=6)
        .prop_flat_map(|n| ((0..n).map(svc).collect::<Vec<_>>(), any::<bool>(), any::<bool>(), any::<bool>()))
        .prop_map(|(svcs, ingress, autoscale, database)| {
            let mut s = String::from("app gen {\n  accept image-not-pinned secret-in-env\n  secret creds { TOKEN }\n");
            let mut config = String::from("  config settings {\n    MODE = \"generated\"\n");
            for (i, v) in svcs.iter().enumerate() {
                if let Some(r) = v.refers.map(|r| r % svcs.len()).filter(|r| *r != i) {
                    let other = svcs.get(r).map_or("web", |o| o.name);
                    config.push_str(&format!("    URL_{i} = url({other})\n"));
                }
            }
            config.push_str("  }\n");
            s.push_str(&config);
            for (i, v) in svcs.iter().enumerate() {
                s.push_str(&format!("  service {} {{\n", v.name));
                s.push_str(&format!("    image registry.example.com/gen/{}:1.{}\n", v.name, v.port));
                s.push_str(&format!("    replicas {}\n", v.replicas));
                let expose = ["", "    expose load-balancer\n", ""][usize::from(v.expose)];
                // nodePorts are unique in the app: one range of 300 per service.
                let node = if v.expose == 2 { format!(" node {}", 30000 + 300 * i + usize::from(v.port % 300)) } else { String::new() };
                s.push_str(&format!("    port http {} -> {}{node}\n{expose}", v.port, v.target));
                s.push_str(&format!("    cpu {}m..{}m  memory {}Mi..{}Mi\n", v.cpu_req, v.cpu_req + v.cpu_lim_extra, v.mem, v.mem * 2));
                s.push_str(match v.probe {
                    0 => "    readiness http /healthz delay 5s\n    liveness http /healthz period 20s\n",
                    1 => "    readiness tcp\n",
                    _ => "    readiness exec \"cat /tmp/ready\" failures 5\n",
                });
                s.push_str("    env from settings\n");
                if v.reads_secret {
                    s.push_str("    env creds.TOKEN\n");
                }
                s.push_str("  }\n");
            }
            if !svcs.iter().any(|v| v.reads_secret) {
                s.push_str("  service reader { image r:1 port 80 cpu 10m memory 16Mi readiness tcp env creds.TOKEN }\n");
            }
            if let Some(first) = svcs.first() {
                if ingress {
                    s.push_str(&format!("  ingress public {{ host gen.example.com  tls  class nginx  route / -> {} }}\n", first.name));
                }
                if autoscale {
                    s.push_str(&format!("  autoscale {} 1..5 cpu 75%\n", first.name));
                }
            }
            if database {
                s.push_str("  database db { image postgres:16 port 5432 cpu 100m..500m memory 256Mi..1Gi readiness exec \"pg_isready\" volume data 2Gi at /var/lib/postgresql/data volume run emptydir at /var/run/postgresql }\n");
                s.push_str("  network { allow web -> db }\n");
            }
            s.push_str("  env dev { replicas 1  settings.MODE = \"dev\" }\n}\n");
            s
        })
}

#[test]
fn generated_apps_compile_to_valid_manifests() {
    let outputs = std::cell::RefCell::new(Vec::new());
    let mut runner = TestRunner::new(Config {
        cases: 64,
        ..Config::default()
    });
    runner
        .run(&app(), |source| {
            for env in [None, Some("dev")] {
                let c = tfc::compile(
                    &source,
                    &tfc::CompileOptions {
                        env: env.map(str::to_string),
                        ..Default::default()
                    },
                );
                let errors: Vec<_> = c
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| d.message.clone())
                    .collect();
                prop_assert!(errors.is_empty(), "{source}\n{errors:#?}");
                let objects = c.objects.unwrap_or_default();
                prop_assert!(!objects.is_empty());
                outputs
                    .borrow_mut()
                    .push(tfc::emit::yaml::stream(&objects).unwrap_or_default());
            }
            Ok(())
        })
        .unwrap();
    let Some(kv) = find_tool("kubernetes-validate") else {
        skip(
            "strict validation of generated apps",
            "kubernetes-validate is not installed",
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let outputs = outputs.into_inner();
    let files: Vec<_> = outputs
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let p = tmp.path().join(format!("gen-{i}.yaml"));
            std::fs::write(&p, o).unwrap();
            p
        })
        .collect();
    let out = std::process::Command::new(kv)
        .args(["--strict", "--quiet"])
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One random edit of a source text.
#[derive(Clone, Debug)]
enum Edit {
    Delete(usize, usize),
    Duplicate(usize, usize),
    Swap(usize, usize),
    Garble(usize, u8),
    Truncate(usize),
    Insert(usize, char),
    DeleteToken(usize),
    DuplicateToken(usize),
    SwapTokens(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), 1usize..60).prop_map(|(a, n)| Edit::Duplicate(a, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Edit::Garble(a, b)),
        any::<usize>().prop_map(Edit::Truncate),
        any::<usize>().prop_map(Edit::DeleteToken),
        any::<usize>().prop_map(Edit::DuplicateToken),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapTokens(a, b)),
        (
            any::<usize>(),
            prop_oneof![
                Just('{'),
                Just('}'),
                Just('"'),
                Just('é'),
                Just('🚀'),
                Just('\u{200b}'),
                Just('\u{feff}'),
                Just('\0'),
                Just('['),
                Just('#'),
                Just('=')
            ]
        )
            .prop_map(|(a, c)| Edit::Insert(a, c)),
    ]
}

/// The character ranges of the whitespace-separated tokens.
fn tokens(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, chars.len()));
    }
    out
}

/// Applies edits on character and token boundaries.
fn apply(source: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = source.chars().collect();
    for e in edits {
        let toks = tokens(&chars);
        if let (Edit::DeleteToken(t) | Edit::DuplicateToken(t), false) = (e, toks.is_empty()) {
            let (a, b) = toks[t % toks.len()];
            if matches!(e, Edit::DeleteToken(_)) {
                chars.drain(a..b);
            } else {
                let piece: Vec<char> = chars[a..b]
                    .iter()
                    .copied()
                    .chain(std::iter::once(' '))
                    .collect();
                chars.splice(a..a, piece);
            }
            continue;
        }
        if let (Edit::SwapTokens(x, y), false) = (e, toks.is_empty()) {
            let (mut p, mut q) = (toks[x % toks.len()], toks[y % toks.len()]);
            if p.0 > q.0 {
                std::mem::swap(&mut p, &mut q);
            }
            if p != q {
                let first: Vec<char> = chars[p.0..p.1].to_vec();
                let second: Vec<char> = chars[q.0..q.1].to_vec();
                chars.splice(q.0..q.1, first);
                chars.splice(p.0..p.1, second);
            }
            continue;
        }
        let len = chars.len().max(1);
        match *e {
            Edit::Delete(a, n) => {
                let a = a % len;
                let b = (a + n).min(chars.len());
                chars.drain(a.min(chars.len())..b);
            }
            Edit::Duplicate(a, n) => {
                let a = (a % len).min(chars.len());
                let b = (a + n).min(chars.len());
                let piece: Vec<char> = chars[a..b].to_vec();
                chars.splice(b..b, piece);
            }
            Edit::Swap(a, b) => {
                if !chars.is_empty() {
                    let (a, b) = (a % chars.len(), b % chars.len());
                    chars.swap(a, b);
                }
            }
            Edit::Garble(a, b) => {
                if !chars.is_empty() {
                    let a = a % chars.len();
                    chars[a] = char::from(b);
                }
            }
            Edit::Truncate(a) => chars.truncate(a % len),
            Edit::Insert(a, c) => {
                let a = (a % len).min(chars.len());
                chars.insert(a, c);
            }
            Edit::DeleteToken(_) | Edit::DuplicateToken(_) | Edit::SwapTokens(..) => {}
        }
    }
    chars.into_iter().collect()
}

/// Compiles on another thread; None when it takes longer than 10 s (a hang).
fn compile_in_time(source: String) -> Option<std::thread::Result<tfc::Compiled>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(|| tfc::compile(&source, &tfc::CompileOptions::default()));
        let _ = tx.send(r);
    });
    rx.recv_timeout(Duration::from_secs(10)).ok()
}

#[test]
fn edited_examples_never_panic_or_hang_and_every_rejection_is_located() {
    let sources: Vec<String> = examples()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let mut runner = TestRunner::new(Config {
        cases: 512,
        ..Config::default()
    });
    let strategy = (0..sources.len(), proptest::collection::vec(edit(), 1..6));
    runner
        .run(&strategy, |(i, edits)| {
            let source = apply(&sources[i], &edits);
            let result = compile_in_time(source.clone());
            prop_assert!(result.is_some(), "compiling took over 10 s:\n{source}");
            let compiled = result.unwrap();
            prop_assert!(compiled.is_ok(), "compile panicked on:\n{source}");
            let compiled = compiled.unwrap();
            for d in &compiled.diagnostics {
                prop_assert!(
                    d.primary.span.end <= source.len()
                        && d.primary.span.start <= d.primary.span.end
                );
                let text = render_human(
                    "edited.taskflow",
                    &source,
                    std::slice::from_ref(d),
                    ColorChoice::Never,
                );
                prop_assert!(
                    text.contains("┌─ edited.taskflow:"),
                    "no location in:\n{text}"
                );
                let json: serde_json::Value = serde_json::from_str(
                    render_json("edited.taskflow", &source, std::slice::from_ref(d)).trim(),
                )
                .unwrap();
                prop_assert!(
                    json["primary"]["line"].as_u64().unwrap_or(0) >= 1
                        && json["primary"]["column"].as_u64().unwrap_or(0) >= 1
                );
            }
            Ok(())
        })
        .unwrap();
}
