//! tfc, the Taskflow compiler: `.taskflow` app descriptions → Kubernetes YAML.
//!
//! The pipeline, one module per phase: [`syntax`] (pest) → [`ast`] →
//! [`ir`] → [`check`] → [`emit`]. [`compile`] runs it all on a string and
//! touches neither files nor the terminal; the `tfc` binary does that.
#![forbid(unsafe_code)]

pub mod ast;
pub mod check;
pub mod diagnostic;
pub mod emit;
pub mod ir;
pub mod secrets;
pub mod span;
pub mod suggest;
pub mod syntax;

use diagnostic::{Code, Diagnostic};
use emit::{Object, SecretValues};
use ir::App;

/// What to compile, besides the source.
#[derive(Clone, Debug, Default)]
pub struct CompileOptions {
    /// The `env NAME { }` block to apply.
    pub env: Option<String>,
    /// Secret values, by secret and key.
    pub secrets: SecretValues,
}

/// The result of a compile: objects when there was no error, and every diagnostic.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub app: Option<App>,
    pub objects: Option<Vec<Object>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses, lowers, checks and (when clean) emits one app.
pub fn compile(source: &str, opts: &CompileOptions) -> Compiled {
    let (file, mut diags) = syntax::parse(source);
    let Some(file) = file else {
        return finish(None, None, diags);
    };
    let (app, lower_diags) = ir::lower(
        &file,
        source,
        &ir::Options {
            env: opts.env.clone(),
        },
    );
    diags.extend(lower_diags);
    diags.extend(check::check(&app));
    diags.extend(missing_secret_values(&app, &opts.secrets));
    if diags.iter().any(Diagnostic::is_error) {
        return finish(Some(app), None, diags);
    }
    let objects = emit::emit(&app, &opts.secrets);
    finish(Some(app), Some(objects), diags)
}

/// Checks the app as written and in every environment it defines; each
/// problem is reported once.
pub fn check_all(source: &str, secrets: &SecretValues) -> Vec<Diagnostic> {
    let base = compile(
        source,
        &CompileOptions {
            env: None,
            secrets: secrets.clone(),
        },
    );
    let mut diags = base.diagnostics;
    let envs: Vec<String> = base
        .app
        .as_ref()
        .map(|a| a.environments.iter().map(|e| e.node.clone()).collect())
        .unwrap_or_default();
    for env in envs {
        let c = compile(
            source,
            &CompileOptions {
                env: Some(env),
                secrets: secrets.clone(),
            },
        );
        diags.extend(c.diagnostics);
    }
    diagnostic::sort(&mut diags);
    diags.dedup();
    diags
}

fn finish(
    app: Option<App>,
    objects: Option<Vec<Object>>,
    mut diagnostics: Vec<Diagnostic>,
) -> Compiled {
    diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    Compiled {
        app,
        objects,
        diagnostics,
    }
}

/// A warning for every declared secret key that got no value.
fn missing_secret_values(app: &App, values: &SecretValues) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for s in &app.secrets {
        for k in &s.keys {
            let given = values
                .get(&s.name.node)
                .is_some_and(|m| m.contains_key(&k.node));
            if !given {
                out.push(
                    Diagnostic::new(
                        Code::MissingSecretValue,
                        k.span,
                        format!(
                            "secret `{}` key `{}` has no value; it is emitted empty",
                            s.name.node, k.node
                        ),
                    )
                    .label("no value supplied")
                    .help(format!(
                        "pass `--secrets FILE` with a line `{}.{}=...`",
                        s.name.node, k.node
                    )),
                );
            }
        }
    }
    out
}

/// Names in a secrets file that the app does not declare, with a suggestion.
pub fn unknown_secret_inputs(app: &App, inputs: &[secrets::SecretInput]) -> Vec<(usize, String)> {
    let declared: Vec<String> = app
        .secrets
        .iter()
        .flat_map(|s| {
            s.keys
                .iter()
                .map(move |k| format!("{}.{}", s.name.node, k.node))
        })
        .collect();
    inputs
        .iter()
        .filter_map(|i| {
            let name = format!("{}.{}", i.secret, i.key);
            if declared.contains(&name) {
                return None;
            }
            let hint = suggest::nearest(&name, declared.iter().map(String::as_str))
                .map(|b| format!("; did you mean `{b}`?"))
                .unwrap_or_default();
            Some((
                i.line,
                format!("`{name}` is not a declared secret key{hint}"),
            ))
        })
        .collect()
}
