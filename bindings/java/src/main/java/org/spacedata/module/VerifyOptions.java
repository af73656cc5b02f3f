package org.spacedata.module;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * How {@link Authorizations#verify} checks an envelope (core {@code VerifyRequest}); every
 * member optional: {@code now} (ms since the epoch; default the system clock), the tolerated
 * {@code clockSkewMs} (default 0), and the expectations that must hold when given.
 */
public record VerifyOptions(
        Double now, Double clockSkewMs, JsonNode artifact, JsonNode target, List<String> requiredCapabilities) {
    public static VerifyOptions defaults() {
        return new VerifyOptions(null, null, null, null, null);
    }

    public VerifyOptions withNow(double ms) {
        return new VerifyOptions(ms, clockSkewMs, artifact, target, requiredCapabilities);
    }

    public VerifyOptions withRequiredCapabilities(List<String> capabilities) {
        return new VerifyOptions(now, clockSkewMs, artifact, target, capabilities);
    }
}
