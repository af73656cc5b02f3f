package sdm

import (
	"testing"
)

// TestEmptyAndGarbageInputs: every function given nil, empty or garbage bytes returns an
// *Error with a stable code, never a crash.
func TestEmptyAndGarbageInputs(t *testing.T) {
	garbage := []byte("\xde\xad\xbe\xef garbage") // not UTF-8 either
	notJSON := []byte("this is not JSON")
	wasm := readVector(t, "single-file-module.wasm")
	manifest := readVector(t, "manifest.json")
	trusted, err := SigningPublicKey(signingKey)
	mustNoErr(t, err)
	envelope, err := CreateAuthorization([]byte(`{}`), signingKey, nil)
	mustNoErr(t, err)
	host, err := NewHost([]byte(`{"grant":["clock"]}`))
	mustNoErr(t, err)
	defer host.Close()
	runtimeHost, err := NewRuntimeHost()
	mustNoErr(t, err)
	defer runtimeHost.Close()
	verified := verifyUnsigned(t, wasm)
	closed := verifyUnsigned(t, wasm)
	mustNoErr(t, closed.Close())

	cases := []struct {
		name string
		call func() error
		code int // 0: any non-zero code
	}{
		{"EncodeManifest nil", func() error { _, err := EncodeManifest(nil); return err }, CodeInvalidArgument},
		{"EncodeManifest empty", func() error { _, err := EncodeManifest([]byte{}); return err }, CodeInvalidArgument},
		{"EncodeManifest not JSON", func() error { _, err := EncodeManifest(notJSON); return err }, CodeInvalidJSON},
		{"EncodeManifest not UTF-8", func() error { _, err := EncodeManifest(garbage); return err }, CodeInvalidArgument},
		{"EncodeManifest not a manifest", func() error { _, err := EncodeManifest([]byte(`[1,2]`)); return err }, 0},
		{"DecodeManifest nil", func() error { _, err := DecodeManifest(nil); return err }, CodeInvalidArgument},
		{"DecodeManifest garbage", func() error { _, err := DecodeManifest(garbage); return err }, CodeManifestIdentifierMismatch},
		{"Inspect nil", func() error { _, err := Inspect(nil); return err }, CodeInvalidArgument},
		{"Inspect garbage", func() error { _, err := Inspect(garbage); return err }, CodeWasmMagicMismatch},
		{"Inspect truncated", func() error { _, err := Inspect([]byte("\x00asm")); return err }, CodeWasmTruncated},
		{"InspectJSON nil", func() error { _, err := InspectJSON(nil); return err }, CodeInvalidArgument},
		{"CreateBundle nil wasm", func() error { _, err := CreateBundle(nil, manifest); return err }, CodeInvalidArgument},
		{"CreateBundle nil manifest", func() error { _, err := CreateBundle(wasm, nil); return err }, CodeInvalidArgument},
		{"CreateBundle garbage wasm", func() error { _, err := CreateBundle(garbage, manifest); return err }, 0},
		{"Check nil manifest", func() error { _, err := Check(nil, wasm); return err }, CodeInvalidArgument},
		{"Check garbage manifest", func() error { _, err := Check(notJSON, nil); return err }, CodeInvalidJSON},
		{"Check garbage wasm", func() error { _, err := Check(manifest, garbage); return err }, 0},
		{"Protect nil wasm", func() error {
			_, err := Protect(nil, ProtectOptions{ManifestJSON: manifest, SigningKey: signingKey})
			return err
		}, CodeInvalidArgument},
		{"Open nil artifact", func() error {
			_, err := Open(nil, OpenOptions{TrustedSigners: [][]byte{trusted}})
			return err
		}, CodeInvalidArgument},
		{"Open garbage artifact", func() error {
			_, err := Open(garbage, OpenOptions{TrustedSigners: [][]byte{trusted}})
			return err
		}, 0},
		{"Open no signers", func() error { _, err := Open(wasm, OpenOptions{}); return err }, CodeInvalidArgument},
		{"EncodeInvokeRequestJSON nil", func() error { _, err := EncodeInvokeRequestJSON(nil); return err }, CodeInvalidArgument},
		{"EncodeInvokeRequestJSON garbage", func() error { _, err := EncodeInvokeRequestJSON(notJSON); return err }, CodeInvalidJSON},
		{"EncodeInvokeRequestJSON no method", func() error {
			_, err := EncodeInvokeRequestJSON([]byte(`{"inputs":[]}`))
			return err
		}, CodeInvokeMethodIDRequired},
		{"DecodeInvokeResponseJSON nil", func() error { _, err := DecodeInvokeResponseJSON(nil); return err }, CodeInvalidArgument},
		{"DecodeInvokeResponse garbage", func() error { _, err := DecodeInvokeResponse(garbage); return err }, CodeInvokeResponseIdentifierMismatch},
		{"CreateAuthorization nil options", func() error { _, err := CreateAuthorization(nil, signingKey, nil); return err }, CodeInvalidArgument},
		{"CreateAuthorization garbage options", func() error { _, err := CreateAuthorization(garbage, signingKey, nil); return err }, 0},
		{"CreateAuthorization not an object", func() error { _, err := CreateAuthorization([]byte(`[]`), signingKey, nil); return err }, CodeInvalidJSON},
		{"CreateAuthorization nil key", func() error { _, err := CreateAuthorization([]byte(`{}`), nil, nil); return err }, CodeInvalidArgument},
		{"CreateAuthorization short key", func() error { _, err := CreateAuthorization([]byte(`{}`), signingKey[:31], nil); return err }, CodeKeyInvalid},
		{"CreateAuthorization long key", func() error {
			_, err := CreateAuthorization([]byte(`{}`), append(append([]byte{}, signingKey...), 0), nil)
			return err
		}, CodeKeyInvalid},
		{"CreateAuthorization zero key", func() error { _, err := CreateAuthorization([]byte(`{}`), make([]byte, 32), nil); return err }, 0},
		{"VerifyAuthorization nil envelope", func() error { _, err := VerifyAuthorization(nil, [][]byte{trusted}, nil); return err }, CodeInvalidArgument},
		{"VerifyAuthorization garbage envelope", func() error { _, err := VerifyAuthorization(garbage, [][]byte{trusted}, nil); return err }, 0},
		{"VerifyAuthorization empty object", func() error { _, err := VerifyAuthorization([]byte(`{}`), [][]byte{trusted}, nil); return err }, CodeAuthorizationMalformed},
		{"VerifyAuthorization no signers", func() error { _, err := VerifyAuthorization(envelope, nil, nil); return err }, CodeInvalidArgument},
		{"VerifyAuthorization short signer", func() error { _, err := VerifyAuthorization(envelope, [][]byte{trusted[:5]}, nil); return err }, CodeKeyInvalid},
		{"VerifyAuthorization garbage signer", func() error { _, err := VerifyAuthorization(envelope, [][]byte{garbage[:1]}, nil); return err }, CodeKeyInvalid},
		{"VerifyAuthorization short second signer", func() error {
			_, err := VerifyAuthorization(envelope, [][]byte{trusted, trusted[:32]}, nil)
			return err
		}, CodeKeyInvalid},
		{"VerifyAuthorization garbage options", func() error { _, err := VerifyAuthorization(envelope, [][]byte{trusted}, garbage); return err }, 0},
		{"OpenReport nil artifact", func() error { _, err := OpenReport(nil, OpenOptions{TrustedSigners: [][]byte{trusted}}); return err }, CodeInvalidArgument},
		{"OpenReport no signers", func() error { _, err := OpenReport(garbage, OpenOptions{}); return err }, CodeInvalidArgument},
		{"OpenReport short decryption key", func() error {
			_, err := OpenReport(garbage, OpenOptions{TrustedSigners: [][]byte{trusted}, DecryptionKey: recipientKey[:8]})
			return err
		}, CodeKeyInvalid},
		{"Protect short signing key", func() error {
			_, err := Protect(wasm, ProtectOptions{ManifestJSON: manifest, SigningKey: signingKey[:31]})
			return err
		}, CodeKeyInvalid},
		{"Protect 12-byte recipient key", func() error {
			_, err := Protect(wasm, ProtectOptions{ManifestJSON: manifest, SigningKey: signingKey, RecipientPublicKey: garbage})
			return err
		}, CodeKeyInvalid},
		{"Open short decryption key", func() error {
			_, err := Open(wasm, OpenOptions{TrustedSigners: [][]byte{trusted}, DecryptionKey: recipientKey[:31]})
			return err
		}, CodeKeyInvalid},
		{"SigningPublicKey short key", func() error { _, err := SigningPublicKey(signingKey[:31]); return err }, CodeKeyInvalid},
		{"SigningPublicKey nil key", func() error { _, err := SigningPublicKey(nil); return err }, CodeInvalidArgument},
		{"X25519PublicKey 12-byte key", func() error { _, err := X25519PublicKey(garbage); return err }, CodeKeyInvalid},
		{"NewHost nil", func() error { _, err := NewHost(nil); return err }, CodeInvalidArgument},
		{"NewHost garbage", func() error { _, err := NewHost(garbage); return err }, 0},
		{"NewHost not an object", func() error { _, err := NewHost([]byte(`[1]`)); return err }, 0},
		{"Host.Invoke empty operation", func() error { _, err := host.Invoke("", nil); return err }, CodeInvalidArgument},
		{"Host.Invoke garbage operation", func() error { _, err := host.Invoke(string(garbage), nil); return err }, CodeInvalidArgument},
		{"Host.Invoke garbage params", func() error { _, err := host.Invoke("clock.now", garbage); return err }, 0},
		{"OpenRuntimeHost empty path", func() error { _, err := OpenRuntimeHost(""); return err }, CodeInvalidArgument},
		{"OpenRuntimeHost not UTF-8", func() error { _, err := OpenRuntimeHost(string(garbage)); return err }, 0},
		{"AppendRow empty schema", func() error { _, err := runtimeHost.AppendRow("", []byte(`1`)); return err }, CodeInvalidArgument},
		{"AppendRow nil payload", func() error { _, err := runtimeHost.AppendRow("OMM", nil); return err }, CodeInvalidArgument},
		{"AppendRow garbage payload", func() error { _, err := runtimeHost.AppendRow("OMM", garbage); return err }, 0},
		{"ResolveRow empty schema", func() error { _, err := runtimeHost.ResolveRow("", 1); return err }, CodeInvalidArgument},
		{"ResolveRow row 0", func() error { _, err := runtimeHost.ResolveRow("OMM", 0); return err }, CodeRuntimeHostInvalidRowID},
		{"ListRows garbage schema", func() error { _, err := runtimeHost.ListRows(string(garbage)); return err }, 0},
		{"AllocateRegion empty layout", func() error { _, err := runtimeHost.AllocateRegion("", 4, 4, nil); return err }, CodeInvalidArgument},
		{"AllocateRegion bad alignment", func() error { _, err := runtimeHost.AllocateRegion("l", 4, 6, nil); return err }, CodeRuntimeHostInvalidAlignment},
		{"ResolveRecord unknown region", func() error { _, err := runtimeHost.ResolveRecord(12345, 0); return err }, CodeRuntimeHostNotFound},
		{"InstallModule empty id", func() error { _, err := runtimeHost.InstallModule("", verified, nil, false); return err }, CodeInvalidArgument},
		{"InstallModule nil verified", func() error { _, err := runtimeHost.InstallModule("m", nil, nil, false); return err }, CodeInvalidArgument},
		{"InstallModule closed verified", func() error { _, err := runtimeHost.InstallModule("m", closed, nil, false); return err }, CodeInvalidArgument},
		{"InstallModule garbage metadata", func() error { _, err := runtimeHost.InstallModule("m", verified, garbage, false); return err }, 0},
		{"Verify nil artifact", func() error { _, err := Verify(nil, VerifyOptions{AllowUnsigned: true}); return err }, CodeInvalidArgument},
		{"Verify empty artifact", func() error { _, err := Verify([]byte{}, VerifyOptions{AllowUnsigned: true}); return err }, CodeInvalidArgument},
		{"Verify garbage", func() error { _, err := Verify(garbage, VerifyOptions{AllowUnsigned: true}); return err }, 0},
		{"Verify garbage signed", func() error { _, err := Verify(garbage, VerifyOptions{TrustedSigners: [][]byte{trusted}}); return err }, 0},
		{"Verify plain without AllowUnsigned", func() error { _, err := Verify(wasm, VerifyOptions{}); return err }, CodeTrailerMissing},
		{"Verify short signer", func() error {
			_, err := Verify(wasm, VerifyOptions{TrustedSigners: [][]byte{trusted[:32]}, AllowUnsigned: true})
			return err
		}, CodeKeyInvalid},
		{"Verify garbage signer", func() error {
			_, err := Verify(wasm, VerifyOptions{TrustedSigners: [][]byte{garbage[:1]}, AllowUnsigned: true})
			return err
		}, CodeKeyInvalid},
		{"Verify short decryption key", func() error {
			_, err := Verify(wasm, VerifyOptions{DecryptionKey: recipientKey[:31], AllowUnsigned: true})
			return err
		}, CodeKeyInvalid},
		{"Verify empty decryption key", func() error {
			_, err := Verify(wasm, VerifyOptions{DecryptionKey: []byte{}, AllowUnsigned: true})
			return err
		}, CodeInvalidArgument},
		{"Verify unknown flag", func() error { _, err := verify(wasm, nil, nil, 4); return err }, CodeInvalidArgument},
		{"Verified.Wasm closed", func() error { _, err := closed.Wasm(); return err }, CodeInvalidArgument},
		{"NewRuntimeHostWithPolicy nil policy", func() error { _, err := NewRuntimeHostWithPolicy("", nil); return err }, CodeInvalidArgument},
		{"NewRuntimeHostWithPolicy garbage policy", func() error { _, err := NewRuntimeHostWithPolicy("", garbage); return err }, 0},
		{"NewRuntimeHostWithPolicy not an object", func() error { _, err := NewRuntimeHostWithPolicy("", []byte(`[1]`)); return err }, 0},
		{"NewRuntimeHostWithPolicy garbage path", func() error { _, err := NewRuntimeHostWithPolicy(string(garbage), []byte(`{}`)); return err }, 0},
		{"LoadModule empty id", func() error { return runtimeHost.LoadModule("") }, CodeInvalidArgument},
		{"UnloadModule unknown", func() error { _, err := runtimeHost.UnloadModule("nope"); return err }, 0},
		{"RuntimeHost.Invoke nil request", func() error { _, err := runtimeHost.Invoke("nope", nil); return err }, CodeInvalidArgument},
		{"RuntimeHost.Invoke unknown module", func() error { _, err := runtimeHost.Invoke("nope", garbage); return err }, CodeRuntimeHostModuleUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if tc.code == 0 {
				if ErrorCode(err) == 0 {
					t.Fatalf("want an *sdm.Error, got %v", err)
				}
				t.Logf("%v", err)
				return
			}
			wantCode(t, err, tc.code)
		})
	}
}

