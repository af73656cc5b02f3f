#![no_main]
//! Body: `space_data_module::fuzzing::host_ops`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| space_data_module::fuzzing::host_ops(data));
