//! `tfc environments FILE` and `tfc argocd generate|parameters`: what Argo
//! CD's Config Management Plugin (integrations/argocd/plugin.yaml) runs.
//! The plugin server passes its choices in the environment; these commands
//! read them, so the plugin needs no shell.

use super::common::{self, Reporter, Source};
use super::{Format, MessageFormat, compile};
use std::path::{Component, Path, PathBuf};
use tfc::diagnostic::ColorChoice;

/// How `tfc environments` prints the names.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EnvFormat {
    /// One name per line.
    Lines,
    /// A JSON list of names.
    Json,
    /// Argo CD's parameter announcements (a JSON list).
    Argocd,
}

/// The environments of a file, in `format`; exit 1 when it does not compile
/// far enough to have them.
pub fn environments(file: &Path, format: EnvFormat, color: ColorChoice) -> i32 {
    let mut r = Reporter::new(MessageFormat::Human, color, false);
    let Some(names) = environment_names(file, &mut r) else {
        r.hidden();
        return r.exit_code().max(1);
    };
    let text = match format {
        EnvFormat::Lines => names.iter().map(|n| format!("{n}\n")).collect(),
        EnvFormat::Json => format!("{}\n", serde_json::json!(names)),
        EnvFormat::Argocd => format!("{}\n", announcements(file, &names)),
    };
    match common::to_stdout(&text) {
        common::Stdout::Failed(e) => {
            r.outside(tfc::diagnostic::Diagnostic::outside(
                tfc::diagnostic::Code::CannotWrite,
                None,
                None,
                format!("cannot write to standard output: {e}"),
            ));
            r.exit_code().max(2)
        }
        _ => 0,
    }
}

fn environment_names(file: &Path, r: &mut Reporter) -> Option<Vec<String>> {
    let name = file.display().to_string();
    let text = match common::read_source(file, r)? {
        Source::Text(t) => t,
        Source::Invalid(text, d) => {
            r.source(&name, &text, &[d]);
            return None;
        }
    };
    let opts = tfc::CompileOptions {
        base_dir: common::base_dir(file),
        ..tfc::CompileOptions::default()
    };
    let compiled = tfc::compile(&text, &opts);
    let broken = compiled
        .diagnostics
        .iter()
        .any(tfc::diagnostic::Diagnostic::is_error);
    match compiled.app.filter(|_| !broken) {
        Some(app) => Some(app.environments.iter().map(|e| e.node.clone()).collect()),
        None => {
            r.source(&name, &text, &compiled.diagnostics);
            None
        }
    }
}

/// Argo CD's parameter announcements: the environments to choose from.
fn announcements(file: &Path, names: &[String]) -> serde_json::Value {
    let choices = if names.is_empty() {
        "this file defines no environment".to_string()
    } else {
        format!("one of: {}", names.join(", "))
    };
    serde_json::json!([
        {
            "name": "env",
            "title": "The environment (an `env NAME { }` block; empty: the app as written)",
            "tooltip": choices,
            "collectionType": "string",
            "itemType": "string",
            "string": "",
        },
        {
            "name": "environments",
            "title": format!("The environments of {}", file.display()),
            "collectionType": "array",
            "itemType": "string",
            "array": names,
        }
    ])
}

/// The first non-empty variable of `names`; a value that is not UTF-8 is
/// an error (treating it as unset would compile something else).
fn var(names: &[&str]) -> Result<Option<String>, String> {
    for n in names {
        match std::env::var(n) {
            Ok(v) if !v.is_empty() => return Ok(Some(v)),
            Ok(_) | Err(std::env::VarError::NotPresent) => {}
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(format!("the variable {n} is not UTF-8 text"));
            }
        }
    }
    Ok(None)
}

/// Whether `p` is a regular file whose real path is inside `dir` (no
/// symlink leads out of the app's directory).
fn inside(dir: &Path, p: &Path) -> bool {
    let (Ok(dir), Ok(real)) = (dir.canonicalize(), p.canonicalize()) else {
        return false;
    };
    real.starts_with(&dir) && real.is_file()
}

/// The file the plugin compiles: the `file` parameter, else the one
/// `*.taskflow` file in the app's directory. A path that leaves the
/// directory is refused.
fn plugin_file() -> Result<PathBuf, String> {
    let here = Path::new(".");
    if let Some(f) = var(&["PARAM_FILE", "ARGOCD_ENV_TFC_FILE"])? {
        let p = PathBuf::from(&f);
        let relative = p
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !relative || !f.ends_with(".taskflow") || !inside(here, &p) {
            return Err(format!(
                "the `file` parameter `{f}` is not a .taskflow file inside the app's directory"
            ));
        }
        return Ok(p);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(here)
        .map_err(|e| format!("cannot read the app's directory: {e}"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "taskflow"))
        .filter(|p| inside(here, p))
        .collect();
    found.sort();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err("no .taskflow file in the app's directory".to_string()),
        many => Err(format!(
            "{} .taskflow files in the app's directory ({}): set the plugin parameter `file`",
            many.len(),
            many.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// `tfc argocd generate`: the objects on stdout, nothing else; on any
/// error a non-zero exit and an empty stdout.
pub fn generate(color: ColorChoice) -> i32 {
    let chosen = plugin_file().and_then(|f| {
        let env = var(&["PARAM_ENV", "ARGOCD_ENV_TFC_ENV"])?;
        let namespace = var(&["ARGOCD_APP_NAMESPACE"])?;
        Ok((f, env, namespace))
    });
    let (file, env, namespace) = match chosen {
        Ok(c) => c,
        Err(e) => return refuse(&e, color),
    };
    compile::run(&compile::Args {
        file,
        output: PathBuf::from("-"),
        format: Format::Yaml,
        env,
        secrets: None,
        namespace,
        no_namespace_object: true,
        deny_warnings: false,
        message_format: MessageFormat::Human,
        color,
    })
}

/// `tfc argocd parameters`: the parameter announcements of the app's file.
pub fn parameters(color: ColorChoice) -> i32 {
    match plugin_file() {
        Ok(f) => environments(&f, EnvFormat::Argocd, color),
        Err(e) => refuse(&e, color),
    }
}

/// What the plugin was given cannot be used (TF4004, exit 2).
fn refuse(why: &str, color: ColorChoice) -> i32 {
    let mut r = Reporter::new(MessageFormat::Human, color, false);
    r.outside(
        tfc::diagnostic::Diagnostic::outside(
            tfc::diagnostic::Code::RefusedOptions,
            None,
            None,
            why,
        )
        .help("set the plugin parameters `file` and `env` (docs/gitops.md)"),
    );
    r.exit_code().max(2)
}
