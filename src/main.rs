//! The `tfc` command line: reads files, runs the library, writes output.
//! Exit codes: 0 success, 1 diagnostics, 2 usage or I/O, 101 internal error.

mod cli;

fn main() {
    cli::answer_completion_request();
    cli::panic::install();
    cli::panic::self_test();
    let code = cli::run();
    std::process::exit(code);
}
