package sdm

//go:generate go run ./internal/gencodes -header ../../include/space_data_module.h -out codes.go

import (
	"errors"
	"fmt"
)

// Error is every failure of this package: the stable code of docs/errors.md (the C ABI's
// sdm_status), its kebab-case name (sdm_error_code_name) and the library's message.
type Error struct {
	// Code is the stable number, e.g. CodeDecryptionFailed (608).
	Code int
	// Name is the stable kebab-case name, e.g. "decryption-failed", as the loaded library
	// names it (so a code newer than this package is named too); "unknown" for a number that
	// is no code.
	Name string
	// Message is the library's human-readable message (not stable), without the code.
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("sdm: %s (%d): %s", e.Name, e.Code, e.Message)
}

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, &sdm.Error{Code: sdm.CodeWasmInvalid}) works.
func (e *Error) Is(target error) bool {
	var other *Error
	return errors.As(target, &other) && other.Code == e.Code
}

// CodeName is the kebab-case name of a stable code as the loaded library names it
// (sdm_error_code_name), or "unknown" for a number that is no code.
func CodeName(code int) string {
	if name := libraryCodeName(code); name != "" {
		return name
	}
	return "unknown"
}

// CodeByName is the number of a kebab-case code name of this package's table (the header's
// SDM_ERR_* constants), and false for a name it does not know.
func CodeByName(name string) (int, bool) {
	code, ok := codesByName[name]
	return code, ok
}

// IsCode reports whether err is (or wraps) an *Error with the given code.
func IsCode(err error, code int) bool {
	var sdmErr *Error
	return errors.As(err, &sdmErr) && sdmErr.Code == code
}

// ErrorCode is the stable code of err, or 0 when err is nil or not an *Error.
func ErrorCode(err error) int {
	var sdmErr *Error
	if errors.As(err, &sdmErr) {
		return sdmErr.Code
	}
	return 0
}

func newError(code int, message string) *Error {
	return &Error{Code: code, Name: CodeName(code), Message: message}
}

// invalidArgument is the error the binding raises itself, before calling the library, with
// the same code the library uses for the same mistake.
func invalidArgument(format string, args ...any) *Error {
	return newError(CodeInvalidArgument, fmt.Sprintf(format, args...))
}
