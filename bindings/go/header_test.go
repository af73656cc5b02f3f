package sdm

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryHeaderFunctionIsWrapped fails when include/space_data_module.h gains a function
// that no non-test Go file of this package calls.
func TestEveryHeaderFunctionIsWrapped(t *testing.T) {
	header, err := os.ReadFile("../../include/space_data_module.h")
	mustNoErr(t, err)
	declarations := regexp.MustCompile(`(?m)^[a-z0-9_ ]+[ *](sdm_[a-z0-9_]+)\(`).FindAllSubmatch(header, -1)
	if len(declarations) < 20 {
		t.Fatalf("found only %d declarations in the header", len(declarations))
	}
	sources, err := filepath.Glob("*.go")
	mustNoErr(t, err)
	var code strings.Builder
	for _, source := range sources {
		if strings.HasSuffix(source, "_test.go") {
			continue
		}
		text, err := os.ReadFile(source)
		mustNoErr(t, err)
		code.Write(text)
	}
	for _, declaration := range declarations {
		name := string(declaration[1])
		if !strings.Contains(code.String(), "C."+name+"(") {
			t.Errorf("%s is declared in the header but not wrapped", name)
		}
	}
	t.Logf("%d header functions, all wrapped", len(declarations))
}
