package sdm

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/space-data-module/space-data-module/bindings/go/internal/headercodes"
)

func headerCodes(t *testing.T) []headercodes.Code {
	t.Helper()
	codes, err := headercodes.ParseFile(headercodes.HeaderPath("."))
	mustNoErr(t, err)
	if len(codes) < 50 {
		t.Fatalf("only %d codes in the header", len(codes))
	}
	return codes
}

// TestCodesMatchHeader fails when codes.go and the header's SDM_ERR_* constants disagree:
// run `make codes` at the repository root (or `go generate` here) after adding a code.
func TestCodesMatchHeader(t *testing.T) {
	codes := headerCodes(t)
	if len(codes) != len(codesByName) {
		t.Errorf("the header has %d codes, codes.go has %d: run `make codes`", len(codes), len(codesByName))
	}
	for _, code := range codes {
		if got, ok := codesByName[code.Name]; !ok || got != code.Number {
			t.Errorf("%s: the header says %d, codes.go %d (present: %v): run `make codes`", code.Name, code.Number, got, ok)
		}
	}
	// Spot checks of the generated constants against the numbers the C ABI documents.
	for constant, number := range map[int]int{CodeInvalidArgument: 4, CodePanic: 6, CodeWasmInvalid: 208,
		CodeSignatureInvalid: 605, CodeDecryptionFailed: 608, CodeKeyInvalid: 616, CodeRuntimeFuelExhausted: 723} {
		if constant != number {
			t.Errorf("constant %d, want %d", constant, number)
		}
	}
}

// TestEveryCodeRoundTrips: number -> name through the library (sdm_error_code_name), name ->
// number through this package's table, for every code of the header.
func TestEveryCodeRoundTrips(t *testing.T) {
	for _, code := range headerCodes(t) {
		if got := CodeName(code.Number); got != code.Name {
			t.Errorf("sdm_error_code_name(%d) = %q, the header says %q", code.Number, got, code.Name)
		}
		if got, ok := CodeByName(code.Name); !ok || got != code.Number {
			t.Errorf("CodeByName(%q) = %d, %v; want %d", code.Name, got, ok, code.Number)
		}
		if err := newError(code.Number, "m"); err.Name != code.Name {
			t.Errorf("newError(%d).Name = %q", code.Number, err.Name)
		}
	}
	for _, unknown := range []int{0, -1, 7, 99999, 1 << 40} {
		if got := CodeName(unknown); got != "unknown" {
			t.Errorf("CodeName(%d) = %q", unknown, got)
		}
	}
	if _, ok := CodeByName("no-such-code"); ok {
		t.Error("CodeByName knows no-such-code")
	}
}

func TestHeaderParserRejectsMalformedLines(t *testing.T) {
	for _, header := range []string{
		"#define SDM_ERR_IO one\n",                      // not a number
		"#define SDM_ERR_IO 1\n#define SDM_ERR_DUP 1\n", // duplicate number
		"#define SDM_OK 0\n",                            // no code at all
	} {
		if _, err := headercodes.Parse(strings.NewReader(header)); err == nil {
			t.Errorf("accepted %q", header)
		}
	}
	codes, err := headercodes.Parse(strings.NewReader("#define SDM_OK 0\n// `a-b`\n#define SDM_ERR_A_B 7\n"))
	mustNoErr(t, err)
	if len(codes) != 1 || codes[0].Number != 7 || codes[0].Name != "a-b" || codes[0].Constant != "SDM_ERR_A_B" {
		t.Fatalf("parsed %+v", codes)
	}
	if got := headercodes.GoIdentifier("invalid-json"); got != "CodeInvalidJSON" {
		t.Fatalf("GoIdentifier: %s", got)
	}
}

func TestErrorType(t *testing.T) {
	err := error(newError(CodeSignatureInvalid, "no trusted key verifies"))
	if got := err.Error(); got != "sdm: signature-invalid (605): no trusted key verifies" {
		t.Fatalf("Error() = %q", got)
	}
	wrapped := fmt.Errorf("opening: %w", err)
	if !IsCode(wrapped, CodeSignatureInvalid) || IsCode(wrapped, CodeWasmInvalid) {
		t.Fatal("IsCode does not see through wrapping")
	}
	if !errors.Is(wrapped, &Error{Code: CodeSignatureInvalid}) || errors.Is(wrapped, &Error{Code: 1}) {
		t.Fatal("errors.Is compares codes")
	}
	if ErrorCode(wrapped) != 605 || ErrorCode(errors.New("other")) != 0 || ErrorCode(nil) != 0 {
		t.Fatal("ErrorCode")
	}
	if CodeName(999999) != "unknown" {
		t.Fatal("unknown code name")
	}
}

// TestLibraryErrorsNameTheCodeOnce: the library's message carries no "[code]" prefix, so
// Error() shows the name exactly once.
func TestLibraryErrorsNameTheCodeOnce(t *testing.T) {
	_, err := SigningPublicKey(make([]byte, 31))
	wantCode(t, err, CodeKeyInvalid)
	var sdmErr *Error
	if !errors.As(err, &sdmErr) || strings.HasPrefix(sdmErr.Message, "[") || strings.Contains(sdmErr.Message, "key-invalid") {
		t.Fatalf("message: %q", sdmErr.Message)
	}
	if strings.Count(err.Error(), "key-invalid") != 1 {
		t.Fatalf("Error() = %q", err.Error())
	}
}
