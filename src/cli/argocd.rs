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
        common::Stdout::Failed(_) => 2,
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
    let compiled = tfc::compile(&text, &tfc::CompileOptions::default());
    match compiled.app {
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

/// The first non-empty variable of `names`.
fn var(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
}

/// The file the plugin compiles: the `file` parameter, else the one
/// `*.taskflow` file in the app's directory. A path that leaves the
/// directory is refused.
fn plugin_file() -> Result<PathBuf, String> {
    if let Some(f) = var(&["PARAM_FILE", "ARGOCD_ENV_TFC_FILE"]) {
        let p = PathBuf::from(&f);
        let inside = p
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !inside || !f.ends_with(".taskflow") {
            return Err(format!(
                "the `file` parameter `{f}` is not a .taskflow file inside the app's directory"
            ));
        }
        return Ok(p);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(".")
        .map_err(|e| format!("cannot read the app's directory: {e}"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "taskflow"))
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
    let file = match plugin_file() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    compile::run(&compile::Args {
        file,
        output: PathBuf::from("-"),
        format: Format::Yaml,
        env: var(&["PARAM_ENV", "ARGOCD_ENV_TFC_ENV"]),
        secrets: None,
        namespace: var(&["ARGOCD_APP_NAMESPACE"]),
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
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
