package sdm

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

func echoRequest(payload []byte) InvokeRequest {
	return InvokeRequest{MethodID: "echo", Inputs: []Frame{{PortID: "echo", Payload: payload}}}
}

// verifyUnsigned runs plain wasm through the loader, explicitly unsigned (the only way from
// bytes to a Verified without a signature).
func verifyUnsigned(t testing.TB, wasm []byte) *Verified {
	t.Helper()
	verified, err := Verify(wasm, VerifyOptions{AllowUnsigned: true})
	mustNoErr(t, err)
	t.Cleanup(func() { verified.Close() })
	return verified
}

func loadModule(t *testing.T, wasm []byte) (*Runtime, *Module) {
	t.Helper()
	rt, err := NewRuntime()
	mustNoErr(t, err)
	t.Cleanup(func() { rt.Close() })
	module, err := rt.Load(verifyUnsigned(t, wasm))
	mustNoErr(t, err)
	t.Cleanup(func() { module.Close() })
	return rt, module
}

func wantEcho(t testing.TB, response *InvokeResponse, payload []byte) {
	t.Helper()
	if response.StatusCode != 0 || len(response.Outputs) != 1 {
		t.Fatalf("response: %s", response.Raw)
	}
	output := response.Outputs[0]
	if output.PortID != "echo" || !bytes.Equal(output.Payload, payload) {
		t.Fatalf("echo output: port %q, %d bytes, want %d", output.PortID, len(output.Payload), len(payload))
	}
}

func TestDefaultLimits(t *testing.T) {
	limits := DefaultLimits()
	if limits.Fuel != 10_000_000_000 || limits.TimeoutMs != 30_000 || limits.MaxMemoryBytes != 256<<20 ||
		limits.MaxRequestBytes != 64<<20 || limits.MaxResponseBytes != 64<<20 {
		t.Fatalf("default limits: %+v", limits)
	}
}

func TestInvokeDirectEcho(t *testing.T) {
	wasm := echoModule(t, envEchoDirectWasm)
	_, module := loadModule(t, wasm)

	manifest, err := module.ManifestJSON()
	mustNoErr(t, err)
	if !bytes.Contains(manifest, []byte("com.digitalarsenal.examples.invoke-echo")) {
		t.Fatalf("embedded manifest: %s", manifest)
	}

	for _, size := range []int{0, 1, 2, 64 << 10} {
		payload := bytes.Repeat([]byte("hi"), size/2+1)[:size]
		response, err := module.Invoke(Direct, echoRequest(payload), nil)
		mustNoErr(t, err)
		wantEcho(t, response, payload)
	}

	// The raw-bytes path, through the JSON request form of the C examples.
	request, err := EncodeInvokeRequestJSON([]byte(`{"methodId":"echo","inputs":[{"portId":"echo","payload":[104,105]}]}`))
	mustNoErr(t, err)
	encoded, err := module.InvokeDirect(request, nil)
	mustNoErr(t, err)
	decoded, err := DecodeInvokeResponseJSON(encoded)
	mustNoErr(t, err)
	if !bytes.Contains(decoded, []byte(`"payload":[104,105]`)) {
		t.Fatalf("decoded response: %s", decoded)
	}

	// Without its required input the call is refused in the response, not as an error.
	response, err := module.Invoke(Direct, InvokeRequest{MethodID: "echo"}, nil)
	mustNoErr(t, err)
	if response.StatusCode != 400 || response.ErrorCode != "missing-required-input" {
		t.Fatalf("missing input: %s", response.Raw)
	}

	// Limits are enforced with their own codes.
	tiny := DefaultLimits()
	tiny.Fuel = 10
	_, err = module.InvokeDirect(request, &tiny)
	wantCode(t, err, CodeRuntimeFuelExhausted)
	small := DefaultLimits()
	small.MaxRequestBytes = 8
	_, err = module.InvokeDirect(request, &small)
	wantCode(t, err, CodeRuntimeRequestTooLarge)

	// The direct build has no _start: command mode is an error, not a crash.
	_, err = module.InvokeCommand(request, nil)
	wantCode(t, err, CodeRuntimeMissingExport)
	_, err = module.invoke(Mode(7), request, nil)
	wantCode(t, err, CodeInvalidArgument)
}

