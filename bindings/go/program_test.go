package sdm

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The WASI program of the runtime matrix (runtime-matrix/fixtures/wasi-program/main.c),
// compiled by `make test-go` with clang for wasm32-wasi: it prints argc, its arguments and
// environment, then runs its arguments as commands (cat=PATH, write=PATH, stdin,
// stderr=TEXT, exit=N).
const envProgramWasm = "SDM_GO_PROGRAM_WASM"

func programModule(t *testing.T) *Module {
	t.Helper()
	_, module := loadModule(t, echoModule(t, envProgramWasm))
	return module
}

func wantOutput(t *testing.T, out *ProgramOutput, err error, exitCode int32, stdout, stderr string) {
	t.Helper()
	mustNoErr(t, err)
	if out.ExitCode != exitCode || string(out.Stdout) != stdout || string(out.Stderr) != stderr {
		t.Fatalf("run: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr %q",
			out.ExitCode, out.Stdout, out.Stderr, exitCode, stdout, stderr)
	}
}

func TestRunArgsAndEnv(t *testing.T) {
	module := programModule(t)
	out, err := module.Run(Program{
		Args: []string{"a b", "ünï"},
		Env:  map[string]string{"Z": "last", "A": "", "K": "v=w"},
	}, nil, nil, nil)
	wantOutput(t, out, err, 0,
		"argc=3\narg[1]=a b\narg[2]=ünï\nenv A=\nenv K=v=w\nenv Z=last\nignored a b\nignored ünï\n", "")

	// The zero Program: argv[0] only and an empty environment (nothing is inherited).
	t.Setenv("SDM_GO_SHOULD_NOT_LEAK", "1")
	out, err = module.Run(Program{}, nil, nil, nil)
	wantOutput(t, out, err, 0, "argc=1\n", "")
}

func TestRunStdinStderrAndExitCode(t *testing.T) {
	module := programModule(t)
	stdin := []byte("in\x00\xff")
	out, err := module.Run(Program{Args: []string{"stdin", "stderr=oops", "exit=3", "stderr=never"}}, stdin, nil, nil)
	wantOutput(t, out, err, 3,
		"argc=5\narg[1]=stdin\narg[2]=stderr=oops\narg[3]=exit=3\narg[4]=stderr=never\nstdin: in\x00\xff\nstdin bytes: 4\n",
		"oops\n")
}

