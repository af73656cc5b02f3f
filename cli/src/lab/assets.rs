//! The page, embedded in the binary: the lab needs no file next to it and serves nothing else.

pub const INDEX_HTML: &str = include_str!("assets/index.html");
pub const LAB_JS: &str = include_str!("assets/lab.js");
pub const LAB_CSS: &str = include_str!("assets/lab.css");
