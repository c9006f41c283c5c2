//! `tfc check FILE...`: every check, nothing written.

use super::MessageFormat;
use super::common::{self, Source};
use std::path::{Path, PathBuf};
use tfc::diagnostic::ColorChoice;
use tfc::emit::SecretValues;

pub fn run(
    files: &[PathBuf],
    env: Option<&str>,
    secrets: Option<&Path>,
    format: MessageFormat,
    deny_warnings: bool,
    color: ColorChoice,
) -> i32 {
    let (values, inputs) = match secrets {
        Some(p) => match common::read_secrets(p) {
            Some(inputs) => (tfc::secrets::values(&inputs), inputs),
            None => return 2,
        },
        None => (SecretValues::new(), Vec::new()),
    };
    let mut io_failed = false;
    let mut failed = false;
    for file in files {
        let name = file.display().to_string();
        let Some(source) = common::read_source(file) else {
            io_failed = true;
            continue;
        };
        let (text, mut diags) = match source {
            Source::Invalid(text, d) => (text, vec![d]),
            Source::Text(text) => {
                let checked = match env {
                    Some(e) => tfc::compile(
                        &text,
                        &tfc::CompileOptions {
                            env: Some(e.to_string()),
                            secrets: values.clone(),
                        },
                    ),
                    None => tfc::check_all(&text, &values),
                };
                report_unknown_secrets(checked.app.as_ref(), &inputs, secrets);
                let diags = checked.diagnostics;
                (text, diags)
            }
        };
        common::deny(&mut diags, deny_warnings);
        common::print_diagnostics(&name, &text, &diags, format, color);
        if diags.iter().any(|d| d.is_error()) {
            failed = true;
        }
        if format == MessageFormat::Human {
            match common::summary(&diags) {
                Some(s) => eprintln!("{name}: {s}"),
                None => eprintln!("{name}: ok"),
            }
        }
    }
    if io_failed {
        2
    } else if failed {
        1
    } else {
        0
    }
}

/// Warns about secrets-file lines that name no declared key.
pub fn report_unknown_secrets(
    app: Option<&tfc::ir::App>,
    inputs: &[tfc::secrets::SecretInput],
    path: Option<&Path>,
) {
    let (Some(app), Some(path)) = (app, path) else {
        return;
    };
    for (line, msg) in tfc::unknown_secret_inputs(app, inputs) {
        eprintln!("warning[TF1007]: {}:{line}: {msg}", path.display());
    }
}
