package org.spacedata.module;

import com.fasterxml.jackson.databind.JsonNode;

/** The core's defaults, read once from the native library so Java never restates them. */
final class Defaults {
    static final Limits LIMITS;
    static final RuntimeConfig CONFIG;

    static {
        try {
            JsonNode defaults = Json.tree(NativeLib.runtimeDefaults());
            LIMITS = Json.READER.treeToValue(defaults.get("limits"), Limits.class);
            CONFIG = Json.READER.treeToValue(defaults.get("config"), RuntimeConfig.class);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Defaults() {}
}