func TestInvokeCommandEcho(t *testing.T) {
	wasm := echoModule(t, envEchoCommandWasm)
	_, module := loadModule(t, wasm)
	for _, size := range []int{0, 3, 64 << 10} {
		payload := bytes.Repeat([]byte{0xA5}, size)
		response, err := module.Invoke(Command, echoRequest(payload), nil)
		mustNoErr(t, err)
		wantEcho(t, response, payload)
	}
	request, err := EncodeInvokeRequest(echoRequest([]byte("cmd")))
	mustNoErr(t, err)
	encoded, err := module.InvokeCommand(request, nil)
	mustNoErr(t, err)
	response, err := DecodeInvokeResponse(encoded)
	mustNoErr(t, err)
	wantEcho(t, response, []byte("cmd"))
}

// TestInvokeVectorModule: the vector module's `propagate` returns 5 without output, in both
// modes; a call without its required input is refused in the response.
func TestInvokeVectorModule(t *testing.T) {
	_, module := loadModule(t, readVector(t, "single-file-module.wasm"))
	manifest, err := module.ManifestJSON()
	mustNoErr(t, err)
	if !bytes.Contains(manifest, []byte(`"pluginId":"com.digitalarsenal.examples.single-file-vector"`)) {
		t.Fatalf("embedded manifest: %s", manifest)
	}
	omm := Frame{PortID: "request", TypeRef: &TypeRef{SchemaName: "OMM.fbs", FileIdentifier: "$OMM"}, Payload: []byte("\x08\x00\x00\x00$OMM")}
	for _, mode := range []Mode{Direct, Command} {
		response, err := module.Invoke(mode, InvokeRequest{MethodID: "propagate", Inputs: []Frame{omm}}, nil)
		mustNoErr(t, err)
		if response.StatusCode != 5 || len(response.Outputs) != 0 || response.ErrorCode != "" {
			t.Fatalf("%v: %s", mode, response.Raw)
		}
		response, err = module.Invoke(mode, InvokeRequest{MethodID: "propagate"}, nil)
		mustNoErr(t, err)
		if response.StatusCode != 400 || response.ErrorCode != "missing-required-input" {
			t.Fatalf("%v without input: %s", mode, response.Raw)
		}
		tiny := DefaultLimits()
		tiny.Fuel = 10
		_, err = module.Invoke(mode, InvokeRequest{MethodID: "propagate", Inputs: []Frame{omm}}, &tiny)
		wantCode(t, err, CodeRuntimeFuelExhausted)
	}
}

// TestOpenedArtifactInvokes: protect, verify, load and invoke: the whole pipeline.
func TestOpenedArtifactInvokes(t *testing.T) {
	wasm := echoModule(t, envEchoDirectWasm)
	trusted, err := SigningPublicKey(signingKey)
	mustNoErr(t, err)
	recipientPublic, err := X25519PublicKey(recipientKey)
	mustNoErr(t, err)
	protected, err := Protect(wasm, ProtectOptions{ManifestJSON: echoManifest(t, "direct"), SigningKey: signingKey,
		RecipientPublicKey: recipientPublic})
	mustNoErr(t, err)
	rt, err := NewRuntime()
	mustNoErr(t, err)
	defer rt.Close()
	// Fail closed: no trust, no key, the wrong key; AllowUnsigned does not excuse a trailer.
	for _, opts := range []VerifyOptions{
		{AllowUnsigned: true},
		{TrustedSigners: [][]byte{trusted}},
		{TrustedSigners: [][]byte{trusted}, DecryptionKey: wrongRecipient},
	} {
		verified, err := Verify(protected.Artifact, opts)
		if err == nil || verified != nil {
			t.Fatalf("verified with %+v", opts)
		}
	}
	_, err = Verify(protected.Artifact, VerifyOptions{AllowUnsigned: true})
	wantCode(t, err, CodeSignatureInvalid)
	verified, err := Verify(protected.Artifact, VerifyOptions{TrustedSigners: [][]byte{trusted}, DecryptionKey: recipientKey})
	mustNoErr(t, err)
	opened, err := Open(protected.Artifact, OpenOptions{TrustedSigners: [][]byte{trusted}, DecryptionKey: recipientKey})
	mustNoErr(t, err)
	plain, err := verified.Wasm()
	mustNoErr(t, err)
	if !bytes.Equal(plain, opened.Wasm) {
		t.Fatal("Verify and Open disagree on the plain wasm")
	}
	module, err := rt.Load(verified)
	mustNoErr(t, err)
	defer module.Close()
	// The module keeps what it needs.
	mustNoErr(t, verified.Close())
	response, err := module.Invoke(Direct, echoRequest([]byte("sealed")), nil)
	mustNoErr(t, err)
	wantEcho(t, response, []byte("sealed"))
}

