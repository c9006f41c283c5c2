//! tfc, the Taskflow compiler: `.taskflow` app descriptions → Kubernetes YAML.
//!
//! The pipeline, one module per phase: [`syntax`] (pest) → [`ast`] →
//! [`ir`] → [`check`] → [`emit`]. [`compile`] runs it all on a string and
//! touches neither files nor the terminal; the `tfc` binary does that.
#![forbid(unsafe_code)]

// The pest parser, built without its std feature (for speed), names `alloc`.
extern crate alloc;

pub mod ast;
pub mod check;
pub mod diagnostic;
pub mod emit;
pub mod input;
pub mod ir;
pub mod patch;
pub mod sealed;
pub mod secrets;
pub mod span;
pub mod suggest;
pub mod syntax;
pub mod validate;

use diagnostic::{Code, Diagnostic};
use emit::{Object, SecretValues};
use ir::App;

/// A source file that is not text tfc reads: too large, or not UTF-8.
#[derive(Clone, Debug)]
pub struct Undecodable {
    /// A lossy rendering of the file, to show the diagnostic in.
    pub text: String,
    pub diagnostic: Box<Diagnostic>,
}

/// The text of a source file, or why it is not one.
pub fn decode(bytes: Vec<u8>) -> Result<String, Undecodable> {
    if bytes.len() > syntax::MAX_SOURCE_BYTES {
        let d = Diagnostic::new(
            Code::InputTooLarge,
            span::Span::new(0, 0),
            "the file is too large",
        )
        .label(format!(
            "{} bytes; tfc reads at most {} MiB",
            bytes.len(),
            syntax::MAX_SOURCE_BYTES / (1024 * 1024)
        ));
        return Err(Undecodable {
            text: String::new(),
            diagnostic: Box::new(d),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        // The lossy text has a 3-byte replacement character where the bad byte was.
        let d = Diagnostic::new(
            Code::InvalidEncoding,
            span::Span::new(at, at + 3),
            "the file is not valid UTF-8",
        )
        .label(format!("invalid byte at offset {at}"))
        .help("save the file as UTF-8");
        Undecodable {
            text: lossy,
            diagnostic: Box::new(d),
        }
    })
}

/// What to compile, besides the source.
#[derive(Clone, Debug, Default)]
pub struct CompileOptions {
    /// The `env NAME { }` block to apply.
    pub env: Option<String>,
    /// Secret values, by secret and key.
    pub secrets: SecretValues,
    /// `--namespace NS`: the namespace of every object, unless the file
    /// fixes one (`namespace NAME { fixed }`).
    pub namespace: Option<String>,
    /// `--no-namespace-object`: emit no Namespace object.
    pub no_namespace_object: bool,
    /// The directory that files named in the source (`sealed FILE`) are
    /// read from: the `.taskflow` file's. None: the current directory.
    pub base_dir: Option<std::path::PathBuf>,
}

impl CompileOptions {
    fn base(&self) -> &std::path::Path {
        self.base_dir
            .as_deref()
            .unwrap_or_else(|| std::path::Path::new("."))
    }
}

/// The result of a compile: objects when there was no error, and every diagnostic.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub app: Option<App>,
    pub objects: Option<Vec<Object>>,
    /// Where each object came from: `origins[i]` belongs to `objects[i]`.
    pub origins: Vec<emit::slot::Origin>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Lowers and checks a parsed file for one environment.
fn analyze_file(
    file: &ast::File,
    source: &str,
    env: Option<String>,
    opts: &CompileOptions,
    check_other_envs: bool,
    all_on: bool,
) -> (App, Vec<Diagnostic>) {
    let lower = ir::Options {
        env,
        check_other_envs,
        all_on,
        ..ir::Options::default()
    };
    analyze_with(file, source, &lower, opts)
}

/// Lowers and checks, then reads the files the app names (`sealed`).
fn analyze_with(
    file: &ast::File,
    source: &str,
    lower: &ir::Options,
    opts: &CompileOptions,
) -> (App, Vec<Diagnostic>) {
    let (mut app, mut diags) = ir::lower(file, source, lower);
    diags.extend(check::check(&app));
    diags.extend(
        missing_secret_values(&app, &opts.secrets)
            .into_iter()
            .filter(|d| !check::security::accepted(&app, d)),
    );
    diags.extend(
        sealed::load(&mut app, opts.base())
            .into_iter()
            .filter(|d| !check::security::accepted(&app, d)),
    );
    (app, diags)
}

/// Parses, lowers and checks one app, and builds its objects when there is no error.
pub fn compile(source: &str, opts: &CompileOptions) -> Compiled {
    suggest::reset_budget();
    let (file, mut diags) = syntax::parse(source);
    let Some(file) = file else {
        return finish(None, None, diags, source.len());
    };
    let lower = ir::Options {
        env: opts.env.clone(),
        check_other_envs: true,
        namespace: opts.namespace.clone(),
        ..ir::Options::default()
    };
    let (app, more) = analyze_with(&file, source, &lower, opts);
    diags.extend(more);
    if diags.iter().any(Diagnostic::is_error) {
        return finish(Some(app), None, diags, source.len());
    }
    let (emitted, more) = finished(&app, emit::emit(&app, &opts.secrets));
    diags.extend(more);
    if diags.iter().any(Diagnostic::is_error) {
        return finish(Some(app), None, diags, source.len());
    }
    let (mut objects, mut origins) = emit::split(emitted);
    if opts.no_namespace_object {
        let keep: Vec<bool> = objects
            .iter()
            .map(|o| !matches!(o, emit::Object::Namespace(_)))
            .collect();
        let mut k = keep.iter();
        objects.retain(|_| k.next().copied().unwrap_or(true));
        let mut k = keep.iter();
        origins.retain(|_| k.next().copied().unwrap_or(true));
    }
    let mut compiled = finish(Some(app), Some(objects), diags, source.len());
    compiled.origins = origins;
    compiled
}

/// Checks the app as written and in every environment it defines, without
/// building objects; each problem is reported once. `app` is the app as
/// written. Of `opts`, only the secrets and the base directory count.
pub fn check_all(source: &str, opts: &CompileOptions) -> Compiled {
    let secrets = &opts.secrets;
    suggest::reset_budget();
    let (file, mut diags) = syntax::parse(source);
    let Some(file) = file else {
        return finish(None, None, diags, source.len());
    };
    // The API server's rules run on emitted objects, so only on an app
    // (and an environment) without errors.
    let read = !diags.iter().any(Diagnostic::is_error);
    let (app, more) = analyze_file(&file, source, None, opts, true, false);
    diags.extend(validated(&app, more, secrets, read));
    for env in &app.environments {
        let (env_app, more) =
            analyze_file(&file, source, Some(env.node.clone()), opts, false, false);
        diags.extend(validated(&env_app, more, secrets, read));
    }
    // Items excluded at app level are checked as if every one were in.
    if app.off_by_default {
        let (on_app, more) = analyze_file(&file, source, None, opts, false, true);
        diags.extend(validated(&on_app, more, secrets, read));
    }
    finish(Some(app), None, diags, source.len())
}

/// An app's diagnostics, and when neither the file (`read`) nor the app has
/// an error, those of its emitted objects under the API server's rules.
fn validated(
    app: &App,
    mut diags: Vec<Diagnostic>,
    secrets: &SecretValues,
    read: bool,
) -> Vec<Diagnostic> {
    if read && !diags.iter().any(Diagnostic::is_error) {
        diags.extend(finished(app, emit::emit(app, secrets)).1);
    }
    diags
}

/// The emitted objects with the app's patches and extra objects, checked
/// against the API server's rules (when the patches apply).
fn finished(app: &App, mut emitted: Vec<emit::Emitted>) -> (Vec<emit::Emitted>, Vec<Diagnostic>) {
    let mut diags = patch::apply(app, &mut emitted);
    if !diags.iter().any(Diagnostic::is_error) {
        diags.extend(validate::validate(app, &emitted));
    }
    (emitted, diags)
}

/// The result of a chart compile: the chart's files when there was no error.
#[derive(Clone, Debug)]
pub struct CompiledChart {
    pub app: Option<App>,
    pub files: Option<Vec<emit::helm::ChartFile>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Compiles the app as written and in every environment, and writes them
/// all as one Helm chart. Secret values are never part of a chart; of
/// `opts`, only the base directory counts.
pub fn compile_chart(source: &str, opts: &CompileOptions) -> CompiledChart {
    suggest::reset_budget();
    let (file, mut diags) = syntax::parse(source);
    let Some(file) = file else {
        return CompiledChart {
            app: None,
            files: None,
            diagnostics: finish(None, None, diags, source.len()).diagnostics,
        };
    };
    let opts = CompileOptions {
        base_dir: opts.base_dir.clone(),
        ..CompileOptions::default()
    };
    // The chart's own markers may not stand in the file's text: they would
    // be replaced at install.
    for (at, _) in source.match_indices("__RELEASE_") {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                span::Span::new(at, at + "__RELEASE_".len()),
                "a chart reserves text that starts with `__RELEASE_`",
            )
            .label("Helm would replace it with the release's name or prefix")
            .help("write it differently, e.g. `_RELEASE_`, or compile to YAML"),
        );
    }
    // Host names carry the place of the release prefix.
    let lower = |env: Option<String>, check_other_envs| ir::Options {
        env,
        check_other_envs,
        release_token: true,
        ..ir::Options::default()
    };
    let (base, more) = analyze_with(&file, source, &lower(None, true), &opts);
    diags.extend(more);
    let mut envs = Vec::new();
    for env in &base.environments {
        let (app, more) = analyze_with(&file, source, &lower(Some(env.node.clone()), false), &opts);
        diags.extend(more);
        envs.push((env.node.clone(), app));
    }
    let mut files = None;
    if !diags.iter().any(Diagnostic::is_error) {
        let (base_objects, more) = finished(&base, emit::emit_for_chart(&base));
        diags.extend(more);
        let mut env_objects: Vec<Vec<emit::Emitted>> = Vec::new();
        for (_, app) in &envs {
            let (objects, more) = finished(app, emit::emit_for_chart(app));
            diags.extend(more);
            env_objects.push(objects);
        }
        if diags.iter().any(Diagnostic::is_error) {
            return chart_result(base, None, diags, source.len());
        }
        let mut variants = vec![emit::helm::Variant {
            env: None,
            app: &base,
            objects: &base_objects,
        }];
        for ((name, app), objects) in envs.iter().zip(&env_objects) {
            variants.push(emit::helm::Variant {
                env: Some(name),
                app,
                objects,
            });
        }
        match emit::helm::chart(&variants) {
            Ok(f) => files = Some(f),
            Err(d) => diags.push(*d),
        }
    }
    chart_result(base, files, diags, source.len())
}

