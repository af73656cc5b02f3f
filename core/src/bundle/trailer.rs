//! The publication-trailer pre-step of create and parse (spec section 9).
//!
//! **Extension point.** Both `createSingleFileBundle` and `parseSingleFileBundle` first look
//! for an SDS publication trailer (a `REC` record collection followed by the 8-byte footer
//! `u32 LE length ‖ "$REC"`) appended after the wasm bytes, and silently treat the whole input
//! as wasm when anything about it does not check out. The trailer format belongs to the
//! [`crate::trailer`] module (below both the bundle and `publication`); this one function
//! delegates to [`crate::trailer::detect_trailer`], and nothing else in the bundle knows about it.
//!
//! Detection is lenient, as in the reference: anything that does not check out (no `$REC`,
//! a length out of range, a collection that fails structural validation, for example the
//! empty collection of checklist item 27) means "no trailer", never an error. Verifying a
//! trailer is the loader's job (`publication::open`).
//!
//! The reference also re-runs this split inside its section walker and its canonical-hash
//! helper, so a module carrying two nested valid trailers would lose both on some paths.
//! [`super::create`] and [`super::parse`] call this function at each of those places, so
//! that is reproduced too.

/// Splits `bytes` into the wasm module and the publication trailer (`None` when there is no
/// valid trailer; then the module is all of `bytes`).
pub fn split_publication_trailer(bytes: &[u8]) -> (&[u8], Option<&[u8]>) {
    match crate::trailer::detect_trailer(bytes) {
        Some(found) => {
            let (wasm, trailer) = bytes.split_at(found.wasm_length);
            (wasm, Some(trailer))
        }
        None => (bytes, None),
    }
}
