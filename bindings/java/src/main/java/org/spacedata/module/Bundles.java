package org.spacedata.module;

import java.util.Map;

/** Single-file bundles: create, parse, inspect, verify ({@code api::format}). */
public final class Bundles {
    private Bundles() {}

    /**
     * Embeds an {@code sds.bundle} section holding the manifest (and the optional entries) into
     * {@code wasm}; existing {@code sds.*} sections are replaced.
     */
    public static CreatedBundle create(byte[] wasm, String manifestJson, BundleOptions options) throws SdmException {
        Object[] result = NativeLib.createBundle(wasm, manifestJson, options == null ? null : Json.write(options));
        return new CreatedBundle((byte[]) result[0], Json.read((String) result[1], BundleSummary.class));
    }

    public static CreatedBundle create(byte[] wasm, String manifestJson) throws SdmException {
        return create(wasm, manifestJson, null);
    }

    /** The module's bundle; {@code bundle-missing} when it has none. */
    public static ParsedBundle parse(byte[] module) throws SdmException {
        return Json.read(NativeLib.parseBundle(module), ParsedBundle.class);
    }

    /** The parse, and with {@code verify} the check of every stored hash (a mismatch is reported, not thrown). */
    public static InspectReport inspect(byte[] module, boolean verify) throws SdmException {
        return inspect(module, verify, null);
    }

    /** As {@link #inspect(byte[], boolean)}, reading the bundle from another custom section. */
    public static InspectReport inspect(byte[] module, boolean verify, String bundleSectionName) throws SdmException {
        String options = Json.write(bundleSectionName == null
                ? Map.of("verify", verify)
                : Map.of("verify", verify, "bundleSectionName", bundleSectionName));
        return Json.read(NativeLib.inspect(module, options), InspectReport.class);
    }

    /** The parse, or {@code bundle-hash-mismatch} unless every stored hash matches. */
    public static ParsedBundle verify(byte[] module) throws SdmException {
        return Json.read(NativeLib.verifyBundle(module), ParsedBundle.class);
    }
}
