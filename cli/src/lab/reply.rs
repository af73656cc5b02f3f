//! Responses: JSON bodies, the error object the CLI prints with `--json`
//! (`{"error": {"code", "number", "message"}}`, docs/errors.md), and the HTTP status each
//! error class maps to. Every response carries the same defensive headers.

use serde::Serialize;
use space_data_module::{Error, ErrorClass, ErrorCode};

/// A response before it is written: status, content type, body, and an optional
/// `Content-Disposition` (downloads).
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub attachment: Option<String>,
}

impl Reply {
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Reply {
        match serde_json::to_vec(value) {
            Ok(body) => Reply {
                status: 200,
                content_type: "application/json",
                body,
                attachment: None,
            },
            Err(err) => ApiError::from(Error::new(ErrorCode::Internal, err.to_string())).reply(),
        }
    }

    pub fn asset(content_type: &'static str, text: &'static str) -> Reply {
        Reply {
            status: 200,
            content_type,
            body: text.as_bytes().to_vec(),
            attachment: None,
        }
    }

    /// A file the browser saves instead of showing (`filename` is ours, never the user's).
    pub fn download(content_type: &'static str, filename: &str, body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            content_type,
            body,
            attachment: Some(format!("attachment; filename=\"{filename}\"")),
        }
    }
}

/// An error with the HTTP status it is answered with.
#[derive(Debug)]
pub struct ApiError {
    pub status: u16,
    pub error: Error,
}

impl ApiError {
    /// An error whose status is not the one its class implies (403, 404, 405, 415).
    pub fn with_status(status: u16, code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            error: Error::new(code, message),
        }
    }

    pub fn reply(&self) -> Reply {
        let body = serde_json::json!({
            "error": {
                "code": self.error.code().as_str(),
                "number": self.error.code().number(),
                "message": self.error.message(),
            }
        });
        Reply {
            status: self.status,
            content_type: "application/json",
            body: serde_json::to_vec(&body).unwrap_or_default(),
            attachment: None,
        }
    }
}

impl From<Error> for ApiError {
    /// What the user sent is wrong: 4xx; what the server could not do: 5xx. `input-too-large`
    /// is 413 wherever it comes from; a refusal by the loader or a guest failure is 422 (the
    /// request was well formed, its content was refused).
    fn from(error: Error) -> ApiError {
        let status = match (error.code(), error.code().class()) {
            (ErrorCode::InputTooLarge, _) => 413,
            (ErrorCode::CompilerToolchainMissing, _) => 501,
            // A key the request carries (hex, key file) that does not parse is bad input,
            // though its code is in the security range.
            (ErrorCode::KeyInvalid, _) => 400,
            (_, ErrorClass::Input | ErrorClass::Wasm | ErrorClass::Bundle) => 400,
            (_, ErrorClass::Security | ErrorClass::Runtime) => 422,
            (_, ErrorClass::Io | ErrorClass::Internal) => 500,
        };
        ApiError { status, error }
    }
}

pub type ApiResult = Result<Reply, ApiError>;
