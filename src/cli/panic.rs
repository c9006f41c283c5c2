//! Turns a panic (always a bug in tfc) into a short report and exit code 101.

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        // Never panic again here: a closed or full stderr is ignored.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            format!(
                "error[TF4999]: internal compiler error{location}: this is a bug in tfc, not in your file\n\
                 note: please report it with the input that caused it\n"
            )
            .as_bytes(),
        );
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
