//! Every example in README.md and docs/*.md is tested, so the docs say what
//! is true today. Each fenced block carries a tag:
//!
//! * `taskflow` compiles without errors (a fragment is wrapped in
//!   `app shop { }`; `env=NAME` in the info string selects an environment).
//!   Its YAML is snapshotted, and a `yaml` block right after it must be an
//!   excerpt of that YAML: its lines appear in order (`...` skips lines).
//! * `taskflow-fails` must be rejected; its diagnostics are snapshotted, and
//!   a `text` block right after it must be exactly what tfc prints.
//!   `secrets` in the info string passes the last `dotenv` block before it
//!   as the secrets file.
//! * `console` is a shell session: each `$ COMMAND` runs (with `sh`, in a
//!   fresh directory holding the last `taskflow` block as `shop.taskflow`)
//!   and must print exactly the lines below it.
//! * `text`, `sh`, `json`, `yaml` (alone), `dotenv` are shown only.
//!
//! A block without a tag fails the test: every example is one or the other.

use crate::support::{root, snapshot_settings};
use tfc::diagnostic::{ColorChoice, render_human};

struct Block {
    file: String,
    line: usize,
    /// The line of its closing fence.
    end: usize,
    info: String,
    body: String,
    /// Only blank lines stand between the previous block and this one.
    after_blank: bool,
}

fn blocks(file: &str) -> Vec<Block> {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut blank_since_block = true;
    while i < lines.len() {
        let l = lines[i];
        let trimmed = l.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            let indent = l.len() - trimmed.len();
            let mut body = Vec::new();
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim() != "```" {
                body.push(lines[j].get(indent..).unwrap_or(lines[j].trim_start()));
                j += 1;
            }
            out.push(Block {
                file: file.to_string(),
                line: i + 1,
                end: j + 1,
                info: info.trim().to_string(),
                body: body.join("\n") + "\n",
                after_blank: blank_since_block,
            });
            blank_since_block = true;
            i = j + 1;
        } else {
            blank_since_block &= l.trim().is_empty();
            i += 1;
        }
    }
    out
}

fn source(body: &str) -> String {
    if body.trim_start().starts_with("app ") || body.trim_start().starts_with('#') {
        body.to_string()
    } else {
        format!("app shop {{\n{body}}}\n")
    }
}

/// Whether every line of `excerpt` appears in `output`, in order.
fn is_excerpt(excerpt: &str, output: &str) -> Result<(), String> {
    let mut lines = output.lines();
    for want in excerpt
        .lines()
        .filter(|l| l.trim() != "..." && !l.trim().is_empty())
    {
        if !lines.any(|got| got == want) {
            return Err(format!("`{want}` is not in the output (in this order)"));
        }
    }
    Ok(())
}

