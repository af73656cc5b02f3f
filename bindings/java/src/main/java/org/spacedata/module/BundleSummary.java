package org.spacedata.module;

import java.util.List;

/** What a bundle creation reports (core {@code BundleSummary}). */
public record BundleSummary(
        long outputBytes,
        String outputSha256Hex,
        long bundleBytes,
        String bundleSha256Hex,
        String canonicalModuleHashHex,
        String manifestHashHex,
        List<String> entryIds) {}
