//! WebAssembly container work: the section walker, custom-section encode/strip/append, and
//! export lookup. Byte-exact with the reference where it frames sections.

pub mod embedded;
pub mod exports;
pub mod sections;
