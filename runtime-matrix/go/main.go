// The Go lane of the runtime matrix (runtime-matrix/README.md): every case through the Go
// binding's typed API (Verify, Runtime.Load, Module.Invoke / InvokeHostedRequest, Module.Run),
// one result JSON per case.
//
// usage: sdm-matrix-go CASES_DIR OUT_DIR (cwd = the artifacts directory)
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	sdm "github.com/space-data-module/space-data-module/bindings/go"
)

// The case format; unknown members are a runner error.
type testCase struct {
	Description string          `json:"description"`
	Artifact    string          `json:"artifact"`
	Open        openOptions     `json:"open"`
	Limits      limitOptions    `json:"limits"`
	HostPolicy  json.RawMessage `json:"hostPolicy"`
	Invoke      *invokeCase     `json:"invoke"`
	Program     *programCase    `json:"program"`
}

type openOptions struct {
	AllowUnsigned bool     `json:"allowUnsigned"`
	Trust         []string `json:"trust"`
	DecryptWith   *string  `json:"decryptWith"`
	WasmSigners   []string `json:"wasmSigners"`
}

type limitOptions struct {
	TimeoutMs   *uint64 `json:"timeoutMs"`
	Fuel        *uint64 `json:"fuel"`
	MaxMemoryMb *uint64 `json:"maxMemoryMb"`
}

type invokeCase struct {
	Mode   *string      `json:"mode"`
	Method string       `json:"method"`
	Inputs []inputFrame `json:"inputs"`
}

type inputFrame struct {
	Port   string `json:"port"`
	Base64 string `json:"base64"`
}

type programCase struct {
	StdinBase64 string            `json:"stdinBase64"`
	Args        []string          `json:"args"`
	Env         map[string]string `json:"env"`
	Preopens    []preopen         `json:"preopens"`
}

type preopen struct {
	HostPath  string `json:"hostPath"`
	GuestPath string `json:"guestPath"`
	ReadOnly  *bool  `json:"readOnly"`
}

// stageError is a case's failure at one stage (a result, not a runner failure).
type stageError struct {
	stage string
	err   error
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: sdm-matrix-go CASES_DIR OUT_DIR")
		os.Exit(2)
	}
	if err := runAll(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "sdm-matrix-go:", err)
		os.Exit(1)
	}
}

