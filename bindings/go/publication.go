package sdm

// #include "space_data_module.h"
import "C"

import "encoding/json"

// ProtectOptions are the inputs of Protect besides the module.
type ProtectOptions struct {
	// ManifestJSON is the manifest as JSON text (required).
	ManifestJSON []byte
	// SigningKey is the 32-byte secp256k1 private key that signs the artifact (required;
	// another length is CodeKeyInvalid).
	SigningKey []byte
	// RecipientPublicKey is the recipient's 32-byte X25519 public key; nil for a signed-only
	// (unencrypted) artifact (an empty non-nil slice is CodeInvalidArgument).
	RecipientPublicKey []byte
	// SingleFileBundle wraps the module into a single-file bundle (sds.bundle) before signing.
	SingleFileBundle bool
}

// Protected is the result of Protect.
type Protected struct {
	// Artifact is the protected artifact (module + REC trailer, encrypted when requested).
	Artifact []byte `json:"-"`
	// SigningPublicKeyHex is the signer's compressed public key, hex.
	SigningPublicKeyHex string `json:"signingPublicKeyHex"`
	Encrypted           bool   `json:"encrypted"`
	SingleFileBundle    bool   `json:"singleFileBundle"`
	// Raw is the whole result JSON (docs/c-abi.md, "sdm_protect"); it holds no secret.
	Raw json.RawMessage `json:"-"`
}

// Protect signs a module (optionally bundling and encrypting it) and appends the REC
// trailer (sdm_protect). The clock is the system clock.
func Protect(wasm []byte, opts ProtectOptions) (*Protected, error) {
	var artifact, result C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_protect(inPtr(opts.ManifestJSON), inLen(opts.ManifestJSON), inPtr(wasm), inLen(wasm),
			inPtr(opts.SigningKey), inLen(opts.SigningKey),
			optPtr(opts.RecipientPublicKey), inLen(opts.RecipientPublicKey), C.bool(opts.SingleFileBundle),
			&artifact, &result)
	}); err != nil {
		return nil, err
	}
	protected := &Protected{Artifact: takeBytes(&artifact), Raw: takeBytes(&result)}
	if err := decodeResult(protected.Raw, protected); err != nil {
		return nil, err
	}
	return protected, nil
}

// OpenOptions are the trust inputs of Open.
type OpenOptions struct {
	// TrustedSigners are 33-byte compressed secp256k1 public keys (see SigningPublicKey); the
	// signature must verify against one of them. At least one is required.
	TrustedSigners [][]byte
	// DecryptionKey is the recipient's 32-byte X25519 private key; nil for an unencrypted
	// artifact (another length is CodeKeyInvalid).
	DecryptionKey []byte
}

// Opened is the result of Open.
type Opened struct {
	// Wasm is the plain module (Verify gives the handle Runtime.Load takes).
	Wasm []byte
	// Report is the open report JSON (trailer, records, CID, signature, decryption and
	// bundle steps).
	Report json.RawMessage
}

// Open verifies (and decrypts) a protected artifact, failing closed (sdm_open). A refusal is
// the failing step's code, e.g. CodeSignatureInvalid for an untrusted signer or
// CodeDecryptedPayloadInvalid for a wrong decryption key, CodeDecryptionKeyRequired without one.
func Open(artifact []byte, opts OpenOptions) (*Opened, error) {
	signers, err := concatSigners(opts.TrustedSigners)
	if err != nil {
		return nil, err
	}
	var wasm, report C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_open(inPtr(artifact), inLen(artifact), inPtr(signers), inLen(signers),
			optPtr(opts.DecryptionKey), inLen(opts.DecryptionKey), &wasm, &report)
	}); err != nil {
		return nil, err
	}
	return &Opened{Wasm: takeBytes(&wasm), Report: takeBytes(&report)}, nil
}

