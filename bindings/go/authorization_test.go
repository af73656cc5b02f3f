package sdm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

const authorizationOptions = `{"artifactId":"artifact-1","programId":"program-1",
	"target":"https://edge.example/deploy","capabilities":["clock","filesystem"],"ttlMs":60000}`

func TestAuthorizationCreateThenVerify(t *testing.T) {
	trusted, err := SigningPublicKey(signingKey)
	mustNoErr(t, err)
	envelope, err := CreateAuthorization([]byte(authorizationOptions), signingKey,
		&AuthorizationSigner{KeyID: "go-test-key"})
	mustNoErr(t, err)
	var parsed struct {
		Protected struct {
			PublicKeyHex string `json:"publicKeyHex"`
			KeyID        string `json:"keyId"`
		} `json:"protected"`
		Payload struct {
			ArtifactID string   `json:"artifactId"`
			IssuedAt   int64    `json:"issuedAt"`
			ExpiresAt  int64    `json:"expiresAt"`
			Caps       []string `json:"capabilities"`
		} `json:"payload"`
		SignatureHex string `json:"signatureHex"`
	}
	mustNoErr(t, json.Unmarshal(envelope, &parsed))
	if parsed.Protected.PublicKeyHex != hexString(trusted) || parsed.Protected.KeyID != "go-test-key" ||
		parsed.Payload.ArtifactID != "artifact-1" || parsed.Payload.ExpiresAt-parsed.Payload.IssuedAt != 60000 ||
		len(parsed.SignatureHex) == 0 || strings.Join(parsed.Payload.Caps, ",") != "clock,filesystem" {
		t.Fatalf("envelope: %s", envelope)
	}

	verified, err := VerifyAuthorization(envelope, [][]byte{trusted}, nil)
	mustNoErr(t, err)
	if verified.SignerPublicKeyHex != hexString(trusted) || !strings.Contains(string(verified.Payload), `"artifact-1"`) {
		t.Fatalf("verified: %s", verified.Raw)
	}
	// Expectations that hold.
	_, err = VerifyAuthorization(envelope, [][]byte{trusted},
		[]byte(`{"artifact":{"artifactId":"artifact-1"},"requiredCapabilities":["clock"]}`))
	mustNoErr(t, err)

	// Verified after expiry: 613, also within a skew that is too small; a skew that covers
	// the gap accepts it.
	expired := parsed.Payload.ExpiresAt + int64(time.Minute/time.Millisecond)
	_, err = VerifyAuthorization(envelope, [][]byte{trusted}, []byte(fmt.Sprintf(`{"now":%d}`, expired)))
	wantCode(t, err, CodeAuthorizationExpired)
	_, err = VerifyAuthorization(envelope, [][]byte{trusted}, []byte(fmt.Sprintf(`{"now":%d,"clockSkewMs":1000}`, expired)))
	wantCode(t, err, CodeAuthorizationExpired)
	_, err = VerifyAuthorization(envelope, [][]byte{trusted}, []byte(fmt.Sprintf(`{"now":%d,"clockSkewMs":120000}`, expired)))
	mustNoErr(t, err)
	// Before issuance: "not yet valid" is the same code.
	_, err = VerifyAuthorization(envelope, [][]byte{trusted}, []byte(fmt.Sprintf(`{"now":%d}`, parsed.Payload.IssuedAt-60000)))
	wantCode(t, err, CodeAuthorizationExpired)

	// Another trusted signer: 612. A capability not granted: 615. A typo in the options: 4.
	other, err := SigningPublicKey(otherSigningKey)
	mustNoErr(t, err)
	_, err = VerifyAuthorization(envelope, [][]byte{other}, nil)
	wantCode(t, err, CodeSignerUntrusted)
	_, err = VerifyAuthorization(envelope, [][]byte{other, trusted}, nil)
	mustNoErr(t, err)
	_, err = VerifyAuthorization(envelope, [][]byte{trusted}, []byte(`{"requiredCapabilities":["process_exec"]}`))
	wantCode(t, err, CodeAuthorizationMismatch)
	_, err = VerifyAuthorization(envelope, [][]byte{trusted}, []byte(`{"nowMs":1}`))
	wantCode(t, err, CodeInvalidArgument)

	// A tampered payload no longer matches the signature: 614.
	tampered := []byte(strings.Replace(string(envelope), `"artifact-1"`, `"artifact-2"`, 1))
	_, err = VerifyAuthorization(tampered, [][]byte{trusted}, nil)
	wantCode(t, err, CodeAuthorizationSignatureInvalid)
}

