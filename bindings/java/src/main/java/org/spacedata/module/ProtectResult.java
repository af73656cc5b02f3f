package org.spacedata.module;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What protect reports (core {@code ProtectResult}); the artifact bytes are in
 * {@link ProtectedArtifact#artifact()} ({@code protectedArtifactBase64} is empty here).
 */
public record ProtectResult(
        String signingPublicKeyHex,
        String signingPath,
        JsonNode payload,
        OpenReport.Pnm publicationNotice,
        String publicationRecordsBase64,
        String protectedArtifactBase64,
        boolean encrypted,
        JsonNode encryptedEnvelope,
        boolean singleFileBundle) {}