// TestVerifyPlainWasm: plain wasm passes only with AllowUnsigned; the handle's wasm is the
// input; a closed or nil handle is refused where a Verified is taken.
func TestVerifyPlainWasm(t *testing.T) {
	wasm := readVector(t, "single-file-module.wasm")
	trusted, err := SigningPublicKey(signingKey)
	mustNoErr(t, err)
	_, err = Verify(wasm, VerifyOptions{})
	wantCode(t, err, CodeTrailerMissing)
	_, err = Verify(wasm, VerifyOptions{TrustedSigners: [][]byte{trusted}})
	wantCode(t, err, CodeTrailerMissing)
	verified, err := Verify(wasm, VerifyOptions{TrustedSigners: [][]byte{trusted}, AllowUnsigned: true})
	mustNoErr(t, err)
	plain, err := verified.Wasm()
	mustNoErr(t, err)
	if !bytes.Equal(plain, wasm) {
		t.Fatal("the verified wasm differs from the plain input")
	}
	rt, err := NewRuntime()
	mustNoErr(t, err)
	defer rt.Close()
	module, err := rt.Load(verified)
	mustNoErr(t, err)
	defer module.Close()
	manifest, err := module.ManifestJSON()
	mustNoErr(t, err)
	if !bytes.Contains(manifest, []byte(`"pluginId":"com.digitalarsenal.examples.single-file-vector"`)) {
		t.Fatalf("manifest from the bundle: %s", manifest)
	}

	mustNoErr(t, verified.Close())
	mustNoErr(t, verified.Close())
	_, err = verified.Wasm()
	wantCode(t, err, CodeInvalidArgument)
	_, err = rt.Load(verified)
	wantCode(t, err, CodeInvalidArgument)
	_, err = rt.Load(nil)
	wantCode(t, err, CodeInvalidArgument)
	var none *Verified
	_, err = none.Wasm()
	wantCode(t, err, CodeInvalidArgument)

	// A module without a manifest: ManifestJSON is nil, the guest is never run to find one.
	empty, err := rt.Load(verifyUnsigned(t, []byte("\x00asm\x01\x00\x00\x00")))
	mustNoErr(t, err)
	defer empty.Close()
	manifest, err = empty.ManifestJSON()
	mustNoErr(t, err)
	if manifest != nil {
		t.Fatalf("a module without a manifest: %s", manifest)
	}
}

// TestVerifyFlags: the flags are the library's to judge; an unknown bit is refused there.
func TestVerifyFlags(t *testing.T) {
	wasm := readVector(t, "single-file-module.wasm")
	for _, flags := range []uint32{2, 0x80000001, ^uint32(0)} {
		_, err := verify(wasm, nil, nil, flags)
		wantCode(t, err, CodeInvalidArgument)
	}
	verified, err := verify(wasm, nil, nil, 1)
	mustNoErr(t, err)
	mustNoErr(t, verified.Close())
}

func TestCloseIsIdempotentAndFailsLaterCalls(t *testing.T) {
	for _, tm := range modules(t) {
		t.Run(tm.name, func(t *testing.T) {
			rt, err := NewRuntime()
			mustNoErr(t, err)
			verified := verifyUnsigned(t, tm.wasm)
			module, err := rt.Load(verified)
			mustNoErr(t, err)
			// The module keeps its runtime alive in the library.
			mustNoErr(t, rt.Close())
			mustNoErr(t, rt.Close())
			response, err := module.Invoke(Direct, tm.request([]byte("x")), nil)
			mustNoErr(t, err)
			mustNoErr(t, tm.check(response, []byte("x")))
			_, err = rt.Load(verified)
			wantCode(t, err, CodeInvalidArgument)

			mustNoErr(t, module.Close())
			mustNoErr(t, module.Close())
			_, err = module.Invoke(Direct, tm.request([]byte("x")), nil)
			wantCode(t, err, CodeInvalidArgument)
			_, err = module.ManifestJSON()
			wantCode(t, err, CodeInvalidArgument)
		})
	}
}

func TestLoadRejectsBadModules(t *testing.T) {
	rt, err := NewRuntime()
	mustNoErr(t, err)
	defer rt.Close()
	_, err = rt.Load(nil)
	wantCode(t, err, CodeInvalidArgument)
	// Garbage never becomes a Verified, so it never reaches the runtime.
	_, err = Verify(nil, VerifyOptions{AllowUnsigned: true})
	wantCode(t, err, CodeInvalidArgument)
	verified, err := Verify([]byte("not wasm at all"), VerifyOptions{AllowUnsigned: true})
	if err == nil || verified != nil || ErrorCode(err) == 0 {
		t.Fatalf("garbage verified: %v", err)
	}
	t.Logf("garbage: %v", err)
}

