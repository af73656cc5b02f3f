package org.spacedata.module;

/** How a module is called. */
public enum InvokeMode {
    /** {@code plugin_alloc} / {@code plugin_invoke_stream} / {@code plugin_free}. */
    DIRECT("direct"),
    /** {@code _start} with the request on stdin and the response on stdout. */
    COMMAND("command");

    private final String stableName;

    InvokeMode(String stableName) {
        this.stableName = stableName;
    }

    /** {@code "direct"} or {@code "command"}. */
    public String stableName() {
        return stableName;
    }

    public static InvokeMode fromStableName(String name) {
        for (InvokeMode mode : values()) {
            if (mode.stableName.equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown invoke mode " + name);
    }
}
