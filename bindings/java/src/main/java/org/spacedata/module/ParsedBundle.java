package org.spacedata.module;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A module's {@code sds.bundle} as parsed (core {@code ParsedBundleView}). */
public record ParsedBundle(
        String bundleSectionName,
        int bundleVersion,
        String moduleFormat,
        Canonicalization canonicalization,
        String manifestExportSymbol,
        String manifestSizeSymbol,
        String canonicalModuleHashHex,
        String storedCanonicalModuleHashHex,
        String manifestHashHex,
        JsonNode pluginId,
        String bundleSha256Hex,
        long bundleByteLength,
        List<String> customSections,
        boolean deploymentPlanPresent,
        List<Entry> entries) {

    /** How the canonical module hash is computed. */
    public record Canonicalization(
            int version, String strippedCustomSectionPrefix, String bundleSectionName, String hashAlgorithm) {}

    /** One bundle entry. */
    public record Entry(
            String entryId,
            String sectionName,
            String mediaType,
            String description,
            String role,
            int roleValue,
            String payloadEncoding,
            int payloadEncodingValue,
            long flags,
            JsonNode typeRef,
            long payloadLength,
            String payloadSha256Hex,
            String sha256Hex,
            Boolean decodedJsonValid,
            JsonNode decodedJson,
            JsonNode decodedManifestPluginId) {}
}
