//! Well-known official images that tfc's secure defaults (a non-root user,
//! a read-only root file system, no capabilities) stop from starting, and
//! the statements each needs. A stock image that needs root, or writes
//! beside its program, crashes in the cluster; tfc says so at compile time.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{App, RunAs, Workload};

/// What an image needs besides tfc's defaults.
struct Needs {
    /// Repository names as on Docker Hub (`library/` images by short name).
    repos: &'static [&'static str],
    /// It starts as root: binds a low port, chowns its directories.
    root: bool,
    /// Directories it writes to (a volume there, or `writable-root`).
    paths: &'static [&'static str],
    /// A drop-in image that runs as a user.
    instead: Option<&'static str>,
}

const TABLE: &[Needs] = &[
    Needs {
        repos: &["nginx"],
        root: true,
        paths: &[],
        instead: Some("nginxinc/nginx-unprivileged (listens on 8080)"),
    },
    Needs {
        repos: &["httpd"],
        root: true,
        paths: &[],
        instead: None,
    },
    Needs {
        repos: &["postgres"],
        root: false,
        paths: &["/var/run/postgresql", "/var/lib/postgresql/data"],
        instead: None,
    },
    Needs {
        repos: &["mysql", "mariadb"],
        root: false,
        paths: &["/var/run/mysqld", "/var/lib/mysql"],
        instead: None,
    },
    Needs {
        repos: &["mongo"],
        root: false,
        paths: &["/data/db", "/data/configdb"],
        instead: None,
    },
    Needs {
        repos: &["redis"],
        root: false,
        paths: &["/data"],
        instead: None,
    },
    Needs {
        repos: &["rabbitmq"],
        root: false,
        paths: &["/var/lib/rabbitmq", "/etc/rabbitmq"],
        instead: Some("bitnami/rabbitmq"),
    },
];

/// The repository of an image reference without registry, `library/`,
/// tag or digest: `docker.io/library/nginx:1.27` → `nginx`.
fn repository(image: &str) -> String {
    let image = image.split('@').next().unwrap_or(image);
    let mut parts: Vec<&str> = image.split('/').collect();
    let registry = |p: &str| p.contains(['.', ':']) || p == "localhost";
    if parts.len() > 1 && parts.first().is_some_and(|p| registry(p)) {
        parts.remove(0);
    }
    if parts.len() > 1 && parts.first() == Some(&"library") {
        parts.remove(0);
    }
    let mut repo = parts.join("/");
    if let Some(i) = repo.rfind(':') {
        repo.truncate(i);
    }
    repo
}

pub fn check(app: &App, diags: &mut Vec<Diagnostic>) {
    for w in &app.workloads {
        let Some(image) = &w.app.image else { continue };
        let repo = repository(&image.node);
        let Some(needs) = TABLE.iter().find(|n| n.repos.contains(&repo.as_str())) else {
            continue;
        };
        let mut missing: Vec<String> = Vec::new();
        let writable = w.app.security.writable_root.is_some();
        if needs.root {
            let root = matches!(
                w.security.run_as.as_ref().map(|r| &r.node),
                Some(RunAs::Root)
            );
            if !root {
                missing.push("`run-as root`".to_string());
            }
            if !writable {
                missing.push("`writable-root`".to_string());
            }
            let caps = ["CHOWN", "SETGID", "SETUID", "NET_BIND_SERVICE"];
            let has = |c: &str| {
                w.app
                    .security
                    .cap_add
                    .iter()
                    .any(|x| x.node.trim_start_matches("CAP_") == c)
            };
            let lacking: Vec<&str> = caps.into_iter().filter(|c| !has(c)).collect();
            if !lacking.is_empty() {
                missing.push(format!("`cap-add {}`", lacking.join(" ")));
            }
        }
        if !writable {
            for p in needs.paths.iter().filter(|p| !mounted(w, p)) {
                let name = p.rsplit('/').next().unwrap_or("data");
                missing.push(format!("`volume {name} emptydir at {p}` (or a claim)"));
            }
        }
        if missing.is_empty() {
            continue;
        }
        let mut help = format!("add {}", missing.join(", "));
        if needs.root && w.security.root_image.is_none() {
            help = format!(
                "add `root-image` (it bundles what the image needs), or {}",
                missing.join(", ")
            );
        }
        if let Some(other) = needs.instead {
            help.push_str(&format!("; or use {other}"));
        }
        diags.push(
            Diagnostic::new(
                Code::ImageNeeds,
                image.span,
                format!("`{repo}` will not start with tfc's secure defaults"),
            )
            .label(if needs.root {
                "the image starts as root and writes beside its program"
            } else {
                "the image writes to directories of its root file system, which tfc makes read-only"
            })
            .help(help),
        );
    }
}

/// Whether a volume is mounted at `path` or above it.
fn mounted(w: &Workload, path: &str) -> bool {
    w.mounts.iter().any(|m| {
        let at = m.path.node.trim_end_matches('/');
        path == at || path.starts_with(&format!("{at}/"))
    })
}

#[cfg(test)]
mod tests {
    use super::repository;

    #[test]
    fn repositories_without_registry_library_tag_or_digest() {
        assert_eq!(repository("nginx:1.27"), "nginx");
        assert_eq!(
            repository("docker.io/library/nginx:1.27@sha256:00"),
            "nginx"
        );
        assert_eq!(repository("library/redis"), "redis");
        assert_eq!(
            repository("nginxinc/nginx-unprivileged:1.27"),
            "nginxinc/nginx-unprivileged"
        );
        assert_eq!(repository("localhost:5000/postgres:16"), "postgres");
        assert_eq!(repository("ghcr.io/acme/postgres:16"), "acme/postgres");
    }
}
