//! The JNI library behind the Java binding (`bindings/java`, package `org.spacedata.module`).
//!
//! Every native method is a static method of `org.spacedata.module.NativeLib` and calls the
//! core's front-end API (`space_data_module::api`) only. Arguments are Java strings, byte
//! arrays and JSON written by Jackson from Java records; results are byte arrays and the JSON
//! of the core's serde report types. Errors and panics become `SdmException` ([`boundary`]).
//!
//! | module | operations |
//! |---|---|
//! | [`format`] | manifest encode/decode, check, bundle create/parse/inspect/verify |
//! | [`keys`] | signing and recipient keys, key files, mnemonics |
//! | [`publication`] | protect, open (outcome + verified module), verified modules |
//! | [`authorization`] | authorization create/verify |
//! | [`runtime`] | runtime, load, invoke (direct, command, limits, host policy), run a WASI program |
//! | [`runtime_host`] | rows, regions, module registry |
//! | [`codes`] | the error-code table the Java `ErrorCode` enum is generated from |

pub mod authorization;
pub mod boundary;
pub mod codes;
pub mod format;
pub mod handles;
pub mod keys;
pub mod publication;
pub mod runtime;
pub mod runtime_host;
pub mod wasmsig;
