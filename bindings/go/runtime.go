package sdm

// #include "space_data_module.h"
import "C"

import (
	"encoding/json"
	"runtime"
	"sync"
	"sync/atomic"
)

// handlesFreed counts the handle frees (sdm_runtime_free, sdm_module_free, sdm_verified_free,
// ...) the binding makes (for the finalizer tests).
var handlesFreed atomic.Int64

// Limits of one invocation (sdm_limits). Start from DefaultLimits and change what you need.
type Limits struct {
	// Fuel is about one unit per wasm instruction; 0 = unlimited.
	Fuel uint64
	// TimeoutMs is the wall-clock timeout in milliseconds; 0 = unlimited.
	TimeoutMs uint64
	// MaxMemoryBytes caps each linear memory.
	MaxMemoryBytes uint64
	// MaxRequestBytes is the largest request accepted.
	MaxRequestBytes uint64
	// MaxResponseBytes is the largest response accepted from the guest.
	MaxResponseBytes uint64
}

// DefaultLimits are the library's defaults (sdm_limits_default): fuel 10^10, 30 s, 256 MiB
// memory, 64 MiB requests and responses.
func DefaultLimits() Limits {
	c := C.sdm_limits_default()
	return Limits{
		Fuel:             uint64(c.fuel),
		TimeoutMs:        uint64(c.timeout_ms),
		MaxMemoryBytes:   uint64(c.max_memory_bytes),
		MaxRequestBytes:  uint64(c.max_request_bytes),
		MaxResponseBytes: uint64(c.max_response_bytes),
	}
}

func (l *Limits) toC() C.sdm_limits {
	return C.sdm_limits{
		fuel:               C.uint64_t(l.Fuel),
		timeout_ms:         C.uint64_t(l.TimeoutMs),
		max_memory_bytes:   C.uint64_t(l.MaxMemoryBytes),
		max_request_bytes:  C.uint64_t(l.MaxRequestBytes),
		max_response_bytes: C.uint64_t(l.MaxResponseBytes),
	}
}

// Runtime is a wasmtime engine with its module cache (sdm_runtime). Safe for concurrent use
// by several goroutines; see the package documentation for Close.
type Runtime struct {
	mu  sync.RWMutex // read-held by every call, write-held by Close
	ptr *C.sdm_runtime
}

// NewRuntime creates a runtime with the default configuration (sdm_runtime_new).
func NewRuntime() (*Runtime, error) {
	var ptr *C.sdm_runtime
	if err := call(func() C.sdm_status { return C.sdm_runtime_new(&ptr) }); err != nil {
		return nil, err
	}
	r := &Runtime{ptr: ptr}
	runtime.SetFinalizer(r, (*Runtime).Close)
	return r, nil
}

// Close releases the runtime (sdm_runtime_free). It waits for calls in flight, is
// idempotent and always returns nil. Modules loaded from it stay usable.
func (r *Runtime) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ptr != nil {
		C.sdm_runtime_free(r.ptr)
		handlesFreed.Add(1)
		r.ptr = nil
		runtime.SetFinalizer(r, nil)
	}
	return nil
}

// Load compiles a verified module into a Module (sdm_module_load). Fail closed: only Verify
// makes a Verified (plain wasm with VerifyOptions.AllowUnsigned). The module keeps the
// capability ceiling of its verified manifest; verified may be closed afterwards. Compiled
// modules are cached by hash in the runtime.
func (r *Runtime) Load(verified *Verified) (*Module, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.ptr == nil {
		return nil, invalidArgument("the runtime is closed")
	}
	var ptr *C.sdm_module
	if err := verified.use(func(v *C.sdm_verified) error {
		return call(func() C.sdm_status { return C.sdm_module_load(r.ptr, v, &ptr) })
	}); err != nil {
		return nil, err
	}
	m := &Module{ptr: ptr}
	runtime.SetFinalizer(m, (*Module).Close)
	return m, nil
}

// Module is a compiled module loaded into a runtime (sdm_module). Safe for concurrent use by
// several goroutines: every invoke runs in a fresh instance.
type Module struct {
	mu  sync.RWMutex // read-held by every call, write-held by Close
	ptr *C.sdm_module
}

// Close releases the module (sdm_module_free). It waits for invocations in flight, is
// idempotent and always returns nil.
func (m *Module) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ptr != nil {
		C.sdm_module_free(m.ptr)
		handlesFreed.Add(1)
		m.ptr = nil
		runtime.SetFinalizer(m, nil)
	}
	return nil
}

// Mode selects how a module is invoked.
type Mode int

const (
	// Direct calls plugin_alloc / plugin_invoke_stream / plugin_free.
	Direct Mode = iota
	// Command runs _start with the request on WASI stdin and the response on stdout.
	Command
)

func (mode Mode) String() string {
	switch mode {
	case Direct:
		return "direct"
	case Command:
		return "command"
	}
	return "unknown"
}

// InvokeDirect runs one encoded PluginInvokeRequest in direct mode and returns the guest's
// encoded PluginInvokeResponse (sdm_module_invoke_direct). limits nil = DefaultLimits().
func (m *Module) InvokeDirect(request []byte, limits *Limits) ([]byte, error) {
	return m.invoke(Direct, request, limits)
}

// InvokeCommand is InvokeDirect in command mode (sdm_module_invoke_command).
func (m *Module) InvokeCommand(request []byte, limits *Limits) ([]byte, error) {
	return m.invoke(Command, request, limits)
}

// Invoke encodes req, invokes the module in the given mode and decodes the response.
func (m *Module) Invoke(mode Mode, req InvokeRequest, limits *Limits) (*InvokeResponse, error) {
	request, err := EncodeInvokeRequest(req)
	if err != nil {
		return nil, err
	}
	response, err := m.invoke(mode, request, limits)
	if err != nil {
		return nil, err
	}
	return DecodeInvokeResponse(response)
}

func (m *Module) invoke(mode Mode, request []byte, limits *Limits) ([]byte, error) {
	if mode != Direct && mode != Command {
		return nil, invalidArgument("unknown invoke mode %d", int(mode))
	}
	var cLimits *C.sdm_limits
	if limits != nil {
		converted := limits.toC()
		cLimits = &converted
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.ptr == nil {
		return nil, invalidArgument("the module is closed")
	}
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		if mode == Command {
			return C.sdm_module_invoke_command(m.ptr, inPtr(request), inLen(request), cLimits, &out)
		}
		return C.sdm_module_invoke_direct(m.ptr, inPtr(request), inLen(request), cLimits, &out)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}

// ManifestJSON is the manifest core read when the module was verified (its sds.bundle
// manifest entry, else the statically embedded manifest; the guest is never run), as
// decoded-manifest JSON (sdm_module_manifest_json); nil when the module carries none.
func (m *Module) ManifestJSON() (json.RawMessage, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.ptr == nil {
		return nil, invalidArgument("the module is closed")
	}
	var out C.sdm_bytes
	if err := call(func() C.sdm_status { return C.sdm_module_manifest_json(m.ptr, &out) }); err != nil {
		return nil, err
	}
	raw := takeBytes(&out)
	if isJSONNull(raw) {
		return nil, nil
	}
	return raw, nil
}
