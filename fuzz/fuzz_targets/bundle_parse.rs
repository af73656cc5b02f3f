#![no_main]
//! Body: `space_data_module::fuzzing::bundle_parse`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| space_data_module::fuzzing::bundle_parse(data));
