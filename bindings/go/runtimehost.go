package sdm

// #include "space_data_module.h"
import "C"

import (
	"bytes"
	"encoding/json"
	"runtime"
	"sync"
)

// RuntimeHost is a runtime host (sdm_runtime_host, docs/runtime-host.md): an append-only row
// store (in memory, or durable in a SQLite file), record regions and a wasm module registry
// with its own runtime. Safe for concurrent use by several goroutines (the library locks each
// store internally; concurrent appends get distinct ids); see the package documentation for
// Close.
type RuntimeHost struct {
	mu  sync.RWMutex // read-held by every call, write-held by Close
	ptr *C.sdm_runtime_host
}

// NewRuntimeHost creates a runtime host with everything in memory (sdm_runtime_host_new).
func NewRuntimeHost() (*RuntimeHost, error) {
	var ptr *C.sdm_runtime_host
	if err := call(func() C.sdm_status { return C.sdm_runtime_host_new(&ptr) }); err != nil {
		return nil, err
	}
	return newRuntimeHost(ptr), nil
}

// NewRuntimeHostWithPolicy creates a runtime host whose registry modules call sdn_host under
// the host policy policyJSON (docs/host.md, as NewHost), each granted at most what its verified
// manifest declares (sdm_runtime_host_new_with_policy). path "" keeps the rows in memory, else
// they live in that SQLite file as with OpenRuntimeHost. A runtime host without a policy
// grants its modules nothing.
func NewRuntimeHostWithPolicy(path string, policyJSON []byte) (*RuntimeHost, error) {
	pathBytes := []byte(path)
	var ptr *C.sdm_runtime_host
	if err := call(func() C.sdm_status {
		return C.sdm_runtime_host_new_with_policy(inPtr(pathBytes), inLen(pathBytes),
			inPtr(policyJSON), inLen(policyJSON), &ptr)
	}); err != nil {
		return nil, err
	}
	return newRuntimeHost(ptr), nil
}

// OpenRuntimeHost creates a runtime host whose rows live in the SQLite file at path (created
// when absent; WAL journal, every append synced), so row ids survive Close and a later
// OpenRuntimeHost (sdm_runtime_host_open). Regions and modules are in memory.
func OpenRuntimeHost(path string) (*RuntimeHost, error) {
	pathBytes := []byte(path)
	var ptr *C.sdm_runtime_host
	if err := call(func() C.sdm_status {
		return C.sdm_runtime_host_open(inPtr(pathBytes), inLen(pathBytes), &ptr)
	}); err != nil {
		return nil, err
	}
	return newRuntimeHost(ptr), nil
}

func newRuntimeHost(ptr *C.sdm_runtime_host) *RuntimeHost {
	h := &RuntimeHost{ptr: ptr}
	runtime.SetFinalizer(h, (*RuntimeHost).Close)
	return h
}

// Close releases the runtime host (sdm_runtime_host_free); a durable store is closed and its
// rows stay in the file. It waits for calls in flight, is idempotent and always returns nil.
func (h *RuntimeHost) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr != nil {
		C.sdm_runtime_host_free(h.ptr)
		handlesFreed.Add(1)
		h.ptr = nil
		runtime.SetFinalizer(h, nil)
	}
	return nil
}

// use runs fn with the live handle, read-locked against Close.
func (h *RuntimeHost) use(fn func(ptr *C.sdm_runtime_host) C.sdm_status) error {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.ptr == nil {
		return invalidArgument("the runtime host is closed")
	}
	return call(func() C.sdm_status { return fn(h.ptr) })
}

// Row is one stored row.
type Row struct {
	SchemaFileID string
	RowID        uint64
	// Payload is the stored JSON value.
	Payload json.RawMessage
}

type wireRow struct {
	Handle struct {
		SchemaFileID string `json:"schemaFileId"`
		RowID        uint64 `json:"rowId"`
	} `json:"handle"`
	Payload json.RawMessage `json:"payload"`
}

func (w wireRow) row() Row {
	return Row{SchemaFileID: w.Handle.SchemaFileID, RowID: w.Handle.RowID, Payload: w.Payload}
}

// AppendRow stores payloadJSON (any JSON value) under the trimmed schema id and returns its
// row id: per schema, from 1, never reused (sdm_runtime_host_append_row).
func (h *RuntimeHost) AppendRow(schemaFileID string, payloadJSON []byte) (uint64, error) {
	schema := []byte(schemaFileID)
	var rowID C.uint64_t
	if err := h.use(func(ptr *C.sdm_runtime_host) C.sdm_status {
		return C.sdm_runtime_host_append_row(ptr, inPtr(schema), inLen(schema), inPtr(payloadJSON), inLen(payloadJSON), &rowID)
	}); err != nil {
		return 0, err
	}
	return uint64(rowID), nil
}

