#![no_main]
//! Body: `space_data_module::fuzzing::transport_open`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| space_data_module::fuzzing::transport_open(data));