func TestOpenReport(t *testing.T) {
	wasm := readVector(t, "single-file-module.wasm")
	manifest := readVector(t, "manifest.json")
	trusted, err := SigningPublicKey(signingKey)
	mustNoErr(t, err)

	// An unsigned module: the loader refuses it, and says so with status 0 (no error).
	outcome, err := OpenReport(wasm, OpenOptions{TrustedSigners: [][]byte{trusted}})
	mustNoErr(t, err)
	if outcome.Opened || outcome.Outcome != "error" || outcome.Status == 0 || outcome.Code != CodeName(outcome.Status) ||
		outcome.Detail == "" || outcome.Wasm != nil || len(outcome.Report) == 0 || outcome.Report[0] != '{' {
		t.Fatalf("unsigned module: %s", outcome.Raw)
	}
	// One outcome shape on every boundary: `code`, never the old `errorClass`.
	if bytes.Contains(outcome.Raw, []byte(`"errorClass"`)) || outcome.Authentication.Signed ||
		outcome.Authentication.Unauthenticated == nil {
		t.Fatalf("unsigned module's outcome shape: %s", outcome.Raw)
	}
	_, openErr := Open(wasm, OpenOptions{TrustedSigners: [][]byte{trusted}})
	wantCode(t, outcome.Err(), ErrorCode(openErr))
	t.Logf("unsigned module refused: %v", outcome.Err())

	// A protected artifact opens, with the same wasm Open returns.
	recipient, err := X25519PublicKey(recipientKey)
	mustNoErr(t, err)
	protected, err := Protect(wasm, ProtectOptions{ManifestJSON: manifest, SigningKey: signingKey, RecipientPublicKey: recipient})
	mustNoErr(t, err)
	outcome, err = OpenReport(protected.Artifact, OpenOptions{TrustedSigners: [][]byte{trusted}, DecryptionKey: recipientKey})
	mustNoErr(t, err)
	if !outcome.Opened || outcome.Status != 0 || outcome.Err() != nil || sha256Hex(outcome.Wasm) != sha256Hex(wasm) ||
		outcome.Code != "" || outcome.Detail != "" {
		t.Fatalf("protected artifact: %s", outcome.Raw)
	}
	// The signature covers the CID (and the publish timestamp); the rest is listed as not.
	if auth := outcome.Authentication; !auth.Signed || auth.CID == "" || len(auth.Unauthenticated) == 0 {
		t.Fatalf("protected artifact's authentication: %s", outcome.Raw)
	}

	// A wrong decryption key: refused with Open's code and a partial report that already
	// holds the verified signature.
	outcome, err = OpenReport(protected.Artifact, OpenOptions{TrustedSigners: [][]byte{trusted}, DecryptionKey: wrongRecipient})
	mustNoErr(t, err)
	_, openErr = Open(protected.Artifact, OpenOptions{TrustedSigners: [][]byte{trusted}, DecryptionKey: wrongRecipient})
	if outcome.Opened || outcome.Status != ErrorCode(openErr) || outcome.Code != CodeName(ErrorCode(openErr)) ||
		outcome.Wasm != nil || !outcome.Authentication.Signed {
		t.Fatalf("wrong key: %s (Open: %v)", outcome.Raw, openErr)
	}

	// Argument errors are errors, not verdicts.
	_, err = OpenReport(protected.Artifact, OpenOptions{})
	wantCode(t, err, CodeInvalidArgument)
	_, err = OpenReport(protected.Artifact, OpenOptions{TrustedSigners: [][]byte{trusted[:32]}})
	wantCode(t, err, CodeKeyInvalid)
}
