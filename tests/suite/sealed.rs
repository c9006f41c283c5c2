//! `secret NAME { sealed FILE }`: the file is read only from inside the
//! app's directory, only when it is a regular file of sane size and
//! encoding, and its SealedSecret must decrypt where the app deploys.
//! Each promise of docs/language.md, tried with the `tfc` binary.

use crate::support::{root, tfc};
use std::path::Path;

const SEALED: &str = "\
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: creds
  namespace: shop
spec:
  encryptedData:
    password: AgBy3i4OJSWK+PiTySYZZA==
";

const APP: &str = "\
app shop {
  namespace shop
  accept image-not-pinned missing-resources missing-probes unreachable-service secret-in-env
  secret creds { sealed FILE  password }
  service api { image ghcr.io/acme/api:1  port http 8000  env creds.password }
}
";

/// An app directory whose secret reads `file`; `setup` makes the file.
fn app(dir: &Path, file: &str) -> std::path::PathBuf {
    let path = dir.join("app.taskflow");
    std::fs::write(&path, APP.replace("FILE", file)).unwrap();
    path
}

fn out(o: &std::process::Output) -> (i32, String, String) {
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `tfc compile app.taskflow -o -` in the app's directory.
fn compile(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["compile", "app.taskflow", "-o", "-"];
    args.extend_from_slice(extra);
    out(&tfc(&args, dir))
}

#[test]
fn a_sealed_file_is_emitted_with_the_app_namespace_and_labels() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("creds.yaml"), SEALED).unwrap();
    app(tmp.path(), "creds.yaml");
    let (code, stdout, stderr) = compile(tmp.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("kind: SealedSecret"), "{stdout}");
    assert!(!stdout.contains("kind: Secret\n"), "no Secret: {stdout}");
    assert!(stdout.contains("password: AgBy3i4OJSWK+PiTySYZZA=="));
    assert!(stdout.contains("app.kubernetes.io/managed-by: tfc"));
    // From another directory, the file is still found next to the source.
    let elsewhere = tfc(
        &[
            "compile",
            tmp.path().join("app.taskflow").to_str().unwrap(),
            "-o",
            "-",
        ],
        &root(),
    );
    assert_eq!(out(&elsewhere).1, stdout);
}

#[test]
fn a_sealed_file_outside_the_app_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let app_dir = tmp.path().join("app");
    std::fs::create_dir(&app_dir).unwrap();
    std::fs::write(tmp.path().join("outside.yaml"), SEALED).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("outside.yaml"), app_dir.join("link.yaml")).unwrap();
    for (file, says) in [
        ("link.yaml", "leads out of the app's directory"),
        ("../outside.yaml", "not a path inside the app's directory"),
        (
            tmp.path().join("outside.yaml").to_str().unwrap(),
            "not a path inside",
        ),
    ] {
        app(&app_dir, file);
        let (code, stdout, stderr) = compile(&app_dir, &[]);
        assert_eq!(code, 1, "{file}: {stderr}");
        assert!(stdout.is_empty(), "{file}: {stdout}");
        assert!(
            stderr.contains("TF0215") && stderr.contains(says),
            "{file}: {stderr}"
        );
    }
    // A link that stays inside is followed.
    std::fs::write(app_dir.join("real.yaml"), SEALED).unwrap();
    std::os::unix::fs::symlink("real.yaml", app_dir.join("inside.yaml")).unwrap();
    app(&app_dir, "inside.yaml");
    assert_eq!(compile(&app_dir, &[]).0, 0);
}

#[test]
fn a_sealed_file_that_is_not_a_small_regular_text_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("dir.yaml")).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(d.join("fifo.yaml"))
        .status()
        .is_ok_and(|s| s.success());
    let mut big = SEALED.to_string();
    big.push_str(&format!("# {}\n", "x".repeat(2 * 1024 * 1024)));
    std::fs::write(d.join("big.yaml"), big).unwrap();
    std::fs::write(d.join("latin1.yaml"), b"kind: SealedSecret\n# caf\xe9\n").unwrap();
    let mut cases = vec![
        ("dir.yaml", "not a regular file"),
        ("big.yaml", "too large"),
        ("latin1.yaml", "not UTF-8"),
        ("missing.yaml", "not found"),
    ];
    if fifo {
        // Opening a FIFO would wait for a writer: refused before.
        cases.push(("fifo.yaml", "not a regular file"));
    }
    for (file, says) in cases {
        app(d, file);
        let (code, stdout, stderr) = compile(d, &[]);
        assert_eq!(code, 1, "{file}: {stderr}");
        assert!(stdout.is_empty());
        assert!(
            stderr.contains("TF0215") && stderr.contains(says),
            "{file}: {stderr}"
        );
    }
}

