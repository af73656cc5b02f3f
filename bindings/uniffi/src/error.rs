//! Errors: `SdmError` has one variant per error class (Kotlin: `SdmException.Security`...,
//! Swift: `SdmError.security`), each carrying the stable code as an enum, its number and its
//! kebab-case name, and the message. `ErrorCode` (`error_codes.rs`) is generated from the core's
//! `ErrorCode::ALL` by `tests/codes.rs`, which fails when the two differ (`make codes`).

use std::panic::{AssertUnwindSafe, catch_unwind};

use space_data_module::api;

pub use crate::error_codes::ErrorCode;

#[uniffi::export]
impl ErrorCode {
    /// The stable kebab-case name, e.g. `"signature-invalid"`.
    pub fn code_name(&self) -> String {
        self.core()
            .map_or_else(String::new, |code| code.as_str().to_owned())
    }

    /// The stable number, e.g. 605.
    pub fn number(&self) -> u32 {
        *self as u32
    }

    /// The class the code belongs to (which `SdmError` variant carries it).
    pub fn error_class(&self) -> ErrorClass {
        self.core()
            .map_or(ErrorClass::Internal, |code| code.class().into())
    }
}

impl ErrorCode {
    fn core(self) -> Option<api::ErrorCode> {
        api::ErrorCode::from_number(self as u32)
    }

    /// The binding's code for a core code (`Internal` if the table lacks it, which the tests
    /// rule out).
    pub fn from_core(code: api::ErrorCode) -> ErrorCode {
        ErrorCode::from_number(code.number()).unwrap_or(ErrorCode::Internal)
    }
}

/// The broad class of a failure (the CLI's exit code groups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ErrorClass {
    Io,
    Input,
    Wasm,
    Bundle,
    Security,
    Runtime,
    Internal,
}

impl From<api::ErrorClass> for ErrorClass {
    fn from(class: api::ErrorClass) -> Self {
        match class {
            api::ErrorClass::Io => ErrorClass::Io,
            api::ErrorClass::Input => ErrorClass::Input,
            api::ErrorClass::Wasm => ErrorClass::Wasm,
            api::ErrorClass::Bundle => ErrorClass::Bundle,
            api::ErrorClass::Security => ErrorClass::Security,
            api::ErrorClass::Runtime => ErrorClass::Runtime,
            api::ErrorClass::Internal => ErrorClass::Internal,
        }
    }
}

/// Every failure of the API. The variant is the code's class; all variants carry the same
/// fields: `code` (enum), `number` (stable number), `name` (stable kebab-case name) and
/// `detail` (the message, for people; its wording is not part of the contract).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
pub enum SdmError {
    Io {
        code: ErrorCode,
        number: u32,
        name: String,
        detail: String,
    },
    Input {
        code: ErrorCode,
        number: u32,
        name: String,
        detail: String,
    },
    Wasm {
        code: ErrorCode,
        number: u32,
        name: String,
        detail: String,
    },
    Bundle {
        code: ErrorCode,
        number: u32,
        name: String,
        detail: String,
    },
    Security {
        code: ErrorCode,
        number: u32,
        name: String,
        detail: String,
    },
    Runtime {
        code: ErrorCode,
        number: u32,
        name: String,
        detail: String,
    },
    Internal {
        code: ErrorCode,
        number: u32,
        name: String,
        detail: String,
    },
}

impl SdmError {
    /// An error with this code and message, in the variant of the code's class.
    pub fn new(code: api::ErrorCode, detail: impl Into<String>) -> SdmError {
        let class = ErrorClass::from(code.class());
        let (number, name, detail) = (code.number(), code.as_str().to_owned(), detail.into());
        let code = ErrorCode::from_core(code);
        match class {
            ErrorClass::Io => SdmError::Io {
                code,
                number,
                name,
                detail,
            },
            ErrorClass::Input => SdmError::Input {
                code,
                number,
                name,
                detail,
            },
            ErrorClass::Wasm => SdmError::Wasm {
                code,
                number,
                name,
                detail,
            },
            ErrorClass::Bundle => SdmError::Bundle {
                code,
                number,
                name,
                detail,
            },
            ErrorClass::Security => SdmError::Security {
                code,
                number,
                name,
                detail,
            },
            ErrorClass::Runtime => SdmError::Runtime {
                code,
                number,
                name,
                detail,
            },
            ErrorClass::Internal => SdmError::Internal {
                code,
                number,
                name,
                detail,
            },
        }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            SdmError::Io { code, .. }
            | SdmError::Input { code, .. }
            | SdmError::Wasm { code, .. }
            | SdmError::Bundle { code, .. }
            | SdmError::Security { code, .. }
            | SdmError::Runtime { code, .. }
            | SdmError::Internal { code, .. } => *code,
        }
    }

    pub(crate) fn invalid_argument(detail: impl Into<String>) -> SdmError {
        SdmError::new(api::ErrorCode::InvalidArgument, detail)
    }
}

