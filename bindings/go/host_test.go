package sdm

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// envHostProxyWasm names the compiled examples/host-proxy guest (`make test-go` compiles it).
const envHostProxyWasm = "SDM_GO_HOST_PROXY_WASM"

func newHost(t *testing.T, policy string) *Host {
	t.Helper()
	host, err := NewHost([]byte(policy))
	mustNoErr(t, err)
	t.Cleanup(func() { host.Close() })
	return host
}

func policyJSON(t *testing.T, root string, grants ...string) string {
	t.Helper()
	policy := map[string]any{"grant": append([]string{}, grants...)} // [] rather than null
	if root != "" {
		policy["filesystemRoot"] = root
	}
	text, err := json.Marshal(policy)
	mustNoErr(t, err)
	return string(text)
}

func TestHostInvoke(t *testing.T) {
	host := newHost(t, policyJSON(t, "", "clock"))
	before := time.Now().UnixMilli()
	result, err := host.Invoke("clock.now", nil)
	mustNoErr(t, err)
	now, err := strconv.ParseInt(string(result), 10, 64)
	if err != nil || now < before-1000 || now > time.Now().UnixMilli()+1000 {
		t.Fatalf("clock.now: %s", result)
	}
	// host.* needs no grant; the granted list is the policy's.
	result, err = host.Invoke("host.listCapabilities", []byte("null"))
	mustNoErr(t, err)
	if string(result) != `["clock"]` {
		t.Fatalf("host.listCapabilities: %s", result)
	}

	// Not granted: 800, checked before the parameters are read.
	_, err = host.Invoke("random.bytes", []byte(`{"length":4}`))
	wantCode(t, err, CodeHostCapabilityDenied)
	_, err = host.Invoke("filesystem.writeFile", []byte(`{"path":"x","value":"y"}`))
	wantCode(t, err, CodeHostCapabilityDenied)
	_, err = host.Invoke("nope.op", nil)
	wantCode(t, err, CodeHostOperationUnknown)
	_, err = host.Invoke("clock.now", []byte("{bad"))
	wantCode(t, err, CodeInvalidJSON)
	_, err = host.Invoke("", nil)
	wantCode(t, err, CodeInvalidArgument)
	_, err = host.Invoke("\xff\xfe", nil)
	wantCode(t, err, CodeInvalidArgument)

	// Shared by several goroutines.
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if _, err := host.Invoke("clock.nowIso", nil); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	host.Close()
	host.Close()
	_, err = host.Invoke("clock.now", nil)
	wantCode(t, err, CodeInvalidArgument)
}

func TestNewHostRejectsBadPolicies(t *testing.T) {
	for _, tc := range []struct {
		policy string
		code   int
	}{
		{`{"grnat":["clock"]}`, CodeInvalidArgument}, // unknown member: a typo never grants silently
		{`{`, CodeInvalidJSON},
		{`not JSON`, CodeInvalidJSON},
		{"", CodeInvalidArgument},
	} {
		host, err := NewHost([]byte(tc.policy))
		if host != nil {
			t.Fatalf("policy %q gave a host", tc.policy)
		}
		wantCode(t, err, tc.code)
	}
	// "{}" grants nothing.
	host := newHost(t, `{}`)
	_, err := host.Invoke("clock.now", nil)
	wantCode(t, err, CodeHostCapabilityDenied)
}

// hostProxyWasm reads the compiled examples/host-proxy guest, or skips saying why.
func hostProxyWasm(t *testing.T) []byte {
	t.Helper()
	path := os.Getenv(envHostProxyWasm)
	if path == "" {
		t.Skipf("%s not set (compile examples/host-proxy with the CLI and --allow-undefined-imports; `make test-go` does it)", envHostProxyWasm)
	}
	wasm, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("%s=%s cannot be read: %v", envHostProxyWasm, path, err)
	}
	return wasm
}

// hostProxy loads the compiled examples/host-proxy guest, or skips saying why.
func hostProxy(t *testing.T) *Module {
	t.Helper()
	_, module := loadModule(t, hostProxyWasm(t))
	return module
}

