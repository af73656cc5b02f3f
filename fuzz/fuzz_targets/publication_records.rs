#![no_main]
//! Body: `space_data_module::fuzzing::publication_records`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| space_data_module::fuzzing::publication_records(data));
