package org.spacedata.module;

/**
 * Engine-wide settings, fixed when a {@link Runtime} is created: compiled modules kept in the
 * cache, fuel instrumentation (needed for {@link Limits#fuel()}), and the period of the ticker
 * that enforces {@link Limits#timeoutMs()}.
 */
public record RuntimeConfig(int moduleCacheCapacity, boolean fuelMetering, long epochTickMs) {
    public static RuntimeConfig defaults() {
        return Defaults.CONFIG;
    }
}
