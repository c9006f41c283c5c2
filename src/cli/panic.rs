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

/// For the test of the hook itself: `TFC_INTERNAL_ERROR_TEST=1` makes tfc
/// fail as a bug would.
pub fn self_test() {
    if std::env::var_os("TFC_INTERNAL_ERROR_TEST").is_some() {
        #[allow(clippy::panic)]
        {
            panic!("TFC_INTERNAL_ERROR_TEST is set");
        }
    }
}
