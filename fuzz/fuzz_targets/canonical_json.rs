#![no_main]
//! Body: `space_data_module::fuzzing::canonical_json`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| space_data_module::fuzzing::canonical_json(data));
