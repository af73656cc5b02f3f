package org.spacedata.module;

/** A record region's descriptor. */
public record Region(
        long regionId, String layoutId, long recordByteLength, long alignment, long recordCount, boolean external) {}
