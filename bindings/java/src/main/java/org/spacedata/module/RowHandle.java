package org.spacedata.module;

/** The durable identity of a row: per schema, ids start at 1 and are never reused. */
public record RowHandle(String schemaFileId, long rowId) {}
