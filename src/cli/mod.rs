//! Command-line parsing (clap) and dispatch to one module per subcommand.

mod argocd;
mod check;
mod common;
mod compile;
mod explain;
mod output;
pub mod panic;
mod ship;

use clap::{Parser, Subcommand, ValueEnum, ValueHint};
use clap_complete::ArgValueCompleter;
use std::path::PathBuf;

/// tfc compiles a .taskflow app description into Kubernetes manifests.
#[derive(Parser, Debug)]
#[command(name = "tfc", version = ship::VERSION, about, long_about = None)]
#[command(
    after_help = "Exit status: 0 success, 1 errors in the input (or warnings with --deny-warnings), 2 usage or I/O problems.\nDocs: docs/language.md (the language), docs/cli.md (this tool)."
)]
pub struct Cli {
    /// When to colour diagnostics (NO_COLOR is honoured under `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// rustc-style text.
    Human,
    /// One JSON object per diagnostic, one per line.
    Json,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One YAML file per object, plus kustomization.yaml.
    Yaml,
    /// A Helm chart: Chart.yaml, values.yaml, values-ENV.yaml per environment,
    /// values.schema.json and templates/.
    Helm,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compile FILE into Kubernetes YAML: one file per object in DIR, plus kustomization.yaml.
    Compile {
        /// The .taskflow file.
        #[arg(value_hint = ValueHint::FilePath, add = ArgValueCompleter::new(ship::taskflow_files()))]
        file: PathBuf,
        /// Output directory (created if missing), or `-` for one multi-document stream on stdout
        /// (YAML only).
        #[arg(short, long, value_name = "DIR", value_hint = ValueHint::DirPath)]
        output: PathBuf,
        /// Apply the `env NAME { }` block of the file (YAML only: a chart carries every
        /// environment as values-NAME.yaml).
        #[arg(long, value_name = "NAME", add = ArgValueCompleter::new(ship::environment_names))]
        env: Option<String>,
        /// Secret values, one `SECRET.KEY=value` line each (dotenv format; YAML only: a chart
        /// never holds secret values).
        #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
        secrets: Option<PathBuf>,
        /// What to write.
        #[arg(long, value_enum, default_value_t = Format::Yaml)]
        format: Format,
        /// Put every object in namespace NS (YAML only), unless the file fixes its namespace
        /// (`namespace NAME { fixed }`). Argo CD's plugin passes the Application's destination.
        #[arg(long, value_name = "NS")]
        namespace: Option<String>,
        /// Emit no Namespace object (YAML only): the namespace exists already, or the deployer
        /// creates it (Argo CD's CreateNamespace=true, `kubectl create namespace`).
        #[arg(long)]
        no_namespace_object: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
    },
    /// Check FILEs without writing anything: the app as written and every environment it defines.
    Check {
        /// The .taskflow files.
        #[arg(required = true, value_hint = ValueHint::FilePath, add = ArgValueCompleter::new(ship::taskflow_files()))]
        files: Vec<PathBuf>,
        /// Check only this environment.
        #[arg(long, value_name = "NAME", add = ArgValueCompleter::new(ship::environment_names))]
        env: Option<String>,
        /// Secret values to check for completeness (dotenv format).
        #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
        secrets: Option<PathBuf>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
        message_format: MessageFormat,
        /// Treat warnings (missing probes, missing secret values, ...) as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Print the long explanation of a diagnostic code (e.g. TF0201), or list all codes.
    Explain {
        /// The code (TF0201, 0201) or its name (unknown-service).
        code: Option<String>,
    },
    /// Print a shell completion script (e.g. `tfc completions bash > /etc/bash_completion.d/tfc`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `tfc man > /usr/local/share/man/man1/tfc.1`; with COMMAND, the page tfc-COMMAND(1).
    Man {
        /// A subcommand (compile, check, ...): its own page.
        command: Option<String>,
    },
    /// Print the environments (`env NAME { }` blocks) of FILE.
    Environments {
        /// The .taskflow file.
        #[arg(value_hint = ValueHint::FilePath, add = ArgValueCompleter::new(ship::taskflow_files()))]
        file: PathBuf,
        /// How to print them.
        #[arg(long, value_enum, default_value_t = argocd::EnvFormat::Lines)]
        format: argocd::EnvFormat,
    },
    /// What Argo CD's plugin runs (integrations/argocd/plugin.yaml); reads PARAM_FILE,
    /// PARAM_ENV and ARGOCD_APP_NAMESPACE from the environment.
    Argocd {
        #[command(subcommand)]
        step: ArgocdStep,
    },
}

#[derive(Subcommand, Debug)]
pub enum ArgocdStep {
    /// Compile the app's .taskflow file to stdout: objects only, nothing on error.
    Generate,
    /// Print the parameter announcements (the file's environments) as JSON.
    Parameters,
}

pub use ship::answer_completion_request;

/// Parses the command line and runs it; returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if e.use_stderr() {
                let _ = e.print();
                return 2;
            }
            // `--help` and `--version` go to stdout: a failed write is an
            // I/O problem (exit 2), not a success.
            return ship::print_and_flush(&e.render().to_string());
        }
    };
    let color = common::color_choice(cli.color);
    match cli.command {
        Command::Compile {
            file,
            output,
            env,
            secrets,
            format,
            namespace,
            no_namespace_object,
            deny_warnings,
            message_format,
        } => compile::run(&compile::Args {
            file,
            output,
            format,
            env,
            secrets,
            namespace,
            no_namespace_object,
            deny_warnings,
            message_format,
            color,
        }),
        Command::Check {
            files,
            env,
            secrets,
            message_format,
            deny_warnings,
        } => check::run(&check::Args {
            files: &files,
            env: env.as_deref(),
            secrets: secrets.as_deref(),
            format: message_format,
            deny_warnings,
            color,
        }),
        Command::Explain { code } => explain::run(code.as_deref(), color),
        Command::Completions { shell } => ship::completions(shell),
        Command::Man { command } => ship::man(command.as_deref()),
        Command::Environments { file, format } => argocd::environments(&file, format, color),
        Command::Argocd { step } => match step {
            ArgocdStep::Generate => argocd::generate(color),
            ArgocdStep::Parameters => argocd::parameters(color),
        },
    }
}
