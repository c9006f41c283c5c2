//! The output directory as a transaction, tried the way a hostile or unlucky
//! user would: symlinks, look-alike names, files changed by hand, two runs at
//! once, a run killed at every step (through the `TFC_FAULT` hook, not
//! timing), a full disk, a read-only file system, a closed or full stdout.
//! The promise: a reader sees the old output or the new one, whole; tfc
//! removes nothing it did not write; every problem is a coded diagnostic.

use crate::support::tfc;
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn app(name: &str, services: &[&str]) -> String {
    let mut s = format!("app {name} {{\n  accept image-not-pinned unreachable-service\n");
    for svc in services {
        s.push_str(&format!(
            "  service {svc} {{\n    image nginxinc/nginx-unprivileged:1.27\n    port http 8080\n    cpu 100m..200m  memory 64Mi..128Mi\n    readiness http /healthz\n  }}\n"
        ));
    }
    s.push_str("}\n");
    s
}

struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.tmp.path()
    }

    fn file(&self, name: &str, text: &str) -> String {
        let p = self.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }

    fn out(&self) -> PathBuf {
        self.path().join("out")
    }
}

fn run(d: &Dir, args: &[&str]) -> std::process::Output {
    tfc(args, d.path())
}

fn err(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir` (relative path → contents), links as `-> target`.
fn tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.file_type().is_symlink() {
                out.insert(
                    rel,
                    format!("-> {}", std::fs::read_link(&p).unwrap().display()),
                );
            } else if meta.is_dir() {
                out.insert(format!("{rel}/"), String::new());
                stack.push(p);
            } else {
                out.insert(rel, std::fs::read_to_string(&p).unwrap_or_default());
            }
        }
    }
    out
}

/// The output of a clean compile of `source`, for comparison.
fn fresh(source: &str) -> BTreeMap<String, String> {
    let d = Dir::new();
    let src = d.file("a.taskflow", source);
    let o = run(&d, &["compile", &src, "-o", "out"]);
    assert!(o.status.success(), "{}", err(&o));
    tree(&d.out())
}

/// Entries tfc may have left beside the output directory.
fn siblings(d: &Dir) -> Vec<String> {
    std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tfc"))
        .collect()
}

#[test]
fn a_symlinked_subdirectory_is_refused_and_its_target_untouched() {
    let d = Dir::new();
    let src = d.file("a.taskflow", &app("shop", &["web"]));
    let elsewhere = d.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("precious.yaml"), "keep\n").unwrap();
    std::fs::create_dir(d.out()).unwrap();
    std::os::unix::fs::symlink(&elsewhere, d.out().join("templates")).unwrap();
    let o = run(&d, &["compile", &src, "-o", "out", "--format", "helm"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("error[TF4005]"), "{}", err(&o));
    assert!(err(&o).contains("symbolic link"), "{}", err(&o));
    assert_eq!(
        tree(&elsewhere).len(),
        1,
        "nothing written through the link"
    );
    // A YAML compile does not need `templates/`: the link is the user's and stays.
    let o = run(&d, &["compile", &src, "-o", "out"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        std::fs::symlink_metadata(d.out().join("templates"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A later compile that drops objects removes nothing behind the link.
    d.file("a.taskflow", &app("shop", &["api"]));
    assert!(run(&d, &["compile", &src, "-o", "out"]).status.success());
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("precious.yaml")).unwrap(),
        "keep\n"
    );
}

#[test]
fn an_output_directory_that_is_a_link_or_a_file_is_refused() {
    let d = Dir::new();
    let src = d.file("a.taskflow", &app("shop", &["web"]));
    std::fs::create_dir(d.path().join("real")).unwrap();
    std::os::unix::fs::symlink("real", d.out()).unwrap();
    let o = run(&d, &["compile", &src, "-o", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("error[TF4005]"), "{}", err(&o));
    assert!(tree(&d.path().join("real")).is_empty());
    d.file("file", "x");
    let o = run(&d, &["compile", &src, "-o", "file"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("not a directory"));
    let o = run(&d, &["compile", &src, "-o", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}

#[test]
fn look_alike_names_of_the_user_are_never_removed() {
    let d = Dir::new();
    let src = d.file("a.taskflow", &app("shop", &["web"]));
    // Names that earlier versions (and predictable PIDs) would have removed.
    for n in [".out.tfc-tmp-1", ".out.tfc-abc123", ".out.tfc-tmp-1234567"] {
        std::fs::create_dir(d.path().join(n)).unwrap();
        std::fs::write(d.path().join(n).join("mine"), "x").unwrap();
    }
    std::fs::create_dir(d.out()).unwrap();
    std::fs::create_dir(d.out().join(".tfc-staging-1")).unwrap();
    std::fs::write(d.out().join(".tfc-staging-1/mine"), "x").unwrap();
    for _ in 0..2 {
        let o = run(&d, &["compile", &src, "-o", "out"]);
        assert!(o.status.success(), "{}", err(&o));
    }
    for n in [".out.tfc-tmp-1", ".out.tfc-abc123", ".out.tfc-tmp-1234567"] {
        assert!(d.path().join(n).join("mine").is_file(), "{n} was removed");
    }
    assert!(d.out().join(".tfc-staging-1/mine").is_file());
}

#[test]
fn files_of_the_user_are_carried_over_as_the_same_files() {
    let d = Dir::new();
    let src = d.file("a.taskflow", &app("shop", &["web", "api"]));
    assert!(run(&d, &["compile", &src, "-o", "out"]).status.success());
    std::fs::create_dir_all(d.out().join("notes/deep")).unwrap();
    std::fs::write(d.out().join("notes/deep/todo.txt"), "mine\n").unwrap();
    std::fs::write(d.out().join("README"), "mine\n").unwrap();
    std::os::unix::fs::symlink("/nonexistent/dangling", d.out().join("link")).unwrap();
    let inode = std::fs::metadata(d.out().join("README")).unwrap().ino();
    d.file("a.taskflow", &app("shop", &["web"]));
    let o = run(&d, &["compile", &src, "-o", "out"]);
    assert!(o.status.success(), "{}", err(&o));
    let t = tree(&d.out());
    assert_eq!(
        t.get("notes/deep/todo.txt").map(String::as_str),
        Some("mine\n")
    );
    assert_eq!(
        t.get("link").map(String::as_str),
        Some("-> /nonexistent/dangling")
    );
    assert_eq!(
        std::fs::metadata(d.out().join("README")).unwrap().ino(),
        inode
    );
    assert!(
        !t.contains_key("deployment-api.yaml"),
        "the stale object is gone"
    );
    assert!(siblings(&d).is_empty(), "{:?}", siblings(&d));
}

#[test]
fn a_file_changed_by_hand_is_the_users_from_then_on() {
    let d = Dir::new();
    let src = d.file("a.taskflow", &app("shop", &["web", "api"]));
    assert!(run(&d, &["compile", &src, "-o", "out"]).status.success());
    std::fs::write(d.out().join("deployment-api.yaml"), "edited by hand\n").unwrap();
    // tfc must write it: refused, and nothing changes.
    let before = tree(&d.out());
    let o = run(&d, &["compile", &src, "-o", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("error[TF4005]") && err(&o).contains("changed since tfc wrote it"));
    assert_eq!(tree(&d.out()), before);
    // tfc no longer writes it: kept, not removed as stale.
    d.file("a.taskflow", &app("shop", &["web"]));
    assert!(run(&d, &["compile", &src, "-o", "out"]).status.success());
    assert_eq!(
        std::fs::read_to_string(d.out().join("deployment-api.yaml")).unwrap(),
        "edited by hand\n"
    );
    // A dangling link of the user's where tfc writes is refused, not replaced.
    std::os::unix::fs::symlink("/nonexistent", d.out().join("service-api.yaml")).ok();
    d.file("a.taskflow", &app("shop", &["web", "api"]));
    let o = run(&d, &["compile", &src, "-o", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        std::fs::symlink_metadata(d.out().join("service-api.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn two_runs_at_once_leave_one_whole_output() {
    let d = Dir::new();
    let a = d.file("a.taskflow", &app("one", &["web", "api", "worker"]));
    let b = d.file("b.taskflow", &app("two", &["front", "back"]));
    let (fa, fb) = (
        fresh(&app("one", &["web", "api", "worker"])),
        fresh(&app("two", &["front", "back"])),
    );
    std::fs::create_dir(d.out()).unwrap();
    std::fs::write(d.out().join("mine.txt"), "mine\n").unwrap();
    for round in 0..12 {
        let spawn = |src: &str| {
            Command::new(env!("CARGO_BIN_EXE_tfc"))
                .args(["compile", src, "-o", "out"])
                .current_dir(d.path())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        };
        let (mut x, mut y) = (spawn(&a), spawn(&b));
        assert!(x.wait().unwrap().success() && y.wait().unwrap().success());
        let mut t = tree(&d.out());
        assert_eq!(
            t.remove("mine.txt").as_deref(),
            Some("mine\n"),
            "round {round}"
        );
        assert!(
            t == fa || t == fb,
            "round {round}: a mix of both apps: {:?}",
            t.keys()
        );
        assert!(siblings(&d).is_empty(), "round {round}: {:?}", siblings(&d));
    }
}

#[test]
fn a_run_killed_at_any_step_leaves_a_whole_output_and_the_next_run_recovers() {
    for point in ["mid-write", "before-swap", "after-swap"] {
        let d = Dir::new();
        let src = d.file("a.taskflow", &app("shop", &["web", "api"]));
        let old = fresh(&app("shop", &["web", "api"]));
        let new = fresh(&app("shop", &["web"]));
        assert!(run(&d, &["compile", &src, "-o", "out"]).status.success());
        std::fs::write(d.out().join("mine.txt"), "mine\n").unwrap();
        d.file("a.taskflow", &app("shop", &["web"]));
        let killed = Command::new(env!("CARGO_BIN_EXE_tfc"))
            .args(["compile", &src, "-o", "out"])
            .current_dir(d.path())
            .env("TFC_FAULT", point)
            .output()
            .unwrap();
        assert!(
            killed.status.code().is_none(),
            "{point}: the fault hook did not fire"
        );
        let mut t = tree(&d.out());
        assert_eq!(t.remove("mine.txt").as_deref(), Some("mine\n"), "{point}");
        t.remove(".tfc-pending");
        let whole = if point == "after-swap" { &new } else { &old };
        assert_eq!(&t, whole, "{point}: the output is not whole");
        // The next run recovers: no refusal, nothing left beside, the user file kept.
        let o = run(&d, &["compile", &src, "-o", "out"]);
        assert!(o.status.success(), "{point}: {}", err(&o));
        let mut t = tree(&d.out());
        assert_eq!(t.remove("mine.txt").as_deref(), Some("mine\n"), "{point}");
        assert_eq!(&t, &new, "{point}");
        assert!(siblings(&d).is_empty(), "{point}: {:?}", siblings(&d));
    }
}

/// Runs `f` with a small tmpfs mounted at a fresh directory; skips where
/// mounting is not allowed (not root).
fn with_tmpfs(size: &str, f: impl FnOnce(&Path)) {
    let d = Dir::new();
    let mnt = d.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(&mnt)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        println!("SKIPPED a tmpfs test: mounting a tmpfs needs root");
        return;
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mnt)));
    let _ = Command::new("umount").arg(&mnt).status();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn a_full_disk_fails_with_tf4002_and_keeps_the_old_output() {
    with_tmpfs("96k", |mnt| {
        let small = mnt.join("small.taskflow");
        std::fs::write(&small, app("shop", &["web"])).unwrap();
        let o = tfc(&["compile", "small.taskflow", "-o", "out"], mnt);
        assert!(o.status.success(), "{}", err(&o));
        let before = tree(&mnt.join("out"));
        let names: Vec<String> = (0..60).map(|i| format!("svc{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        std::fs::write(mnt.join("big.taskflow"), app("shop", &refs)).unwrap();
        let o = tfc(&["compile", "big.taskflow", "-o", "out"], mnt);
        assert_eq!(o.status.code(), Some(2), "{}", err(&o));
        assert!(err(&o).contains("error[TF4002]"), "{}", err(&o));
        assert_eq!(tree(&mnt.join("out")), before);
        let left: Vec<_> = std::fs::read_dir(mnt)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().contains(".tfc-"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    });
}

#[test]
fn a_read_only_file_system_fails_with_tf4002_and_changes_nothing() {
    with_tmpfs("1m", |mnt| {
        std::fs::write(mnt.join("a.taskflow"), app("shop", &["web"])).unwrap();
        assert!(
            tfc(&["compile", "a.taskflow", "-o", "out"], mnt)
                .status
                .success()
        );
        let before = tree(&mnt.join("out"));
        std::fs::write(mnt.join("a.taskflow"), app("shop", &["api"])).unwrap();
        let ro = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(mnt)
            .status()
            .unwrap();
        assert!(ro.success());
        let o = tfc(&["compile", "a.taskflow", "-o", "out"], mnt);
        assert_eq!(o.status.code(), Some(2), "{}", err(&o));
        assert!(err(&o).contains("error[TF4002]"), "{}", err(&o));
        assert_eq!(tree(&mnt.join("out")), before);
    });
}

#[test]
fn a_closed_stdout_ends_quietly_and_a_full_one_is_tf4002() {
    let d = Dir::new();
    let names: Vec<String> = (0..300).map(|i| format!("svc{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let src = d.file("a.taskflow", &app("shop", &refs));
    // `tfc compile -o - | head -1`
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfc"))
        .args(["compile", &src, "-o", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // stderr is drained beside, so that warnings cannot fill its pipe.
    let mut stderr = child.stderr.take().unwrap();
    let drain = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let stderr = drain.join().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("internal"), "{stderr}");
    // `> /dev/full`
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tfc"))
        .args(["compile", &src, "-o", "-"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("error[TF4002]"), "{}", err(&o));
    // `2> /dev/full` with errors to report: no abort, the usual status.
    let bad = d.file("bad.taskflow", "app x { service web { replicas 0 } }\n");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tfc"))
        .args(["check", &bad])
        .stderr(full)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    // `tfc explain | head -1`
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfc"))
        .arg("explain")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}
