package org.spacedata.module;

import java.nio.charset.StandardCharsets;

/**
 * What a WASI program run ({@link Module#run}) produced: the exit code (0 when {@code _start}
 * returned normally), everything written to stdout and to stderr. A non-zero exit is a result,
 * not an exception.
 */
public record ProgramResult(int exitCode, byte[] stdout, byte[] stderr) {
    /** True when the exit code is 0. */
    public boolean ok() {
        return exitCode == 0;
    }

    /** stdout as UTF-8 text (malformed bytes replaced). */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** stderr as UTF-8 text (malformed bytes replaced). */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ProgramResult[exitCode=" + exitCode + ", stdout=" + stdout.length + " bytes, stderr=" + stderr.length + " bytes]";
    }
}
