//! Validation of the string identifiers the runtime host is addressed by (schema file ids,
//! layout ids, module ids): trimmed, non-empty, and capped.

use crate::{Error, ErrorCode, Result};

/// Longest schema file id, layout id or module id accepted, in UTF-8 bytes after trimming.
pub const MAX_ID_BYTES: usize = 256;

/// Trims `raw` (as the reference does: `" OMM "` and `"OMM"` are the same schema) and checks it
/// is non-empty and at most [`MAX_ID_BYTES`]; otherwise `code`.
pub(crate) fn trimmed_id(raw: &str, what: &str, code: ErrorCode) -> Result<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(Error::new(
            code,
            format!("{what} must be a non-empty string"),
        ));
    }
    if trimmed.len() > MAX_ID_BYTES {
        return Err(Error::new(
            code,
            format!(
                "{what} is {} bytes, above the {MAX_ID_BYTES}-byte cap",
                trimmed.len()
            ),
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_trimmed_and_bounded() {
        let code = ErrorCode::RuntimeHostInvalidSchemaId;
        assert_eq!(trimmed_id(" OMM ", "id", code).unwrap(), "OMM");
        assert_eq!(trimmed_id(" \t\n", "id", code).unwrap_err().code(), code);
        assert_eq!(trimmed_id("", "id", code).unwrap_err().code(), code);
        assert!(trimmed_id(&"a".repeat(MAX_ID_BYTES), "id", code).is_ok());
        assert_eq!(
            trimmed_id(&"a".repeat(MAX_ID_BYTES + 1), "id", code)
                .unwrap_err()
                .code(),
            code
        );
    }
}
