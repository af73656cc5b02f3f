package org.spacedata.module.uniffi

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

class ErrorsTest {
    @Test
    fun errorCodesCarryTheirStableNumbersNamesAndClasses() {
        val codes = errorCodes()
        assertEquals(ErrorCode.entries.toList(), codes, "the generated enum is the core's list, in order")
        assertTrue(codes.size > 100)
        assertEquals(605u, ErrorCode.SIGNATURE_INVALID.value)
        assertEquals(605u, ErrorCode.SIGNATURE_INVALID.number())
        assertEquals("signature-invalid", ErrorCode.SIGNATURE_INVALID.codeName())
        assertEquals(ErrorClass.SECURITY, ErrorCode.SIGNATURE_INVALID.errorClass())
        assertEquals(ErrorClass.IO, ErrorCode.IO.errorClass())
        assertEquals(ErrorClass.RUNTIME, ErrorCode.RUNTIME_TRAP.errorClass())
        for (code in codes) {
            assertEquals(code.value, code.number())
            assertTrue(code.codeName().matches(Regex("[a-z0-9-]+")), code.codeName())
        }
        assertEquals(codes.size, codes.map { it.codeName() }.toSet().size)
    }

    @Test
    fun aPanicIsAnInternalErrorAndTheLibraryKeepsWorking() {
        val err = assertCode(ErrorCode.PANIC) { debugForcePanic() }
        assertTrue((err as SdmException.Internal).detail.contains("debug_force_panic"), err.detail)
        assertEquals(6u, err.number)
        assertTrue(encodeManifest(Fixtures.text("vectors/single-file-bundle/manifest.json")).bytes.isNotEmpty())
    }
}
