//! What the subcommands share: reading inputs and printing diagnostics.

use super::{Color, MessageFormat};
use std::io::IsTerminal;
use std::path::Path;
use tfc::diagnostic::{ColorChoice, Diagnostic, Severity, render_human, render_json};
use tfc::secrets;

pub fn color_choice(c: Color) -> ColorChoice {
    match c {
        Color::Always => ColorChoice::Always,
        Color::Never => ColorChoice::Never,
        Color::Auto => {
            if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
                || !std::io::stderr().is_terminal()
            {
                ColorChoice::Never
            } else {
                ColorChoice::Always
            }
        }
    }
}

/// A source file as text, or the diagnostic that says why it is not one.
pub enum Source {
    Text(String),
    /// Read, but not UTF-8: a diagnostic over a lossy rendering.
    Invalid(String, Diagnostic),
}

/// Reads a source file; I/O failures are reported here and give None.
pub fn read_source(path: &Path) -> Option<Source> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read `{}`: {}", path.display(), e);
            return None;
        }
    };
    match tfc::decode(bytes) {
        Ok(s) => Some(Source::Text(s)),
        Err(u) => Some(Source::Invalid(u.text, *u.diagnostic)),
    }
}

/// Reads `--secrets`; problems are printed and give None.
pub fn read_secrets(path: &Path) -> Option<Vec<secrets::SecretInput>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "error: cannot read the secrets file `{}`: {}",
                path.display(),
                e
            );
            return None;
        }
    };
    match secrets::parse(&text) {
        Ok(inputs) => Some(inputs),
        Err(errors) => {
            for e in errors {
                eprintln!("error: {}:{}: {}", path.display(), e.line, e.message);
            }
            None
        }
    }
}

/// Prints diagnostics to stderr in the chosen format.
pub fn print_diagnostics(
    name: &str,
    source: &str,
    diags: &[Diagnostic],
    format: MessageFormat,
    color: ColorChoice,
) {
    let text = match format {
        MessageFormat::Human => render_human(name, source, diags, color),
        MessageFormat::Json => render_json(name, source, diags),
    };
    eprint!("{text}");
}

/// Raises warnings to errors under `--deny-warnings`.
pub fn deny(diags: &mut [Diagnostic], deny_warnings: bool) {
    if deny_warnings {
        for d in diags.iter_mut() {
            d.severity = Severity::Error;
        }
    }
}

/// "2 errors, 1 warning" for a summary line.
pub fn summary(diags: &[Diagnostic]) -> Option<String> {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => None,
        (0, w) => Some(plural(w, "warning")),
        (e, 0) => Some(plural(e, "error")),
        (e, w) => Some(format!("{}, {}", plural(e, "error"), plural(w, "warning"))),
    }
}
