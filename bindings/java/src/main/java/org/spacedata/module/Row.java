package org.spacedata.module;

import com.fasterxml.jackson.databind.JsonNode;

/** A stored row: its handle and a copy of its JSON payload. */
public record Row(RowHandle handle, JsonNode payload) {}
