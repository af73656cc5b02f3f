package sdm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

func newTestRuntimeHost(t *testing.T) *RuntimeHost {
	t.Helper()
	host, err := NewRuntimeHost()
	mustNoErr(t, err)
	t.Cleanup(func() { host.Close() })
	return host
}

func TestRuntimeHostRows(t *testing.T) {
	host := newTestRuntimeHost(t)
	first, err := host.AppendRow("OMM", []byte(`{"n":1}`))
	mustNoErr(t, err)
	second, err := host.AppendRow(" OMM ", []byte(`[2]`)) // the schema id is trimmed
	mustNoErr(t, err)
	other, err := host.AppendRow("CAT", []byte(`"x"`))
	mustNoErr(t, err)
	if first != 1 || second != 2 || other != 1 {
		t.Fatalf("row ids: %d %d %d (per schema, from 1)", first, second, other)
	}

	row, err := host.ResolveRow("OMM", 2)
	mustNoErr(t, err)
	if row == nil || row.SchemaFileID != "OMM" || row.RowID != 2 || string(row.Payload) != `[2]` {
		t.Fatalf("resolve: %+v", row)
	}
	row, err = host.ResolveRow("OMM", 99)
	mustNoErr(t, err)
	if row != nil {
		t.Fatalf("absent row resolved: %+v", row)
	}
	_, err = host.ResolveRow("OMM", 0)
	wantCode(t, err, CodeRuntimeHostInvalidRowID)

	all, err := host.ListRows("")
	mustNoErr(t, err)
	if len(all) != 3 || all[0].RowID != 1 || all[1].RowID != 2 || all[2].SchemaFileID != "CAT" {
		t.Fatalf("all rows (insertion order): %+v", all)
	}
	omm, err := host.ListRows("OMM")
	mustNoErr(t, err)
	if len(omm) != 2 {
		t.Fatalf("OMM rows: %+v", omm)
	}

	_, err = host.AppendRow("", []byte(`1`))
	wantCode(t, err, CodeInvalidArgument)
	_, err = host.AppendRow("   ", []byte(`1`))
	wantCode(t, err, CodeRuntimeHostInvalidSchemaID)
	_, err = host.AppendRow("OMM", []byte(`{bad`))
	wantCode(t, err, CodeInvalidJSON)
	// A failed append does not consume an id.
	next, err := host.AppendRow("OMM", []byte(`3`))
	mustNoErr(t, err)
	if next != 3 {
		t.Fatalf("next id after failed appends: %d", next)
	}
}

func TestRuntimeHostDurableRowsSurviveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rows.sqlite")
	host, err := OpenRuntimeHost(path)
	mustNoErr(t, err)
	for i := 1; i <= 3; i++ {
		id, err := host.AppendRow("OMM", []byte(fmt.Sprintf(`{"i":%d}`, i)))
		mustNoErr(t, err)
		if id != uint64(i) {
			t.Fatalf("append %d: id %d", i, id)
		}
	}
	mustNoErr(t, host.Close())

	reopened, err := OpenRuntimeHost(path)
	mustNoErr(t, err)
	defer reopened.Close()
	row, err := reopened.ResolveRow("OMM", 2)
	mustNoErr(t, err)
	if row == nil || string(row.Payload) != `{"i":2}` {
		t.Fatalf("row 2 after reopen: %+v", row)
	}
	id, err := reopened.AppendRow("OMM", []byte(`{"i":4}`))
	mustNoErr(t, err)
	if id != 4 {
		t.Fatalf("id after reopen: %d, want 4 (ids are never reused)", id)
	}
	rows, err := reopened.ListRows("OMM")
	mustNoErr(t, err)
	if len(rows) != 4 {
		t.Fatalf("rows after reopen: %+v", rows)
	}

	_, err = OpenRuntimeHost("")
	wantCode(t, err, CodeInvalidArgument)
	_, err = OpenRuntimeHost(filepath.Join(t.TempDir(), "missing-dir", "x", "rows.sqlite"))
	if ErrorCode(err) == 0 {
		t.Fatalf("a path in a missing directory: %v", err)
	}
}

func TestRuntimeHostConcurrentAppends(t *testing.T) {
	for _, durable := range []bool{false, true} {
		t.Run(fmt.Sprintf("durable=%v", durable), func(t *testing.T) {
			var host *RuntimeHost
			var err error
			if durable {
				host, err = OpenRuntimeHost(filepath.Join(t.TempDir(), "rows.sqlite"))
			} else {
				host, err = NewRuntimeHost()
			}
			mustNoErr(t, err)
			defer host.Close()

			const goroutines, each = 8, 25
			ids := make(chan uint64, goroutines*each)
			var wg sync.WaitGroup
			for g := range goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range each {
						id, err := host.AppendRow("OMM", []byte(fmt.Sprintf(`{"g":%d,"i":%d}`, g, i)))
						if err != nil {
							t.Error(err)
							return
						}
						ids <- id
					}
				}()
			}
			wg.Wait()
			close(ids)
			seen := map[uint64]bool{}
			for id := range ids {
				if seen[id] {
					t.Fatalf("row id %d given twice", id)
				}
				seen[id] = true
			}
			for id := uint64(1); id <= goroutines*each; id++ {
				if !seen[id] {
					t.Fatalf("row id %d missing: ids are not 1..%d", id, goroutines*each)
				}
			}
		})
	}
}

