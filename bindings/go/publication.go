package sdm

// #include "space_data_module.h"
import "C"

import "encoding/json"

// ProtectOptions are the inputs of Protect besides the module.
type ProtectOptions struct {
	// ManifestJSON is the manifest as JSON text (required).
	ManifestJSON []byte
	// SigningKey is the 32-byte secp256k1 private key that signs the artifact (required).
	SigningKey []byte
	// RecipientPublicKey is the recipient's 32-byte X25519 public key; nil for a signed-only
	// (unencrypted) artifact.
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
	if err := requireLen("signing key", opts.SigningKey, KeyLen); err != nil {
		return nil, err
	}
	if opts.RecipientPublicKey != nil {
		if err := requireLen("recipient public key", opts.RecipientPublicKey, KeyLen); err != nil {
			return nil, err
		}
	}
	var artifact, result C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_protect(inPtr(opts.ManifestJSON), inLen(opts.ManifestJSON), inPtr(wasm), inLen(wasm),
			inPtr(opts.SigningKey), inPtr(opts.RecipientPublicKey), C.bool(opts.SingleFileBundle),
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
	// artifact.
	DecryptionKey []byte
}

// Opened is the result of Open.
type Opened struct {
	// Wasm is the plain module, ready for Runtime.Load.
	Wasm []byte
	// Report is the open report JSON (trailer, records, CID, signature, decryption and
	// bundle steps).
	Report json.RawMessage
}

// Open verifies (and decrypts) a protected artifact, failing closed (sdm_open). A refusal is
// the failing step's code, e.g. CodeSignatureInvalid for an untrusted signer or
// CodeDecryptedPayloadInvalid for a wrong decryption key, CodeDecryptionKeyRequired without one.
func Open(artifact []byte, opts OpenOptions) (*Opened, error) {
	signers := make([]byte, 0, len(opts.TrustedSigners)*SigningPublicKeyLen)
	for _, signer := range opts.TrustedSigners {
		if err := requireLen("trusted signer", signer, SigningPublicKeyLen); err != nil {
			return nil, err
		}
		signers = append(signers, signer...)
	}
	if opts.DecryptionKey != nil {
		if err := requireLen("decryption key", opts.DecryptionKey, KeyLen); err != nil {
			return nil, err
		}
	}
	var wasm, report C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_open(inPtr(artifact), inLen(artifact), inPtr(signers), inLen(signers),
			inPtr(opts.DecryptionKey), &wasm, &report)
	}); err != nil {
		return nil, err
	}
	return &Opened{Wasm: takeBytes(&wasm), Report: takeBytes(&report)}, nil
}

// SigningPublicKey is the 33-byte compressed secp256k1 public key of a 32-byte signing
// private key (sdm_signing_public_key), for OpenOptions.TrustedSigners.
func SigningPublicKey(privateKey []byte) ([]byte, error) {
	if err := requireLen("signing private key", privateKey, KeyLen); err != nil {
		return nil, err
	}
	out := make([]byte, SigningPublicKeyLen)
	if err := call(func() C.sdm_status {
		return C.sdm_signing_public_key(inPtr(privateKey), inPtr(out))
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// X25519PublicKey is the 32-byte X25519 public key of a 32-byte X25519 private key
// (sdm_x25519_public_key), for ProtectOptions.RecipientPublicKey.
func X25519PublicKey(privateKey []byte) ([]byte, error) {
	if err := requireLen("X25519 private key", privateKey, KeyLen); err != nil {
		return nil, err
	}
	out := make([]byte, KeyLen)
	if err := call(func() C.sdm_status {
		return C.sdm_x25519_public_key(inPtr(privateKey), inPtr(out))
	}); err != nil {
		return nil, err
	}
	return out, nil
}
