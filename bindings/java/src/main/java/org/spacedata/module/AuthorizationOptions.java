package org.spacedata.module;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The reference's {@code createDeploymentAuthorization} options (core
 * {@code AuthorizationOptions}); every member optional ({@code null}: the core's default: issued
 * now, a TTL of 300000 ms, a random nonce). {@code artifact} and {@code target} are JSON values
 * ({@code {artifactId, programId, graphHash, manifestHash}}; a URL string or
 * {@code {id, audience, ...}}).
 */
public record AuthorizationOptions(
        JsonNode artifact,
        String artifactId,
        String programId,
        String graphHash,
        String manifestHash,
        JsonNode target,
        List<String> capabilities,
        Double issuedAt,
        Double ttlMs,
        String nonce,
        JsonNode constraints) {

    public static AuthorizationOptions defaults() {
        return new AuthorizationOptions(null, null, null, null, null, null, null, null, null, null, null);
    }

    public AuthorizationOptions withArtifactId(String id) {
        return new AuthorizationOptions(artifact, id, programId, graphHash, manifestHash, target, capabilities, issuedAt, ttlMs, nonce, constraints);
    }

    public AuthorizationOptions withGraphHash(String hash) {
        return new AuthorizationOptions(artifact, artifactId, programId, hash, manifestHash, target, capabilities, issuedAt, ttlMs, nonce, constraints);
    }

    public AuthorizationOptions withTarget(JsonNode value) {
        return new AuthorizationOptions(artifact, artifactId, programId, graphHash, manifestHash, value, capabilities, issuedAt, ttlMs, nonce, constraints);
    }

    public AuthorizationOptions withCapabilities(List<String> granted) {
        return new AuthorizationOptions(artifact, artifactId, programId, graphHash, manifestHash, target, granted, issuedAt, ttlMs, nonce, constraints);
    }

    public AuthorizationOptions withIssuedAt(double ms) {
        return new AuthorizationOptions(artifact, artifactId, programId, graphHash, manifestHash, target, capabilities, ms, ttlMs, nonce, constraints);
    }

    public AuthorizationOptions withTtlMs(double ms) {
        return new AuthorizationOptions(artifact, artifactId, programId, graphHash, manifestHash, target, capabilities, issuedAt, ms, nonce, constraints);
    }
}
