package sdm

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestABIVersion(t *testing.T) {
	if HeaderABIVersion != 2 || LibraryABIVersion() != HeaderABIVersion {
		t.Fatalf("header %d, library %d", HeaderABIVersion, LibraryABIVersion())
	}
	mustNoErr(t, CheckABIVersion())
}

func TestManifestRoundTrip(t *testing.T) {
	for _, module := range modules(t) {
		t.Run(module.name, func(t *testing.T) {
			pman, err := EncodeManifest(module.manifest)
			mustNoErr(t, err)
			if len(pman) < 8 || string(pman[4:8]) != "PMAN" {
				t.Fatalf("not a PMAN buffer: % x", pman[:min(len(pman), 8)])
			}
			decoded, err := DecodeManifest(pman)
			mustNoErr(t, err)
			var manifest struct {
				PluginID string `json:"pluginId"`
			}
			mustNoErr(t, json.Unmarshal(decoded, &manifest))
			if manifest.PluginID != module.pluginID {
				t.Fatalf("pluginId %q", manifest.PluginID)
			}
			again, err := EncodeManifest(decoded)
			mustNoErr(t, err)
			if !bytes.Equal(again, pman) {
				t.Fatal("JSON -> PMAN -> JSON -> PMAN is not stable")
			}
		})
	}
}

func TestEncodeManifestMatchesVector(t *testing.T) {
	pman, err := EncodeManifest(readVector(t, "manifest.json"))
	mustNoErr(t, err)
	if want := readVector(t, "manifest.fb"); !bytes.Equal(pman, want) {
		t.Fatalf("PMAN differs from vectors/single-file-bundle/manifest.fb (%d vs %d bytes)", len(pman), len(want))
	}
}

func TestInspectVector(t *testing.T) {
	info, err := Inspect(readVector(t, "single-file-module.wasm"))
	mustNoErr(t, err)
	var expected struct {
		BundleSha256Hex        string `json:"bundleSha256Hex"`
		CanonicalModuleHashHex string `json:"canonicalModuleHashHex"`
		ManifestHashHex        string `json:"manifestHashHex"`
		ManifestPluginID       string `json:"manifestPluginId"`
		EntryIDs               []string
	}
	mustNoErr(t, json.Unmarshal(readVector(t, "expected.json"), &expected))
	if info.BundleSectionName != "sds.bundle" || info.PluginID != expected.ManifestPluginID ||
		info.BundleSha256Hex != expected.BundleSha256Hex ||
		info.CanonicalModuleHashHex != expected.CanonicalModuleHashHex ||
		info.ManifestHashHex != expected.ManifestHashHex {
		t.Fatalf("inspect differs from expected.json: %s", info.Raw)
	}
	if len(info.Entries) != len(expected.EntryIDs) {
		t.Fatalf("%d entries, want %v", len(info.Entries), expected.EntryIDs)
	}
	for i, entry := range info.Entries {
		if entry.EntryID != expected.EntryIDs[i] {
			t.Errorf("entry %d: %q, want %q", i, entry.EntryID, expected.EntryIDs[i])
		}
	}
}

func TestCreateBundleThenInspect(t *testing.T) {
	for _, module := range modules(t) {
		t.Run(module.name, func(t *testing.T) {
			bundled, err := CreateBundle(module.wasm, module.manifest)
			mustNoErr(t, err)
			info, err := Inspect(bundled)
			mustNoErr(t, err)
			pman, err := EncodeManifest(module.manifest)
			mustNoErr(t, err)
			if info.PluginID != module.pluginID || info.ManifestHashHex != sha256Hex(pman) ||
				len(info.CanonicalModuleHashHex) != 64 {
				t.Fatalf("inspect of the bundle: %s", info.Raw)
			}
			original, err := Inspect(module.wasm)
			if module.name == "echo" {
				// The compiler embeds the manifest through exports, not an sds.bundle section.
				wantCode(t, err, CodeBundleMissing)
				return
			}
			mustNoErr(t, err)
			if original.CanonicalModuleHashHex != info.CanonicalModuleHashHex {
				t.Fatalf("re-bundling changed the canonical module hash: %s vs %s", original.Raw, info.Raw)
			}
		})
	}
}

func TestCreateBundleFromBaseModule(t *testing.T) {
	bundled, err := CreateBundle(readVector(t, "base-module.wasm"), readVector(t, "manifest.json"))
	mustNoErr(t, err)
	info, err := Inspect(bundled)
	mustNoErr(t, err)
	if info.ManifestHashHex != "30b65eb6c853bb84c9c2fda86da2ef13dfeda50ff2956b0f1cad9ce44c493045" ||
		info.CanonicalModuleHashHex != "b76c89bbc1e3b91f3dd06aa47f569d7d910253b64a994a75be0eb2a7cf6ff3b5" {
		t.Fatalf("bundle of the base module: %s", info.Raw)
	}
}

func TestCheck(t *testing.T) {
	for _, module := range modules(t) {
		t.Run(module.name, func(t *testing.T) {
			report, err := Check(module.manifest, module.wasm)
			mustNoErr(t, err)
			if !report.OK {
				t.Fatalf("a vector module fails its own check: %s", report.Raw)
			}
			manifestOnly, err := Check(module.manifest, nil)
			mustNoErr(t, err)
			if !manifestOnly.OK {
				t.Fatalf("manifest-only check: %s", manifestOnly.Raw)
			}
			// The manifest-only validation (the CLI's `check`): no warning that the
			// artifact's ABI went unchecked.
			if bytes.Contains(manifestOnly.Raw, []byte("artifact-abi-not-checked")) {
				t.Fatalf("manifest-only check warns about the artifact: %s", manifestOnly.Raw)
			}
			_, err = Check(module.manifest, []byte("\x00asm\x01\x00\x00\x00\xff"))
			if err == nil {
				t.Fatal("a broken module passed the check")
			}
		})
	}
}

func TestCheckReportsNonCompliance(t *testing.T) {
	// A manifest with no methods is a compliance finding, not an error.
	report, err := Check([]byte(`{"pluginId":"x","name":"x","version":"1","methods":[]}`), nil)
	mustNoErr(t, err)
	if report.OK || len(report.Issues) == 0 {
		t.Fatalf("want issues: %s", report.Raw)
	}
	for _, issue := range report.Issues {
		if issue.Severity == "" || issue.Code == "" {
			t.Fatalf("issue without severity or code: %+v", issue)
		}
	}
}