func TestRuntimeHostRegions(t *testing.T) {
	host := newTestRuntimeHost(t)
	// 10 bytes in records of 4: the last record is zero-padded.
	id, err := host.AllocateRegion("layout.v1", 4, 8, []byte("abcdefghij"))
	mustNoErr(t, err)
	region, err := host.DescribeRegion(id)
	mustNoErr(t, err)
	if region == nil || region.RegionID != id || region.LayoutID != "layout.v1" || region.RecordByteLength != 4 ||
		region.Alignment != 8 || region.RecordCount != 3 || region.External {
		t.Fatalf("region: %+v", region)
	}
	for index, want := range [][]byte{[]byte("abcd"), []byte("efgh"), {'i', 'j', 0, 0}} {
		record, err := host.ResolveRecord(id, uint64(index))
		mustNoErr(t, err)
		if !bytes.Equal(record, want) {
			t.Fatalf("record %d: %q, want %q", index, record, want)
		}
	}
	_, err = host.ResolveRecord(id, 3)
	wantCode(t, err, CodeRuntimeHostNotFound)

	mustNoErr(t, host.SetRegionRecordCount(id, 5))
	record, err := host.ResolveRecord(id, 4)
	mustNoErr(t, err)
	if !bytes.Equal(record, make([]byte, 4)) {
		t.Fatalf("grown record: %q", record)
	}
	mustNoErr(t, host.SetRegionRecordCount(id, 1))
	_, err = host.ResolveRecord(id, 1)
	wantCode(t, err, CodeRuntimeHostNotFound)

	missing, err := host.DescribeRegion(id + 1000)
	mustNoErr(t, err)
	if missing != nil {
		t.Fatalf("unknown region described: %+v", missing)
	}
	wantCode(t, host.SetRegionRecordCount(id+1000, 1), CodeRuntimeHostNotFound)
	_, err = host.AllocateRegion("layout.v1", 4, 3, nil)
	wantCode(t, err, CodeRuntimeHostInvalidAlignment)
	_, err = host.AllocateRegion("layout.v1", 0, 8, nil)
	if ErrorCode(err) == 0 {
		t.Fatal("a zero record length was accepted")
	}
	_, err = host.AllocateRegion("layout.v1", -1, 8, nil)
	wantCode(t, err, CodeInvalidArgument)
	empty, err := host.AllocateRegion("layout.v1", 16, 16, nil)
	mustNoErr(t, err)
	region, err = host.DescribeRegion(empty)
	mustNoErr(t, err)
	if region == nil || region.RecordCount != 0 || empty == id {
		t.Fatalf("empty region: %+v", region)
	}
}

