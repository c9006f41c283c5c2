//! `tfc check FILE...`: every check, nothing written.

use super::MessageFormat;
use super::common::{self, Reporter, Source};
use std::path::{Path, PathBuf};
use tfc::diagnostic::ColorChoice;
use tfc::emit::SecretValues;

pub struct Args<'a> {
    pub files: &'a [PathBuf],
    pub env: Option<&'a str>,
    pub secrets: Option<&'a Path>,
    pub format: MessageFormat,
    pub deny_warnings: bool,
    pub color: ColorChoice,
}

pub fn run(a: &Args) -> i32 {
    let mut r = Reporter::new(a.format, a.color, a.deny_warnings);
    let (values, inputs) = match a.secrets {
        Some(p) => match common::read_secrets(p, &mut r) {
            Some(inputs) => (tfc::secrets::values(&inputs), inputs),
            None => return r.exit_code(),
        },
        None => (SecretValues::new(), Vec::new()),
    };
    for file in a.files {
        let name = file.display().to_string();
        let before = r.counts();
        match common::read_source(file, &mut r) {
            None => continue,
            Some(Source::Invalid(text, d)) => r.source(&name, &text, &[d]),
            Some(Source::Text(text)) => {
                let opts = tfc::CompileOptions {
                    env: a.env.map(str::to_string),
                    secrets: values.clone(),
                    base_dir: common::base_dir(file),
                    ..tfc::CompileOptions::default()
                };
                let checked = match a.env {
                    Some(_) => tfc::compile(&text, &opts),
                    None => tfc::check_all(&text, &opts),
                };
                r.source(&name, &text, &checked.diagnostics);
                common::unknown_secrets(checked.app.as_ref(), &inputs, a.secrets, &mut r);
            }
        }
        let line = match r.summary_since(before) {
            Some(s) => format!("{name}: {s}"),
            None => format!("{name}: ok"),
        };
        r.status(&line);
    }
    r.hidden();
    r.exit_code()
}
