package sdm

// #include "space_data_module.h"
import "C"

import (
	"runtime"
	"sync"
)

// VerifyOptions are the trust inputs of Verify.
type VerifyOptions struct {
	// TrustedSigners are 33-byte compressed secp256k1 public keys (see SigningPublicKey); a
	// signed artifact must verify against one of them. None: only AllowUnsigned plain wasm
	// can pass.
	TrustedSigners [][]byte
	// DecryptionKey is the recipient's 32-byte X25519 private key of an encrypted artifact;
	// nil when not encrypted (an empty non-nil slice is CodeInvalidArgument, another length
	// CodeKeyInvalid).
	DecryptionKey []byte
	// AllowUnsigned accepts plain wasm without a trailer (SDM_VERIFY_ALLOW_UNSIGNED). A trailer
	// that is present must still verify.
	AllowUnsigned bool
	// WasmSigners, when not empty, also require the opened wasm to carry a complete
	// tool-conventions signature (SignWasm) by one of these 32-byte Ed25519 public keys,
	// checked after the PNM signature and decryption (sdm_verify_wasm_signed).
	WasmSigners [][]byte
}

// Verified is a module that passed the fail-closed loader (sdm_verified): its plain wasm and
// the capability ceiling of its verified manifest. Only Verify creates one, and only a
// Verified reaches Runtime.Load and RuntimeHost.InstallModule. Immutable: safe for concurrent
// use by several goroutines; it may be closed once the modules loaded from it exist.
type Verified struct {
	mu  sync.RWMutex // read-held by every use, write-held by Close
	ptr *C.sdm_verified
}

// Verify runs the fail-closed loader (spec 12) over an artifact and returns the verified
// module (sdm_verify). A refusal is the failing step's code, e.g. CodeSignatureInvalid for an
// untrusted signer, CodeTrailerMissing for plain wasm without AllowUnsigned;
// OpenReport gives the partial report of a refusal.
func Verify(artifact []byte, opts VerifyOptions) (*Verified, error) {
	signers, err := concatSigners(opts.TrustedSigners)
	if err != nil {
		return nil, err
	}
	var flags uint32
	if opts.AllowUnsigned {
		flags |= C.SDM_VERIFY_ALLOW_UNSIGNED
	}
	if len(opts.WasmSigners) == 0 {
		return verify(artifact, signers, opts.DecryptionKey, flags)
	}
	wasmSigners, err := concatKeys(opts.WasmSigners, WasmPublicKeyLen, "wasm signer")
	if err != nil {
		return nil, err
	}
	var ptr *C.sdm_verified
	if err := call(func() C.sdm_status {
		return C.sdm_verify_wasm_signed(inPtr(artifact), inLen(artifact), inPtr(signers), inLen(signers),
			optPtr(opts.DecryptionKey), inLen(opts.DecryptionKey), inPtr(wasmSigners), inLen(wasmSigners),
			C.uint32_t(flags), &ptr)
	}); err != nil {
		return nil, err
	}
	return newVerified(ptr), nil
}

// verify is Verify with the sdm_verify flags as given: the library judges them (the tests
// pass unknown bits through it).
func verify(artifact, signers, decryptionKey []byte, flags uint32) (*Verified, error) {
	var ptr *C.sdm_verified
	if err := call(func() C.sdm_status {
		return C.sdm_verify(inPtr(artifact), inLen(artifact), inPtr(signers), inLen(signers),
			optPtr(decryptionKey), inLen(decryptionKey), C.uint32_t(flags), &ptr)
	}); err != nil {
		return nil, err
	}
	return newVerified(ptr), nil
}

func newVerified(ptr *C.sdm_verified) *Verified {
	v := &Verified{ptr: ptr}
	runtime.SetFinalizer(v, (*Verified).Close)
	return v
}

// Close releases the verified module (sdm_verified_free). Modules loaded or installed from it
// are not affected. It waits for calls in flight, is idempotent and always returns nil.
func (v *Verified) Close() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.ptr != nil {
		C.sdm_verified_free(v.ptr)
		handlesFreed.Add(1)
		v.ptr = nil
		runtime.SetFinalizer(v, nil)
	}
	return nil
}

// use runs fn with the live handle, read-locked against Close. A nil *Verified is
// CodeInvalidArgument.
func (v *Verified) use(fn func(ptr *C.sdm_verified) error) error {
	if v == nil {
		return invalidArgument("the verified module is nil")
	}
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.ptr == nil {
		return invalidArgument("the verified module is closed")
	}
	return fn(v.ptr)
}

// Wasm is a copy of the verified module's plain wasm (sdm_verified_wasm).
func (v *Verified) Wasm() ([]byte, error) {
	var out C.sdm_bytes
	if err := v.use(func(ptr *C.sdm_verified) error {
		return call(func() C.sdm_status { return C.sdm_verified_wasm(ptr, &out) })
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}
