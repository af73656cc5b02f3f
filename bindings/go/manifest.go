package sdm

// #include "space_data_module.h"
import "C"

import "encoding/json"

// EncodeManifest encodes manifest JSON text to its PMAN FlatBuffer (sdm_manifest_encode_json),
// byte-identical to the reference SDK. Normalization warnings are not returned.
func EncodeManifest(manifestJSON []byte) ([]byte, error) {
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_manifest_encode_json(inPtr(manifestJSON), inLen(manifestJSON), &out)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}

// DecodeManifest decodes a PMAN FlatBuffer to the reference's decoded-manifest JSON
// (sdm_manifest_decode).
func DecodeManifest(pman []byte) (json.RawMessage, error) {
	var out C.sdm_bytes
	if err := call(func() C.sdm_status {
		return C.sdm_manifest_decode(inPtr(pman), inLen(pman), &out)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}
