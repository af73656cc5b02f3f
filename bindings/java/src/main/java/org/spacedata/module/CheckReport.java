package org.spacedata.module;

import java.util.List;

/**
 * The compliance report (core {@code CheckReport}). A non-compliant manifest is a report with
 * {@code ok == false}, not an exception.
 */
public record CheckReport(boolean ok, List<Issue> issues) {
    /** One finding: {@code severity} is {@code "error"} or {@code "warning"}. */
    public record Issue(String severity, String code, String location, String message) {}
}
