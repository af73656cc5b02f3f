// Generated from the core's ErrorCode table by bindings/java/jni/src/codes.rs; do not edit.
// Regenerate with: SDM_WRITE_JAVA_CODES=1 cargo test -p space-data-module-jni codes
package org.spacedata.module;

import java.util.HashMap;
import java.util.Map;

/**
 * Every stable error code of the core: its kebab-case name, its number and its class. Names and
 * numbers never change; docs/errors.md describes each code.
 */
public enum ErrorCode {
    /** {@code io} (1). */
    IO("io", 1, ErrorClass.IO),
    /** {@code invalid-json} (2). */
    INVALID_JSON("invalid-json", 2, ErrorClass.INPUT),
    /** {@code input-too-large} (3). */
    INPUT_TOO_LARGE("input-too-large", 3, ErrorClass.INPUT),
    /** {@code invalid-argument} (4). */
    INVALID_ARGUMENT("invalid-argument", 4, ErrorClass.INPUT),
    /** {@code internal} (5). */
    INTERNAL("internal", 5, ErrorClass.INTERNAL),
    /** {@code panic} (6). */
    PANIC("panic", 6, ErrorClass.INTERNAL),
    /** {@code manifest-identifier-mismatch} (100). */
    MANIFEST_IDENTIFIER_MISMATCH("manifest-identifier-mismatch", 100, ErrorClass.INPUT),
    /** {@code manifest-malformed} (101). */
    MANIFEST_MALFORMED("manifest-malformed", 101, ErrorClass.INPUT),
    /** {@code manifest-required-field} (102). */
    MANIFEST_REQUIRED_FIELD("manifest-required-field", 102, ErrorClass.INPUT),
    /** {@code manifest-invalid-value} (103). */
    MANIFEST_INVALID_VALUE("manifest-invalid-value", 103, ErrorClass.INPUT),
    /** {@code wasm-truncated} (200). */
    WASM_TRUNCATED("wasm-truncated", 200, ErrorClass.WASM),
    /** {@code wasm-magic-mismatch} (201). */
    WASM_MAGIC_MISMATCH("wasm-magic-mismatch", 201, ErrorClass.WASM),
    /** {@code wasm-unsupported-version} (202). */
    WASM_UNSUPPORTED_VERSION("wasm-unsupported-version", 202, ErrorClass.WASM),
    /** {@code wasm-uleb-end-of-data} (203). */
    WASM_ULEB_END_OF_DATA("wasm-uleb-end-of-data", 203, ErrorClass.WASM),
    /** {@code wasm-uleb-overflow} (204). */
    WASM_ULEB_OVERFLOW("wasm-uleb-overflow", 204, ErrorClass.WASM),
    /** {@code wasm-section-past-end} (205). */
    WASM_SECTION_PAST_END("wasm-section-past-end", 205, ErrorClass.WASM),
    /** {@code wasm-custom-name-past-payload} (206). */
    WASM_CUSTOM_NAME_PAST_PAYLOAD("wasm-custom-name-past-payload", 206, ErrorClass.WASM),
    /** {@code wasm-custom-name-required} (207). */
    WASM_CUSTOM_NAME_REQUIRED("wasm-custom-name-required", 207, ErrorClass.WASM),
    /** {@code wasm-invalid} (208). */
    WASM_INVALID("wasm-invalid", 208, ErrorClass.WASM),
    /** {@code bundle-missing} (300). */
    BUNDLE_MISSING("bundle-missing", 300, ErrorClass.BUNDLE),
    /** {@code bundle-duplicate} (301). */
    BUNDLE_DUPLICATE("bundle-duplicate", 301, ErrorClass.BUNDLE),
    /** {@code bundle-identifier-mismatch} (302). */
    BUNDLE_IDENTIFIER_MISMATCH("bundle-identifier-mismatch", 302, ErrorClass.BUNDLE),
    /** {@code bundle-malformed} (303). */
    BUNDLE_MALFORMED("bundle-malformed", 303, ErrorClass.BUNDLE),
    /** {@code bundle-invalid-payload} (304). */
    BUNDLE_INVALID_PAYLOAD("bundle-invalid-payload", 304, ErrorClass.BUNDLE),
    /** {@code bundle-hash-mismatch} (305). */
    BUNDLE_HASH_MISMATCH("bundle-hash-mismatch", 305, ErrorClass.BUNDLE),
    /** {@code bundle-required-field} (306). */
    BUNDLE_REQUIRED_FIELD("bundle-required-field", 306, ErrorClass.BUNDLE),
    /** {@code canonical-non-finite} (400). */
    CANONICAL_NON_FINITE("canonical-non-finite", 400, ErrorClass.INPUT),
    /** {@code deployment-invalid-plan} (450). */
    DEPLOYMENT_INVALID_PLAN("deployment-invalid-plan", 450, ErrorClass.INPUT),
    /** {@code compliance-invalid-catalog} (500). */
    COMPLIANCE_INVALID_CATALOG("compliance-invalid-catalog", 500, ErrorClass.INPUT),
    /** {@code compliance-invalid-case} (501). */
    COMPLIANCE_INVALID_CASE("compliance-invalid-case", 501, ErrorClass.INPUT),
    /** {@code trailer-invalid} (600). */
    TRAILER_INVALID("trailer-invalid", 600, ErrorClass.SECURITY),
    /** {@code trailer-missing} (601). */
    TRAILER_MISSING("trailer-missing", 601, ErrorClass.SECURITY),
    /** {@code signature-missing} (602). */
    SIGNATURE_MISSING("signature-missing", 602, ErrorClass.SECURITY),
    /** {@code cid-mismatch} (603). */
    CID_MISMATCH("cid-mismatch", 603, ErrorClass.SECURITY),
    /** {@code unsupported-algorithm} (604). */
    UNSUPPORTED_ALGORITHM("unsupported-algorithm", 604, ErrorClass.SECURITY),
    /** {@code signature-invalid} (605). */
    SIGNATURE_INVALID("signature-invalid", 605, ErrorClass.SECURITY),
    /** {@code timestamp-signature-invalid} (606). */
    TIMESTAMP_SIGNATURE_INVALID("timestamp-signature-invalid", 606, ErrorClass.SECURITY),
    /** {@code decryption-key-required} (607). */
    DECRYPTION_KEY_REQUIRED("decryption-key-required", 607, ErrorClass.SECURITY),
    /** {@code decryption-failed} (608). */
    DECRYPTION_FAILED("decryption-failed", 608, ErrorClass.SECURITY),
    /** {@code decrypted-payload-invalid} (609). */
    DECRYPTED_PAYLOAD_INVALID("decrypted-payload-invalid", 609, ErrorClass.SECURITY),
    /** {@code envelope-invalid} (610). */
    ENVELOPE_INVALID("envelope-invalid", 610, ErrorClass.SECURITY),
    /** {@code authorization-malformed} (611). */
    AUTHORIZATION_MALFORMED("authorization-malformed", 611, ErrorClass.SECURITY),
    /** {@code signer-untrusted} (612). */
    SIGNER_UNTRUSTED("signer-untrusted", 612, ErrorClass.SECURITY),
    /** {@code authorization-expired} (613). */
    AUTHORIZATION_EXPIRED("authorization-expired", 613, ErrorClass.SECURITY),
    /** {@code authorization-signature-invalid} (614). */
    AUTHORIZATION_SIGNATURE_INVALID("authorization-signature-invalid", 614, ErrorClass.SECURITY),
    /** {@code authorization-mismatch} (615). */
    AUTHORIZATION_MISMATCH("authorization-mismatch", 615, ErrorClass.SECURITY),
    /** {@code key-invalid} (616). */
    KEY_INVALID("key-invalid", 616, ErrorClass.SECURITY),
    /** {@code wasm-signature-missing} (617). */
    WASM_SIGNATURE_MISSING("wasm-signature-missing", 617, ErrorClass.SECURITY),
    /** {@code wasm-signature-malformed} (618). */
    WASM_SIGNATURE_MALFORMED("wasm-signature-malformed", 618, ErrorClass.SECURITY),
    /** {@code wasm-signature-untrusted} (619). */
    WASM_SIGNATURE_UNTRUSTED("wasm-signature-untrusted", 619, ErrorClass.SECURITY),
    /** {@code wasm-signature-mismatch} (620). */
    WASM_SIGNATURE_MISMATCH("wasm-signature-mismatch", 620, ErrorClass.SECURITY),
    /** {@code wasm-signature-partial} (621). */
    WASM_SIGNATURE_PARTIAL("wasm-signature-partial", 621, ErrorClass.SECURITY),
    /** {@code invoke-request-identifier-mismatch} (700). */
    INVOKE_REQUEST_IDENTIFIER_MISMATCH("invoke-request-identifier-mismatch", 700, ErrorClass.RUNTIME),
    /** {@code invoke-response-identifier-mismatch} (701). */
    INVOKE_RESPONSE_IDENTIFIER_MISMATCH("invoke-response-identifier-mismatch", 701, ErrorClass.RUNTIME),
    /** {@code invoke-malformed} (702). */
    INVOKE_MALFORMED("invoke-malformed", 702, ErrorClass.RUNTIME),
    /** {@code invoke-frame-out-of-arena} (703). */
    INVOKE_FRAME_OUT_OF_ARENA("invoke-frame-out-of-arena", 703, ErrorClass.RUNTIME),
    /** {@code invoke-invalid-alignment} (704). */
    INVOKE_INVALID_ALIGNMENT("invoke-invalid-alignment", 704, ErrorClass.RUNTIME),
    /** {@code invoke-method-id-required} (705). */
    INVOKE_METHOD_ID_REQUIRED("invoke-method-id-required", 705, ErrorClass.RUNTIME),
    /** {@code invoke-limit-exceeded} (706). */
    INVOKE_LIMIT_EXCEEDED("invoke-limit-exceeded", 706, ErrorClass.RUNTIME),
    /** {@code runtime-compile-failed} (720). */
    RUNTIME_COMPILE_FAILED("runtime-compile-failed", 720, ErrorClass.RUNTIME),
    /** {@code runtime-instantiate-failed} (721). */
    RUNTIME_INSTANTIATE_FAILED("runtime-instantiate-failed", 721, ErrorClass.RUNTIME),
    /** {@code runtime-missing-export} (722). */
    RUNTIME_MISSING_EXPORT("runtime-missing-export", 722, ErrorClass.RUNTIME),
    /** {@code runtime-fuel-exhausted} (723). */
    RUNTIME_FUEL_EXHAUSTED("runtime-fuel-exhausted", 723, ErrorClass.RUNTIME),
    /** {@code runtime-timeout} (724). */
    RUNTIME_TIMEOUT("runtime-timeout", 724, ErrorClass.RUNTIME),
    /** {@code runtime-memory-limit} (725). */
    RUNTIME_MEMORY_LIMIT("runtime-memory-limit", 725, ErrorClass.RUNTIME),
    /** {@code runtime-out-of-bounds} (726). */
    RUNTIME_OUT_OF_BOUNDS("runtime-out-of-bounds", 726, ErrorClass.RUNTIME),
    /** {@code runtime-request-too-large} (727). */
    RUNTIME_REQUEST_TOO_LARGE("runtime-request-too-large", 727, ErrorClass.RUNTIME),
    /** {@code runtime-response-too-large} (728). */
    RUNTIME_RESPONSE_TOO_LARGE("runtime-response-too-large", 728, ErrorClass.RUNTIME),
    /** {@code runtime-trap} (729). */
    RUNTIME_TRAP("runtime-trap", 729, ErrorClass.RUNTIME),
    /** {@code runtime-null-response} (730). */
    RUNTIME_NULL_RESPONSE("runtime-null-response", 730, ErrorClass.RUNTIME),
    /** {@code runtime-alloc-failed} (731). */
    RUNTIME_ALLOC_FAILED("runtime-alloc-failed", 731, ErrorClass.RUNTIME),
    /** {@code runtime-command-failed} (732). */
    RUNTIME_COMMAND_FAILED("runtime-command-failed", 732, ErrorClass.RUNTIME),
    /** {@code host-capability-denied} (800). */
    HOST_CAPABILITY_DENIED("host-capability-denied", 800, ErrorClass.SECURITY),
    /** {@code host-capability-unsupported} (801). */
    HOST_CAPABILITY_UNSUPPORTED("host-capability-unsupported", 801, ErrorClass.SECURITY),
    /** {@code filesystem-scope-violation} (802). */
    FILESYSTEM_SCOPE_VIOLATION("filesystem-scope-violation", 802, ErrorClass.SECURITY),
    /** {@code host-network-denied} (803). */
    HOST_NETWORK_DENIED("host-network-denied", 803, ErrorClass.SECURITY),
    /** {@code host-command-denied} (804). */
    HOST_COMMAND_DENIED("host-command-denied", 804, ErrorClass.SECURITY),
    /** {@code host-operation-unknown} (810). */
    HOST_OPERATION_UNKNOWN("host-operation-unknown", 810, ErrorClass.RUNTIME),
    /** {@code host-invalid-params} (811). */
    HOST_INVALID_PARAMS("host-invalid-params", 811, ErrorClass.RUNTIME),
    /** {@code host-limit-exceeded} (812). */
    HOST_LIMIT_EXCEEDED("host-limit-exceeded", 812, ErrorClass.RUNTIME),
    /** {@code host-timeout} (813). */
    HOST_TIMEOUT("host-timeout", 813, ErrorClass.RUNTIME),
    /** {@code host-io-failed} (814). */
    HOST_IO_FAILED("host-io-failed", 814, ErrorClass.RUNTIME),
    /** {@code host-network-failed} (815). */
    HOST_NETWORK_FAILED("host-network-failed", 815, ErrorClass.RUNTIME),
    /** {@code host-process-failed} (816). */
    HOST_PROCESS_FAILED("host-process-failed", 816, ErrorClass.RUNTIME),
    /** {@code host-bridge-out-of-bounds} (817). */
    HOST_BRIDGE_OUT_OF_BOUNDS("host-bridge-out-of-bounds", 817, ErrorClass.RUNTIME),
    /** {@code host-request-too-large} (818). */
    HOST_REQUEST_TOO_LARGE("host-request-too-large", 818, ErrorClass.RUNTIME),
    /** {@code host-response-too-large} (819). */
    HOST_RESPONSE_TOO_LARGE("host-response-too-large", 819, ErrorClass.RUNTIME),
    /** {@code host-schedule-no-occurrence} (820). */
    HOST_SCHEDULE_NO_OCCURRENCE("host-schedule-no-occurrence", 820, ErrorClass.RUNTIME),
    /** {@code host-operation-failed} (821). */
    HOST_OPERATION_FAILED("host-operation-failed", 821, ErrorClass.RUNTIME),
    /** {@code runtime-host-invalid-schema-id} (850). */
    RUNTIME_HOST_INVALID_SCHEMA_ID("runtime-host-invalid-schema-id", 850, ErrorClass.RUNTIME),
    /** {@code runtime-host-invalid-row-id} (851). */
    RUNTIME_HOST_INVALID_ROW_ID("runtime-host-invalid-row-id", 851, ErrorClass.RUNTIME),
    /** {@code runtime-host-invalid-layout-id} (852). */
    RUNTIME_HOST_INVALID_LAYOUT_ID("runtime-host-invalid-layout-id", 852, ErrorClass.RUNTIME),
    /** {@code runtime-host-invalid-record-length} (853). */
    RUNTIME_HOST_INVALID_RECORD_LENGTH("runtime-host-invalid-record-length", 853, ErrorClass.RUNTIME),
    /** {@code runtime-host-invalid-alignment} (854). */
    RUNTIME_HOST_INVALID_ALIGNMENT("runtime-host-invalid-alignment", 854, ErrorClass.RUNTIME),
    /** {@code runtime-host-record-too-long} (855). */
    RUNTIME_HOST_RECORD_TOO_LONG("runtime-host-record-too-long", 855, ErrorClass.RUNTIME),
    /** {@code runtime-host-region-externally-counted} (856). */
    RUNTIME_HOST_REGION_EXTERNALLY_COUNTED("runtime-host-region-externally-counted", 856, ErrorClass.RUNTIME),
    /** {@code runtime-host-external-region-failed} (857). */
    RUNTIME_HOST_EXTERNAL_REGION_FAILED("runtime-host-external-region-failed", 857, ErrorClass.RUNTIME),
    /** {@code runtime-host-not-found} (858). */
    RUNTIME_HOST_NOT_FOUND("runtime-host-not-found", 858, ErrorClass.RUNTIME),
    /** {@code runtime-host-limit-exceeded} (859). */
    RUNTIME_HOST_LIMIT_EXCEEDED("runtime-host-limit-exceeded", 859, ErrorClass.RUNTIME),
    /** {@code runtime-host-store-failed} (860). */
    RUNTIME_HOST_STORE_FAILED("runtime-host-store-failed", 860, ErrorClass.RUNTIME),
    /** {@code runtime-host-store-corrupt} (861). */
    RUNTIME_HOST_STORE_CORRUPT("runtime-host-store-corrupt", 861, ErrorClass.RUNTIME),
    /** {@code runtime-host-invalid-module-id} (862). */
    RUNTIME_HOST_INVALID_MODULE_ID("runtime-host-invalid-module-id", 862, ErrorClass.RUNTIME),
    /** {@code runtime-host-module-unknown} (863). */
    RUNTIME_HOST_MODULE_UNKNOWN("runtime-host-module-unknown", 863, ErrorClass.RUNTIME),
    /** {@code runtime-host-module-not-loaded} (864). */
    RUNTIME_HOST_MODULE_NOT_LOADED("runtime-host-module-not-loaded", 864, ErrorClass.RUNTIME),
    /** {@code runtime-host-module-exists} (865). */
    RUNTIME_HOST_MODULE_EXISTS("runtime-host-module-exists", 865, ErrorClass.RUNTIME),
    /** {@code runtime-host-protected-artifact} (866). */
    RUNTIME_HOST_PROTECTED_ARTIFACT("runtime-host-protected-artifact", 866, ErrorClass.RUNTIME),
    /** {@code compiler-toolchain-missing} (900). */
    COMPILER_TOOLCHAIN_MISSING("compiler-toolchain-missing", 900, ErrorClass.RUNTIME),
    /** {@code compiler-invalid-manifest} (901). */
    COMPILER_INVALID_MANIFEST("compiler-invalid-manifest", 901, ErrorClass.RUNTIME),
    /** {@code compiler-invalid-method-id} (902). */
    COMPILER_INVALID_METHOD_ID("compiler-invalid-method-id", 902, ErrorClass.RUNTIME),
    /** {@code compiler-failed} (903). */
    COMPILER_FAILED("compiler-failed", 903, ErrorClass.RUNTIME),
    /** {@code compiler-unsupported-language} (904). */
    COMPILER_UNSUPPORTED_LANGUAGE("compiler-unsupported-language", 904, ErrorClass.RUNTIME),
    /** {@code compiler-empty-source} (905). */
    COMPILER_EMPTY_SOURCE("compiler-empty-source", 905, ErrorClass.RUNTIME),
    /** {@code compiler-output-invalid} (906). */
    COMPILER_OUTPUT_INVALID("compiler-output-invalid", 906, ErrorClass.RUNTIME);

    private static final Map<String, ErrorCode> BY_CODE = new HashMap<>();
    private static final Map<Integer, ErrorCode> BY_NUMBER = new HashMap<>();

    static {
        for (ErrorCode value : values()) {
            BY_CODE.put(value.code, value);
            BY_NUMBER.put(value.number, value);
        }
    }

    private final String code;
    private final int number;
    private final ErrorClass errorClass;

    ErrorCode(String code, int number, ErrorClass errorClass) {
        this.code = code;
        this.number = number;
        this.errorClass = errorClass;
    }

    /** The stable kebab-case name, e.g. {@code "signature-invalid"}. */
    public String code() {
        return code;
    }

    /** The stable number. */
    public int number() {
        return number;
    }

    /** The class the code belongs to (the {@link SdmException} subclass thrown). */
    public ErrorClass errorClass() {
        return errorClass;
    }

    /** The code with this stable name, or {@code null}. */
    public static ErrorCode fromCode(String code) {
        return BY_CODE.get(code);
    }

    /** The code with this stable number, or {@code null}. */
    public static ErrorCode fromNumber(int number) {
        return BY_NUMBER.get(number);
    }
}