// TestConcurrentUse shares one runtime and one module between 8 goroutines (the C ABI's
// documented contract), in both modes where the module has them, loads from the shared
// runtime concurrently, and closes the handles while other goroutines race to close them too.
func TestConcurrentUse(t *testing.T) {
	for _, tm := range modules(t) {
		t.Run(tm.name, func(t *testing.T) {
			rt, err := NewRuntime()
			mustNoErr(t, err)
			verified := verifyUnsigned(t, tm.wasm)
			module, err := rt.Load(verified)
			mustNoErr(t, err)
			modes := []Mode{Direct}
			if tm.name == "vector" {
				modes = append(modes, Command) // the vector module has both surfaces
			}

			const goroutines, calls = 8, 6
			var wg sync.WaitGroup
			errs := make(chan error, goroutines*calls*2+goroutines)
			for g := 0; g < goroutines; g++ {
				wg.Add(1)
				go func(g int) {
					defer wg.Done()
					for i := 0; i < calls; i++ {
						mode := modes[i%len(modes)]
						payload := []byte(fmt.Sprintf("goroutine %d call %d", g, i))
						response, err := module.Invoke(mode, tm.request(payload), nil)
						if err != nil {
							errs <- err
						} else if err := tm.check(response, payload); err != nil {
							errs <- fmt.Errorf("goroutine %d call %d (%v): %w", g, i, mode, err)
						}
						// Failures are per call too: each goroutine sees its own error.
						tiny := DefaultLimits()
						tiny.Fuel = 10
						if _, err := module.Invoke(mode, tm.request(payload), &tiny); !IsCode(err, CodeRuntimeFuelExhausted) {
							errs <- fmt.Errorf("goroutine %d: want fuel exhausted, got %v", g, err)
						}
					}
					// The shared Verified from every goroutine, and one verified here.
					own, err := Verify(tm.wasm, VerifyOptions{AllowUnsigned: true})
					if err != nil {
						errs <- err
						return
					}
					defer own.Close()
					if g%2 == 0 {
						own = verified
					}
					loaded, err := rt.Load(own)
					if err != nil {
						errs <- err
						return
					}
					defer loaded.Close()
					payload := []byte{byte(g)}
					response, err := loaded.Invoke(Direct, tm.request(payload), nil)
					if err == nil {
						err = tm.check(response, payload)
					}
					if err != nil {
						errs <- err
					}
				}(g)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}

			var closers sync.WaitGroup
			for i := 0; i < 4; i++ {
				closers.Add(1)
				go func() {
					defer closers.Done()
					module.Close()
					rt.Close()
				}()
			}
			closers.Wait()
		})
	}
}

// TestCloseWaitsForCallsInFlight: Close while invocations run; every invocation either
// succeeds or reports the closed module, never a crash.
func TestCloseWaitsForCallsInFlight(t *testing.T) {
	for _, tm := range modules(t) {
		t.Run(tm.name, func(t *testing.T) {
			_, module := loadModule(t, tm.wasm)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for g := 0; g < 8; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					for i := 0; i < 5; i++ {
						response, err := module.Invoke(Direct, tm.request([]byte("race")), nil)
						if err == nil {
							err = tm.check(response, []byte("race"))
						}
						if err != nil && !IsCode(err, CodeInvalidArgument) {
							t.Errorf("invoke during close: %v", err)
						}
					}
				}()
			}
			close(start)
			module.Close()
			wg.Wait()
		})
	}
}

// TestFinalizerFreesForgottenHandles: handles dropped without Close are freed by the
// finalizer safety net once they are garbage.
func TestFinalizerFreesForgottenHandles(t *testing.T) {
	wasm := readVector(t, "single-file-module.wasm")
	before := handlesFreed.Load()
	const forgotten = 4
	for i := 0; i < forgotten; i++ {
		rt, err := NewRuntime()
		mustNoErr(t, err)
		verified, err := Verify(wasm, VerifyOptions{AllowUnsigned: true})
		mustNoErr(t, err)
		_, err = rt.Load(verified)
		mustNoErr(t, err)
	}
	// Per round: a runtime, a verified module and a module.
	for attempt := 0; attempt < 50 && handlesFreed.Load()-before < 3*forgotten; attempt++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if freed := handlesFreed.Load() - before; freed < 3*forgotten {
		t.Fatalf("finalizers freed %d of %d forgotten handles", freed, 3*forgotten)
	}
	// A closed handle's finalizer is cleared: closing frees exactly once.
	rt, err := NewRuntime()
	mustNoErr(t, err)
	before = handlesFreed.Load()
	rt.Close()
	rt.Close()
	if freed := handlesFreed.Load() - before; freed != 1 {
		t.Fatalf("Close twice freed %d times", freed)
	}
}
