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
    let mut functions = sections(bytes)?;
    let code_bytes: usize = functions.iter().map(|(_, body)| body.range().len()).sum();
    if code_bytes < PARALLEL_MIN_CODE_BYTES {
        return validate_functions(functions);
    }
    let later = functions.split_off(split_at(&functions, code_bytes / 2));
    let (second, first) = crate::parallel::beside(
        || validate_functions(later),
        || validate_functions(functions),
    );
    first.and(second)
}

/// [`validate`] with `other` run on a second thread, which then takes its share of the
/// function bodies: one thread start for both, where two would each cost as much as a
/// small job on a virtual machine. `other_cost` is `other`'s work in function-body bytes
/// validated in the same time; the split gives each thread half the total. `other` runs
/// whatever the verdict (on this thread if no thread can be started). At cost 0 `other` is
/// taken to be trivial: it runs here after [`validate`].
pub fn validate_beside<T: Send>(
    bytes: &[u8],
    other: impl FnOnce() -> T + Send,
    other_cost: usize,
) -> (Result<(), BinaryReaderError>, T) {
    if other_cost == 0 {
        let verdict = validate(bytes);
        return (verdict, other());
    }
    // Unbounded: a send never blocks, so when no thread could be started and `beside` runs
    // the helper here afterwards, it finds its share waiting.
    let (sender, receiver) = std::sync::mpsc::channel::<Vec<Function<'_>>>();
    let ((result, second), first) = crate::parallel::beside(
        move || {
            let result = other();
            // Nothing arrives when a section fails: no function is left to validate.
            let later = receiver.recv().unwrap_or_default();
            (result, validate_functions(later))
        },
        move || {
            let mut functions = sections(bytes)?;
            let code_bytes: usize = functions.iter().map(|(_, body)| body.range().len()).sum();
            let later = functions.split_off(split_at(&functions, (code_bytes + other_cost) / 2));
            // A helper that stopped listening panicked; `beside` re-raises that.
            let _ = sender.send(later);
            validate_functions(functions)
        },
    );
    (first.and(second), result)
}

/// Parses and validates every section, collecting the function bodies to validate.
fn sections(bytes: &[u8]) -> Result<Vec<Function<'_>>, BinaryReaderError> {
    let mut validator = Validator::new();
    let mut parser = Parser::new(0);
    parser.set_features(*validator.features());
    let mut functions = Vec::new();
    for payload in parser.parse_all(bytes) {
        if let ValidPayload::Func(func, body) = validator.payload(&payload?)? {
            functions.push((func, body));
        }
    }
    Ok(functions)
}

/// The index that ends the first run of `functions` with at least `bytes` body bytes (all of
/// them when there are fewer).
fn split_at(functions: &[Function<'_>], bytes: usize) -> usize {
    let mut seen = 0;
    functions
        .iter()
        .position(|(_, body)| {
            seen += body.range().len();
            seen >= bytes
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

    /// Beside any other work and whatever share that work is said to cost, the verdict is
    /// `validate_all`'s and the other work runs exactly once, also when a section fails.
    #[test]
    fn validate_beside_agrees_and_runs_the_other_work_once() {
        let runs = std::sync::atomic::AtomicUsize::new(0);
        let other = || runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 40;
        let cases = [
            module(1, None),
            module(2000, None),
            module(2000, Some(3)),
            module(2000, Some(1990)),
            b"\0asm\x01\0\0\0\x01\x05".to_vec(),
        ];
        let mut expected_runs = 0;
        for bytes in &cases {
            for cost in [0, 4 << 10, 1 << 30] {
                let (verdict, result) = validate_beside(bytes, other, cost);
                expected_runs += 1;
                assert_eq!(result, 40 + expected_runs - 1);
                assert_eq!(
                    runs.load(std::sync::atomic::Ordering::SeqCst),
                    expected_runs
                );
                assert_eq!(
                    verdict.map_err(|e| e.to_string()),
                    reference(bytes),
                    "cost {cost}"
                );
            }
        }
    }

    #[test]
    fn split_at_ends_the_first_run_with_enough_bytes() {
        let bytes = module(100, None);
        let functions = sections(&bytes).unwrap();
        let total: usize = functions.iter().map(|(_, body)| body.range().len()).sum();
        assert_eq!(split_at(&functions, 0), 1);
        assert_eq!(split_at(&functions, total), functions.len());
        assert_eq!(split_at(&functions, total * 2), functions.len());
        let half = split_at(&functions, total / 2);
        let first: usize = functions[..half].iter().map(|(_, b)| b.range().len()).sum();
        assert!(first >= total / 2 && half < functions.len(), "{half}");
    }

    #[test]
    fn section_errors_come_before_function_errors() {
        assert!(validate(b"\0asm\x01\0\0\0\x01\x05").is_err());
        assert!(validate(b"not wasm").is_err());
    }
}
