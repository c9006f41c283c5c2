//! What installs tfc: shell completions and the man page, both generated
//! from the one command-line definition, and the version line.

use super::Cli;
use clap::CommandFactory;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::Shells;
use std::ffi::OsStr;
use std::io::Write;

/// The variable that asks `tfc` for completions (the scripts set it).
const COMPLETE_VAR: &str = "TFC_COMPLETE";

/// Answers a completion request from a shell script and exits; returns
/// when the process is not one.
pub fn answer_completion_request() {
    // The scripts call `tfc -- WORDS...`; any other command line is a
    // command, whatever the environment holds.
    if std::env::args_os().nth(1).is_none_or(|a| a != "--") {
        return;
    }
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(COMPLETE_VAR)
        .bin("tfc")
        .completer("tfc")
        .complete();
}

/// `.taskflow` files (and directories, to descend into) for a FILE argument.
pub fn taskflow_files() -> clap_complete::engine::PathCompleter {
    clap_complete::engine::PathCompleter::any()
        .filter(|p| p.extension().is_some_and(|e| e == "taskflow"))
}

/// The environments of the `.taskflow` file on the command line being
/// completed, for `--env`.
pub fn environment_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    let Some(file) = std::env::args_os()
        .skip_while(|a| a != "--")
        .find(|a| a.to_string_lossy().ends_with(".taskflow"))
    else {
        return Vec::new();
    };
    let Ok(bytes) = super::common::read_bounded(std::path::Path::new(&file)) else {
        return Vec::new();
    };
    let Ok(source) = String::from_utf8(bytes) else {
        return Vec::new();
    };
    let path = std::path::Path::new(&file);
    let opts = tfc::CompileOptions {
        base_dir: super::common::base_dir(path),
        ..tfc::CompileOptions::default()
    };
    let compiled = tfc::compile(&source, &opts);
    compiled
        .app
        .map(|a| {
            a.environments
                .iter()
                .map(|e| e.node.clone())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.starts_with(current.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
}

/// `tfc --version`: the version and the commit it was built from
/// (`unknown` for a build without a git checkout, such as a packaged crate).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("TFC_COMMIT"),
    ")"
);

/// `tfc completions SHELL`: the completion script on stdout. It asks `tfc`
/// (on the PATH) for each completion, so it knows subcommands, flags,
/// files and the environments of the file being compiled.
pub fn completions(shell: clap_complete::Shell) -> i32 {
    let shells = Shells::builtins();
    let Some(completer) = shells.completer(&shell.to_string()) else {
        eprintln!("error: no completions for {shell}");
        return 2;
    };
    let mut out = Vec::new();
    if completer
        .write_registration(COMPLETE_VAR, "tfc", "tfc", "tfc", &mut out)
        .is_err()
    {
        return 2;
    }
    write_out(&out)
}

/// `tfc man [COMMAND]`: the man page (roff) of tfc, or of `tfc-COMMAND`, on stdout.
pub fn man(command: Option<&str>) -> i32 {
    let cli = Cli::command();
    let page = match command {
        None => cli,
        Some(name) => {
            let names: Vec<&str> = cli
                .get_subcommands()
                .map(clap::Command::get_name)
                .filter(|n| *n != "help")
                .collect();
            let Some(sub) = cli.find_subcommand(name).filter(|_| name != "help") else {
                eprintln!(
                    "error: tfc has no command `{name}`; its pages: {}",
                    names.join(", ")
                );
                return 2;
            };
            let full = format!("tfc-{name}");
            sub.clone()
                .name(full.clone())
                .bin_name(format!("tfc {name}"))
                .version(cli.get_version().unwrap_or_default().to_string())
        }
    };
    let mut out = Vec::new();
    if clap_mangen::Man::new(page).render(&mut out).is_err() {
        return 2;
    }
    write_out(&out)
}

/// Writes `text` to stdout; 0, or 2 (with a message) when it cannot.
pub fn print_and_flush(text: &str) -> i32 {
    write_out(text.as_bytes())
}

fn write_out(bytes: &[u8]) -> i32 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            2
        }
    }
}