// ResolveRow is the row with this id, or nil when there is none
// (sdm_runtime_host_resolve_row). Row id 0 is CodeRuntimeHostInvalidRowID.
func (h *RuntimeHost) ResolveRow(schemaFileID string, rowID uint64) (*Row, error) {
	schema := []byte(schemaFileID)
	var out C.sdm_bytes
	if err := h.use(func(ptr *C.sdm_runtime_host) C.sdm_status {
		return C.sdm_runtime_host_resolve_row(ptr, inPtr(schema), inLen(schema), C.uint64_t(rowID), &out)
	}); err != nil {
		return nil, err
	}
	raw := takeBytes(&out)
	if isJSONNull(raw) {
		return nil, nil
	}
	var wire wireRow
	if err := decodeResult(raw, &wire); err != nil {
		return nil, err
	}
	row := wire.row()
	return &row, nil
}

// ListRows is every row of one schema ("" = all schemas), in global insertion order
// (sdm_runtime_host_list_rows).
func (h *RuntimeHost) ListRows(schemaFileID string) ([]Row, error) {
	schema := []byte(schemaFileID)
	var out C.sdm_bytes
	if err := h.use(func(ptr *C.sdm_runtime_host) C.sdm_status {
		return C.sdm_runtime_host_list_rows(ptr, inPtr(schema), inLen(schema), &out)
	}); err != nil {
		return nil, err
	}
	var wire []wireRow
	if err := decodeResult(takeBytes(&out), &wire); err != nil {
		return nil, err
	}
	rows := make([]Row, len(wire))
	for i, w := range wire {
		rows[i] = w.row()
	}
	return rows, nil
}

// Region describes a record region (sdm_runtime_host_describe_region).
type Region struct {
	RegionID         uint64 `json:"regionId"`
	LayoutID         string `json:"layoutId"`
	RecordByteLength uint64 `json:"recordByteLength"`
	Alignment        uint64 `json:"alignment"`
	RecordCount      uint64 `json:"recordCount"`
	External         bool   `json:"external"`
}

// AllocateRegion allocates an owned region of records of recordByteLength bytes (alignment a
// power of two, at most 32768) and returns its id (sdm_runtime_host_allocate_region).
// initialRecords (nil for none) is cut into records; a shorter last record is zero-padded.
func (h *RuntimeHost) AllocateRegion(layoutID string, recordByteLength, alignment int, initialRecords []byte) (uint64, error) {
	if recordByteLength < 0 || alignment < 0 {
		return 0, invalidArgument("record length and alignment must not be negative")
	}
	layout := []byte(layoutID)
	var regionID C.uint64_t
	if err := h.use(func(ptr *C.sdm_runtime_host) C.sdm_status {
		return C.sdm_runtime_host_allocate_region(ptr, inPtr(layout), inLen(layout), C.size_t(recordByteLength),
			C.size_t(alignment), inPtr(initialRecords), inLen(initialRecords), &regionID)
	}); err != nil {
		return 0, err
	}
	return uint64(regionID), nil
}

// DescribeRegion is the region's descriptor, or nil for an unknown region.
func (h *RuntimeHost) DescribeRegion(regionID uint64) (*Region, error) {
	var out C.sdm_bytes
	if err := h.use(func(ptr *C.sdm_runtime_host) C.sdm_status {
		return C.sdm_runtime_host_describe_region(ptr, C.uint64_t(regionID), &out)
	}); err != nil {
		return nil, err
	}
	raw := takeBytes(&out)
	if isJSONNull(raw) {
		return nil, nil
	}
	var region Region
	if err := decodeResult(raw, &region); err != nil {
		return nil, err
	}
	return &region, nil
}

// SetRegionRecordCount sets an owned region's record count: shrinking truncates, growing
// appends zero records (sdm_runtime_host_set_region_record_count). An unknown region is
// CodeRuntimeHostNotFound.
func (h *RuntimeHost) SetRegionRecordCount(regionID, recordCount uint64) error {
	return h.use(func(ptr *C.sdm_runtime_host) C.sdm_status {
		return C.sdm_runtime_host_set_region_record_count(ptr, C.uint64_t(regionID), C.uint64_t(recordCount))
	})
}

