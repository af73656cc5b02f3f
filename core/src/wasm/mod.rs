//! WebAssembly container work: the section walker, custom-section encode/strip/append, and
//! export lookup, full validation. Byte-exact with the reference where it frames sections.
//!
//! - [`stream`] and [`stream_validate`]: the same walk and validation over a module that
//!   arrives in chunks (opening an artifact from a file in bounded memory).

pub mod embedded;
pub mod exports;
pub mod sections;
pub mod stream;
pub mod stream_validate;
pub mod validate;