impl From<api::Error> for SdmError {
    fn from(err: api::Error) -> Self {
        SdmError::new(err.code(), err.message())
    }
}

impl std::fmt::Display for SdmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (SdmError::Io { name, detail, .. }
        | SdmError::Input { name, detail, .. }
        | SdmError::Wasm { name, detail, .. }
        | SdmError::Bundle { name, detail, .. }
        | SdmError::Security { name, detail, .. }
        | SdmError::Runtime { name, detail, .. }
        | SdmError::Internal { name, detail, .. }) = self;
        write!(f, "[{name}] {detail}")
    }
}

impl std::error::Error for SdmError {}

pub type Result<T, E = SdmError> = std::result::Result<T, E>;

/// Runs one export: core errors become `SdmError`, and a panic becomes `SdmError::Internal`
/// with code `PANIC` instead of UniFFI's generic internal error, so callers see one error type.
pub(crate) fn guard<T>(body: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            Err(SdmError::new(
                api::ErrorCode::Panic,
                format!("panic caught at the binding boundary: {what}"),
            ))
        }
    }
}

/// TEST SUPPORT: panics inside the core on purpose, so the tests can show that a panic comes
/// back as `SdmError.Internal` with code `PANIC` and the library keeps working.
#[uniffi::export]
pub fn debug_force_panic() -> Result<()> {
    guard(|| Ok(api::debug_force_panic()?))
}

/// Every code of the table with its class, in numeric order (for documentation and tests).
#[uniffi::export]
pub fn error_codes() -> Vec<ErrorCode> {
    api::ErrorCode::ALL
        .iter()
        .map(|&code| ErrorCode::from_core(code))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_enum_is_the_cores_list_both_ways() {
        assert_eq!(
            ErrorCode::COUNT,
            api::ErrorCode::ALL.len(),
            "src/error_codes.rs and the core differ in size: run `make codes`"
        );
        for &core in api::ErrorCode::ALL {
            let code = ErrorCode::from_number(core.number()).unwrap_or_else(|| {
                panic!(
                    "{} ({}) is missing from the bindings",
                    core.as_str(),
                    core.number()
                )
            });
            assert_eq!(code.number(), core.number());
            assert_eq!(code.code_name(), core.as_str());
            assert_eq!(code.error_class(), ErrorClass::from(core.class()));
        }
    }

    #[test]
    fn errors_land_in_the_variant_of_their_class() {
        let err = SdmError::from(api::Error::new(
            api::ErrorCode::SignatureInvalid,
            "no trusted key",
        ));
        assert!(matches!(
            &err,
            SdmError::Security { code: ErrorCode::SignatureInvalid, number: 605, name, detail }
                if name == "signature-invalid" && detail == "no trusted key"
        ));
        assert_eq!(err.to_string(), "[signature-invalid] no trusted key");
        assert!(matches!(
            SdmError::new(api::ErrorCode::Io, "x"),
            SdmError::Io { .. }
        ));
        assert!(matches!(
            SdmError::new(api::ErrorCode::WasmInvalid, "x"),
            SdmError::Wasm { .. }
        ));
        assert!(matches!(
            SdmError::new(api::ErrorCode::RuntimeTrap, "x"),
            SdmError::Runtime { .. }
        ));
    }

    #[test]
    fn a_panic_becomes_the_panic_code() {
        let err = debug_force_panic().unwrap_err();
        assert_eq!(err.code(), ErrorCode::Panic);
        assert!(matches!(err, SdmError::Internal { number: 6, .. }));
    }
}