// proxyCall asks the host-proxy guest to make one sdn_host call and returns the response
// status (the hostcall status: 0 ok, 1 error) and the envelope it read back.
func proxyCall(t *testing.T, module *Module, host *Host, operation, params string) (int32, map[string]any) {
	t.Helper()
	response, err := module.InvokeHostedRequest(host, Direct, InvokeRequest{MethodID: "call",
		Inputs: []Frame{{PortID: "request", Payload: []byte(operation + "\n" + params)}}}, nil)
	mustNoErr(t, err)
	if len(response.Outputs) != 1 || response.Outputs[0].PortID != "envelope" {
		t.Fatalf("%s: response %s", operation, response.Raw)
	}
	var envelope map[string]any
	if err := json.Unmarshal(response.Outputs[0].Payload, &envelope); err != nil {
		t.Fatalf("%s: envelope %q: %v", operation, response.Outputs[0].Payload, err)
	}
	return response.StatusCode, envelope
}

func TestInvokeHostedHostProxy(t *testing.T) {
	module := hostProxy(t)
	root := t.TempDir()
	host := newHost(t, policyJSON(t, root, "clock", "filesystem"))

	status, envelope := proxyCall(t, module, host, "clock.now", "")
	if status != 0 || envelope["ok"] != true {
		t.Fatalf("clock.now: %d %v", status, envelope)
	}

	// Granted by the policy and declared by the manifest: the file lands in the root.
	status, envelope = proxyCall(t, module, host, "filesystem.writeFile", `{"path":"from-go/hello.txt","value":"hi from Go"}`)
	if status != 0 || envelope["ok"] != true {
		t.Fatalf("writeFile: %d %v", status, envelope)
	}
	written, err := os.ReadFile(filepath.Join(root, "from-go", "hello.txt"))
	mustNoErr(t, err)
	if string(written) != "hi from Go" {
		t.Fatalf("written: %q", written)
	}
	// Out of the root: refused.
	status, envelope = proxyCall(t, module, host, "filesystem.writeFile", `{"path":"../escape.txt","value":"no"}`)
	if status != 1 || envelope["ok"] != false {
		t.Fatalf("escape: %d %v", status, envelope)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(root), "escape.txt")); err == nil {
		t.Fatal("a write escaped the root")
	}

	// random: declared by the manifest, not granted by the policy.
	status, envelope = proxyCall(t, module, host, "random.bytes", `{"length":4}`)
	wantDenied(t, status, envelope, "random.bytes")

	// A host that grants nothing: the write is denied and creates nothing.
	emptyRoot := t.TempDir()
	empty := newHost(t, policyJSON(t, emptyRoot))
	status, envelope = proxyCall(t, module, empty, "filesystem.writeFile", `{"path":"denied.txt","value":"no"}`)
	wantDenied(t, status, envelope, "filesystem.writeFile")
	entries, err := os.ReadDir(emptyRoot)
	mustNoErr(t, err)
	if len(entries) != 0 {
		t.Fatalf("a denied write created %v", entries)
	}

	// Several goroutines share the module and the host.
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			request, err := EncodeInvokeRequest(InvokeRequest{MethodID: "call", Inputs: []Frame{{PortID: "request",
				Payload: []byte(fmt.Sprintf("filesystem.writeFile\n{\"path\":\"many/%d.txt\",\"value\":\"%d\"}", i, i))}}})
			if err == nil {
				_, err = module.InvokeHosted(host, Direct, request, nil)
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	entries, err = os.ReadDir(filepath.Join(root, "many"))
	mustNoErr(t, err)
	if len(entries) != 4 {
		t.Fatalf("concurrent writes: %v", entries)
	}

	// Argument errors.
	_, err = module.InvokeHosted(nil, Direct, []byte("x"), nil)
	wantCode(t, err, CodeInvalidArgument)
	_, err = module.InvokeHosted(host, Direct, nil, nil)
	wantCode(t, err, CodeInvalidArgument)
	_, err = module.InvokeHosted(host, Mode(7), []byte("x"), nil)
	wantCode(t, err, CodeInvalidArgument)
	closed := newHost(t, `{}`)
	closed.Close()
	_, err = module.InvokeHosted(closed, Direct, []byte("x"), nil)
	wantCode(t, err, CodeInvalidArgument)
}

func wantDenied(t *testing.T, status int32, envelope map[string]any, operation string) {
	t.Helper()
	failure, _ := envelope["error"].(map[string]any)
	// sdmCode is the stable code's name today ("host-capability-denied"); docs/host.md calls
	// it the stable core code, so its number is accepted too.
	sdmCode := failure["sdmCode"]
	stable := sdmCode == CodeName(CodeHostCapabilityDenied) || sdmCode == float64(CodeHostCapabilityDenied)
	if status != 1 || envelope["ok"] != false || failure == nil || failure["code"] != "host-capability-denied" || !stable {
		t.Fatalf("%s: want host-capability-denied, got %d %v", operation, status, envelope)
	}
}
