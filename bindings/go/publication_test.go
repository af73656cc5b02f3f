package sdm

import (
	"bytes"
	"testing"
)

func TestKeyDerivation(t *testing.T) {
	public, err := SigningPublicKey(signingKey)
	mustNoErr(t, err)
	if len(public) != SigningPublicKeyLen || (public[0] != 2 && public[0] != 3) {
		t.Fatalf("not a compressed secp256k1 key: % x", public)
	}
	again, err := SigningPublicKey(signingKey)
	mustNoErr(t, err)
	other, err := SigningPublicKey(otherSigningKey)
	mustNoErr(t, err)
	if !bytes.Equal(public, again) || bytes.Equal(public, other) {
		t.Fatal("signing public key is not a function of the private key")
	}
	x, err := X25519PublicKey(recipientKey)
	mustNoErr(t, err)
	if len(x) != KeyLen || bytes.Equal(x, recipientKey) {
		t.Fatalf("X25519 public key: % x", x)
	}
	// RFC 7748 6.1: Alice's private key -> public key.
	alice := unhex(t, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
	alicePublic, err := X25519PublicKey(alice)
	mustNoErr(t, err)
	if want := unhex(t, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"); !bytes.Equal(alicePublic, want) {
		t.Fatalf("RFC 7748 vector: % x", alicePublic)
	}
	// Wrong sizes are the library's answer (keys cross with their length): a missing key is
	// invalid-argument, any other length key-invalid.
	for _, key := range [][]byte{nil, {}} {
		_, err := SigningPublicKey(key)
		wantCode(t, err, CodeInvalidArgument)
		_, err = X25519PublicKey(key)
		wantCode(t, err, CodeInvalidArgument)
	}
	for _, key := range [][]byte{seq(1, 1), seq(1, 31), seq(1, 33), seq(1, 64)} {
		_, err := SigningPublicKey(key)
		wantCode(t, err, CodeKeyInvalid)
		_, err = X25519PublicKey(key)
		wantCode(t, err, CodeKeyInvalid)
	}
	// The zero scalar is no secp256k1 key.
	_, err = SigningPublicKey(make([]byte, 32))
	if err == nil {
		t.Fatal("zero signing key accepted")
	}
}

// TestProtectOpenRoundTrip signs and encrypts each module, opens it with the right keys and
// refuses it with the wrong ones, each refusal with its stable code.
func TestProtectOpenRoundTrip(t *testing.T) {
	trusted, err := SigningPublicKey(signingKey)
	mustNoErr(t, err)
	untrusted, err := SigningPublicKey(otherSigningKey)
	mustNoErr(t, err)
	recipientPublic, err := X25519PublicKey(recipientKey)
	mustNoErr(t, err)

	for _, module := range modules(t) {
		t.Run(module.name, func(t *testing.T) {
			protected, err := Protect(module.wasm, ProtectOptions{
				ManifestJSON:       module.manifest,
				SigningKey:         signingKey,
				RecipientPublicKey: recipientPublic,
				SingleFileBundle:   true,
			})
			mustNoErr(t, err)
			if !protected.Encrypted || !protected.SingleFileBundle || len(protected.Artifact) == 0 ||
				protected.SigningPublicKeyHex != hexString(trusted) {
				t.Fatalf("protect result: %s", protected.Raw)
			}
			if bytes.Contains(protected.Raw, []byte(hexString(signingKey))) {
				t.Fatal("the protect result leaks the signing key")
			}

			opened, err := Open(protected.Artifact, OpenOptions{
				TrustedSigners: [][]byte{untrusted, trusted},
				DecryptionKey:  recipientKey,
			})
			mustNoErr(t, err)
			if !bytes.HasPrefix(opened.Wasm, []byte("\x00asm")) || len(opened.Report) == 0 {
				t.Fatalf("open: %d bytes, report %s", len(opened.Wasm), opened.Report)
			}
			info, err := Inspect(opened.Wasm)
			mustNoErr(t, err)
			if info.PluginID != module.pluginID {
				t.Fatalf("opened module: %s", info.Raw)
			}

			// Negatives, each with its stable code.
			_, err = Open(protected.Artifact, OpenOptions{TrustedSigners: [][]byte{trusted}, DecryptionKey: wrongRecipient})
			// docs/errors.md 609: the bytes decrypted with a wrong key are not WebAssembly.
			wantCode(t, err, CodeDecryptedPayloadInvalid)
			_, err = Open(protected.Artifact, OpenOptions{TrustedSigners: [][]byte{trusted}})
			wantCode(t, err, CodeDecryptionKeyRequired)
			_, err = Open(protected.Artifact, OpenOptions{TrustedSigners: [][]byte{untrusted}, DecryptionKey: recipientKey})
			wantCode(t, err, CodeSignatureInvalid)
			_, err = Open(protected.Artifact, OpenOptions{DecryptionKey: recipientKey})
			wantCode(t, err, CodeInvalidArgument)
			_, err = Open(protected.Artifact, OpenOptions{TrustedSigners: [][]byte{trusted[:32]}, DecryptionKey: recipientKey})
			wantCode(t, err, CodeKeyInvalid)
			_, err = Open(protected.Artifact, OpenOptions{TrustedSigners: [][]byte{trusted}, DecryptionKey: recipientKey[:16]})
			wantCode(t, err, CodeKeyInvalid)
			// An empty, non-nil key is a present key of length 0, never "no key".
			_, err = Open(protected.Artifact, OpenOptions{TrustedSigners: [][]byte{trusted}, DecryptionKey: []byte{}})
			wantCode(t, err, CodeInvalidArgument)
		})
	}
}

func TestProtectSignedOnly(t *testing.T) {
	trusted, err := SigningPublicKey(signingKey)
	mustNoErr(t, err)
	for _, module := range modules(t) {
		t.Run(module.name, func(t *testing.T) {
			protected, err := Protect(module.wasm, ProtectOptions{ManifestJSON: module.manifest, SigningKey: signingKey})
			mustNoErr(t, err)
			if protected.Encrypted {
				t.Fatalf("encrypted without a recipient: %s", protected.Raw)
			}
			opened, err := Open(protected.Artifact, OpenOptions{TrustedSigners: [][]byte{trusted}})
			mustNoErr(t, err)
			if !bytes.Equal(opened.Wasm, module.wasm) {
				t.Fatalf("signed-only open changed the module (%d vs %d bytes)", len(opened.Wasm), len(module.wasm))
			}
			// One flipped byte of the signed payload breaks the signature or the CID.
			tampered := append([]byte(nil), protected.Artifact...)
			tampered[len(module.wasm)/2] ^= 0x01
			_, err = Open(tampered, OpenOptions{TrustedSigners: [][]byte{trusted}})
			if !IsCode(err, CodeCIDMismatch) && !IsCode(err, CodeSignatureInvalid) {
				t.Fatalf("tampered artifact: %v", err)
			}
			// A plain module has no trailer.
			_, err = Open(module.wasm, OpenOptions{TrustedSigners: [][]byte{trusted}})
			wantCode(t, err, CodeTrailerMissing)
		})
	}
}

func TestProtectRejectsBadKeys(t *testing.T) {
	wasm := readVector(t, "single-file-module.wasm")
	manifest := readVector(t, "manifest.json")
	for name, test := range map[string]struct {
		opts ProtectOptions
		code int
	}{
		"no signing key":    {ProtectOptions{ManifestJSON: manifest}, CodeInvalidArgument},
		"short signing key": {ProtectOptions{ManifestJSON: manifest, SigningKey: signingKey[:31]}, CodeKeyInvalid},
		"short recipient key": {ProtectOptions{ManifestJSON: manifest, SigningKey: signingKey,
			RecipientPublicKey: seq(1, 31)}, CodeKeyInvalid},
		// Not "no recipient": an empty key must never silently give an unencrypted artifact.
		"empty recipient slice": {ProtectOptions{ManifestJSON: manifest, SigningKey: signingKey,
			RecipientPublicKey: []byte{}}, CodeInvalidArgument},
		"no manifest": {ProtectOptions{SigningKey: signingKey}, CodeInvalidArgument},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Protect(wasm, test.opts)
			wantCode(t, err, test.code)
		})
	}
}
