package sdm

/*
#cgo pkg-config: space_data_module
#include <stdlib.h>
#include "space_data_module.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Constants of the header (include/space_data_module.h).
const (
	// HeaderABIVersion is SDM_ABI_VERSION of the header this package was compiled against.
	HeaderABIVersion = C.SDM_ABI_VERSION
	// SigningPublicKeyLen is the length of a compressed secp256k1 public key (a trusted signer).
	SigningPublicKeyLen = C.SDM_SIGNING_PUBLIC_KEY_LEN
	// KeyLen is the length of a secp256k1 private scalar and of X25519 private and public keys.
	// Keys are passed to the library with their length and checked there: a key of another
	// length is CodeKeyInvalid.
	KeyLen = C.SDM_KEY_LEN
)

// call runs one sdm_ function and turns a non-zero status into an *Error. The goroutine is
// locked to its OS thread for the call and the read of the message, because the library
// keeps the last error per OS thread and Go may move a goroutine between cgo calls.
func call(fn func() C.sdm_status) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	status := fn()
	if status == 0 {
		return nil
	}
	code := int(status)
	if lastCode := C.sdm_last_error_code(); lastCode != status {
		// Never expected: the library sets both together. Keep the returned status.
		return newError(code, "the library's last error does not match the returned status")
	}
	// The message alone (no code prefix): Error() adds the name once.
	return newError(code, C.GoString(C.sdm_last_error_message()))
}

// libraryCodeName is the library's name of a code (sdm_error_code_name), "" for a number that
// is no code of the loaded library. It names codes newer than this package's table too.
func libraryCodeName(code int) string {
	if code <= 0 || uint64(code) > uint64(^C.sdm_status(0)) {
		return ""
	}
	// A static string: never freed.
	return C.GoString(C.sdm_error_code_name(C.sdm_status(code)))
}

// inPtr is the C view of a Go byte slice (an input, or an output buffer passed with its
// capacity) for the duration of one call: NULL for an empty slice (the C ABI's "absent" /
// invalid-argument for required inputs). cgo pins the slice's memory while the call runs;
// the library copies what it keeps.
func inPtr(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0]))
}

// emptyInput backs optPtr's pointer for an empty, non-nil slice.
var emptyInput [1]byte

// optPtr is inPtr for an optional input (NULL with length 0 = absent) that keeps Go's nil /
// empty distinction: nil is absent, an empty non-nil slice is present but empty (a non-NULL
// pointer with length 0), which the library refuses as invalid-argument. An empty recipient
// key must never quietly mean "no encryption".
func optPtr(b []byte) *C.uint8_t {
	if b != nil && len(b) == 0 {
		return (*C.uint8_t)(unsafe.Pointer(&emptyInput[0]))
	}
	return inPtr(b)
}

func inLen(b []byte) C.size_t {
	return C.size_t(len(b))
}

// takeBytes copies a library buffer into Go memory and frees it.
func takeBytes(out *C.sdm_bytes) []byte {
	defer C.sdm_bytes_free(out)
	if out.ptr == nil || out.len == 0 {
		return []byte{}
	}
	view := unsafe.Slice((*byte)(unsafe.Pointer(out.ptr)), int(out.len))
	copied := make([]byte, len(view))
	copy(copied, view)
	return copied
}

// LibraryABIVersion is the ABI version of the loaded library (sdm_abi_version). It equals
// HeaderABIVersion unless the library and the header come from different releases.
func LibraryABIVersion() uint32 {
	return uint32(C.sdm_abi_version())
}

// CheckABIVersion fails with CodeInternal when the loaded library was built for another
// ABI version than the header this package was compiled against.
func CheckABIVersion() error {
	if got := LibraryABIVersion(); got != HeaderABIVersion {
		return newError(CodeInternal, "library ABI version does not match the header")
	}
	return nil
}