/// Runs a shell session and compares what each command prints.
fn console(session: &str, app: Option<&str>) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    if let Some(app) = app {
        std::fs::write(dir.path().join("shop.taskflow"), app).unwrap();
    }
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_tfc"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut steps: Vec<(String, String)> = Vec::new();
    for line in session.lines() {
        match line.strip_prefix("$ ") {
            Some(cmd) => steps.push((cmd.to_string(), String::new())),
            None => {
                if let Some((_, out)) = steps.last_mut() {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
    }
    for (cmd, want) in steps {
        let o = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{cmd} 2>&1"))
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let got = String::from_utf8_lossy(&o.stdout);
        if got != want {
            return Err(format!("`{cmd}` prints\n{got}\nnot\n{want}"));
        }
    }
    Ok(())
}

const FILES: &[&str] = &[
    "README.md",
    "docs/language.md",
    "docs/cli.md",
    "docs/helm.md",
    "docs/security.md",
    "docs/reliability.md",
    "docs/performance.md",
    "docs/architecture.md",
    "docs/install.md",
    "docs/gitops.md",
];

/// The YAML of every `taskflow` example of the docs that compiles, by place.
pub fn compiled_doc_examples() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in FILES.iter().filter(|f| root().join(f).exists()) {
        for b in blocks(file) {
            let mut words = b.info.split_whitespace();
            if words.next() != Some("taskflow") || b.info.contains("secrets") {
                continue;
            }
            let env = words
                .find_map(|w| w.strip_prefix("env="))
                .map(str::to_string);
            let opts = tfc::CompileOptions {
                env,
                base_dir: root().join(file).parent().map(Into::into),
                ..Default::default()
            };
            let c = tfc::compile(&source(&b.body), &opts);
            if let Some(objects) = c.objects {
                let at = format!("{}-{}", file.replace(['/', '.'], "-"), b.line);
                out.push((at, tfc::emit::yaml::stream(&objects).unwrap()));
            }
        }
    }
    out
}

#[test]
fn every_example_in_the_docs_does_what_the_docs_say() {
    let mut failures = Vec::new();
    let mut snapshot = String::new();
    for file in FILES {
        if !root().join(file).exists() {
            continue;
        }
        let all = blocks(file);
        let mut last_app: Option<String> = None;
        let mut last_secrets: Option<String> = None;
        let mut examples = 0;
        for (k, b) in all.iter().enumerate() {
            let at = format!("{}:{}", b.file, b.line);
            let lang = b.info.split_whitespace().next().unwrap_or("");
            // The block right below this one, if nothing (but a blank line)
            // stands between them.
            let next = all
                .get(k + 1)
                .filter(|n| n.line == b.end + 1 || (n.line == b.end + 2 && n.after_blank));
            let env = b
                .info
                .split_whitespace()
                .find_map(|w| w.strip_prefix("env="))
                .map(str::to_string);
            match lang {
                "taskflow" | "taskflow-fails" => {
                    let src = source(&b.body);
                    let secrets = if b.info.split_whitespace().any(|w| w == "secrets") {
                        let text = last_secrets.clone().unwrap_or_default();
                        tfc::secrets::values(&tfc::secrets::parse(&text).unwrap())
                    } else {
                        Default::default()
                    };
                    if src == b.body {
                        last_app = Some(src.clone());
                    }
                    let c = tfc::compile(
                        &src,
                        &tfc::CompileOptions {
                            env,
                            secrets,
                            // Files an example names are next to its page.
                            base_dir: root().join(file).parent().map(Into::into),
                            ..Default::default()
                        },
                    );
                    let rendered =
                        render_human("shop.taskflow", &src, &c.diagnostics, ColorChoice::Never);
                    let errors = c.has_errors();
                    // By example number, so that editing prose moves nothing.
                    examples += 1;
                    snapshot.push_str(&format!("===== {} example {examples} ({lang})\n", b.file));
                    if lang == "taskflow" {
                        let Some(objects) = c.objects.filter(|_| !errors) else {
                            failures.push(format!("{at}: does not compile:\n{rendered}"));
                            continue;
                        };
                        let yaml = tfc::emit::yaml::stream(&objects).unwrap();
                        if let Some(n) = next.filter(|n| n.info == "yaml") {
                            if let Err(e) = is_excerpt(&n.body, &yaml) {
                                failures.push(format!("{}:{}: {e}", n.file, n.line));
                            }
                        }
                        snapshot.push_str(&yaml);
                    } else {
                        if !errors {
                            failures.push(format!("{at}: was expected to fail, and compiles"));
                        }
                        if let Some(n) = next.filter(|n| n.info == "text") {
                            if n.body.trim_end() != rendered.trim_end() {
                                failures
                                    .push(format!("{}:{}: tfc prints\n{rendered}", n.file, n.line));
                            }
                        }
                        snapshot.push_str(&rendered);
                    }
                }
                "console" => {
                    if let Err(e) = console(&b.body, last_app.as_deref()) {
                        failures.push(format!("{at}: {e}"));
                    }
                }
                "dotenv" => last_secrets = Some(b.body.clone()),
                "text" | "sh" | "json" | "yaml" => {}
                other => failures.push(format!(
                    "{at}: a block tagged `{other}`: tag it (see tests/suite/docs.rs)"
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    snapshot_settings().bind(|| insta::assert_snapshot!("docs__examples", snapshot));
}
