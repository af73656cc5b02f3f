#![no_main]
//! Body: `space_data_module::fuzzing::manifest_decode`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| space_data_module::fuzzing::manifest_decode(data));
