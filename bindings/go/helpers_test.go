package sdm

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Inputs of the tests. The vector module is in the repository; the echo modules are compiled
// by `make test-go` (the CLI's `compile` verb) and passed through these variables.
const (
	vectorDir          = "../../vectors/single-file-bundle"
	envEchoDirectWasm  = "SDM_GO_ECHO_DIRECT_WASM"
	envEchoCommandWasm = "SDM_GO_ECHO_COMMAND_WASM"
)

// Fixed test keys (the same as examples/c/example.c).
var (
	signingKey      = seq(1, 32)
	otherSigningKey = bytes.Repeat([]byte{9}, 32)
	recipientKey    = append([]byte{0x40}, seq(41, 31)...)
	wrongRecipient  = append([]byte{0x50}, bytes.Repeat([]byte{1}, 31)...)
)

func seq(start byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = start + byte(i)
	}
	return out
}

func TestMain(m *testing.M) {
	for _, name := range []string{envEchoDirectWasm, envEchoCommandWasm, envHostProxyWasm, envProgramWasm} {
		if os.Getenv(name) == "" {
			fmt.Fprintf(os.Stderr, "sdm tests: %s is not set; the tests that need it will be skipped (run `make test-go`)\n", name)
		}
	}
	os.Exit(m.Run())
}

func readVector(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorDir, name))
	if err != nil {
		t.Fatalf("read vector %s: %v", name, err)
	}
	return data
}

// echoModule reads the echo module named by env, or skips the test saying why.
func echoModule(t testing.TB, env string) []byte {
	t.Helper()
	path := os.Getenv(env)
	if path == "" {
		t.Skipf("%s not set (compile examples/invoke-echo with the CLI; `make test-go` does it)", env)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("%s=%s cannot be read: %v", env, path, err)
	}
	return data
}

func echoManifest(t testing.TB, surface string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../../examples/invoke-echo", "manifest."+surface+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// testModule is a module the table-driven tests run on.
type testModule struct {
	name     string
	wasm     []byte
	manifest []byte
	pluginID string
	// request builds a call of the module's method carrying payload; check verifies the
	// module's answer to it.
	request func(payload []byte) InvokeRequest
	check   func(response *InvokeResponse, payload []byte) error
}

// The vector module's `propagate` returns 5 and writes nothing.
func propagateRequest(payload []byte) InvokeRequest {
	return InvokeRequest{MethodID: "propagate", Inputs: []Frame{{PortID: "request",
		TypeRef: &TypeRef{SchemaName: "OMM.fbs", FileIdentifier: "$OMM"}, Payload: payload}}}
}

func checkPropagate(response *InvokeResponse, _ []byte) error {
	if response.StatusCode != 5 || len(response.Outputs) != 0 {
		return fmt.Errorf("propagate: %s", response.Raw)
	}
	return nil
}

func checkEcho(response *InvokeResponse, payload []byte) error {
	if response.StatusCode != 0 || len(response.Outputs) != 1 || !bytes.Equal(response.Outputs[0].Payload, payload) {
		return fmt.Errorf("echo of %d bytes: %s", len(payload), response.Raw)
	}
	return nil
}

// modules are the vector module and, when compiled, the direct echo module.
func modules(t *testing.T) []testModule {
	t.Helper()
	list := []testModule{{
		name:     "vector",
		wasm:     readVector(t, "single-file-module.wasm"),
		manifest: readVector(t, "manifest.json"),
		pluginID: "com.digitalarsenal.examples.single-file-vector",
		request:  propagateRequest,
		check:    checkPropagate,
	}}
	if path := os.Getenv(envEchoDirectWasm); path != "" {
		wasm, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s=%s: %v", envEchoDirectWasm, path, err)
		}
		list = append(list, testModule{
			name:     "echo",
			wasm:     wasm,
			manifest: echoManifest(t, "direct"),
			pluginID: "com.digitalarsenal.examples.invoke-echo",
			request:  echoRequest,
			check:    checkEcho,
		})
	} else {
		t.Logf("echo module skipped: %s not set", envEchoDirectWasm)
	}
	return list
}

// wantCode fails unless err is an *Error with the given code, a name and a message.
func wantCode(t testing.TB, err error, code int) {
	t.Helper()
	var sdmErr *Error
	if !errors.As(err, &sdmErr) {
		t.Fatalf("want *sdm.Error with code %d (%s), got %v", code, CodeName(code), err)
	}
	if sdmErr.Code != code {
		t.Fatalf("want code %d (%s), got %d (%s): %s", code, CodeName(code), sdmErr.Code, sdmErr.Name, sdmErr.Message)
	}
	if sdmErr.Name != CodeName(code) || sdmErr.Message == "" {
		t.Fatalf("error without name or message: %#v", sdmErr)
	}
}

func mustNoErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func hexString(b []byte) string { return hex.EncodeToString(b) }

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	mustNoErr(t, err)
	return b
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