func TestRuntimeHostModules(t *testing.T) {
	wasm := echoModule(t, envEchoDirectWasm)
	verified := verifyUnsigned(t, wasm)
	host := newTestRuntimeHost(t)

	installed, err := host.InstallModule("echo", verified, []byte(`{"owner":"go"}`), false)
	mustNoErr(t, err)
	if installed.Module.ModuleID != "echo" || installed.Module.ModuleHashHex != sha256Hex(wasm) ||
		installed.Module.ByteLength != uint64(len(wasm)) || installed.Module.Loaded ||
		string(installed.Module.Metadata) != `{"owner":"go"}` || installed.Previous != nil {
		t.Fatalf("install: %+v", installed)
	}
	_, err = host.InstallModule("echo", verified, nil, false)
	wantCode(t, err, CodeRuntimeHostModuleExists)
	_, err = host.InstallModule("other", verified, nil, true)
	wantCode(t, err, CodeRuntimeHostModuleUnknown)

	request, err := EncodeInvokeRequest(echoRequest([]byte("hi")))
	mustNoErr(t, err)
	_, err = host.Invoke("echo", request)
	wantCode(t, err, CodeRuntimeHostModuleNotLoaded)

	mustNoErr(t, host.LoadModule("echo"))
	response, err := host.InvokeRequest("echo", echoRequest([]byte("hi")))
	mustNoErr(t, err)
	wantEcho(t, response, []byte("hi"))
	encoded, err := host.Invoke("echo", request)
	mustNoErr(t, err)
	response, err = DecodeInvokeResponse(encoded)
	mustNoErr(t, err)
	wantEcho(t, response, []byte("hi"))

	modules, err := host.ListModules()
	mustNoErr(t, err)
	if len(modules) != 1 || !modules[0].Loaded || modules[0].ModuleID != "echo" {
		t.Fatalf("modules: %+v", modules)
	}

	wasLoaded, err := host.UnloadModule("echo")
	mustNoErr(t, err)
	if !wasLoaded {
		t.Fatal("unload: the module was loaded")
	}
	wasLoaded, err = host.UnloadModule("echo")
	mustNoErr(t, err)
	if wasLoaded {
		t.Fatal("second unload: the module was not loaded any more")
	}
	_, err = host.Invoke("echo", request)
	wantCode(t, err, CodeRuntimeHostModuleNotLoaded)

	// Replacing keeps the id, bumps the version, and needs a new load.
	replaced, err := host.InstallModule("echo", verified, nil, true)
	mustNoErr(t, err)
	if replaced.Previous == nil || replaced.Module.Version <= replaced.Previous.Version || replaced.Module.Loaded {
		t.Fatalf("replace: %+v", replaced)
	}
	wantCode(t, host.LoadModule("nope"), CodeRuntimeHostModuleUnknown)
	_, err = host.Invoke("nope", request)
	wantCode(t, err, CodeRuntimeHostModuleUnknown)
	// Only a Verified installs: nil and closed handles are refused, and nothing is installed.
	_, err = host.InstallModule("bad", nil, nil, false)
	wantCode(t, err, CodeInvalidArgument)
	closed := verifyUnsigned(t, wasm)
	mustNoErr(t, closed.Close())
	_, err = host.InstallModule("bad", closed, nil, false)
	wantCode(t, err, CodeInvalidArgument)
	modules, err = host.ListModules()
	mustNoErr(t, err)
	if len(modules) != 1 {
		t.Fatalf("modules after refused installs: %+v", modules)
	}
}

