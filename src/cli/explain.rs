//! `tfc explain CODE`: the long form of a diagnostic.

use tfc::diagnostic::Code;

pub fn run(code: Option<&str>) -> i32 {
    let Some(text) = code else {
        for c in Code::ALL {
            println!("{}  {:<28} {}", c.as_str(), c.name(), c.summary());
        }
        return 0;
    };
    match Code::lookup(text) {
        Some(c) => {
            println!("{} {}: {}\n", c.as_str(), c.name(), c.summary());
            println!("{}", c.explanation());
            0
        }
        None => {
            let names = Code::ALL.iter().map(|c| c.name());
            let hint = tfc::suggest::nearest(text, names)
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            eprintln!("error: no diagnostic code `{text}`{hint}; run `tfc explain` to list them");
            2
        }
    }
}
