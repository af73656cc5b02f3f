package sdm

// #include "space_data_module.h"
import "C"

import (
	"encoding/json"
	"fmt"
)

// AuthorizationSigner is the optional signer description copied into the unsigned
// "protected" header of an authorization envelope (sdm_authorization_create's signer JSON).
type AuthorizationSigner struct {
	DerivationPath string `json:"derivationPath,omitempty"`
	KeyID          string `json:"keyId,omitempty"`
}

// CreateAuthorization creates and signs a deployment authorization (spec 11.2 and 11.4), as
// the CLI's `authorize` (sdm_authorization_create). optionsJSON is the reference's
// createDeploymentAuthorization options object (docs/c-abi.md: artifact, target,
// capabilities, issuedAt, ttlMs, nonce, constraints, ...); signingKey the 32-byte secp256k1
// private key; signer nil for none. The result is the envelope JSON
// {"protected": {...}, "payload": {...}, "signatureHex"}.
func CreateAuthorization(optionsJSON, signingKey []byte, signer *AuthorizationSigner) (json.RawMessage, error) {
	var signerJSON []byte
	if signer != nil {
		encoded, err := json.Marshal(signer)
		if err != nil {
			return nil, invalidArgument("authorization signer: %v", err)
		}
		signerJSON = encoded
	}
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_authorization_create(inPtr(optionsJSON), inLen(optionsJSON), inPtr(signingKey), inLen(signingKey),
			inPtr(signerJSON), inLen(signerJSON), &out)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}

// VerifiedAuthorization is the result of VerifyAuthorization.
type VerifiedAuthorization struct {
	// SignerPublicKeyHex is the compressed public key of the trusted signer that signed it.
	SignerPublicKeyHex string `json:"signerPublicKeyHex"`
	// Payload is the verified authorization payload (spec 11.2).
	Payload json.RawMessage `json:"payload"`
	// Raw is the whole result JSON.
	Raw json.RawMessage `json:"-"`
}

// VerifyAuthorization verifies a deployment authorization envelope (spec 11.7), as the CLI's
// `verify-authorization` (sdm_authorization_verify). trustedSigners are 33-byte compressed
// secp256k1 public keys (at least one). optionsJSON is nil for the defaults, or
// {"now", "clockSkewMs", "artifact", "target", "requiredCapabilities"} (docs/c-abi.md);
// unknown members are CodeInvalidArgument. The first failing check is the error:
// CodeAuthorizationMalformed, CodeUnsupportedAlgorithm, CodeSignerUntrusted,
// CodeAuthorizationExpired (also "not yet valid"), CodeAuthorizationSignatureInvalid,
// CodeAuthorizationMismatch.
func VerifyAuthorization(envelopeJSON []byte, trustedSigners [][]byte, optionsJSON []byte) (*VerifiedAuthorization, error) {
	signers, err := concatSigners(trustedSigners)
	if err != nil {
		return nil, err
	}
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_authorization_verify(inPtr(envelopeJSON), inLen(envelopeJSON), inPtr(signers), inLen(signers),
			inPtr(optionsJSON), inLen(optionsJSON), &out)
	}); err != nil {
		return nil, err
	}
	verified := &VerifiedAuthorization{Raw: takeBytes(&out)}
	if err := decodeResult(verified.Raw, verified); err != nil {
		return nil, err
	}
	return verified, nil
}

// concatSigners is the C form of a trust list: the 33-byte keys back to back, checked by the
// library (a length that is not a multiple of 33 is CodeKeyInvalid).
func concatSigners(trustedSigners [][]byte) ([]byte, error) {
	return concatKeys(trustedSigners, SigningPublicKeyLen, "trusted signer")
}

// concatKeys is the C form of a list of fixed-size keys, back to back. One key goes as it is
// (the library checks its length). Several need a framing check here, because the flat list
// cannot say where a key ends: a short key would shift every key after it into a different
// (wrong) key. It fails with the code the library gives key bytes of the wrong length.
func concatKeys(keys [][]byte, size int, what string) ([]byte, error) {
	if len(keys) == 1 {
		return keys[0], nil
	}
	flat := make([]byte, 0, len(keys)*size)
	for i, key := range keys {
		if len(key) != size {
			return nil, newError(CodeKeyInvalid, fmt.Sprintf(
				"%s %d is %d bytes; every key of a list must be %d", what, i, len(key), size))
		}
		flat = append(flat, key...)
	}
	return flat, nil
}