#[test]
fn a_strict_sealed_secret_must_deploy_where_it_was_sealed() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("creds.yaml"), SEALED).unwrap();
    app(tmp.path(), "creds.yaml");
    // --namespace moves the app away from the namespace it was sealed for.
    let (code, stdout, stderr) = compile(tmp.path(), &["--namespace", "team-b"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("sealed for namespace `shop`, but the app deploys to `team-b`"),
        "{stderr}"
    );
    // Sealed cluster-wide, it follows the app, under the secret's name.
    let wide = SEALED.replace(
        "name: creds",
        "name: anything\n  annotations:\n    sealedsecrets.bitnami.com/cluster-wide: \"true\"",
    );
    std::fs::write(tmp.path().join("creds.yaml"), wide).unwrap();
    let (code, stdout, stderr) = compile(tmp.path(), &["--namespace", "team-b"]);
    assert_eq!(code, 0, "{stderr}");
    let sealed = stdout
        .split("---")
        .find(|d| d.contains("kind: SealedSecret"))
        .unwrap();
    assert!(sealed.contains("namespace: team-b"), "{sealed}");
    assert!(sealed.contains("name: creds"), "{sealed}");
    assert!(
        sealed.contains("sealedsecrets.bitnami.com/cluster-wide: 'true'"),
        "{sealed}"
    );
}

#[test]
fn check_reads_the_sealed_file_of_every_environment() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("creds.yaml"), SEALED).unwrap();
    let prod = SEALED.replace("password:", "passwort:");
    std::fs::write(tmp.path().join("prod.yaml"), prod).unwrap();
    let source = APP
        .replace("FILE", "creds.yaml")
        .replace("\n}\n", "\n  env prod { creds { sealed prod.yaml } }\n}\n");
    std::fs::write(tmp.path().join("app.taskflow"), source).unwrap();
    let (code, _, stderr) = out(&tfc(&["check", "app.taskflow"], tmp.path()));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("`prod.yaml` has no key `password`"),
        "{stderr}"
    );
    assert_eq!(compile(tmp.path(), &[]).0, 0, "the app as written is fine");
}

#[test]
fn what_the_sealed_file_holds_is_checked_not_dropped() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    app(d, "creds.yaml");
    let cases = [
        // A label or annotation that is not text would have dropped them all.
        (
            SEALED.replace(
                "  namespace: shop\n",
                "  namespace: shop\n  annotations: {a: 1}\n",
            ),
            "is not valid",
        ),
        // Without a namespace, where it decrypts is unknown.
        (
            SEALED.replace("  namespace: shop\n", ""),
            "has no namespace",
        ),
        // kustomize cannot carry DEL.
        (
            SEALED.replace(
                "  namespace: shop\n",
                "  namespace: shop\n  labels: {a: \"b\\x7f\"}\n",
            ),
            "U+007F",
        ),
        // Two SealedSecrets of the same name: which one wins is not clear.
        (
            format!("{SEALED}---\n{SEALED}"),
            "holds 2 SealedSecrets named `creds`",
        ),
        // Deep flow nesting would take minutes to parse.
        (
            format!("{SEALED}x: {}{}\n", "[".repeat(5000), "]".repeat(5000)),
            "nests `[` or `{` too deeply",
        ),
    ];
    for (text, says) in cases {
        std::fs::write(d.join("creds.yaml"), &text).unwrap();
        let (code, stdout, stderr) = compile(d, &[]);
        assert_eq!(code, 1, "{says}: {stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains(says), "{says}: {stderr}");
    }
    // A byte-order mark is allowed, as YAML allows it.
    std::fs::write(d.join("creds.yaml"), format!("\u{feff}{SEALED}")).unwrap();
    assert_eq!(compile(d, &[]).0, 0);
}

#[test]
fn a_sealed_secret_cannot_be_patched_and_an_environment_may_switch_its_source() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("creds.yaml"), SEALED).unwrap();
    let patched = APP.replace("FILE", "creds.yaml").replace(
        "\n}\n",
        "\n  patch sealedsecret creds \"spec: {encryptedData: {password: null}}\"\n}\n",
    );
    std::fs::write(d.join("app.taskflow"), patched).unwrap();
    let (code, _, stderr) = compile(d, &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("the SealedSecret `creds` cannot be patched"),
        "{stderr}"
    );
    let switched = APP.replace("FILE", "creds.yaml").replace(
        "\n}\n",
        "\n  env gitops { creds { external } }\n  env vault { creds { store vault-backend } }\n}\n",
    );
    std::fs::write(d.join("app.taskflow"), switched).unwrap();
    let (code, _, stderr) = out(&tfc(&["check", "app.taskflow"], d));
    assert_eq!(code, 0, "{stderr}");
    let (_, external, _) = compile(d, &["--env", "gitops"]);
    assert!(!external.contains("SealedSecret") && !external.contains("kind: Secret\n"));
    let (_, vault, _) = compile(d, &["--env", "vault"]);
    assert!(vault.contains("kind: ExternalSecret") && !vault.contains("SealedSecret"));
}
