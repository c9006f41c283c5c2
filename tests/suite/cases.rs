//! Bad-input cases in tests/cases/**.taskflow. Each starts with
//! `# expect: CODE...` (the exact set of codes it must produce) and maybe
//! `# args: --env NAME`, and `# secrets: SECRET.KEY=value` lines (the
//! values passed as with `--secrets`). The rendered diagnostics are
//! snapshotted.

use crate::support::{files_with, root, snapshot_settings};
use std::collections::BTreeSet;
use tfc::diagnostic::{Code, ColorChoice, render_human};

struct Case {
    name: String,
    /// The file as read (lossy where it is not UTF-8).
    source: String,
    bytes: Vec<u8>,
    expect: BTreeSet<String>,
    env: Option<String>,
    secrets: tfc::emit::SecretValues,
    /// The case's directory: where the files it names are read from.
    dir: std::path::PathBuf,
}

fn load() -> Vec<Case> {
    let dir = root().join("tests/cases");
    files_with(&dir, "taskflow")
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let source = String::from_utf8_lossy(&bytes).into_owned();
            let name = p
                .strip_prefix(&dir)
                .unwrap()
                .with_extension("")
                .to_string_lossy()
                .replace('/', "__");
            let header = |key: &str| {
                source
                    .trim_start_matches('\u{feff}')
                    .lines()
                    .take_while(|l| l.starts_with('#'))
                    .find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_string()))
            };
            let expect =
                header("# expect:").unwrap_or_else(|| panic!("{name}: no `# expect:` line"));
            let env = header("# args:")
                .and_then(|a| a.strip_prefix("--env").map(|e| e.trim().to_string()));
            let secrets: String = source
                .lines()
                .take_while(|l| l.starts_with('#'))
                .filter_map(|l| l.strip_prefix("# secrets:"))
                .map(|l| format!("{}\n", l.trim()))
                .collect();
            let secrets = tfc::secrets::values(&tfc::secrets::parse(&secrets).unwrap());
            Case {
                name,
                bytes,
                expect: expect.split_whitespace().map(str::to_string).collect(),
                env,
                secrets,
                source,
                dir: p.parent().unwrap().to_path_buf(),
            }
        })
        .collect()
}

/// Decodes and compiles a case as the CLI does: the text shown, and the result.
fn compile_case(c: &Case, opts: &tfc::CompileOptions) -> (String, tfc::Compiled) {
    match tfc::decode(c.bytes.clone()) {
        Ok(text) => {
            let compiled = tfc::compile(&text, opts);
            (text, compiled)
        }
        Err(u) => (
            u.text,
            tfc::Compiled {
                app: None,
                objects: None,
                origins: Vec::new(),
                diagnostics: vec![*u.diagnostic],
            },
        ),
    }
}

#[test]
fn every_case_reports_exactly_its_codes_and_renders_as_snapshotted() {
    let cases = load();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let opts = tfc::CompileOptions {
            env: c.env.clone(),
            secrets: c.secrets.clone(),
            base_dir: Some(c.dir.clone()),
            ..Default::default()
        };
        let (text, compiled) = compile_case(c, &opts);
        let got: BTreeSet<String> = compiled
            .diagnostics
            .iter()
            .map(|d| d.code.as_str().to_string())
            .collect();
        if got != c.expect {
            failures.push(format!(
                "{}: expected {:?}, got {:?}",
                c.name, c.expect, got
            ));
        }
        let mut rendered = render_human(
            &format!("{}.taskflow", c.name.replace("__", "/")),
            &text,
            &compiled.diagnostics,
            ColorChoice::Never,
        );
        // What a clean case compiles to is what users deploy: it is pinned
        // too (not with secret values, which never reach a snapshot).
        let clean = !compiled.diagnostics.iter().any(|d| d.is_error());
        if let Some(objects) = compiled
            .objects
            .as_ref()
            .filter(|_| clean && c.secrets.is_empty())
        {
            rendered.push_str("=== output ===\n");
            rendered.push_str(&tfc::emit::yaml::stream(objects).unwrap());
        }
        snapshot_settings().bind(|| insta::assert_snapshot!(format!("case__{}", c.name), rendered));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_error_has_a_code_a_span_and_a_message() {
    for c in load() {
        let opts = tfc::CompileOptions {
            env: c.env.clone(),
            secrets: c.secrets.clone(),
            base_dir: Some(c.dir.clone()),
            ..Default::default()
        };
        let (text, compiled) = compile_case(&c, &opts);
        for d in &compiled.diagnostics {
            assert!(d.code.as_str().starts_with("TF"), "{}: {:?}", c.name, d);
            assert!(!d.message.is_empty(), "{}: empty message", c.name);
            assert!(
                d.primary.span.end <= text.len(),
                "{}: span out of range",
                c.name
            );
        }
        if c.expect.iter().any(|code| code.starts_with("TF0")) {
            assert!(compiled.has_errors(), "{}: expected an error", c.name);
            assert!(
                compiled.objects.is_none(),
                "{}: produced output despite errors",
                c.name
            );
        }
    }
}

#[test]
fn every_code_has_a_case() {
    let covered: BTreeSet<String> = load().into_iter().flat_map(|c| c.expect).collect();
    // Covered elsewhere: the size limits (below), the warning for an object
    // of a kind without rules (a unit test in src/validate: every kind tfc
    // emits has rules, so no file reaches it), and the codes about files and
    // the command line, which tests of the binary must name.
    let cli: String = ["cli.rs", "output.rs"]
        .iter()
        .map(|f| std::fs::read_to_string(root().join("tests/suite").join(f)).unwrap())
        .collect();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| {
            !covered.contains(*c) && !["TF0003", "TF0508", "TF1009"].contains(c) && !cli.contains(c)
        })
        .collect();
    assert!(missing.is_empty(), "codes without a case: {missing:?}");
}