func TestEmptyInputsOnHandles(t *testing.T) {
	rt, err := NewRuntime()
	mustNoErr(t, err)
	defer rt.Close()
	module, err := rt.Load(verifyUnsigned(t, readVector(t, "single-file-module.wasm")))
	mustNoErr(t, err)
	defer module.Close()
	_, err = module.InvokeDirect(nil, nil)
	wantCode(t, err, CodeInvalidArgument)
	_, err = module.InvokeCommand([]byte{}, nil)
	wantCode(t, err, CodeInvalidArgument)
	host, err := NewHost([]byte(`{}`))
	mustNoErr(t, err)
	defer host.Close()
	_, err = module.InvokeHosted(host, Direct, nil, nil)
	wantCode(t, err, CodeInvalidArgument)
	_, err = module.InvokeHosted(host, Command, []byte{}, nil)
	wantCode(t, err, CodeInvalidArgument)
	// A request that is not a PluginInvokeRequest reaches the guest, which answers with its
	// own error response (the host does not judge the request bytes).
	for _, mode := range []Mode{Direct, Command} {
		encoded, err := module.invoke(mode, []byte("garbage!"), nil)
		mustNoErr(t, err)
		response, err := DecodeInvokeResponse(encoded)
		mustNoErr(t, err)
		if response.StatusCode == 0 || response.ErrorCode != "invalid-request" {
			t.Fatalf("%v: garbage request: %s", mode, response.Raw)
		}
	}
}
