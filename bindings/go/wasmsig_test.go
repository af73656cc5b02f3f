package sdm

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"testing"
)

// wasmKeyPair is an Ed25519 key in the tool-conventions serialization (0x81 ‖ seed ‖ pk), made
// with Go's own Ed25519, so the library is checked against an independent implementation.
func wasmKeyPair(t *testing.T) (secret, public []byte) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	mustNoErr(t, err)
	secret = append([]byte{0x81}, priv.Seed()...)
	return append(secret, pub...), pub
}

func TestSignWasmAndVerifyWasm(t *testing.T) {
	module := readVector(t, "single-file-module.wasm")
	secret, public := wasmKeyPair(t)
	_, otherPublic := wasmKeyPair(t)

	signed, err := SignWasm(module, [][]byte{secret}, WasmSignOptions{SplitParts: true})
	mustNoErr(t, err)
	report, err := VerifyWasm(signed, nil, [][]byte{otherPublic, public}, false)
	mustNoErr(t, err)
	if !report.Complete || len(report.Signers) != 1 || report.Signers[0] != hex.EncodeToString(public) {
		t.Fatalf("report: %+v", report)
	}

	signature, err := SignWasm(module, [][]byte{secret}, WasmSignOptions{Detached: true})
	mustNoErr(t, err)
	_, err = VerifyWasm(module, signature, [][]byte{public}, false)
	mustNoErr(t, err)

	_, err = VerifyWasm(signed, nil, [][]byte{otherPublic}, false)
	wantCode(t, err, CodeWasmSignatureUntrusted)
	_, err = VerifyWasm(module, nil, [][]byte{public}, false)
	wantCode(t, err, CodeWasmSignatureMissing)
	tampered := bytes.Clone(signed)
	tampered[len(tampered)-1] ^= 1
	_, err = VerifyWasm(tampered, nil, [][]byte{public}, false)
	wantCode(t, err, CodeWasmSignatureMismatch)
	// Framing: a short key in a list is refused before anything reaches the library.
	_, err = VerifyWasm(signed, nil, [][]byte{public, public[:31]}, false)
	wantCode(t, err, CodeKeyInvalid)
	_, err = SignWasm(module, [][]byte{secret[:64]}, WasmSignOptions{})
	wantCode(t, err, CodeKeyInvalid)
}

// TestVerifyRequiresWasmSignature: a signed module, protected (PNM) and encrypted, opens only
// when the required Ed25519 signer signed it.
func TestVerifyRequiresWasmSignature(t *testing.T) {
	// Signed before it is bundled: a signature section added to a bundled module would change
	// its canonical module hash (docs/wasmsig.md).
	module := readVector(t, "base-module.wasm")
	secret, public := wasmKeyPair(t)
	_, otherPublic := wasmKeyPair(t)
	signed, err := SignWasm(module, [][]byte{secret}, WasmSignOptions{})
	mustNoErr(t, err)
	trusted, err := SigningPublicKey(signingKey)
	mustNoErr(t, err)
	recipientPublic, err := X25519PublicKey(recipientKey)
	mustNoErr(t, err)
	protect := func(wasm []byte) []byte {
		protected, err := Protect(wasm, ProtectOptions{
			ManifestJSON: readVector(t, "manifest.json"), SigningKey: signingKey, RecipientPublicKey: recipientPublic,
		})
		mustNoErr(t, err)
		return protected.Artifact
	}
	open := func(artifact, wasmSigner []byte) (*Verified, error) {
		return Verify(artifact, VerifyOptions{
			TrustedSigners: [][]byte{trusted}, DecryptionKey: recipientKey, WasmSigners: [][]byte{wasmSigner},
		})
	}
	verified, err := open(protect(signed), public)
	mustNoErr(t, err)
	wasm, err := verified.Wasm()
	mustNoErr(t, err)
	if !bytes.Equal(wasm, signed) {
		t.Fatal("the opened wasm is not the signed module")
	}
	mustNoErr(t, verified.Close())
	_, err = open(protect(signed), otherPublic)
	wantCode(t, err, CodeWasmSignatureUntrusted)
	_, err = open(protect(module), public)
	wantCode(t, err, CodeWasmSignatureMissing)
}
