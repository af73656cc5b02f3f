//! `uniffi-bindgen generate --library <cdylib> --language kotlin|swift --out-dir DIR`: the
//! generator pinned to the same uniffi version as the binding crate, so the generated code
//! always matches the library's scaffolding (contract version and checksums).

fn main() {
    uniffi::uniffi_bindgen_main()
}
