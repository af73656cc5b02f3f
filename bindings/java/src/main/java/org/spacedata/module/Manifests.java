package org.spacedata.module;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Manifest encode/decode and the compliance check ({@code api::format}). */
public final class Manifests {
    private Manifests() {}

    /** Encodes manifest JSON to its {@code PMAN} FlatBuffer, byte-identical to the reference. */
    public static EncodedManifest encode(String manifestJson) throws SdmException {
        Object[] result = NativeLib.encodeManifest(manifestJson);
        List<String> warnings = Json.read((String) result[1], new TypeReference<List<String>>() {});
        return new EncodedManifest((byte[]) result[0], warnings);
    }

    /** Decodes (and verifies) a {@code PMAN} FlatBuffer to the reference's decoded-manifest JSON. */
    public static JsonNode decode(byte[] flatbuffer) throws SdmException {
        return Json.tree(NativeLib.decodeManifest(flatbuffer));
    }

    /** Validates a manifest alone. */
    public static CheckReport check(String manifestJson) throws SdmException {
        return check(CheckRequest.of(manifestJson));
    }

    /** Validates a manifest (and the exports of its module); an invalid module is {@code wasm-invalid}. */
    public static CheckReport check(CheckRequest request) throws SdmException {
        String json = NativeLib.check(request.manifestJson(), request.wasm(), request.standards(),
                request.manifestName(), request.wasmName());
        return Json.read(json, CheckReport.class);
    }
}
