//! What every diagnostic code can do beyond its table row (codes.rs):
//! its exit status, its lookup by number or name, its JSON form.

use super::codes::Code;
use serde::{Serialize, Serializer};

impl Code {
    /// Whether the code is about the command line or a file rather than the
    /// input's content: tfc then exits with status 2, not 1.
    pub fn is_usage_or_io(self) -> bool {
        matches!(
            self,
            Code::CannotRead
                | Code::CannotWrite
                | Code::RefusedOptions
                | Code::OutputConflict
                | Code::InternalError
        )
    }

    /// Looks a code up by its number (`TF0201`, `tf0201`, `0201`) or its name.
    pub fn lookup(text: &str) -> Option<Code> {
        let t = text.trim();
        let upper = t.to_ascii_uppercase();
        let number = if upper.starts_with("TF") {
            upper
        } else {
            format!("TF{upper}")
        };
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == number || c.name() == t)
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
