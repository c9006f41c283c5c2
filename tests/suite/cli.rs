//! The `tfc` binary: exit codes, output directories, secrets, formats.

use crate::support::{root, tfc};
use std::path::Path;

const APP: &str = r#"app shop {
  secret creds { token }
  service web {
    image nginxinc/nginx-unprivileged:1.27
    port http 8080
    cpu 100m..200m  memory 64Mi..128Mi
    readiness http /healthz
    env TOKEN = creds.token
  }
  service api {
    image api:1.0
    port http 9000
    cpu 100m..200m  memory 64Mi..128Mi
    readiness http /healthz
  }
}
"#;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn compile_writes_one_file_per_object_and_a_kustomization() {
    let tmp = tempfile::tempdir().unwrap();
    let src = write(tmp.path(), "app.taskflow", APP);
    let out = tfc(&["compile", &src, "-o", "out"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = tmp.path().join("out");
    for f in [
        "deployment-web.yaml",
        "service-web.yaml",
        "secret-creds.yaml",
        "kustomization.yaml",
        ".tfc-manifest",
    ] {
        assert!(dir.join(f).is_file(), "missing {f}");
    }
    let k = std::fs::read_to_string(dir.join("kustomization.yaml")).unwrap();
    let secret_at = k.find("secret-creds.yaml").unwrap();
    assert!(
        secret_at < k.find("deployment-web.yaml").unwrap(),
        "secrets are applied before workloads"
    );
    assert!(
        stdout(&out).is_empty(),
        "compile to a directory prints nothing on stdout"
    );
}

#[test]
fn errors_exit_1_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let src = write(
        tmp.path(),
        "bad.taskflow",
        &APP.replace("creds.token", "creds.tokn"),
    );
    let out = tfc(&["compile", &src, "-o", "out"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[TF0204]"), "{}", stderr(&out));
    assert!(stderr(&out).contains("did you mean `token`?"));
    assert!(!tmp.path().join("out").exists());
    let check = tfc(&["check", &src], tmp.path());
    assert_eq!(check.status.code(), Some(1));
}

#[test]
fn usage_and_io_problems_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(
        tfc(&["check", "missing.taskflow"], tmp.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        tfc(&["compile", "x.taskflow"], tmp.path()).status.code(),
        Some(2),
        "missing -o"
    );
    assert_eq!(tfc(&["frobnicate"], tmp.path()).status.code(), Some(2));
    assert_eq!(
        tfc(&["explain", "TF9999"], tmp.path()).status.code(),
        Some(2)
    );
}

#[test]
fn check_exits_0_on_a_clean_file_and_covers_every_environment() {
    let tmp = tempfile::tempdir().unwrap();
    let clean = APP
        .replace("  secret creds { token }\n", "")
        .replace("    env TOKEN = creds.token\n", "");
    let src = write(tmp.path(), "ok.taskflow", &clean);
    let out = tfc(&["check", &src], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let with_env = clean.replace("\n}\n", "\n  env dev { web.replicas 0 }\n}\n");
    let src = write(tmp.path(), "env.taskflow", &with_env);
    let out = tfc(&["check", &src], tmp.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "an error only in `env dev` is still found"
    );
    assert!(stderr(&out).contains("TF0305"));
}

#[test]
fn json_diagnostics_carry_code_and_position() {
    let tmp = tempfile::tempdir().unwrap();
    let src = write(
        tmp.path(),
        "bad.taskflow",
        &APP.replace("port http 9000", "port http 99999"),
    );
    let out = tfc(&["check", "--message-format", "json", &src], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stderr(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let d = lines.iter().find(|d| d["code"] == "TF0301").unwrap();
    assert_eq!(d["severity"], "error");
    assert_eq!(d["primary"]["line"], 12);
    assert_eq!(d["name"], "port-out-of-range");
}

#[test]
fn deny_warnings_turns_a_missing_secret_value_into_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let src = write(tmp.path(), "app.taskflow", APP);
    assert_eq!(tfc(&["check", &src], tmp.path()).status.code(), Some(0));
    let out = tfc(&["check", "--deny-warnings", &src], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("secret `creds` key `token` has no value"));
}

#[test]
fn secret_values_reach_only_the_secret_file() {
    let tmp = tempfile::tempdir().unwrap();
    let src = write(tmp.path(), "app.taskflow", APP);
    let canary = "canary-7f3a9c1e-not-for-logs";
    let secrets = write(
        tmp.path(),
        "secrets.env",
        &format!("creds.token={canary}\ncreds.tokne={canary}\n"),
    );
    let out = tfc(
        &["compile", &src, "-o", "out", "--secrets", &secrets],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all_output = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        !all_output.contains(canary),
        "the value leaked to the terminal"
    );
    assert!(
        stderr(&out).contains("TF1007"),
        "the unknown key is reported"
    );
    use base64_check::encode;
    let encoded = encode(canary.as_bytes());
    let dir = tmp.path().join("out");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(
            !text.contains(canary),
            "{} holds the raw value",
            p.display()
        );
        let is_secret = p
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("secret-");
        assert_eq!(text.contains(&encoded), is_secret, "{}", p.display());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("secret-creds.yaml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn secret_values_are_never_written_to_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let src = write(tmp.path(), "app.taskflow", APP);
    let secrets = write(tmp.path(), "s.env", "creds.token=abc\n");
    let out = tfc(
        &["compile", &src, "-o", "-", "--secrets", &secrets],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
}

#[test]
fn dash_writes_one_stream_to_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let src = write(tmp.path(), "app.taskflow", APP);
    let out = tfc(&["compile", &src, "-o", "-"], tmp.path());
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("---\n"));
    assert_eq!(text.matches("\nkind: Deployment\n").count(), 2);
}

#[test]
fn foreign_files_are_never_overwritten_or_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let src = write(tmp.path(), "app.taskflow", APP);
    let dir = tmp.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("deployment-web.yaml"), "mine\n").unwrap();
    let out = tfc(&["compile", &src, "-o", "out"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("error[TF4005]"), "{}", stderr(&out));
    assert!(stderr(&out).contains("was not written by tfc"));
    assert_eq!(
        std::fs::read_to_string(dir.join("deployment-web.yaml")).unwrap(),
        "mine\n"
    );
    assert!(
        !dir.join("service-web.yaml").exists(),
        "nothing is written when one file is refused"
    );
}

#[test]
fn stale_files_of_an_earlier_compile_are_removed_and_others_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let src = write(tmp.path(), "app.taskflow", APP);
    assert_eq!(
        tfc(&["compile", &src, "-o", "out"], tmp.path())
            .status
            .code(),
        Some(0)
    );
    let dir = tmp.path().join("out");
    std::fs::write(dir.join("notes.txt"), "keep me\n").unwrap();
    let one = APP.replace("  service api {\n    image api:1.0\n    port http 9000\n    cpu 100m..200m  memory 64Mi..128Mi\n    readiness http /healthz\n  }\n", "");
    write(tmp.path(), "app.taskflow", &one);
    let out = tfc(&["compile", &src, "-o", "out"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        !dir.join("deployment-api.yaml").exists(),
        "the stale object is gone"
    );
    assert!(dir.join("deployment-web.yaml").exists());
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "keep me\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("staging")
        })
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn unknown_environment_is_an_error_with_the_choices() {
    let out = tfc(
        &[
            "compile",
            "examples/taskflow-helm.taskflow",
            "-o",
            "-",
            "--env",
            "prod",
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("TF0207"));
    assert!(stderr(&out).contains("dev"));
}

#[test]
fn explain_prints_the_long_form() {
    let out = tfc(&["explain", "TF0201"], &root());
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("unknown-service"));
    let by_name = tfc(&["explain", "unknown-service"], &root());
    assert_eq!(stdout(&by_name), stdout(&out));
    let list = tfc(&["explain"], &root());
    assert!(stdout(&list).lines().count() >= 50);
}

#[test]
fn help_is_available_for_every_subcommand() {
    for sub in ["compile", "check", "explain"] {
        let out = tfc(&[sub, "--help"], &root());
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).contains("Usage: tfc"), "{sub}");
    }
    let out = tfc(&["--help"], &root());
    assert!(
        stdout(&out).contains("compile")
            && stdout(&out).contains("check")
            && stdout(&out).contains("explain")
    );
}

