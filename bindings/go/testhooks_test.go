//go:build sdm_test_hooks

package sdm

import (
	"strings"
	"testing"
)

func TestDebugForcePanicIsAnError(t *testing.T) {
	err := DebugForcePanic()
	wantCode(t, err, CodePanic)
	if !strings.Contains(err.Error(), "sdm_debug_force_panic") {
		t.Fatalf("message: %v", err)
	}
	// The library still works after a caught panic, and the next success clears nothing
	// the binding relies on.
	_, err = Inspect(readVector(t, "single-file-module.wasm"))
	mustNoErr(t, err)
}
