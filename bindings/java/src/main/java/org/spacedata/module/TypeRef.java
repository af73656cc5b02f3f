package org.spacedata.module;

/**
 * A frame's FlatBuffer type reference (core {@code TypeRef}): the schema identity of the
 * payload and, for aligned-binary records, their layout. Absent strings are {@code null};
 * {@code schemaHash} may be empty.
 */
public record TypeRef(
        String schemaName,
        String fileIdentifier,
        byte[] schemaHash,
        boolean acceptsAnyFlatbuffer,
        WireFormat wireFormat,
        String rootTypeName,
        int fixedStringLength,
        long byteLength,
        int requiredAlignment) {}
