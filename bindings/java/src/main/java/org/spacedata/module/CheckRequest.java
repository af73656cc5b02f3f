package org.spacedata.module;

/**
 * What {@link Manifests#check(CheckRequest)} validates: the manifest, optionally the module it
 * describes (its exports are checked too), optionally against the shipped standards catalog.
 * {@code manifestName} and {@code wasmName} are the roots of issue locations ({@code null}: the
 * core's defaults).
 */
public record CheckRequest(String manifestJson, byte[] wasm, boolean standards, String manifestName, String wasmName) {
    /** The manifest alone. */
    public static CheckRequest of(String manifestJson) {
        return new CheckRequest(manifestJson, null, false, null, null);
    }

    public CheckRequest withWasm(byte[] module) {
        return new CheckRequest(manifestJson, module, standards, manifestName, wasmName);
    }

    public CheckRequest withStandards(boolean checkStandards) {
        return new CheckRequest(manifestJson, wasm, checkStandards, manifestName, wasmName);
    }
}
