//! Turns a panic (always a bug in tfc) into a short report and exit code 101.

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal compiler error{location}: this is a bug in tfc, not in your file"
        );
        eprintln!("note: please report it with the input that caused it");
        std::process::exit(101);
    }));
}