func runAll(casesDir, outDir string) error {
	files, err := filepath.Glob(filepath.Join(casesDir, "*.json"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	for _, file := range files {
		stem := strings.TrimSuffix(filepath.Base(file), ".json")
		c, err := readCase(file)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		result, err := runCase(stem, c)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		text, err := json.MarshalIndent(result, "", "  ") // maps marshal with sorted keys
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(outDir, stem+".json"), append(text, '\n'), 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("go: %d result(s) written to %s\n", len(files), outDir)
	return nil
}

func readCase(file string) (*testCase, error) {
	text, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	decoder := json.NewDecoder(bytes.NewReader(text))
	decoder.DisallowUnknownFields()
	var c testCase
	if err := decoder.Decode(&c); err != nil {
		return nil, err
	}
	if (c.Invoke == nil) == (c.Program == nil) {
		return nil, errors.New("a case has exactly one of `invoke` and `program`")
	}
	if c.Invoke != nil && c.Invoke.Mode == nil {
		return nil, errors.New("invoke.mode is required")
	}
	return &c, nil
}

// runCase returns the result object; an error is a broken runner or case.
func runCase(stem string, c *testCase) (map[string]any, error) {
	result := map[string]any{"case": stem, "error": nil, "invoke": nil, "program": nil}
	key, value, failure, err := runSteps(c)
	if err != nil {
		return nil, err
	}
	if failure != nil {
		var sdmErr *sdm.Error
		if !errors.As(failure.err, &sdmErr) {
			return nil, fmt.Errorf("stage %s: not a binding error: %v", failure.stage, failure.err)
		}
		result["error"] = map[string]any{"stage": failure.stage, "code": sdmErr.Name, "number": sdmErr.Code}
		return result, nil
	}
	result[key] = value
	return result, nil
}

func runSteps(c *testCase) (string, any, *stageError, error) {
	artifact, err := os.ReadFile(c.Artifact)
	if err != nil {
		return "", nil, nil, err
	}
	opts := sdm.VerifyOptions{AllowUnsigned: c.Open.AllowUnsigned}
	for _, signer := range c.Open.Trust {
		key, err := hex.DecodeString(signer)
		if err != nil {
			return "", nil, nil, fmt.Errorf("trust %q: %w", signer, err)
		}
		opts.TrustedSigners = append(opts.TrustedSigners, key)
	}
	for _, signer := range c.Open.WasmSigners {
		key, err := hex.DecodeString(signer)
		if err != nil {
			return "", nil, nil, fmt.Errorf("wasmSigners %q: %w", signer, err)
		}
		opts.WasmSigners = append(opts.WasmSigners, key)
	}
	if c.Open.DecryptWith != nil {
		key, err := recipientKey(*c.Open.DecryptWith)
		if err != nil {
			return "", nil, nil, err
		}
		opts.DecryptionKey = key
	}
	verified, err := sdm.Verify(artifact, opts)
	if err != nil {
		return "", nil, &stageError{"open", err}, nil
	}
	defer verified.Close()

	rt, err := sdm.NewRuntime()
	if err != nil {
		return "", nil, &stageError{"load", err}, nil
	}
	defer rt.Close()
	module, err := rt.Load(verified)
	if err != nil {
		return "", nil, &stageError{"load", err}, nil
	}
	defer module.Close()
	limits := caseLimits(c.Limits)

	if c.Invoke != nil {
		value, err := invoke(module, c, &limits)
		if err != nil {
			var stage *stageError
			if errors.As(err, &stage) {
				return "", nil, stage, nil
			}
			return "", nil, nil, err
		}
		return "invoke", value, nil, nil
	}
	value, err := run(module, c, &limits)
	if err != nil {
		var stage *stageError
		if errors.As(err, &stage) {
			return "", nil, stage, nil
		}
		return "", nil, nil, err
	}
	return "program", value, nil, nil
}

func (s *stageError) Error() string { return s.stage + ": " + s.err.Error() }

// recipientKey reads a recipient key file (docs/keys.md): its 32-byte private key.
func recipientKey(path string) ([]byte, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var file struct {
		Type          string `json:"type"`
		PrivateKeyHex string `json:"privateKeyHex"`
		PublicKeyHex  string `json:"publicKeyHex"`
	}
	if err := json.Unmarshal(text, &file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if file.Type != "x25519-private-key" {
		return nil, fmt.Errorf("%s: not a recipient key file (type %q)", path, file.Type)
	}
	key, err := hex.DecodeString(file.PrivateKeyHex)
	if err != nil {
		return nil, fmt.Errorf("%s: privateKeyHex: %w", path, err)
	}
	return key, nil
}

func caseLimits(options limitOptions) sdm.Limits {
	limits := sdm.DefaultLimits()
	if options.Fuel != nil {
		limits.Fuel = *options.Fuel // 0 = unlimited in both
	}
	if options.TimeoutMs != nil {
		limits.TimeoutMs = *options.TimeoutMs
	}
	if options.MaxMemoryMb != nil {
		mb := *options.MaxMemoryMb
		if mb > ^uint64(0)>>20 {
			limits.MaxMemoryBytes = ^uint64(0)
		} else {
			limits.MaxMemoryBytes = mb << 20
		}
	}
	return limits
}

func hostFor(c *testCase) (*sdm.Host, error) {
	if c.HostPolicy == nil || string(c.HostPolicy) == "null" {
		return nil, nil
	}
	return sdm.NewHost(c.HostPolicy)
}

func invoke(module *sdm.Module, c *testCase, limits *sdm.Limits) (map[string]any, error) {
	fail := func(err error) error { return &stageError{"invoke", err} }
	var mode sdm.Mode
	switch *c.Invoke.Mode {
	case "direct":
		mode = sdm.Direct
	case "command":
		mode = sdm.Command
	default:
		mode = sdm.Mode(-1) // the binding answers invalid-argument
	}
	request := sdm.InvokeRequest{MethodID: c.Invoke.Method, Inputs: []sdm.Frame{}}
	for _, input := range c.Invoke.Inputs {
		payload, err := base64.StdEncoding.DecodeString(input.Base64)
		if err != nil {
			return nil, fmt.Errorf("input on port %s: %w", input.Port, err)
		}
		request.Inputs = append(request.Inputs, sdm.Frame{PortID: input.Port, Payload: payload})
	}
	var response *sdm.InvokeResponse
	var err error
	if mode != sdm.Direct && mode != sdm.Command {
		_, err = module.Invoke(mode, request, limits)
		return nil, fail(err)
	}
	host, err := hostFor(c)
	if err != nil {
		return nil, fail(err)
	}
	if host != nil {
		defer host.Close()
		response, err = module.InvokeHostedRequest(host, mode, request, limits)
	} else {
		response, err = module.Invoke(mode, request, limits)
	}
	if err != nil {
		return nil, fail(err)
	}
	outputs := make([]any, len(response.Outputs))
	for i, frame := range response.Outputs {
		outputs[i] = map[string]any{
			"portId":        optional(frame.PortID),
			"typeRef":       typeRef(frame.TypeRef),
			"alignment":     frame.Alignment,
			"offset":        frame.Offset,
			"size":          frame.Size,
			"ownership":     frame.Ownership,
			"generation":    frame.Generation,
			"mutability":    frame.Mutability,
			"traceId":       strconv.FormatUint(frame.TraceID, 10),
			"streamId":      frame.StreamID,
			"sequence":      strconv.FormatUint(frame.Sequence, 10),
			"endOfStream":   frame.EndOfStream,
			"payloadBase64": base64.StdEncoding.EncodeToString(frame.Payload),
		}
	}
	return map[string]any{
		"mode":             mode.String(),
		"statusCode":       response.StatusCode,
		"yielded":          response.Yielded,
		"backlogRemaining": response.BacklogRemaining,
		"errorCode":        optional(response.ErrorCode),
		"errorMessage":     optional(response.ErrorMessage),
		"outputs":          outputs,
	}, nil
}

// optional: the Go binding gives absent strings as "" (null in the result).
func optional(text string) any {
	if text == "" {
		return nil
	}
	return text
}

func typeRef(t *sdm.TypeRef) any {
	if t == nil {
		return nil
	}
	hash := make([]int, len(t.SchemaHash)) // numbers, not base64
	for i, b := range t.SchemaHash {
		hash[i] = int(b)
	}
	wireFormat := t.WireFormat
	if wireFormat == "" {
		wireFormat = "flatbuffer"
	}
	return map[string]any{
		"schemaName":           optional(t.SchemaName),
		"fileIdentifier":       optional(t.FileIdentifier),
		"schemaHash":           hash,
		"acceptsAnyFlatbuffer": t.AcceptsAnyFlatbuffer,
		"wireFormat":           wireFormat,
		"rootTypeName":         optional(t.RootTypeName),
		"fixedStringLength":    t.FixedStringLength,
		"byteLength":           t.ByteLength,
		"requiredAlignment":    t.RequiredAlignment,
	}
}

func run(module *sdm.Module, c *testCase, limits *sdm.Limits) (map[string]any, error) {
	fail := func(err error) error { return &stageError{"program", err} }
	stdin, err := base64.StdEncoding.DecodeString(c.Program.StdinBase64)
	if err != nil {
		return nil, fmt.Errorf("stdinBase64: %w", err)
	}
	prog := sdm.Program{Args: c.Program.Args, Env: c.Program.Env}
	for _, p := range c.Program.Preopens {
		readOnly := p.ReadOnly == nil || *p.ReadOnly
		prog.Preopens = append(prog.Preopens, sdm.Preopen{HostPath: p.HostPath, GuestPath: p.GuestPath, Writable: !readOnly})
	}
	host, err := hostFor(c)
	if err != nil {
		return nil, fail(err)
	}
	if host != nil {
		defer host.Close()
	}
	out, err := module.Run(prog, stdin, host, limits)
	if err != nil {
		return nil, fail(err)
	}
	return map[string]any{
		"exitCode":     out.ExitCode,
		"stdoutBase64": base64.StdEncoding.EncodeToString(out.Stdout),
		"stderrBase64": base64.StdEncoding.EncodeToString(out.Stderr),
	}, nil
}
