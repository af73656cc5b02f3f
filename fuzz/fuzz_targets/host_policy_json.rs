#![no_main]
//! Body: `space_data_module::fuzzing::host_policy_json`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| space_data_module::fuzzing::host_policy_json(data));
