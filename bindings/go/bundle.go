package sdm

// #include "space_data_module.h"
import "C"

import "encoding/json"

// BundleInfo is the parsed form of a module (sdm_bundle_inspect): the fields most callers
// need, and Raw, the whole JSON (the N.parsed.json shape of vectors/differential/README.md).
type BundleInfo struct {
	BundleSectionName            string          `json:"bundleSectionName"`
	BundleVersion                int             `json:"bundleVersion"`
	ModuleFormat                 string          `json:"moduleFormat"`
	CanonicalModuleHashHex       string          `json:"canonicalModuleHashHex"`
	StoredCanonicalModuleHashHex string          `json:"storedCanonicalModuleHashHex"`
	ManifestHashHex              string          `json:"manifestHashHex"`
	PluginID                     string          `json:"pluginId"`
	BundleSha256Hex              string          `json:"bundleSha256Hex"`
	BundleByteLength             int             `json:"bundleByteLength"`
	DeploymentPlanPresent        bool            `json:"deploymentPlanPresent"`
	Entries                      []BundleEntry   `json:"entries"`
	Raw                          json.RawMessage `json:"-"`
}

// BundleEntry is one entry of the bundle (a subset of its JSON fields; see BundleInfo.Raw).
type BundleEntry struct {
	EntryID          string `json:"entryId"`
	Role             string `json:"role"`
	PayloadEncoding  string `json:"payloadEncoding"`
	SectionName      string `json:"sectionName"`
	PayloadSha256Hex string `json:"payloadSha256Hex"`
}

// InspectJSON parses a module (wasm, optionally with a publication trailer) and returns the
// parsed bundle as JSON (sdm_bundle_inspect).
func InspectJSON(module []byte) (json.RawMessage, error) {
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_bundle_inspect(inPtr(module), inLen(module), &out)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}

// Inspect is InspectJSON decoded into a BundleInfo.
func Inspect(module []byte) (*BundleInfo, error) {
	raw, err := InspectJSON(module)
	if err != nil {
		return nil, err
	}
	info := &BundleInfo{Raw: raw}
	if err := decodeResult(raw, info); err != nil {
		return nil, err
	}
	return info, nil
}

// CreateBundle returns wasm with an sds.bundle section holding the manifest (JSON text,
// encoded to PMAN) (sdm_bundle_create).
func CreateBundle(wasm, manifestJSON []byte) ([]byte, error) {
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_bundle_create(inPtr(wasm), inLen(wasm), inPtr(manifestJSON), inLen(manifestJSON), &out)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}

// CheckReport is the compliance report of Check.
type CheckReport struct {
	// OK is false when at least one issue has severity "error".
	OK     bool            `json:"ok"`
	Issues []CheckIssue    `json:"issues"`
	Raw    json.RawMessage `json:"-"`
}

// CheckIssue is one finding of Check.
type CheckIssue struct {
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Location string `json:"location"`
	Message  string `json:"message"`
}

// Check checks a manifest (JSON text) for compliance, together with the exports of its
// module when wasm is non-empty (sdm_check); nil runs the manifest-only validation of the
// CLI's `check`, which does not warn that the artifact's ABI was not checked. A non-compliant
// manifest is not an error: read OK and Issues. An invalid module is an *Error
// (CodeWasmInvalid).
func Check(manifestJSON, wasm []byte) (*CheckReport, error) {
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_check(inPtr(manifestJSON), inLen(manifestJSON), inPtr(wasm), inLen(wasm), &out)
	}); err != nil {
		return nil, err
	}
	raw := json.RawMessage(takeBytes(&out))
	report := &CheckReport{Raw: raw}
	if err := decodeResult(raw, report); err != nil {
		return nil, err
	}
	return report, nil
}

// decodeResult decodes a JSON result of the library; a shape this binding does not expect
// is CodeInternal (a library/binding mismatch, not a caller mistake).
func decodeResult(raw []byte, into any) error {
	if err := json.Unmarshal(raw, into); err != nil {
		return newError(CodeInternal, "unexpected JSON from the library: "+err.Error())
	}
	return nil
}
