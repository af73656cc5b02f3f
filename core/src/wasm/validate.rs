//! Full WebAssembly validation (what `wasmparser::Validator::validate_all` does), with the
//! function bodies, most of the work for real modules, checked on two cores when there are
//! enough of them.

use wasmparser::{
    BinaryReaderError, FuncToValidate, FuncValidatorAllocations, FunctionBody, Parser,
    ValidPayload, Validator, ValidatorResources,
};

/// Below this many bytes of function bodies a second thread costs more than it saves.
const PARALLEL_MIN_CODE_BYTES: usize = 32 << 10;

type Function<'a> = (FuncToValidate<ValidatorResources>, FunctionBody<'a>);

/// Validates a module: every section in order, then every function body. The error is the
/// one `validate_all` reports (the first failing section, else the first failing function).
pub fn validate(bytes: &[u8]) -> Result<(), BinaryReaderError> {
    let mut validator = Validator::new();
    let mut parser = Parser::new(0);
    parser.set_features(*validator.features());
    let mut functions = Vec::new();
    for payload in parser.parse_all(bytes) {
        if let ValidPayload::Func(func, body) = validator.payload(&payload?)? {
            functions.push((func, body));
        }
    }
    let code_bytes: usize = functions.iter().map(|(_, body)| body.range().len()).sum();
    if code_bytes < PARALLEL_MIN_CODE_BYTES {
        return validate_functions(functions);
    }
    let later = functions.split_off(half_by_size(&functions, code_bytes));
    let (second, first) = crate::parallel::beside(
        || validate_functions(later),
        || validate_functions(functions),
    );
    first.and(second)
}

/// The index that splits `functions` into two runs of about `total / 2` body bytes each.
fn half_by_size(functions: &[Function<'_>], total: usize) -> usize {
    let mut seen = 0;
    functions
        .iter()
        .position(|(_, body)| {
            seen += body.range().len();
            seen * 2 >= total
        })
        .map_or(functions.len(), |index| index + 1)
}

fn validate_functions(functions: Vec<Function<'_>>) -> Result<(), BinaryReaderError> {
    let mut allocations = FuncValidatorAllocations::default();
    for (func, body) in functions {
        let mut validator = func.into_validator(allocations);
        validator.validate(&body)?;
        allocations = validator.into_allocations();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with `count` functions of some size; function `bad` (if any) is ill-typed.
    fn module(count: usize, bad: Option<usize>) -> Vec<u8> {
        let mut text = String::from("(module");
        for index in 0..count {
            if Some(index) == bad {
                text.push_str(" (func (result i32) i64.const 0)");
            } else {
                text.push_str(" (func (param i32) (result i32) local.get 0");
                text.push_str(&" i32.const 1 i32.add".repeat(8));
                text.push(')');
            }
        }
        text.push(')');
        wat::parse_str(&text).unwrap()
    }

    fn reference(bytes: &[u8]) -> Result<(), String> {
        Validator::new()
            .validate_all(bytes)
            .map(|_| ())
            .map_err(|err| err.to_string())
    }

    #[test]
    fn agrees_with_validate_all_on_small_and_large_modules() {
        for count in [1, 10, 2000] {
            let valid = module(count, None);
            assert_eq!(
                validate(&valid).map_err(|e| e.to_string()),
                reference(&valid)
            );
            for bad in [0, count / 2, count - 1] {
                let invalid = module(count, Some(bad));
                let ours = validate(&invalid).map_err(|e| e.to_string());
                assert!(ours.is_err(), "{count} functions, bad {bad}");
                assert_eq!(ours, reference(&invalid), "{count} functions, bad {bad}");
            }
        }
        assert!(
            module(2000, None).len() > PARALLEL_MIN_CODE_BYTES,
            "the large case must take the two-core path"
        );
    }

    #[test]
    fn the_first_failing_function_is_reported_when_both_halves_fail() {
        let mut text = String::from("(module");
        for index in 0..2000 {
            let body = if index == 10 || index == 1990 {
                "(func (result i32) i64.const 0)".to_owned()
            } else {
                format!(
                    "(func (param i32) (result i32) local.get 0{})",
                    " i32.const 1 i32.add".repeat(8)
                )
            };
            text.push(' ');
            text.push_str(&body);
        }
        text.push(')');
        let bytes = wat::parse_str(&text).unwrap();
        assert_eq!(
            validate(&bytes).map_err(|e| e.to_string()),
            reference(&bytes)
        );
    }

    #[test]
    fn section_errors_come_before_function_errors() {
        assert!(validate(b"\0asm\x01\0\0\0\x01\x05").is_err());
        assert!(validate(b"not wasm").is_err());
    }
}