#[test]
fn a_10_mb_file_is_refused_before_parsing() {
    let line = "# padding padding padding padding padding padding padding\n";
    let big = format!(
        "app big {{\n{}}}\n",
        line.repeat(10 * 1024 * 1024 / line.len() + 1)
    );
    assert!(big.len() > 10 * 1024 * 1024);
    let err = tfc::decode(big.into_bytes()).err().unwrap();
    assert_eq!(err.diagnostic.code.as_str(), "TF0003");
    let rendered = render_human(
        "big.taskflow",
        &err.text,
        &[*err.diagnostic],
        ColorChoice::Never,
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("case__input__ten-megabytes", rendered));
}

#[test]
fn syntax_errors_in_two_items_are_both_reported() {
    let case = load()
        .into_iter()
        .find(|c| c.name == "syntax__two-syntax-errors")
        .unwrap();
    let c = tfc::compile(&case.source, &tfc::CompileOptions::default());
    let syntax: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "TF0001")
        .collect();
    assert_eq!(syntax.len(), 2, "{:#?}", c.diagnostics);
    let lines: Vec<usize> = syntax
        .iter()
        .map(|d| tfc::span::line_col(&case.source, d.primary.span.start).0)
        .collect();
    assert_eq!(lines, vec![8, 12], "one in the service, one in the ingress");
}

#[test]
fn several_errors_are_reported_in_one_run() {
    let case = load()
        .into_iter()
        .find(|c| c.name == "multiple__many-errors-one-run")
        .unwrap();
    let c = tfc::compile(&case.source, &tfc::CompileOptions::default());
    let errors = c.diagnostics.iter().filter(|d| d.is_error()).count();
    assert!(errors >= 6, "only {errors} errors");
}

/// Codes and rendered diagnostics of a generated source.
fn check_generated(source: &str) -> (Vec<&'static str>, String) {
    let c = tfc::check_all(source, &Default::default());
    let codes = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    let rendered = render_human("big.taskflow", source, &c.diagnostics, ColorChoice::Never);
    (codes, rendered)
}

#[test]
fn a_config_over_1_mib_and_annotations_over_256_kib_are_refused() {
    let value = "x".repeat(512 * 1024);
    let config = format!(
        "app big {{\n  accept unused-config-key\n  config c {{\n    A = \"{value}\"\n    B = \"{value}\"\n    C = \"x\"\n  }}\n}}\n"
    );
    let (codes, rendered) = check_generated(&config);
    assert_eq!(codes, ["TF0508"], "{rendered}");
    assert!(
        rendered.contains("1048577 bytes of data is over the 1 MiB limit"),
        "{rendered}"
    );
    // Exactly the limit is fine.
    let (codes, _) = check_generated(&config.replace("    C = \"x\"\n", ""));
    assert!(codes.is_empty(), "{codes:?}");

    let note = "y".repeat(128 * 1024);
    let annotations =
        format!("app big {{\n  annotations {{ a = \"{note}\"  b = \"{note}\" }}\n}}\n");
    let (codes, rendered) = check_generated(&annotations);
    assert!(codes.contains(&"TF0508"), "{rendered}");
    assert!(rendered.contains("over the 256 KiB limit"), "{rendered}");
    let (codes, _) = check_generated(&annotations.replace(&note, "short"));
    assert!(!codes.contains(&"TF0508"), "{codes:?}");
}
