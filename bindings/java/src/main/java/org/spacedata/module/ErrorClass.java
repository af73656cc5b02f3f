package org.spacedata.module;

import java.util.Locale;

/**
 * The broad class of an {@link ErrorCode}; each class has its own {@link SdmException} subclass
 * (and its own CLI exit code, docs/errors.md).
 */
public enum ErrorClass {
    IO,
    INPUT,
    WASM,
    BUNDLE,
    SECURITY,
    RUNTIME,
    INTERNAL;

    /** The stable lower-case name the native library uses ({@code "security"}...). */
    public String stableName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The class with this stable name; {@link #INTERNAL} for a name this version does not know. */
    public static ErrorClass fromStableName(String name) {
        for (ErrorClass value : values()) {
            if (value.stableName().equals(name)) {
                return value;
            }
        }
        return INTERNAL;
    }
}
