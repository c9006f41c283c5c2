//! Fuzz target: every check, on the app and in each of its environments.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = tfc::decode(data.to_vec()) {
        let _ = tfc::check_all(&text, &Default::default());
    }
});
