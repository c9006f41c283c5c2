//! What the subcommands share: reading inputs, and reporting every message
//! as a diagnostic on stderr. Output errors never panic: a closed pipe ends
//! the output quietly, any other failure is reported (TF4002).

use super::{Color, MessageFormat};
use std::io::{IsTerminal, Write};
use std::path::Path;
use tfc::diagnostic::{Code, ColorChoice, Diagnostic, Renderer, Severity};
use tfc::secrets;

/// At most this many diagnostics are rendered as text in one run; the
/// summary still counts them all.
const SHOWN: usize = 1000;

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

/// Writes to stderr; false once it fails (a closed pipe or a full disk),
/// after which nothing more is tried.
pub fn to_stderr(text: &str) -> bool {
    std::io::stderr().lock().write_all(text.as_bytes()).is_ok()
}

/// A line of information on stderr (never data).
pub fn note(text: &str) {
    to_stderr(&format!("note: {text}\n"));
}

/// What writing to stdout came to.
pub enum Stdout {
    Written,
    /// The reader went away (EPIPE): stop quietly.
    Closed,
    Failed(std::io::Error),
}

pub fn to_stdout(text: &str) -> Stdout {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Stdout::Written,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Stdout::Closed,
        Err(e) => Stdout::Failed(e),
    }
}

/// Prints diagnostics as they come, keeps count, and gives the exit status.
pub struct Reporter {
    format: MessageFormat,
    color: ColorChoice,
    deny_warnings: bool,
    errors: usize,
    warnings: usize,
    shown: usize,
    /// An error about the command line or a file (exit status 2).
    usage_or_io: bool,
    stderr_ok: bool,
}

impl Reporter {
    pub fn new(format: MessageFormat, color: ColorChoice, deny_warnings: bool) -> Self {
        Reporter {
            format,
            color,
            deny_warnings,
            errors: 0,
            warnings: 0,
            shown: 0,
            usage_or_io: false,
            stderr_ok: true,
        }
    }

    fn write(&mut self, text: &str) {
        if self.stderr_ok {
            self.stderr_ok = to_stderr(text);
        }
    }

    /// Reports the diagnostics of one source file (`name`, `source`).
    pub fn source(&mut self, name: &str, source: &str, diags: &[Diagnostic]) {
        let r = Renderer::new(name, source, self.color);
        for d in diags {
            let mut d = d.clone();
            if self.deny_warnings {
                d.severity = Severity::Error;
            }
            if d.is_error() {
                self.errors += 1;
                self.usage_or_io |= d.code.is_usage_or_io();
            } else {
                self.warnings += 1;
            }
            if self.format == MessageFormat::Json {
                let line = r.json(&d);
                self.write(&line);
            } else if self.shown < SHOWN {
                self.shown += 1;
                let text = r.human(&d);
                self.write(&text);
            }
        }
    }

    /// Reports a diagnostic that is about no source (a file, the command line).
    pub fn outside(&mut self, d: Diagnostic) {
        self.source("", "", std::slice::from_ref(&d));
    }

    /// A line for people (human format only), such as "wrote 9 objects".
    pub fn status(&mut self, text: &str) {
        if self.format == MessageFormat::Human {
            let line = format!("{text}\n");
            self.write(&line);
        }
    }