fn chart_result(
    base: App,
    files: Option<Vec<emit::helm::ChartFile>>,
    mut diags: Vec<Diagnostic>,
    source_len: usize,
) -> CompiledChart {
    // A chart never holds secret values, so none is missing.
    diags.retain(|d| d.code != Code::MissingSecretValue);
    let diagnostics = finish(None, None, diags, source_len).diagnostics;
    CompiledChart {
        app: Some(base),
        files,
        diagnostics,
    }
}

fn finish(
    app: Option<App>,
    objects: Option<Vec<Object>>,
    mut diagnostics: Vec<Diagnostic>,
    source_len: usize,
) -> Compiled {
    // A repaired file has closers appended: a span there points at the end.
    for d in &mut diagnostics {
        for l in std::iter::once(&mut d.primary).chain(d.secondary.iter_mut()) {
            l.span.start = l.span.start.min(source_len);
            l.span.end = l.span.end.min(source_len);
        }
    }
    diagnostic::sort(&mut diagnostics);
    // The same problem found in two variants (the app as written and an
    // environment) is reported once, with the help either had.
    diagnostics.dedup_by(|later, kept| {
        let same = later.code == kept.code
            && later.primary.span == kept.primary.span
            && later.message == kept.message
            && later.elsewhere == kept.elsewhere;
        if same && kept.help.is_none() {
            kept.help = later.help.take();
        }
        same
    });
    Compiled {
        app,
        objects,
        origins: Vec::new(),
        diagnostics,
    }
}

