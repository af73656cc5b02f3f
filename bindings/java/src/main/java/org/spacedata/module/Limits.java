package org.spacedata.module;

/**
 * Limits applied to every guest call (core {@code Limits}); each has its own error code.
 * {@code fuel} (roughly: wasm instructions) and {@code timeoutMs} may be {@code null}:
 * unlimited. {@link #defaults()} is the core's default (10^10 fuel, 30 s, 256 MiB memory...).
 */
public record Limits(
        Long fuel,
        Long timeoutMs,
        long maxMemoryBytes,
        long maxTableElements,
        long maxRequestBytes,
        long maxResponseBytes,
        long maxStderrBytes) {

    public static Limits defaults() {
        return Defaults.LIMITS;
    }

    public Limits withFuel(Long budget) {
        return new Limits(budget, timeoutMs, maxMemoryBytes, maxTableElements, maxRequestBytes, maxResponseBytes, maxStderrBytes);
    }

    public Limits withTimeoutMs(Long ms) {
        return new Limits(fuel, ms, maxMemoryBytes, maxTableElements, maxRequestBytes, maxResponseBytes, maxStderrBytes);
    }

    public Limits withMaxMemoryBytes(long bytes) {
        return new Limits(fuel, timeoutMs, bytes, maxTableElements, maxRequestBytes, maxResponseBytes, maxStderrBytes);
    }

    public Limits withMaxResponseBytes(long bytes) {
        return new Limits(fuel, timeoutMs, maxMemoryBytes, maxTableElements, maxRequestBytes, bytes, maxStderrBytes);
    }
}
