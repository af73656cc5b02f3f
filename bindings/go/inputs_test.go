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
	module, err := rt.Load(readVector(t, "single-file-module.wasm"))
	mustNoErr(t, err)
	defer module.Close()
	_, err = module.InvokeDirect(nil, nil)
	wantCode(t, err, CodeInvalidArgument)
	_, err = module.InvokeCommand([]byte{}, nil)
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
