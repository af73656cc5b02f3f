package org.spacedata.module;

/** A bundled module and its summary. */
public record CreatedBundle(byte[] wasm, BundleSummary summary) {}