/// A tiny base64 encoder, so the test does not trust the code under test.
mod base64_check {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    pub fn encode(b: &[u8]) -> String {
        let mut out = String::new();
        for c in b.chunks(3) {
            let n = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            for i in 0..4 {
                if i <= c.len() {
                    out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}

#[test]
fn an_internal_error_is_reported_without_a_backtrace() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tfc"))
        .args(["check", "examples/taskora.taskflow"])
        .current_dir(root())
        .env("TFC_INTERNAL_ERROR_TEST", "1")
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(101));
    let err = stderr(&out);
    assert!(
        err.contains("error[TF4999]: internal compiler error"),
        "{err}"
    );
    assert!(err.contains("please report"), "{err}");
    assert!(
        !err.contains("stack backtrace") && !err.contains("panicked at"),
        "{err}"
    );
}

#[test]
fn canary_secret_values_never_reach_diagnostics_or_snapshots() {
    let tmp = tempfile::tempdir().unwrap();
    let canary = "canary-e1b2c3d4-in-diagnostics";
    let src = write(
        tmp.path(),
        "app.taskflow",
        &APP.replace("port http 9000", "port http 99999"),
    );
    let secrets = write(
        tmp.path(),
        "s.env",
        &format!("creds.token={canary}\ncreds.other={canary}\n"),
    );
    for format in ["human", "json"] {
        let out = tfc(
            &[
                "check",
                &src,
                "--secrets",
                &secrets,
                "--message-format",
                format,
            ],
            tmp.path(),
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(!stdout(&out).contains(canary) && !stderr(&out).contains(canary));
    }
    let bad = write(tmp.path(), "bad.env", &format!("creds.token=\"{canary}\n"));
    let out = tfc(&["check", &src, "--secrets", &bad], tmp.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "an unclosed quote is an error in the input"
    );
    assert!(
        !stderr(&out).contains(canary),
        "the error names the line, not the value"
    );
    for snap in crate::support::files_with(&root().join("tests/snapshots"), "snap") {
        assert!(
            !std::fs::read_to_string(&snap).unwrap().contains("canary"),
            "{}",
            snap.display()
        );
    }
}

/// Lines a secrets file may hold by mistake; none may ever be printed.
const LEAKY: &str = "creds.token=ok\n\
postgres://admin:hunter2-leak@db.internal:5432/shop?sslmode=require\n\
-----BEGIN PRIVATE KEY-----\n\
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7leakleakleak==\n\
-----END PRIVATE KEY-----\n\
creds.token=\"tab\\qleak-escape\"\n\
creds.token=\"unterminated leak-quote\n\
Creds.token=upper-leak\n\
creds.token='x' trailing-leak\n\
\u{1b}[31mcreds.token=esc-leak\n";

#[test]
fn a_malformed_secrets_file_is_reported_by_line_never_by_content() {
    let tmp = tempfile::tempdir().unwrap();
    let src = write(tmp.path(), "app.taskflow", APP);
    let secrets = write(tmp.path(), "s.env", LEAKY);
    for format in ["human", "json"] {
        let out = tfc(
            &[
                "compile",
                &src,
                "-o",
                "out",
                "--secrets",
                &secrets,
                "--message-format",
                format,
            ],
            tmp.path(),
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        for leak in ["hunter2", "leak", "MIIE", "postgres", "BEGIN", "\u{1b}"] {
            assert!(!err.contains(leak), "{format}: `{leak}` printed:\n{err}");
        }
        let lines: Vec<usize> = if format == "json" {
            err.lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
                .filter(|d| d["code"] == "TF4003")
                .map(|d| d["primary"]["line"].as_u64().unwrap() as usize)
                .collect()
        } else {
            err.matches("error[TF4003]").map(|_| 0).collect()
        };
        assert_eq!(lines.len(), 9, "{format}: {err}");
        if format == "json" {
            assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8, 9, 10]);
        }
        assert!(!tmp.path().join("out").exists(), "nothing is written");
    }
}

#[test]
fn an_unknown_secrets_line_is_a_diagnostic_like_any_other() {
    let tmp = tempfile::tempdir().unwrap();
    let src = write(tmp.path(), "app.taskflow", APP);
    let secrets = write(tmp.path(), "s.env", "creds.token=a\ncreds.tokne=b\n");
    let out = tfc(&["check", &src, "--secrets", &secrets], tmp.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("warning[TF1007]: `creds.tokne` is not a declared secret key"));
    assert!(stderr(&out).contains("s.env`, line 2"), "{}", stderr(&out));
    assert!(stderr(&out).contains("did you mean `creds.token`?"));
    // It counts for --deny-warnings and shows in JSON, and its value never does.
    let out = tfc(
        &[
            "check",
            &src,
            "--secrets",
            &secrets,
            "--deny-warnings",
            "--message-format",
            "json",
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let d: Vec<serde_json::Value> = stderr(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let u = d.iter().find(|d| d["code"] == "TF1007").unwrap();
    assert_eq!(u["severity"], "error");
    assert_eq!(u["primary"]["line"], 2);
    assert!(!stderr(&out).contains("=b"));
}

#[test]
fn file_and_option_problems_are_coded_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let src = write(tmp.path(), "app.taskflow", APP);
    let out = tfc(&["check", "missing.taskflow"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("error[TF4001]"), "{}", stderr(&out));
    let out = tfc(&["check", &src, "--secrets", "missing.env"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("error[TF4001]"));
    for args in [
        vec!["compile", &src, "-o", "-", "--secrets", &src],
        vec!["compile", &src, "-o", "c", "--format", "helm", "--env", "x"],
        vec!["compile", &src, "-o", "-", "--format", "helm"],
    ] {
        let out = tfc(&args, tmp.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("error[TF4004]"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let out = tfc(
        &[
            "compile",
            &src,
            "-o",
            "-",
            "--secrets",
            &src,
            "--message-format",
            "json",
        ],
        tmp.path(),
    );
    let d: serde_json::Value = serde_json::from_str(stderr(&out).trim()).unwrap();
    assert_eq!(d["code"], "TF4004");
}

#[test]
fn an_entry_that_cannot_be_carried_over_is_kept_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let src = write(tmp.path(), "app.taskflow", APP);
    let dir = tmp.path().join("out");
    assert!(
        tfc(&["compile", &src, "-o", "out"], tmp.path())
            .status
            .success()
    );
    std::fs::write(dir.join("mine.txt"), "v1\n").unwrap();
    let killed = std::process::Command::new(env!("CARGO_BIN_EXE_tfc"))
        .args(["compile", &src, "-o", "out"])
        .current_dir(tmp.path())
        .env("TFC_FAULT", "after-swap")
        .output()
        .unwrap();
    assert!(killed.status.code().is_none());
    // The user replaces the file in the new output; the old version is in the old tree.
    std::fs::remove_file(dir.join("mine.txt")).unwrap();
    std::fs::write(dir.join("mine.txt"), "v2\n").unwrap();
    let out = tfc(&["compile", &src, "-o", "out"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning[TF4006]"), "{}", stderr(&out));
    let kept: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".out.tfc-")
        })
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read_to_string(kept[0].join("mine.txt")).unwrap(),
        "v1\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("mine.txt")).unwrap(),
        "v2\n"
    );
}

#[test]
fn many_errors_on_one_long_line_give_output_linear_in_the_input() {
    let tmp = tempfile::tempdir().unwrap();
    // 10,000 errors on one 110 KB line: each would repeat the whole line.
    let line = format!(
        "app a {{ service web {{ image nginxinc/nginx-unprivileged:1.27 {}}} }}\n",
        "replicas x ".repeat(10_000)
    );
    let src = write(tmp.path(), "long.taskflow", &line);
    let out = tfc(&["check", &src], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.len() < 2_000_000, "{} bytes of diagnostics", err.len());
    assert!(err.contains("more diagnostics not shown"));
    assert!(err.contains("10000 errors"));
    // Every diagnostic still counts, and JSON lists them all.
    let out = tfc(&["check", "--message-format", "json", &src], tmp.path());
    let errors = stderr(&out)
        .lines()
        .filter(|l| l.contains("\"severity\":\"error\""))
        .count();
    assert_eq!(errors, 10_000);
    // A shown line is cut to a window around its label.
    let first = err.split("\n\n").next().unwrap();
    assert!(first.lines().all(|l| l.chars().count() < 600), "{first}");
}

#[test]
fn a_missing_brace_does_not_hide_the_other_errors() {
    let tmp = tempfile::tempdir().unwrap();
    // The `}` of `web` and the app's own `}` are both missing.
    let src = write(
        tmp.path(),
        "app.taskflow",
        "app shop {\n  service web {\n    image nginxinc/nginx-unprivileged:1.27\n    replicas 0\n\n  service api {\n    image api:1.0\n    port http 99999\n    env from missing-config\n  }\n",
    );
    let out = tfc(&["check", "--message-format", "json", &src], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let codes: Vec<String> = stderr(&out)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["code"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for want in ["TF0002", "TF0305", "TF0301", "TF0202"] {
        assert!(
            codes.iter().any(|c| c == want),
            "{want} missing from {codes:?}"
        );
    }
}

#[test]
fn a_value_for_an_external_secret_warns_and_never_reaches_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let app = "app shop {\n  accept image-not-pinned missing-resources missing-probes secret-in-env\n  secret neon { external  database-url }\n  service api { image ghcr.io/acme/api:1  port http 8000  env neon.database-url }\n}\n";
    let src = write(tmp.path(), "app.taskflow", app);
    let secrets = write(tmp.path(), "s.env", "neon.database-url=canary-value\n");
    let out = tfc(
        &["compile", &src, "-o", "out", "--secrets", &secrets],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning[TF1007]: `neon.database-url` takes no value at compile time"),
        "{err}"
    );
    assert!(err.contains("from the cluster (`external`)"), "{err}");
    let mut written = String::new();
    for f in crate::support::files_with(&tmp.path().join("out"), "yaml") {
        written.push_str(&std::fs::read_to_string(f).unwrap());
    }
    assert!(!written.contains("kind: Secret"), "{written}");
    assert!(written.contains("secretKeyRef"), "{written}");
    assert!(!written.contains("canary") && !err.contains("canary"));
}

/// Completes the words in a real bash with the script `tfc completions
/// bash` prints, as bash does on TAB; the candidates.
fn complete_in_bash(dir: &Path, script: &Path, words: &[&str]) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_tfc")).parent().unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\nCOMP_TYPE=9\n_clap_complete_tfc tfc \"${{COMP_WORDS[-1]}}\" \"${{COMP_WORDS[-2]}}\"\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        quoted.join(" ")
    );
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(program)
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn bash_completes_subcommands_flags_taskflow_files_and_environments() {
    if std::process::Command::new("bash")
        .arg("-c")
        .arg("true")
        .output()
        .is_err()
    {
        crate::support::skip("bash completion", "bash is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let script = d.join("tfc.bash");
    let out = tfc(&["completions", "bash"], d);
    assert_eq!(out.status.code(), Some(0));
    std::fs::write(&script, &out.stdout).unwrap();
    write(
        d,
        "shop.taskflow",
        "app shop {\n  service web { image a:1 }\n  env dev { replicas 1 }\n  env prod { replicas 3 }\n}\n",
    );
    write(d, "notes.txt", "not a taskflow file\n");
    std::fs::create_dir(d.join("apps")).unwrap();
    let subcommands = complete_in_bash(d, &script, &["tfc", "c"]);
    assert_eq!(subcommands, "compile\ncheck\ncompletions\n");
    let flags = complete_in_bash(d, &script, &["tfc", "compile", "--f"]);
    assert_eq!(flags, "--format\n");
    let files = complete_in_bash(d, &script, &["tfc", "check", ""]);
    assert!(
        files.contains("shop.taskflow\n") && files.contains("apps/\n"),
        "{files}"
    );
    assert!(!files.contains("notes.txt"), "{files}");
    let envs = complete_in_bash(
        d,
        &script,
        &["tfc", "compile", "shop.taskflow", "--env", ""],
    );
    assert_eq!(envs, "dev\nprod\n");
    let formats = complete_in_bash(
        d,
        &script,
        &["tfc", "compile", "shop.taskflow", "--format", ""],
    );
    assert_eq!(formats, "yaml\nhelm\n");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = tfc(&["completions", shell], d);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("TFC_COMPLETE"),
            "{shell}"
        );
    }
}

#[test]
fn version_names_the_commit_and_the_man_page_comes_from_the_same_definition() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tfc(&["--version"], tmp.path());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.starts_with(&format!("tfc {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    // Built from this checkout: the commit, when git can tell it.
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    match head {
        Ok(h)
            if h.status.success()
                && std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join(".git")
                    .exists() =>
        {
            let commit = String::from_utf8_lossy(&h.stdout).trim().to_string();
            assert!(text.contains(&format!("(commit {commit})")), "{text}");
        }
        _ => assert!(text.contains("(commit unknown)"), "{text}"),
    }
    // A version or help that cannot be written is an I/O problem.
    if let Ok(full) = std::fs::File::create("/dev/full") {
        for args in [["--version"], ["--help"]] {
            let status = std::process::Command::new(env!("CARGO_BIN_EXE_tfc"))
                .args(args)
                .stdout(full.try_clone().unwrap())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap();
            assert_eq!(status.code(), Some(2), "{args:?} > /dev/full");
        }
    }
    let man = tfc(&["man"], tmp.path());
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(page.contains(".TH tfc 1"), "{page}");
    for sub in ["compile", "check", "explain", "completions"] {
        assert!(page.contains(sub), "{sub} missing from the man page");
    }
    // Every page the main page refers to exists: `tfc man COMMAND`.
    let referred: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix("tfc\\-")?.strip_suffix("(1)"))
        .filter(|c| *c != "help")
        .collect();
    assert!(referred.len() >= 7, "{referred:?}");
    for c in referred {
        let sub = tfc(&["man", c], tmp.path());
        assert_eq!(sub.status.code(), Some(0), "tfc man {c}");
        let text = String::from_utf8_lossy(&sub.stdout);
        assert!(text.contains(&format!(".TH tfc-{c} 1")), "{text}");
        assert!(text.contains(&format!("\\fBtfc {c}\\fR")), "{text}");
    }
    let unknown = tfc(&["man", "compiel"], tmp.path());
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("its pages: compile"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn namespace_is_chosen_at_compile_time_unless_the_file_fixes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let app = "app shop {\n  accept image-not-pinned missing-resources missing-probes\n  namespace shop { labels { team = web } }\n  service api { image ghcr.io/acme/api:1  port http 8000 }\n  service web { image ghcr.io/acme/web:1  port http 80  env API = url(api) }\n  network { allow web -> api }\n}\n";
    let src = write(d, "app.taskflow", app);
    let out = tfc(&["compile", &src, "-o", "-", "--namespace", "team-a"], d);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!text.contains("namespace: shop"), "{text}");
    assert_eq!(
        text.matches("namespace: team-a").count(),
        text.matches("\nkind: ").count() + usize::from(text.starts_with("kind: ")) - 1,
        "every object but the Namespace itself: {text}"
    );
    assert!(
        text.contains("kind: Namespace") && text.contains("name: team-a"),
        "{text}"
    );
    assert!(
        text.contains("value: http://api:8000"),
        "references stay right: {text}"
    );
    // Without the Namespace object.
    let out = tfc(
        &[
            "compile",
            &src,
            "-o",
            "-",
            "--namespace",
            "team-a",
            "--no-namespace-object",
        ],
        d,
    );
    let bare = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!bare.contains("kind: Namespace"), "{bare}");
    assert!(bare.contains("namespace: team-a"), "{bare}");
    // A fixed namespace wins.
    let fixed = write(
        d,
        "fixed.taskflow",
        &app.replace("namespace shop {", "namespace shop { fixed "),
    );
    let out = tfc(&["compile", &fixed, "-o", "-", "--namespace", "team-a"], d);
    let kept = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        !kept.contains("team-a") && kept.contains("namespace: shop"),
        "{kept}"
    );
    // A name that is no namespace, and a chart, are refused (exit 2).
    for args in [
        vec!["compile", src.as_str(), "-o", "-", "--namespace", "Team_A"],
        vec![
            "compile",
            src.as_str(),
            "-o",
            "c",
            "--format",
            "helm",
            "--namespace",
            "x",
        ],
        vec![
            "compile",
            src.as_str(),
            "-o",
            "c",
            "--format",
            "helm",
            "--no-namespace-object",
        ],
    ] {
        let out = tfc(&args, d);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_device_or_fifo_is_refused_before_it_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    for (args, code) in [
        (vec!["compile", "/dev/zero", "-o", "-"], 2),
        (vec!["environments", "/dev/urandom"], 2),
        (vec!["check", "/dev/zero"], 2),
    ] {
        let out = tfc(&args, tmp.path());
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("not a regular file"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty());
    }
    // A file with errors lists no environments: exit 1, nothing on stdout.
    let broken = write(
        tmp.path(),
        "b.taskflow",
        "app bad {\n service web { image \n",
    );
    let out = tfc(&["environments", &broken, "--format", "argocd"], tmp.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}
