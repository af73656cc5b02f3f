package sdm

import (
	"errors"
	"fmt"
	"testing"

	"github.com/space-data-module/space-data-module/bindings/go/internal/errorsdoc"
)

// TestCodesMatchErrorsDoc fails when codes.go and docs/errors.md disagree: run
// `go generate` in bindings/go after adding a code to the document.
func TestCodesMatchErrorsDoc(t *testing.T) {
	documented, err := errorsdoc.ParseFile(errorsdoc.DocPath("."))
	mustNoErr(t, err)
	if len(documented) != len(codeNames) {
		t.Errorf("docs/errors.md has %d codes, codes.go has %d: run `go generate` in bindings/go", len(documented), len(codeNames))
	}
	for _, code := range documented {
		if got, ok := codeNames[code.Number]; !ok || got != code.Name {
			t.Errorf("code %d: docs/errors.md says %q, codes.go says %q: run `go generate`", code.Number, code.Name, got)
		}
	}
	// Spot checks of the generated constants against the numbers the C ABI documents.
	for constant, number := range map[int]int{CodeInvalidArgument: 4, CodePanic: 6, CodeWasmInvalid: 208,
		CodeSignatureInvalid: 605, CodeDecryptionFailed: 608, CodeRuntimeFuelExhausted: 723} {
		if constant != number {
			t.Errorf("constant %d, want %d", constant, number)
		}
	}
}

func TestErrorsDocParserRejectsMalformedRows(t *testing.T) {
	for _, doc := range []string{
		"| 1 | `io` | io |\n",                             // 3 cells
		"| 1 | `io` | io | x |\n| 1 | `dup` | io | y |\n", // duplicate number
		"no table\n",
	} {
		if _, err := errorsdoc.Parse(stringsReader(doc)); err == nil {
			t.Errorf("accepted %q", doc)
		}
	}
	codes, err := errorsdoc.Parse(stringsReader("| exit | meaning |\n|---:|---|\n| 0 | success |\n| number | name | class | meaning |\n|---:|---|---|---|\n| 7 | `a-b` | io | m |\n"))
	mustNoErr(t, err)
	if len(codes) != 1 || codes[0].Number != 7 || codes[0].Name != "a-b" {
		t.Fatalf("parsed %+v", codes)
	}
	if got := errorsdoc.GoIdentifier("invalid-json"); got != "CodeInvalidJSON" {
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
