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

/// Largest module [`super::create`] and [`super::parse`] accept: 1 GiB (`input-too-large`
/// above). Create holds about three copies of the module in memory.
pub const MAX_MODULE_BYTES: usize = 1 << 30;

/// `input-too-large` when `len` exceeds [`MAX_MODULE_BYTES`].
pub(crate) fn check_module_size(len: usize) -> crate::Result<()> {
    if len > MAX_MODULE_BYTES {
        return Err(crate::Error::new(
            crate::ErrorCode::InputTooLarge,
            format!("module of {len} bytes is above the {MAX_MODULE_BYTES}-byte cap"),
        ));
    }
    Ok(())
}
