package org.spacedata.module;

import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The response of a call (core {@code InvokeResult}). A guest answering with a non-zero status
 * or an error code is a result with those fields set ({@link #failed()}), not an exception.
 */
public record InvokeResult(
        String mode,
        int statusCode,
        boolean yielded,
        long backlogRemaining,
        String errorCode,
        String errorMessage,
        List<OutputFrame> outputs) {

    /** True when the guest answered with a non-zero status or an error code. */
    public boolean failed() {
        return statusCode != 0 || (errorCode != null && !errorCode.isEmpty());
    }

    /** The payload of the first output frame on {@code port}. */
    public Optional<byte[]> output(String port) {
        return outputs.stream().filter(frame -> port.equals(frame.portId())).findFirst().map(OutputFrame::payload);
    }

    /**
     * One output frame: its port, type reference ({@code null} for a frame written without type
     * metadata), the aligned-binary envelope fields and the payload. {@code traceId} and
     * {@code sequence} are unsigned 64-bit values as decimal text ({@link #traceIdBits()},
     * {@link #sequenceBits()} give the bits).
     */
    public record OutputFrame(
            String portId,
            TypeRef typeRef,
            int alignment,
            long offset,
            long size,
            int ownership,
            long generation,
            int mutability,
            String traceId,
            long streamId,
            String sequence,
            boolean endOfStream,
            String payloadBase64) {

        /** The payload bytes. */
        public byte[] payload() {
            return Base64.getDecoder().decode(payloadBase64);
        }

        /** {@code traceId} as the bits of a u64 ({@link Long#toUnsignedString} prints it back). */
        public long traceIdBits() {
            return Long.parseUnsignedLong(traceId);
        }

        /** {@code sequence} as the bits of a u64. */
        public long sequenceBits() {
            return Long.parseUnsignedLong(sequence);
        }
    }
}
