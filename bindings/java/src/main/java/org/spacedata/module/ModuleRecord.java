package org.spacedata.module;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An installed module (core {@code ModuleRecordView}): its id, canonical hash, version (from 1,
 * +1 per reinstall), size, whether it is loaded, and the caller's metadata.
 */
public record ModuleRecord(
        String moduleId, String moduleHashHex, long version, long byteLength, boolean loaded, JsonNode metadata) {}
