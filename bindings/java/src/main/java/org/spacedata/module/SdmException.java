package org.spacedata.module;

/**
 * The one checked exception of this library. {@link #code()} is the stable kebab-case name of
 * the failure (e.g. {@code "signature-invalid"}) and {@link #number()} its stable number; both
 * are the same on every boundary (CLI, C ABI, every binding). There is one subclass per
 * {@link ErrorClass}, so callers can catch a whole class:
 *
 * <pre>{@code
 * try { ... } catch (SdmException.Security e) { log(e.code()); }
 * }</pre>
 *
 * Errors, Rust panics ({@code "panic"}) and failed JNI calls ({@code "internal"}) in native code
 * all arrive as an {@code SdmException}; a closed handle or a {@code null} argument is
 * {@code "invalid-argument"}.
 */
public class SdmException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int number;
    private final String detail;

    SdmException(String code, int number, String detail) {
        super("[" + code + "] " + detail);
        this.code = code;
        this.number = number;
        this.detail = detail;
    }

    /** The stable name, e.g. {@code "cid-mismatch"}. */
    public String code() {
        return code;
    }

    /** The stable number, e.g. 603. */
    public int number() {
        return number;
    }

    /** The message without the {@code [code]} prefix. */
    public String detail() {
        return detail;
    }

    /** The code as an enum constant, or {@code null} for a code this version does not know. */
    public ErrorCode errorCode() {
        return ErrorCode.fromCode(code);
    }

    /** The class of the code (the subclass this exception is). */
    public ErrorClass errorClass() {
        return ErrorClass.INTERNAL;
    }

    /** Called by the native library (boundary.rs) to build the exception it throws. */
    static SdmException fromNative(int number, String code, String errorClass, String message) {
        return create(ErrorClass.fromStableName(errorClass), code, number, message);
    }

    /** An exception raised on the Java side. */
    static SdmException of(ErrorCode code, String message) {
        return create(code.errorClass(), code.code(), code.number(), message);
    }

    static SdmException invalidArgument(String message) {
        return of(ErrorCode.INVALID_ARGUMENT, message);
    }

    private static SdmException create(ErrorClass errorClass, String code, int number, String message) {
        switch (errorClass) {
            case IO:
                return new Io(code, number, message);
            case INPUT:
                return new Input(code, number, message);
            case WASM:
                return new Wasm(code, number, message);
            case BUNDLE:
                return new Bundle(code, number, message);
            case SECURITY:
                return new Security(code, number, message);
            case RUNTIME:
                return new Runtime(code, number, message);
            default:
                return new Internal(code, number, message);
        }
    }

    /** A file could not be read or written. */
    public static final class Io extends SdmException {
        private static final long serialVersionUID = 1L;

        Io(String code, int number, String detail) {
            super(code, number, detail);
        }

        @Override
        public ErrorClass errorClass() {
            return ErrorClass.IO;
        }
    }

    /** Invalid input: JSON, arguments, manifests, size caps. */
    public static final class Input extends SdmException {
        private static final long serialVersionUID = 1L;

        Input(String code, int number, String detail) {
            super(code, number, detail);
        }

        @Override
        public ErrorClass errorClass() {
            return ErrorClass.INPUT;
        }
    }

    /** The bytes are not a usable WebAssembly module. */
    public static final class Wasm extends SdmException {
        private static final long serialVersionUID = 1L;

        Wasm(String code, int number, String detail) {
            super(code, number, detail);
        }

        @Override
        public ErrorClass errorClass() {
            return ErrorClass.WASM;
        }
    }

    /** An {@code sds.bundle} section is missing, malformed or does not match its hashes. */
    public static final class Bundle extends SdmException {
        private static final long serialVersionUID = 1L;

        Bundle(String code, int number, String detail) {
            super(code, number, detail);
        }

        @Override
        public ErrorClass errorClass() {
            return ErrorClass.BUNDLE;
        }
    }

    /** A signature, key, encryption, authorization or capability check failed. */
    public static final class Security extends SdmException {
        private static final long serialVersionUID = 1L;

        Security(String code, int number, String detail) {
            super(code, number, detail);
        }

        @Override
        public ErrorClass errorClass() {
            return ErrorClass.SECURITY;
        }
    }

    /** The runtime, invoke envelopes, the host or the runtime host failed. */
    public static final class Runtime extends SdmException {
        private static final long serialVersionUID = 1L;

        Runtime(String code, int number, String detail) {
            super(code, number, detail);
        }

        @Override
        public ErrorClass errorClass() {
            return ErrorClass.RUNTIME;
        }
    }

    /** A bug in this library (an invariant, a panic, a failed JNI call). Please report it. */
    public static final class Internal extends SdmException {
        private static final long serialVersionUID = 1L;

        Internal(String code, int number, String detail) {
            super(code, number, detail);
        }

        @Override
        public ErrorClass errorClass() {
            return ErrorClass.INTERNAL;
        }
    }
}
