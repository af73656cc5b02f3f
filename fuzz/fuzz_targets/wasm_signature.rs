#![no_main]
//! Body: `space_data_module::fuzzing::wasm_signature`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| space_data_module::fuzzing::wasm_signature(data));