// ResolveRecord is a copy of one owned record's bytes (sdm_runtime_host_resolve_record). An
// unknown region, an index past the count or an external region is CodeRuntimeHostNotFound.
func (h *RuntimeHost) ResolveRecord(regionID, recordIndex uint64) ([]byte, error) {
	var out C.sdm_bytes
	if err := h.use(func(ptr *C.sdm_runtime_host) C.sdm_status {
		return C.sdm_runtime_host_resolve_record(ptr, C.uint64_t(regionID), C.uint64_t(recordIndex), &out)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}

// ModuleRecord describes an installed module.
type ModuleRecord struct {
	ModuleID      string          `json:"moduleId"`
	ModuleHashHex string          `json:"moduleHashHex"`
	Version       uint64          `json:"version"`
	ByteLength    uint64          `json:"byteLength"`
	Loaded        bool            `json:"loaded"`
	Metadata      json.RawMessage `json:"metadata"`
}

// ModuleInstall is the result of InstallModule.
type ModuleInstall struct {
	Module ModuleRecord `json:"module"`
	// Previous is the replaced version, nil for a first install.
	Previous *ModuleRecord `json:"previous"`
}

// InstallModule installs a verified module (fail closed: only Verify makes one) under the
// trimmed moduleID with metadataJSON (nil = null) (sdm_runtime_host_install_module); verified
// may be closed afterwards. Without replace an installed id is CodeRuntimeHostModuleExists;
// with replace the id must exist (CodeRuntimeHostModuleUnknown) and the new version is not
// loaded.
func (h *RuntimeHost) InstallModule(moduleID string, verified *Verified, metadataJSON []byte, replace bool) (*ModuleInstall, error) {
	id := []byte(moduleID)
	var out C.sdm_bytes
	if err := verified.use(func(v *C.sdm_verified) error {
		return h.use(func(ptr *C.sdm_runtime_host) C.sdm_status {
			return C.sdm_runtime_host_install_module(ptr, inPtr(id), inLen(id), v,
				inPtr(metadataJSON), inLen(metadataJSON), C.bool(replace), &out)
		})
	}); err != nil {
		return nil, err
	}
	var installed ModuleInstall
	if err := decodeResult(takeBytes(&out), &installed); err != nil {
		return nil, err
	}
	return &installed, nil
}

// LoadModule compiles an installed module so it can be invoked
// (sdm_runtime_host_load_module); CodeRuntimeHostModuleUnknown when not installed.
func (h *RuntimeHost) LoadModule(moduleID string) error {
	id := []byte(moduleID)
	return h.use(func(ptr *C.sdm_runtime_host) C.sdm_status {
		return C.sdm_runtime_host_load_module(ptr, inPtr(id), inLen(id))
	})
}

// UnloadModule drops the compiled module; it stays installed, and invoking it is
// CodeRuntimeHostModuleNotLoaded until loaded again (sdm_runtime_host_unload_module). The
// result tells whether it was loaded.
func (h *RuntimeHost) UnloadModule(moduleID string) (bool, error) {
	id := []byte(moduleID)
	var wasLoaded C.bool
	if err := h.use(func(ptr *C.sdm_runtime_host) C.sdm_status {
		return C.sdm_runtime_host_unload_module(ptr, inPtr(id), inLen(id), &wasLoaded)
	}); err != nil {
		return false, err
	}
	return bool(wasLoaded), nil
}

// Invoke runs one encoded PluginInvokeRequest on a loaded module and returns the guest's
// encoded response (sdm_runtime_host_invoke: fresh instance, default limits, no WASI grants;
// direct mode when exported, else command mode).
func (h *RuntimeHost) Invoke(moduleID string, request []byte) ([]byte, error) {
	id := []byte(moduleID)
	var out C.sdm_bytes
	if err := h.use(func(ptr *C.sdm_runtime_host) C.sdm_status {
		return C.sdm_runtime_host_invoke(ptr, inPtr(id), inLen(id), inPtr(request), inLen(request), &out)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}

// InvokeRequest encodes req, invokes the module (Invoke) and decodes the response.
func (h *RuntimeHost) InvokeRequest(moduleID string, req InvokeRequest) (*InvokeResponse, error) {
	request, err := EncodeInvokeRequest(req)
	if err != nil {
		return nil, err
	}
	response, err := h.Invoke(moduleID, request)
	if err != nil {
		return nil, err
	}
	return DecodeInvokeResponse(response)
}

// ListModules is every installed module, in install order (sdm_runtime_host_list_modules).
func (h *RuntimeHost) ListModules() ([]ModuleRecord, error) {
	var out C.sdm_bytes
	if err := h.use(func(ptr *C.sdm_runtime_host) C.sdm_status {
		return C.sdm_runtime_host_list_modules(ptr, &out)
	}); err != nil {
		return nil, err
	}
	var records []ModuleRecord
	if err := decodeResult(takeBytes(&out), &records); err != nil {
		return nil, err
	}
	return records, nil
}

func isJSONNull(raw []byte) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}
