//! `tfc compile FILE -o DIR`: write the objects, or a stream with `-o -`.

use super::common::{self, Source};
use super::{Format, MessageFormat, output};
use std::path::PathBuf;
use tfc::diagnostic::ColorChoice;
use tfc::emit::{SecretValues, yaml};

pub struct Args {
    pub file: PathBuf,
    pub output: PathBuf,
    pub format: Format,
    pub env: Option<String>,
    pub secrets: Option<PathBuf>,
    pub deny_warnings: bool,
    pub message_format: MessageFormat,
    pub color: ColorChoice,
}

pub fn run(a: &Args) -> i32 {
    if a.format == Format::Helm {
        return run_helm(a);
    }
    let to_stdout = a.output.as_os_str() == "-";
    if to_stdout && a.secrets.is_some() {
        eprintln!("error: refusing to write secret values to stdout");
        eprintln!(
            "help: write to a directory with `-o DIR`, where Secret files are created with mode 0600"
        );
        return 2;
    }
    let (values, inputs) = match &a.secrets {
        Some(p) => match common::read_secrets(p) {
            Some(inputs) => (tfc::secrets::values(&inputs), inputs),
            None => return 2,
        },
        None => (SecretValues::new(), Vec::new()),
    };
    let name = a.file.display().to_string();
    let text = match read_text(a, &name) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let compiled = tfc::compile(
        &text,
        &tfc::CompileOptions {
            env: a.env.clone(),
            secrets: values,
        },
    );
    super::check::report_unknown_secrets(compiled.app.as_ref(), &inputs, a.secrets.as_deref());
    let mut diags = compiled.diagnostics.clone();
    common::deny(&mut diags, a.deny_warnings);
    common::print_diagnostics(&name, &text, &diags, a.message_format, a.color);
    let objects = match compiled.objects {
        Some(o) if !diags.iter().any(|d| d.is_error()) => o,
        _ => {
            report_failure(a, &name, &diags);
            return 1;
        }
    };
    if to_stdout {
        return match yaml::stream(&objects) {
            Ok(s) => {
                print!("{s}");
                0
            }
            Err(e) => {
                eprintln!("error: internal error while writing YAML: {}", e.0);
                2
            }
        };
    }
    let files = match output::object_files(&objects) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    match output::write_dir(&a.output, &files) {
        Ok(()) => {
            if a.message_format == MessageFormat::Human {
                eprintln!("wrote {} objects to {}", objects.len(), a.output.display());
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// The source text, or the exit status when it cannot be had (its problem printed).
fn read_text(a: &Args, name: &str) -> Result<String, i32> {
    match common::read_source(&a.file) {
        None => Err(2),
        Some(Source::Text(t)) => Ok(t),
        Some(Source::Invalid(text, d)) => {
            common::print_diagnostics(name, &text, &[d], a.message_format, a.color);
            Err(1)
        }
    }
}

/// Prints the closing line of a failed compile.
fn report_failure(a: &Args, name: &str, diags: &[tfc::diagnostic::Diagnostic]) {
    if a.message_format == MessageFormat::Human {
        if let Some(s) = common::summary(diags) {
            eprintln!("error: could not compile `{name}` ({s})");
        }
    }
}

/// `--format helm`: the chart of the app and all its environments.
fn run_helm(a: &Args) -> i32 {
    let refuse = |why: &str, help: &str| {
        eprintln!("error: {why}");
        eprintln!("help: {help}");
        2
    };
    if a.output.as_os_str() == "-" {
        return refuse(
            "a chart is a directory; it cannot be written to stdout",
            "pass `-o DIR`",
        );
    }
    if a.env.is_some() {
        return refuse(
            "`--env` does not apply to a chart",
            "the chart has every environment as values-NAME.yaml: `helm install ... -f values-NAME.yaml`",
        );
    }
    if a.secrets.is_some() {
        return refuse(
            "a chart never holds secret values",
            "pass them at install time: `helm install ... --set secrets.create=true --set-string secrets.values.SECRET.KEY=...`",
        );
    }
    let name = a.file.display().to_string();
    let text = match read_text(a, &name) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let compiled = tfc::compile_chart(&text);
    let mut diags = compiled.diagnostics.clone();
    common::deny(&mut diags, a.deny_warnings);
    common::print_diagnostics(&name, &text, &diags, a.message_format, a.color);
    let files = match compiled.files {
        Some(f) if !diags.iter().any(|d| d.is_error()) => f,
        _ => {
            report_failure(a, &name, &diags);
            return 1;
        }
    };
    let out: Vec<output::File> = files
        .into_iter()
        .map(|f| output::File {
            name: f.path,
            contents: f.contents,
            private: false,
        })
        .collect();
    match output::write_dir(&a.output, &out) {
        Ok(()) => {
            if a.message_format == MessageFormat::Human {
                eprintln!(
                    "wrote a Helm chart of {} files to {}",
                    out.len(),
                    a.output.display()
                );
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
