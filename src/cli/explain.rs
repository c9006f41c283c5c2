//! `tfc explain CODE`: the long form of a diagnostic.

use super::MessageFormat;
use super::common::{self, Reporter, Stdout};
use tfc::diagnostic::{Code, ColorChoice, Diagnostic};

pub fn run(code: Option<&str>, color: ColorChoice) -> i32 {
    let text = match code {
        None => Code::ALL
            .iter()
            .map(|c| format!("{}  {:<28} {}\n", c.as_str(), c.name(), c.summary()))
            .collect(),
        Some(text) => match Code::lookup(text) {
            Some(c) => format!(
                "{} {}: {}\n\n{}\n",
                c.as_str(),
                c.name(),
                c.summary(),
                c.explanation()
            ),
            None => {
                let names = Code::ALL.iter().map(|c| c.name());
                let hint =
                    tfc::suggest::nearest(text, names).map(|n| format!("did you mean `{n}`? "));
                let mut r = Reporter::new(MessageFormat::Human, color, false);
                r.outside(
                    Diagnostic::outside(
                        Code::RefusedOptions,
                        None,
                        None,
                        format!("no diagnostic code `{text}`"),
                    )
                    .help(format!(
                        "{}run `tfc explain` to list them",
                        hint.unwrap_or_default()
                    )),
                );
                return r.exit_code();
            }
        },
    };
    match common::to_stdout(&text) {
        Stdout::Written | Stdout::Closed => 0,
        Stdout::Failed(e) => {
            common::to_stderr(&format!("error: cannot write to standard output: {e}\n"));
            2
        }
    }
}