func TestRunPreopens(t *testing.T) {
	module := programModule(t)
	dir := t.TempDir()
	mustNoErr(t, os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hi there"), 0o644))

	out, err := module.Run(Program{
		Args:     []string{"cat=/data/hello.txt", "write=/data/new.txt"},
		Preopens: []Preopen{{HostPath: dir, GuestPath: "/data"}},
	}, nil, nil, nil)
	mustNoErr(t, err)
	text := string(out.Stdout)
	if !strings.Contains(text, "cat /data/hello.txt: hi there\n") || !strings.Contains(text, "write /data/new.txt: error") {
		t.Fatalf("read-only preopen: %q", text)
	}
	if _, err := os.Stat(filepath.Join(dir, "new.txt")); err == nil {
		t.Fatal("a read-only preopen was written to")
	}

	out, err = module.Run(Program{
		Args:     []string{"write=/data/new.txt"},
		Preopens: []Preopen{{HostPath: dir, GuestPath: "/data", Writable: true}},
	}, nil, nil, nil)
	mustNoErr(t, err)
	if !strings.Contains(string(out.Stdout), "write /data/new.txt: ok") {
		t.Fatalf("writable preopen: %q", out.Stdout)
	}
	written, err := os.ReadFile(filepath.Join(dir, "new.txt"))
	mustNoErr(t, err)
	if len(written) == 0 {
		t.Fatal("the writable preopen's file is empty")
	}

	// Without the preopen the file is out of reach.
	out, err = module.Run(Program{Args: []string{"cat=/data/hello.txt"}}, nil, nil, nil)
	mustNoErr(t, err)
	if !strings.Contains(string(out.Stdout), "cat /data/hello.txt: error") {
		t.Fatalf("no preopen: %q", out.Stdout)
	}

	// A host directory that does not exist fails the run, not the guest.
	_, err = module.Run(Program{Preopens: []Preopen{{HostPath: filepath.Join(dir, "absent"), GuestPath: "/x"}}}, nil, nil, nil)
	if ErrorCode(err) == 0 {
		t.Fatalf("missing preopen directory: %v", err)
	}
}

func TestRunWithHostAndLimits(t *testing.T) {
	module := programModule(t)
	host, err := NewHost([]byte(`{"grant":["clock"]}`))
	mustNoErr(t, err)
	defer host.Close()
	out, err := module.Run(Program{Args: []string{"x"}}, nil, host, nil)
	wantOutput(t, out, err, 0, "argc=2\narg[1]=x\nignored x\n", "")

	limits := DefaultLimits()
	limits.MaxRequestBytes = 2
	_, err = module.Run(Program{}, []byte("too long"), nil, &limits)
	wantCode(t, err, CodeRuntimeRequestTooLarge)

	host.Close()
	_, err = module.Run(Program{}, nil, host, nil)
	wantCode(t, err, CodeInvalidArgument)
}

func TestRunErrors(t *testing.T) {
	module := programModule(t)
	for name, prog := range map[string]Program{
		"env name with =":  {Env: map[string]string{"A=B": "v"}},
		"empty env name":   {Env: map[string]string{"": "v"}},
		"NUL in argument":  {Args: []string{"a\x00b"}},
		"empty guest path": {Preopens: []Preopen{{HostPath: ".", GuestPath: ""}}},
		"non-UTF-8 arg":    {Args: []string{"\xff"}},
	} {
		_, err := module.Run(prog, nil, nil, nil)
		if !IsCode(err, CodeInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}

	_, echo := loadModule(t, echoModule(t, envEchoDirectWasm))
	_, err := echo.Run(Program{}, nil, nil, nil)
	wantCode(t, err, CodeRuntimeMissingExport)

	module.Close()
	_, err = module.Run(Program{}, nil, nil, nil)
	wantCode(t, err, CodeInvalidArgument)
}

func TestProgramJSON(t *testing.T) {
	text, err := programJSON(Program{Preopens: []Preopen{{HostPath: "h", GuestPath: "/g"}}})
	mustNoErr(t, err)
	want := `{"args":[],"env":{},"preopens":[{"hostPath":"h","guestPath":"/g","readOnly":true}]}`
	if string(text) != want {
		t.Fatalf("program JSON %s, want %s", text, want)
	}
}

// TestOutputFrameMetadata: every output frame carries the envelope's metadata.
func TestOutputFrameMetadata(t *testing.T) {
	_, module := loadModule(t, echoModule(t, envEchoDirectWasm))
	payload := []byte("metadata")
	response, err := module.Invoke(Direct, InvokeRequest{MethodID: "echo", Inputs: []Frame{{
		PortID: "echo", Payload: payload, TypeRef: &TypeRef{SchemaName: "S.fbs", FileIdentifier: "SSSS"},
	}}}, nil)
	mustNoErr(t, err)
	wantEcho(t, response, payload)
	frame := response.Outputs[0]
	if frame.Alignment != 8 || frame.Offset != 0 || frame.Size != uint32(len(payload)) ||
		frame.Ownership != 0 || frame.Generation != 0 || frame.Mutability != 0 {
		t.Fatalf("frame metadata: %+v", frame)
	}
	if frame.TypeRef == nil || frame.TypeRef.SchemaName != "S.fbs" || frame.TypeRef.FileIdentifier != "SSSS" ||
		frame.TypeRef.WireFormat != "flatbuffer" || frame.TypeRef.SchemaHash == nil || len(frame.TypeRef.SchemaHash) != 0 {
		t.Fatalf("type ref: %+v", frame.TypeRef)
	}
	// The same values as the library's own JSON of the response.
	var raw struct {
		Outputs []struct {
			Alignment uint16 `json:"alignment"`
			Size      uint32 `json:"size"`
		} `json:"outputs"`
	}
	mustNoErr(t, json.Unmarshal(response.Raw, &raw))
	if raw.Outputs[0].Alignment != frame.Alignment || raw.Outputs[0].Size != frame.Size {
		t.Fatalf("typed %+v, raw %s", frame, response.Raw)
	}
}

// TestTypeRefJSON: the schema hash crosses as byte numbers (encoding/json would write base64,
// which the library would read as hex text), and zero fields are left out of a request.
func TestTypeRefJSON(t *testing.T) {
	text, err := json.Marshal(TypeRef{SchemaName: "S.fbs", SchemaHash: []byte{1, 2, 255}, ByteLength: 24})
	mustNoErr(t, err)
	if want := `{"schemaName":"S.fbs","byteLength":24,"schemaHash":[1,2,255]}`; string(text) != want {
		t.Fatalf("TypeRef JSON %s, want %s", text, want)
	}
	var back TypeRef
	mustNoErr(t, json.Unmarshal([]byte(`{"schemaName":null,"schemaHash":[1,2,255],"wireFormat":"aligned-binary","requiredAlignment":16}`), &back))
	if back.SchemaName != "" || !bytes.Equal(back.SchemaHash, []byte{1, 2, 255}) || back.WireFormat != "aligned-binary" ||
		back.RequiredAlignment != 16 {
		t.Fatalf("TypeRef from JSON: %+v", back)
	}
}