// registryProxyCall installs and loads the host-proxy guest as a registry module of host and
// asks it for one sdn_host call through RuntimeHost.InvokeRequest; it returns the response
// status (the hostcall status) and the envelope the guest read back.
func registryProxyCall(t *testing.T, host *RuntimeHost, operation, params string) (int32, map[string]any) {
	t.Helper()
	response, err := host.InvokeRequest("proxy", InvokeRequest{MethodID: "call",
		Inputs: []Frame{{PortID: "request", Payload: []byte(operation + "\n" + params)}}})
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

// TestRuntimeHostWithPolicyGrantsRegistryModules: a registry module's hostcall runs when the
// runtime host's policy grants it (and the verified manifest declares it), and is denied
// without the grant: under a policy granting nothing, and on a host without a policy.
func TestRuntimeHostWithPolicyGrantsRegistryModules(t *testing.T) {
	verified := verifyUnsigned(t, hostProxyWasm(t))
	root := t.TempDir()
	granted, err := NewRuntimeHostWithPolicy("", []byte(policyJSON(t, root, "clock", "filesystem")))
	mustNoErr(t, err)
	defer granted.Close()
	ungranted, err := NewRuntimeHostWithPolicy("", []byte(`{}`))
	mustNoErr(t, err)
	defer ungranted.Close()
	plain := newTestRuntimeHost(t)
	for _, host := range []*RuntimeHost{granted, ungranted, plain} {
		_, err := host.InstallModule("proxy", verified, nil, false)
		mustNoErr(t, err)
		mustNoErr(t, host.LoadModule("proxy"))
	}
	// The handle may go once installed.
	mustNoErr(t, verified.Close())

	status, envelope := registryProxyCall(t, granted, "clock.now", "")
	if status != 0 || envelope["ok"] != true {
		t.Fatalf("granted clock.now: %d %v", status, envelope)
	}
	status, envelope = registryProxyCall(t, granted, "filesystem.writeFile", `{"path":"registry/go.txt","value":"from the registry"}`)
	if status != 0 || envelope["ok"] != true {
		t.Fatalf("granted writeFile: %d %v", status, envelope)
	}
	written, err := os.ReadFile(filepath.Join(root, "registry", "go.txt"))
	mustNoErr(t, err)
	if string(written) != "from the registry" {
		t.Fatalf("written: %q", written)
	}
	// Declared by the manifest, not granted by the policy.
	status, envelope = registryProxyCall(t, granted, "random.bytes", `{"length":4}`)
	wantDenied(t, status, envelope, "random.bytes")

	for name, host := range map[string]*RuntimeHost{"policy {}": ungranted, "no policy": plain} {
		status, envelope = registryProxyCall(t, host, "clock.now", "")
		wantDenied(t, status, envelope, name+": clock.now")
		status, envelope = registryProxyCall(t, host, "filesystem.writeFile", `{"path":"registry/denied.txt","value":"no"}`)
		wantDenied(t, status, envelope, name+": filesystem.writeFile")
	}
	if _, err := os.Stat(filepath.Join(root, "registry", "denied.txt")); err == nil {
		t.Fatal("a denied write created a file")
	}
}

func TestNewRuntimeHostWithPolicy(t *testing.T) {
	// Durable rows under a policy survive a reopen, as with OpenRuntimeHost.
	path := filepath.Join(t.TempDir(), "rows.sqlite")
	host, err := NewRuntimeHostWithPolicy(path, []byte(`{"grant":["clock"]}`))
	mustNoErr(t, err)
	id, err := host.AppendRow("OMM", []byte(`{"i":1}`))
	mustNoErr(t, err)
	mustNoErr(t, host.Close())
	reopened, err := OpenRuntimeHost(path)
	mustNoErr(t, err)
	defer reopened.Close()
	row, err := reopened.ResolveRow("OMM", id)
	mustNoErr(t, err)
	if row == nil || string(row.Payload) != `{"i":1}` {
		t.Fatalf("row after reopen: %+v", row)
	}

	for _, tc := range []struct {
		path, policy string
		code         int
	}{
		{"", ``, CodeInvalidArgument},
		{"", `{`, CodeInvalidJSON},
		{"", `{"grnat":["clock"]}`, CodeInvalidArgument}, // a typo never grants silently
		{"", "\xff\xfe", CodeInvalidArgument},
		{"\xff\xfe", `{}`, CodeInvalidArgument},
		{filepath.Join(t.TempDir(), "missing", "x", "rows.sqlite"), `{}`, CodeRuntimeHostStoreFailed},
	} {
		host, err := NewRuntimeHostWithPolicy(tc.path, []byte(tc.policy))
		if host != nil {
			t.Fatalf("path %q policy %q gave a host", tc.path, tc.policy)
		}
		wantCode(t, err, tc.code)
	}
}

func TestRuntimeHostCloseIsIdempotent(t *testing.T) {
	host, err := NewRuntimeHost()
	mustNoErr(t, err)
	mustNoErr(t, host.Close())
	mustNoErr(t, host.Close())
	_, err = host.AppendRow("OMM", []byte(`1`))
	wantCode(t, err, CodeInvalidArgument)
	_, err = host.ListModules()
	wantCode(t, err, CodeInvalidArgument)
	wantCode(t, host.LoadModule("echo"), CodeInvalidArgument)
}

// TestRuntimeHostCloseWaitsForCallsInFlight: Close while appends and hosted calls run; each
// either succeeds or reports the closed handle, never a crash.
func TestRuntimeHostCloseWaitsForCallsInFlight(t *testing.T) {
	runtimeHost, err := NewRuntimeHost()
	mustNoErr(t, err)
	host, err := NewHost([]byte(`{"grant":["clock"]}`))
	mustNoErr(t, err)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := 0; i < 20; i++ {
				_, rowErr := runtimeHost.AppendRow("OMM", []byte(`{}`))
				_, hostErr := host.Invoke("clock.now", nil)
				for _, err := range []error{rowErr, hostErr} {
					if err != nil && !IsCode(err, CodeInvalidArgument) {
						t.Errorf("call during close: %v", err)
					}
				}
			}
		}()
	}
	close(start)
	runtimeHost.Close()
	host.Close()
	wg.Wait()
}

// TestFinalizerFreesForgottenHostHandles: Host and RuntimeHost handles dropped without Close
// are freed by the finalizer; Close frees exactly once.
func TestFinalizerFreesForgottenHostHandles(t *testing.T) {
	before := handlesFreed.Load()
	const forgotten = 4
	for i := 0; i < forgotten; i++ {
		_, err := NewHost([]byte(`{}`))
		mustNoErr(t, err)
		_, err = NewRuntimeHost()
		mustNoErr(t, err)
		_, err = NewRuntimeHostWithPolicy("", []byte(`{}`))
		mustNoErr(t, err)
	}
	for attempt := 0; attempt < 50 && handlesFreed.Load()-before < 3*forgotten; attempt++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if freed := handlesFreed.Load() - before; freed < 3*forgotten {
		t.Fatalf("finalizers freed %d of %d forgotten handles", freed, 3*forgotten)
	}
	host, err := NewHost([]byte(`{}`))
	mustNoErr(t, err)
	runtimeHost, err := NewRuntimeHost()
	mustNoErr(t, err)
	before = handlesFreed.Load()
	host.Close()
	host.Close()
	runtimeHost.Close()
	runtimeHost.Close()
	if freed := handlesFreed.Load() - before; freed != 2 {
		t.Fatalf("Close twice on two handles freed %d times", freed)
	}
}
