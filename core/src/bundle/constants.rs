//! Names and defaults of the bundle format (spec section 1).

/// Default prefix of the custom sections stripped before hashing.
pub const SDS_CUSTOM_SECTION_PREFIX: &str = crate::wasm::sections::SDS_CUSTOM_SECTION_PREFIX;
/// Default name of the custom section carrying the bundle.
pub const SDS_BUNDLE_SECTION_NAME: &str = "sds.bundle";
/// Default `ModuleBundle.module_format`.
pub const DEFAULT_MODULE_FORMAT: &str = "space-data-module";
/// `CanonicalizationRule.hash_algorithm`.
pub const DEFAULT_HASH_ALGORITHM: &str = "sha256";
/// Default `ModuleBundle.manifest_export_symbol`.
pub const DEFAULT_MANIFEST_EXPORT_SYMBOL: &str = "plugin_get_manifest_flatbuffer";
/// Default `ModuleBundle.manifest_size_symbol`.
pub const DEFAULT_MANIFEST_SIZE_SYMBOL: &str = "plugin_get_manifest_flatbuffer_size";
