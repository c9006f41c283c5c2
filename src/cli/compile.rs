//! `tfc compile FILE -o DIR`: write the objects, or a stream with `-o -`.

use super::common::{self, Reporter, Source, Stdout};
use super::{Format, MessageFormat, output};
use std::path::PathBuf;
use tfc::diagnostic::{Code, ColorChoice, Diagnostic};
use tfc::emit::{SecretValues, yaml};

pub struct Args {
    pub file: PathBuf,
    pub output: PathBuf,
    pub format: Format,
    pub env: Option<String>,
    pub secrets: Option<PathBuf>,
    pub namespace: Option<String>,
    pub no_namespace_object: bool,
    pub deny_warnings: bool,
    pub message_format: MessageFormat,
    pub color: ColorChoice,
}

/// A refused combination of options (TF4004).
fn refused(why: &str, help: &str) -> Diagnostic {
    Diagnostic::outside(Code::RefusedOptions, None, None, why).help(help)
}

/// An internal failure (TF4999).
fn internal(e: &str) -> Diagnostic {
    Diagnostic::outside(
        Code::InternalError,
        None,
        None,
        format!("internal error: {e}"),
    )
    .help("this is a bug in tfc; please report it with the input that caused it")
}

pub fn run(a: &Args) -> i32 {
    let mut r = Reporter::new(a.message_format, a.color, a.deny_warnings);
    if a.format == Format::Helm {
        run_helm(a, &mut r);
    } else {
        run_yaml(a, &mut r);
    }
    r.hidden();
    r.exit_code()
}

fn run_yaml(a: &Args, r: &mut Reporter) {
    let to_stdout = a.output.as_os_str() == "-";
    if let Some(ns) = a
        .namespace
        .as_deref()
        .filter(|ns| !tfc::check::is_dns_label(ns))
    {
        return r.outside(refused(
            &format!("`--namespace {ns}` is not a namespace name"),
            "a namespace is a DNS label: at most 63 lower-case letters, digits and `-`, starting and ending with a letter or digit",
        ));
    }
    if to_stdout && a.secrets.is_some() {
        return r.outside(refused(
            "refusing to write secret values to stdout",
            "write to a directory with `-o DIR`, where Secret files are created with mode 0600",
        ));
    }
    let (values, inputs) = match &a.secrets {
        Some(p) => match common::read_secrets(p, r) {
            Some(inputs) => (tfc::secrets::values(&inputs), inputs),
            None => return,
        },
        None => (SecretValues::new(), Vec::new()),
    };
    let name = a.file.display().to_string();
    let Some(text) = read_text(a, &name, r) else {
        return;
    };
    let compiled = tfc::compile(
        &text,
        &tfc::CompileOptions {
            env: a.env.clone(),
            secrets: values,
            namespace: a.namespace.clone(),
            no_namespace_object: a.no_namespace_object,
            base_dir: common::base_dir(&a.file),
        },
    );
    r.source(&name, &text, &compiled.diagnostics);
    common::unknown_secrets(compiled.app.as_ref(), &inputs, a.secrets.as_deref(), r);
    let objects = match compiled.objects {
        Some(o) if !r.has_errors() => o,
        _ => return report_failure(&name, r),
    };
    if to_stdout {
        match yaml::stream(&objects) {
            Ok(s) => match common::to_stdout(&s) {
                Stdout::Written | Stdout::Closed => {}
                Stdout::Failed(e) => r.outside(Diagnostic::outside(
                    Code::CannotWrite,
                    None,
                    None,
                    format!("cannot write to standard output: {e}"),
                )),
            },
            Err(e) => r.outside(internal(&e.0)),
        }
        return;
    }
    let files = match output::object_files(&objects) {
        Ok(f) => f,
        Err(e) => return r.outside(internal(&e.message)),
    };
    if write(a, &files, r) {
        r.status(&format!(
            "wrote {} objects to {}",
            objects.len(),
            a.output.display()
        ));
    }
}

/// Writes the output directory; reports the outcome, true on success.
fn write(a: &Args, files: &[output::File], r: &mut Reporter) -> bool {
    let dir = a.output.display().to_string();
    match output::write_dir(&a.output, files) {
        Ok(w) => {
            for n in w.notes {
                r.outside(Diagnostic::outside(
                    Code::OutputKept,
                    Some(dir.clone()),
                    None,
                    n,
                ));
            }
            true
        }
        Err(e) => {
            let code = if e.conflict {
                Code::OutputConflict
            } else {
                Code::CannotWrite
            };
            r.outside(
                Diagnostic::outside(code, Some(dir), None, e.message).help(
                    e.help
                        .unwrap_or_else(|| "the previous output, if any, is unchanged".into()),
                ),
            );
            false
        }
    }
}

/// The source text, or None when it cannot be had (its problem reported).
fn read_text(a: &Args, name: &str, r: &mut Reporter) -> Option<String> {
    match common::read_source(&a.file, r)? {
        Source::Text(t) => Some(t),
        Source::Invalid(text, d) => {
            r.source(name, &text, &[d]);
            None
        }
    }
}

/// Prints the closing line of a failed compile.
fn report_failure(name: &str, r: &mut Reporter) {
    if let Some(s) = r.summary_since((0, 0)) {
        r.status(&format!("error: could not compile `{name}` ({s})"));
    }
}

/// `--format helm`: the chart of the app and all its environments.
fn run_helm(a: &Args, r: &mut Reporter) {
    if a.output.as_os_str() == "-" {
        return r.outside(refused(
            "a chart is a directory; it cannot be written to stdout",
            "pass `-o DIR`",
        ));
    }
    if a.env.is_some() {
        return r.outside(refused(
            "`--env` does not apply to a chart",
            "the chart has every environment as values-NAME.yaml: `helm install ... -f values-NAME.yaml`",
        ));
    }
    if a.namespace.is_some() || a.no_namespace_object {
        return r.outside(refused(
            "`--namespace` and `--no-namespace-object` do not apply to a chart",
            "a chart goes in the release's namespace (`helm install -n NS`) and renders no Namespace object unless `--set namespace.create=true`",
        ));
    }
    if a.secrets.is_some() {
        return r.outside(refused(
            "a chart never holds secret values",
            "pass them at install time: `helm install ... --set secrets.SECRET.source=values --set-string secrets.SECRET.values.KEY=...`",
        ));
    }
    let name = a.file.display().to_string();
    let Some(text) = read_text(a, &name, r) else {
        return;
    };
    let compiled = tfc::compile_chart(
        &text,
        &tfc::CompileOptions {
            base_dir: common::base_dir(&a.file),
            ..tfc::CompileOptions::default()
        },
    );
    r.source(&name, &text, &compiled.diagnostics);
    let files = match compiled.files {
        Some(f) if !r.has_errors() => f,
        _ => return report_failure(&name, r),
    };
    let out: Vec<output::File> = files
        .into_iter()
        .map(|f| output::File {
            name: f.path,
            contents: f.contents,
            private: false,
        })
        .collect();
    if write(a, &out, r) {
        r.status(&format!(
            "wrote a Helm chart of {} files to {}",
            out.len(),
            a.output.display()
        ));
    }
}
