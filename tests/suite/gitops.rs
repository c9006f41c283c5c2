//! Where users deploy: Argo CD's Config Management Plugin, emulated the way
//! its plugin server runs it, and Flux's route (the output directory is a
//! kustomization that `kubectl kustomize` renders exactly).

use crate::support::{environments, examples, find_tool, root, skip, tfc};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

/// Objects of a YAML stream by (kind, namespace, name).
fn objects(stream: &str) -> BTreeMap<(String, String, String), Value> {
    let mut out = BTreeMap::new();
    for doc in serde_yaml::Deserializer::from_str(stream) {
        let v: Value = serde::Deserialize::deserialize(doc).unwrap();
        if v.is_null() {
            continue;
        }
        let s = |p: &[&str]| {
            let mut n = &v;
            for k in p {
                n = &n[*k];
            }
            n.as_str().unwrap_or_default().to_string()
        };
        let key = (
            s(&["kind"]),
            s(&["metadata", "namespace"]),
            s(&["metadata", "name"]),
        );
        out.insert(key, v);
    }
    out
}

/// The plugin definition, as the plugin server reads it.
fn plugin() -> Value {
    let text = std::fs::read_to_string(root().join("integrations/argocd/plugin.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// Runs a plugin command (`spec.generate.command` ...) in `dir` the way
/// the plugin server does: the repository files with reset modes, a clean
/// environment with Argo CD's variables, as a non-root user when this runs
/// as root.
fn run_plugin(command: &Value, dir: &Path, vars: &[(&str, &str)]) -> Output {
    let argv: Vec<String> = command
        .as_sequence()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let bin = Path::new(env!("CARGO_BIN_EXE_tfc")).parent().unwrap();
    let root_user = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut cmd = if root_user && find_tool("setpriv").is_some() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid", "999", "--regid", "999", "--clear-groups", "--"]);
        c.args(&argv);
        c
    } else {
        let mut c = Command::new(&argv[0]);
        c.args(&argv[1..]);
        c
    };
    cmd.current_dir(dir).env_clear();
    cmd.env("PATH", format!("{}:/usr/bin:/bin", bin.display()));
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// A copy of an example as Argo CD checks it out: files 0644, directories
/// 0755 (readable by the plugin's user).
fn app_dir(example: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let to = tmp.path().join(example.file_name().unwrap());
    std::fs::copy(example, &to).unwrap();
    std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o644)).unwrap();
    tmp
}

const ARGO_VARS: &[(&str, &str)] = &[
    ("ARGOCD_APP_NAME", "shop"),
    ("ARGOCD_APP_NAMESPACE", "team-a"),
    ("ARGOCD_APP_REVISION", "0123456789abcdef"),
    ("ARGOCD_APP_SOURCE_PATH", "deploy"),
    ("KUBE_VERSION", "1.33.0"),
    (
        "KUBE_API_VERSIONS",
        "v1,apps/v1,batch/v1,networking.k8s.io/v1",
    ),
];

#[test]
fn the_argocd_plugin_renders_each_example_into_the_destination_namespace() {
    let p = plugin();
    assert_eq!(p["kind"], "ConfigManagementPlugin");
    assert_eq!(p["spec"]["discover"]["fileName"], "./*.taskflow");
    for example in examples() {
        let source = std::fs::read_to_string(&example).unwrap();
        let dir = app_dir(&example);
        let envs = std::iter::once(None).chain(environments(&source).into_iter().map(Some));
        for env in envs {
            let mut vars = ARGO_VARS.to_vec();
            if let Some(e) = &env {
                vars.push(("PARAM_ENV", e));
                vars.push(("ARGOCD_ENV_TFC_ENV", e));
            }
            let out = run_plugin(&p["spec"]["generate"]["command"], dir.path(), &vars);
            let what = format!("{} {env:?}", example.display());
            assert_eq!(
                out.status.code(),
                Some(0),
                "{what}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let stdout = String::from_utf8(out.stdout).unwrap();
            let objs = objects(&stdout);
            assert!(objs.len() >= 3, "{what}: {stdout}");
            for ((kind, ns, name), v) in &objs {
                assert!(
                    v["apiVersion"].is_string() && !name.is_empty(),
                    "{what}: {v:?}"
                );
                assert_ne!(
                    kind, "Namespace",
                    "{what}: the destination namespace is Argo CD's"
                );
                let cluster_wide = matches!(kind.as_str(), "PersistentVolume" | "Namespace");
                if !cluster_wide && !source.contains("{ fixed }") {
                    assert_eq!(ns, "team-a", "{what}: {kind} {name}");
                }
            }
        }
    }
}

#[test]
fn the_argocd_plugin_fails_with_nothing_on_stdout_and_announces_environments() {
    let p = plugin();
    let example = root().join("examples/taskflow-helm.taskflow");
    let dir = app_dir(&example);
    let generate = &p["spec"]["generate"]["command"];
    // An unknown environment, a file outside the app, two files: non-zero, empty stdout.
    for vars in [
        vec![("PARAM_ENV", "nope")],
        vec![("PARAM_FILE", "../../etc/passwd.taskflow")],
        vec![("PARAM_FILE", "missing.taskflow")],
    ] {
        let mut all = ARGO_VARS.to_vec();
        all.extend(vars.iter().copied());
        let out = run_plugin(generate, dir.path(), &all);
        assert_ne!(out.status.code(), Some(0), "{vars:?}");
        assert!(
            out.stdout.is_empty(),
            "{vars:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(!out.stderr.is_empty(), "{vars:?}: the error is explained");
    }
    // A symlink that leads out of the app's directory, found or named, and a
    // FIFO: refused, nothing read, nothing on stdout.
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("leak.taskflow");
    std::fs::write(&secret, "TOKEN=supersecret\n").unwrap();
    std::fs::set_permissions(outside.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    let lonely = tempfile::tempdir().unwrap();
    std::fs::set_permissions(lonely.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink(&secret, lonely.path().join("evil.taskflow")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("link.taskflow")).unwrap();
    let fifo = dir.path().join("pipe.taskflow");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let mut attempts: Vec<(&Path, Vec<(&str, &str)>)> = vec![
        (lonely.path(), vec![]),
        (dir.path(), vec![("PARAM_FILE", "link.taskflow")]),
        (
            dir.path(),
            vec![
                ("PARAM_ENV", "dev"),
                ("PARAM_FILE", "taskflow-helm.taskflow"),
                ("TFC_COMPLETE", "bash"),
            ],
        ),
    ];
    if made {
        attempts.push((dir.path(), vec![("PARAM_FILE", "pipe.taskflow")]));
    }
    for (at, vars) in attempts {
        let mut all = ARGO_VARS.to_vec();
        all.extend(vars.iter().copied());
        let out = run_plugin(generate, at, &all);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!err.contains("supersecret"), "{vars:?}: {err}");
        if vars.iter().any(|(k, _)| *k == "TFC_COMPLETE") {
            // A stray completion variable does not turn generate into a script.
            assert_eq!(out.status.code(), Some(0), "{err}");
            assert!(String::from_utf8_lossy(&out.stdout).contains("kind: Deployment"));
            continue;
        }
        assert_ne!(out.status.code(), Some(0), "{vars:?}");
        assert!(out.stdout.is_empty(), "{vars:?}");
    }
    std::fs::remove_file(dir.path().join("link.taskflow")).unwrap();
    if made {
        std::fs::remove_file(&fifo).unwrap();
    }
    let second = dir.path().join("other.taskflow");
    std::fs::copy(&example, &second).unwrap();
    std::fs::set_permissions(&second, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run_plugin(generate, dir.path(), ARGO_VARS);
    assert_ne!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("set the plugin parameter `file`"));
    let mut chosen = ARGO_VARS.to_vec();
    chosen.push(("PARAM_FILE", "other.taskflow"));
    let out = run_plugin(generate, dir.path(), &chosen);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The parameters: Argo CD's announcement shape, with the environments.
    let out = run_plugin(
        &p["spec"]["parameters"]["dynamic"]["command"],
        dir.path(),
        &chosen,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let params: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = params.as_array().unwrap();
    for param in list {
        assert!(
            param["name"].is_string() && param["title"].is_string(),
            "{param}"
        );
        assert!(
            ["string", "array", "map"].contains(&param["collectionType"].as_str().unwrap()),
            "{param}"
        );
    }
    let envs = list.iter().find(|x| x["name"] == "environments").unwrap();
    assert_eq!(envs["array"], serde_json::json!(["dev"]));
}

#[test]
fn kustomize_renders_exactly_what_compile_prints_in_every_environment() {
    let Some(kubectl) = find_tool("kubectl") else {
        skip("the kustomize equality test", "kubectl is not installed");
        return;
    };
    for example in examples() {
        let source = std::fs::read_to_string(&example).unwrap();
        let envs = std::iter::once(None).chain(environments(&source).into_iter().map(Some));
        for env in envs {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("out");
            let src = example.to_str().unwrap();
            let d = dir.to_str().unwrap();
            let mut to_dir = vec!["compile", src, "-o", d];
            let mut to_stdout = vec!["compile", src, "-o", "-"];
            if let Some(e) = &env {
                to_dir.extend(["--env", e]);
                to_stdout.extend(["--env", e]);
            }
            assert!(tfc(&to_dir, &root()).status.success());
            let stream = tfc(&to_stdout, &root());
            let kustomized = Command::new(&kubectl)
                .args(["kustomize", d])
                .output()
                .unwrap();
            let what = format!("{} {env:?}", example.display());
            assert!(
                kustomized.status.success(),
                "{what}: {}",
                String::from_utf8_lossy(&kustomized.stderr)
            );
            assert_eq!(
                objects(&String::from_utf8_lossy(&kustomized.stdout)),
                objects(&String::from_utf8_lossy(&stream.stdout)),
                "{what}: kubectl kustomize differs from tfc compile -o -"
            );
        }
    }
}
