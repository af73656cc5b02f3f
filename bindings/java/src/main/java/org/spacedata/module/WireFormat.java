package org.spacedata.module;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a frame's payload is laid out: a FlatBuffer, or a fixed-layout aligned-binary record. */
public enum WireFormat {
    @JsonProperty("flatbuffer")
    FLATBUFFER("flatbuffer"),
    @JsonProperty("aligned-binary")
    ALIGNED_BINARY("aligned-binary");

    private final String stableName;

    WireFormat(String stableName) {
        this.stableName = stableName;
    }

    /** {@code "flatbuffer"} or {@code "aligned-binary"}, as in JSON. */
    public String stableName() {
        return stableName;
    }
}
