package org.spacedata.module;

import java.util.List;

/**
 * What {@link Bundles#inspect} reports (core {@code InspectReport}): the parse, and with
 * {@code verify} whether every stored hash matches ({@code verified}, {@code mismatches};
 * {@code null} without {@code verify}).
 */
public record InspectReport(ParsedBundle parsed, Boolean verified, List<HashMismatch> mismatches) {
    /** A stored hash that does not match the bytes it covers. */
    public record HashMismatch(String field, String computed, String stored) {}
}