// OpenOutcome is the loader's verdict from OpenReport: opened, or refused with the report
// of what was established before the failing step. Its JSON is the one open-outcome shape of
// every boundary (docs/schemas/open-outcome.schema.json, the CLI's `open --json`).
type OpenOutcome struct {
	// Opened is true when the artifact opened ("outcome": "ok").
	Opened bool `json:"-"`
	// Outcome is "ok" or "error".
	Outcome string `json:"outcome"`
	// Status is 0 when opened, else the code Open would fail with (e.g. CodeSignatureInvalid).
	Status int `json:"status"`
	// Code is the refusal's stable code name (CodeName(Status), e.g. "signature-invalid") and
	// Detail its message; both empty when opened.
	Code   string `json:"code"`
	Detail string `json:"detail"`
	// Report is the open report; partial when refused.
	Report json.RawMessage `json:"report"`
	// Authentication says which fields a verified signature covers.
	Authentication Authentication `json:"authentication"`
	// Wasm is the plain module when opened, nil when refused.
	Wasm []byte `json:"-"`
	// Raw is the whole outcome JSON (docs/c-abi.md, "sdm_open_report"); it holds no secret.
	Raw json.RawMessage `json:"-"`
}

// Authentication is what a verified signature does and does not vouch for (docs/keys.md).
type Authentication struct {
	// Signed is true when a trusted signer's signature over the CID verified.
	Signed bool `json:"signed"`
	// CID is the signed content identifier of the payload ("" when not signed).
	CID string `json:"cid"`
	// PublishTimestamp is the signed publish timestamp ("" when its signature did not verify).
	PublishTimestamp string `json:"publishTimestamp"`
	// Unauthenticated lists the report fields no signature covers: editable by anyone who
	// holds the artifact.
	Unauthenticated []string `json:"unauthenticated"`
}

// Err is the refusal as an *Error (the same Open returns), or nil when opened.
func (o *OpenOutcome) Err() error {
	if o.Opened {
		return nil
	}
	return newError(o.Status, o.Detail)
}

// OpenReport opens a protected artifact as Open does, but returns the loader's verdict
// instead of failing with it, so that a refusal comes with its partial report
// (sdm_open_report; the CLI's `open --json`). The error is non-nil only for argument errors
// (empty artifact, no signers, malformed keys): a refusal is an OpenOutcome with Opened
// false and Status the refusal's code.
func OpenReport(artifact []byte, opts OpenOptions) (*OpenOutcome, error) {
	signers, err := concatSigners(opts.TrustedSigners)
	if err != nil {
		return nil, err
	}
	var wasm, outcome C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_open_report(inPtr(artifact), inLen(artifact), inPtr(signers), inLen(signers),
			optPtr(opts.DecryptionKey), inLen(opts.DecryptionKey), &wasm, &outcome)
	}); err != nil {
		return nil, err
	}
	result := &OpenOutcome{Wasm: takeBytes(&wasm), Raw: takeBytes(&outcome)}
	if err := decodeResult(result.Raw, result); err != nil {
		return nil, err
	}
	result.Opened = result.Outcome == "ok"
	if !result.Opened {
		result.Wasm = nil
	}
	return result, nil
}

// SigningPublicKey is the 33-byte compressed secp256k1 public key of a 32-byte signing
// private key (sdm_signing_public_key), for OpenOptions.TrustedSigners. A private key of
// another length, or the zero scalar, is CodeKeyInvalid.
func SigningPublicKey(privateKey []byte) ([]byte, error) {
	out := make([]byte, SigningPublicKeyLen)
	if err := call(func() C.sdm_status {
		return C.sdm_signing_public_key(inPtr(privateKey), inLen(privateKey), inPtr(out), inLen(out))
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// X25519PublicKey is the 32-byte X25519 public key of a 32-byte X25519 private key
// (sdm_x25519_public_key), for ProtectOptions.RecipientPublicKey. A private key of another
// length is CodeKeyInvalid.
func X25519PublicKey(privateKey []byte) ([]byte, error) {
	out := make([]byte, KeyLen)
	if err := call(func() C.sdm_status {
		return C.sdm_x25519_public_key(inPtr(privateKey), inLen(privateKey), inPtr(out), inLen(out))
	}); err != nil {
		return nil, err
	}
	return out, nil
}
