package org.spacedata.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated ErrorCode enum is the table the loaded native library was built with. */
class ErrorCodesTest {
    @Test
    void theEnumMatchesTheNativeTable() throws Exception {
        JsonNode table = Json.READER.readTree(NativeLib.errorCodes());
        List<String> fromNative = new ArrayList<>();
        table.forEach(row -> fromNative.add(row.get("code").asText() + " " + row.get("number").asInt() + " "
                + row.get("errorClass").asText()));
        List<String> fromJava = new ArrayList<>();
        for (ErrorCode code : ErrorCode.values()) {
            fromJava.add(code.code() + " " + code.number() + " " + code.errorClass().stableName());
        }
        assertEquals(fromNative, fromJava);
        assertTrue(fromJava.size() > 100);
    }

    @Test
    void exceptionsCarryCodeNumberAndClass() {
        SdmException error = SdmException.fromNative(605, "signature-invalid", "security", "no trusted signer");
        assertTrue(error instanceof SdmException.Security);
        assertEquals("signature-invalid", error.code());
        assertEquals(605, error.number());
        assertEquals("no trusted signer", error.detail());
        assertEquals("[signature-invalid] no trusted signer", error.getMessage());
        assertSame(ErrorCode.SIGNATURE_INVALID, error.errorCode());
        assertSame(ErrorCode.SIGNATURE_INVALID, ErrorCode.fromNumber(605));
        // A class this version does not know is internal, never lost.
        assertTrue(SdmException.fromNative(1234, "future-code", "future", "x") instanceof SdmException.Internal);
    }
}
