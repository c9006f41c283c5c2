//! Fuzz target: the syntax phase on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = tfc::decode(data.to_vec()) {
        let _ = tfc::syntax::parse(&text);
    }
});
