//! WebAssembly container work: the section walker, custom-section encode/strip/append, and
//! export lookup, full validation. Byte-exact with the reference where it frames sections.

pub mod embedded;
pub mod exports;
pub mod sections;
pub mod validate;
