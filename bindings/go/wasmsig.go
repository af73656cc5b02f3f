package sdm

// #include "space_data_module.h"
import "C"

import "encoding/json"

const (
	// WasmSecretKeyLen is the length of an Ed25519 key pair for module signatures
	// (0x81 ‖ seed ‖ public key, the `keygen --kind ed25519` file).
	WasmSecretKeyLen = 65
	// WasmPublicKeyLen is the length of a raw Ed25519 public key.
	WasmPublicKeyLen = 32
)

// WasmSignOptions are the settings of SignWasm (sdm_wasm_sign's settings JSON).
type WasmSignOptions struct {
	// Detached returns the signature data alone; the module keeps no signature section.
	Detached bool `json:"detached,omitempty"`
	// SplitParts splits the module into parts first (core sections, then each run of sds.*
	// sections), so it verifies without its bundle.
	SplitParts bool `json:"splitParts,omitempty"`
	// KeyID is stored with each new signature as its key identifier.
	KeyID string `json:"keyId,omitempty"`
	// ExistingSignature is detached signature data to add the new signatures to (nil: none).
	ExistingSignature []byte `json:"-"`
}

// SignWasm signs a module in the WebAssembly tool-conventions format (docs/wasmsig.md) with
// every key (65-byte Ed25519 key pairs, at least one), as the CLI's `sign-wasm`
// (sdm_wasm_sign). The result is the signed module, or with Detached the signature data.
func SignWasm(module []byte, secretKeys [][]byte, opts WasmSignOptions) ([]byte, error) {
	keys, err := concatKeys(secretKeys, WasmSecretKeyLen, "secret key")
	if err != nil {
		return nil, err
	}
	settings, err := json.Marshal(opts)
	if err != nil {
		return nil, invalidArgument("wasm signing options: %v", err)
	}
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_wasm_sign(inPtr(module), inLen(module), inPtr(keys), inLen(keys),
			optPtr(opts.ExistingSignature), inLen(opts.ExistingSignature), inPtr(settings), inLen(settings), &out)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}

// WasmSignatureReport is what VerifyWasm established (docs/schemas/wasmsig-report.schema.json).
type WasmSignatureReport struct {
	// Signers are the trusted keys (64 hex digits) whose signatures cover the verified parts.
	Signers       []string `json:"signers"`
	Parts         int      `json:"parts"`
	VerifiedParts int      `json:"verifiedParts"`
	VerifiedBytes int      `json:"verifiedBytes"`
	// Complete is false only when AllowPartial accepted a module of which a prefix is signed.
	Complete bool `json:"complete"`
}

// VerifyWasm verifies a module's tool-conventions signature (embedded, or detached when
// detached is not nil) against trusted 32-byte Ed25519 public keys, as the CLI's
// `verify-wasm` (sdm_wasm_verify). Refusals: CodeWasmSignatureMissing, -Malformed,
// -Untrusted, -Mismatch, and -Partial unless allowPartial.
func VerifyWasm(module, detached []byte, trustedKeys [][]byte, allowPartial bool) (*WasmSignatureReport, error) {
	keys, err := concatKeys(trustedKeys, WasmPublicKeyLen, "trusted key")
	if err != nil {
		return nil, err
	}
	var flags C.uint32_t
	if allowPartial {
		flags |= C.SDM_WASM_VERIFY_ALLOW_PARTIAL
	}
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_wasm_verify(inPtr(module), inLen(module), optPtr(detached), inLen(detached),
			inPtr(keys), inLen(keys), flags, &out)
	}); err != nil {
		return nil, err
	}
	report := &WasmSignatureReport{}
	if err := decodeResult(takeBytes(&out), report); err != nil {
		return nil, err
	}
	return report, nil
}
