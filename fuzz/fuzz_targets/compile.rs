//! Fuzz target: the whole compile, YAML output and the Helm chart.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = tfc::decode(data.to_vec()) else { return };
    let compiled = tfc::compile(&text, &Default::default());
    if let Some(objects) = compiled.objects {
        let _ = tfc::emit::yaml::stream(&objects);
        let _ = tfc::compile_chart(&text, &Default::default());
    }
});
