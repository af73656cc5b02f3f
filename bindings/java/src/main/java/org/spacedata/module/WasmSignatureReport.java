package org.spacedata.module;

import java.util.List;

/**
 * What a tool-conventions module signature check established (core {@code WasmsigReport},
 * docs/schemas/wasmsig-report.schema.json): the trusted keys (64 hex digits) whose signatures
 * cover the verified parts, how many parts and bytes verified, and whether every part is
 * covered ({@code false} only when partial verification was allowed).
 */
public record WasmSignatureReport(
        List<String> signers, int parts, int verifiedParts, long verifiedBytes, boolean complete) {}
