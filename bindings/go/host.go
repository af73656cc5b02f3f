package sdm

// #include "space_data_module.h"
import "C"

import (
	"encoding/json"
	"runtime"
	"sync"
)

// Host is a host policy and the hosts narrowed from it per module (sdm_host): what a guest's
// sdn_host imports may do (docs/host.md). Deny by default. Safe for concurrent use by several
// goroutines; see the package documentation for Close.
type Host struct {
	mu  sync.RWMutex // read-held by every call, write-held by Close
	ptr *C.sdm_host
}

// NewHost creates a host from its JSON policy (sdm_host_new), e.g.
// {"grant": ["clock", "filesystem"], "filesystemRoot": "/srv/data"}. "{}" grants nothing;
// unknown members are CodeInvalidArgument, malformed JSON CodeInvalidJSON.
func NewHost(policyJSON []byte) (*Host, error) {
	var ptr *C.sdm_host
	if err := call(func() C.sdm_status {
		return C.sdm_host_new(inPtr(policyJSON), inLen(policyJSON), &ptr)
	}); err != nil {
		return nil, err
	}
	h := &Host{ptr: ptr}
	runtime.SetFinalizer(h, (*Host).Close)
	return h, nil
}

// Close releases the host (sdm_host_free). It waits for calls in flight (including hosted
// invocations that use it), is idempotent and always returns nil.
func (h *Host) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr != nil {
		C.sdm_host_free(h.ptr)
		handlesFreed.Add(1)
		h.ptr = nil
		runtime.SetFinalizer(h, nil)
	}
	return nil
}

// Invoke runs one host operation for the embedder, not narrowed by any manifest
// (sdm_host_invoke): operation is e.g. "clock.now", paramsJSON its parameters (nil = null).
// The result is the operation's result as JSON; a failure is the operation's code, e.g.
// CodeHostCapabilityDenied for a capability the policy does not grant.
func (h *Host) Invoke(operation string, paramsJSON []byte) (json.RawMessage, error) {
	op := []byte(operation)
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.ptr == nil {
		return nil, invalidArgument("the host is closed")
	}
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_host_invoke(h.ptr, inPtr(op), inLen(op), inPtr(paramsJSON), inLen(paramsJSON), &out)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}

// cMode is the C ABI's invoke mode (SDM_INVOKE_DIRECT / SDM_INVOKE_COMMAND).
func (mode Mode) cMode() (C.uint32_t, error) {
	switch mode {
	case Direct:
		return C.SDM_INVOKE_DIRECT, nil
	case Command:
		return C.SDM_INVOKE_COMMAND, nil
	}
	return 0, invalidArgument("unknown invoke mode %d", int(mode))
}

// InvokeHosted runs one encoded PluginInvokeRequest with host behind the module's sdn_host
// imports (sdm_module_invoke_hosted) and returns the guest's encoded response. The guest gets
// at most the capabilities its manifest declares and the policy grants. limits nil =
// DefaultLimits(). Both handles stay locked against Close for the call.
func (m *Module) InvokeHosted(host *Host, mode Mode, request []byte, limits *Limits) ([]byte, error) {
	if host == nil {
		return nil, invalidArgument("the host is nil")
	}
	cmode, err := mode.cMode()
	if err != nil {
		return nil, err
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
	host.mu.RLock()
	defer host.mu.RUnlock()
	if host.ptr == nil {
		return nil, invalidArgument("the host is closed")
	}
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_module_invoke_hosted(m.ptr, host.ptr, cmode, inPtr(request), inLen(request), cLimits, &out)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}

// InvokeHostedRequest encodes req, invokes the module with host (InvokeHosted) and decodes
// the response.
func (m *Module) InvokeHostedRequest(host *Host, mode Mode, req InvokeRequest, limits *Limits) (*InvokeResponse, error) {
	request, err := EncodeInvokeRequest(req)
	if err != nil {
		return nil, err
	}
	response, err := m.InvokeHosted(host, mode, request, limits)
	if err != nil {
		return nil, err
	}
	return DecodeInvokeResponse(response)
}
