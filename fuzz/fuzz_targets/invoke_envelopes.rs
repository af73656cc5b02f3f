#![no_main]
//! Body: `space_data_module::fuzzing::invoke_envelopes`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| space_data_module::fuzzing::invoke_envelopes(data));