/// A warning for every declared secret key that got no value.
fn missing_secret_values(app: &App, values: &SecretValues) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for s in app.secrets.iter().filter(|s| s.external.is_none()) {
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
                        "pass `--secrets FILE` with a line `{}.{}=...`; under GitOps, let the cluster fill it instead: `store STORE`, `sealed FILE` or `external` in the secret",
                        s.name.node, k.node
                    )),
                );
            }
        }
    }
    out
}

/// A line of a secrets file that names a key the app does not declare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSecretInput {
    pub line: usize,
    /// `SECRET.KEY` as the line names it (a name, never a value).
    pub name: String,
    /// The nearest declared key.
    pub suggestion: Option<String>,
    /// The line names a key of an `external` secret, whose values live in
    /// the cluster.
    pub external: bool,
}

/// Names in a secrets file that the app does not declare, with a suggestion.
pub fn unknown_secret_inputs(
    app: &App,
    inputs: &[secrets::SecretInput],
) -> Vec<UnknownSecretInput> {
    let declared: Vec<String> = app
        .secrets
        .iter()
        .filter(|s| s.external.is_none())
        .flat_map(|s| {
            s.keys
                .iter()
                .map(move |k| format!("{}.{}", s.name.node, k.node))
        })
        .collect();
    let known: std::collections::HashSet<&str> = declared.iter().map(String::as_str).collect();
    inputs
        .iter()
        .filter_map(|i| {
            let name = format!("{}.{}", i.secret, i.key);
            if known.contains(name.as_str()) {
                return None;
            }
            let suggestion =
                suggest::nearest(&name, declared.iter().map(String::as_str)).map(str::to_string);
            let external = app.secret(&i.secret).is_some_and(|s| s.external.is_some());
            Some(UnknownSecretInput {
                line: i.line,
                name,
                suggestion,
                external,
            })
        })
        .collect()
}
