//go:build sdm_test_hooks

package sdm

/*
#cgo CFLAGS: -DSDM_TEST_HOOKS
#include "space_data_module.h"
*/
import "C"

// DebugForcePanic makes the library panic on purpose (sdm_debug_force_panic, TEST ONLY). It
// always returns an *Error with CodePanic: it shows that no panic crosses the C boundary.
//
// It exists only with the build tag sdm_test_hooks, against a library built with the ffi-c
// feature test-hooks (`make test-go` uses both); release libraries do not have the function.
func DebugForcePanic() error {
	return call(func() C.sdm_status { return C.sdm_debug_force_panic() })
}