    /// The closing line: how many were not shown.
    pub fn hidden(&mut self) {
        let total = self.errors + self.warnings;
        if self.format == MessageFormat::Human && total > self.shown && self.shown >= SHOWN {
            let text = format!("note: {} more diagnostics not shown\n", total - self.shown);
            self.write(&text);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// "2 errors, 1 warning" for a summary line, from counts since `since`.
    pub fn summary_since(&self, since: (usize, usize)) -> Option<String> {
        summary(self.errors - since.0, self.warnings - since.1)
    }

    pub fn counts(&self) -> (usize, usize) {
        (self.errors, self.warnings)
    }

    /// 0 success, 1 errors in the input, 2 usage or I/O problems.
    pub fn exit_code(&self) -> i32 {
        if self.usage_or_io {
            2
        } else if self.errors > 0 {
            1
        } else {
            0
        }
    }
}

fn summary(errors: usize, warnings: usize) -> Option<String> {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => None,
        (0, w) => Some(plural(w, "warning")),
        (e, 0) => Some(plural(e, "error")),
        (e, w) => Some(format!("{}, {}", plural(e, "error"), plural(w, "warning"))),
    }
}

/// A file that cannot be read (TF4001).
pub fn cannot_read(path: &Path, what: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::outside(
        Code::CannotRead,
        Some(path.display().to_string()),
        None,
        format!("cannot read {what} `{}`: {e}", path.display()),
    )
}

/// The directory that files a source names (`sealed FILE`) are read from:
/// the source's own; the current one for standard input.
pub fn base_dir(file: &Path) -> Option<std::path::PathBuf> {
    if file == Path::new("-") {
        return None;
    }
    Some(match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    })
}

/// The bytes of a regular source file, at most one byte over the size
/// limit (the decoder refuses it then).
pub fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let limit = u64::try_from(tfc::syntax::MAX_SOURCE_BYTES).unwrap_or(u64::MAX);
    tfc::input::read_bounded(path, limit)
}

/// A source file as text, or the diagnostic that says why it is not one.
pub enum Source {
    Text(String),
    /// Read, but not UTF-8: a diagnostic over a lossy rendering.
    Invalid(String, Diagnostic),
}

/// Reads a source file; an I/O failure is reported and gives None.
pub fn read_source(path: &Path, r: &mut Reporter) -> Option<Source> {
    match read_bounded(path) {
        Ok(bytes) => Some(match tfc::decode(bytes) {
            Ok(s) => Source::Text(s),
            Err(u) => Source::Invalid(u.text, *u.diagnostic),
        }),
        Err(e) => {
            r.outside(cannot_read(path, "the file", &e));
            None
        }
    }
}

/// Reads `--secrets`; problems are reported (never a value) and give None.
pub fn read_secrets(path: &Path, r: &mut Reporter) -> Option<Vec<secrets::SecretInput>> {
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                r.outside(Diagnostic::outside(
                    Code::SecretsFileSyntax,
                    Some(path.display().to_string()),
                    None,
                    "the secrets file is not UTF-8 text",
                ));
                return None;
            }
        },
        Err(e) => {
            r.outside(cannot_read(path, "the secrets file", &e));
            return None;
        }
    };
    match secrets::parse(&text) {
        Ok(inputs) => Some(inputs),
        Err(errors) => {
            for e in errors {
                r.outside(
                    Diagnostic::outside(
                        Code::SecretsFileSyntax,
                        Some(path.display().to_string()),
                        Some(e.line),
                        format!("line {} of the secrets file: {}", e.line, e.message),
                    )
                    .help("each line is `SECRET.KEY=value`; see docs/cli.md (the line is not shown: it may hold a secret)"),
                );
            }
            None
        }
    }
}

/// Warns about secrets-file lines that name no declared key (TF1007).
pub fn unknown_secrets(
    app: Option<&tfc::ir::App>,
    inputs: &[secrets::SecretInput],
    path: Option<&Path>,
    r: &mut Reporter,
) {
    let (Some(app), Some(path)) = (app, path) else {
        return;
    };
    for u in tfc::unknown_secret_inputs(app, inputs) {
        r.outside(
            Diagnostic::outside(
                Code::UnknownSecretInput,
                Some(path.display().to_string()),
                Some(u.line),
                if u.external {
                    format!("`{}` takes no value at compile time", u.name)
                } else {
                    format!("`{}` is not a declared secret key", u.name)
                },
            )
            .maybe_help(if u.external {
                Some(format!(
                    "`{}` is a key of a secret whose values come from the cluster (`external`) or from a `store`: tfc takes no value for it",
                    u.name
                ))
            } else {
                u.suggestion.map(|s| format!("did you mean `{s}`?"))
            }),
        );
    }
}
