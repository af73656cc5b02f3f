package org.spacedata.module.uniffi

import java.nio.file.Files
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Module signatures in the WebAssembly tool-conventions format: keys, signWasm, verifyWasm,
 *  and open requiring such a signature beside the PNM signature. */
class WasmSignatureTest {
    private val module = Fixtures.read("vectors/single-file-bundle/base-module.wasm")
    private val manifest = Fixtures.text("vectors/single-file-bundle/manifest.json")

    @Test
    fun signAndVerifyWithTheirRefusalCodes() {
        val key = WasmSigningKey.generate()
        val other = WasmSigningKey.generate()
        assertEquals(64, key.publicKeyHex().length)
        val dir = Files.createTempDirectory("sdm-wasmsig")
        val path = dir.resolve("signer.key").toString()
        key.toFile(path)
        assertEquals(key.publicKeyHex(), WasmSigningKey.fromFile(path).publicKeyHex())
        assertContentEquals(byteArrayOf(1) + key.publicKey(), Files.readAllBytes(dir.resolve("signer.key.pub")))

        val signed = signWasm(module, listOf(key), WasmSignOptions(splitParts = true))
        val report = verifyWasm(signed, listOf(other.publicKeyHex(), "$path.pub"), null, false)
        assertTrue(report.complete)
        assertEquals(listOf(key.publicKeyHex()), report.signers)

        val signature = signWasm(module, listOf(key), WasmSignOptions(detached = true))
        assertEquals(1UL, verifyWasm(module, listOf(key.publicKeyHex()), signature, false).parts)

        assertCode(ErrorCode.WASM_SIGNATURE_UNTRUSTED) { verifyWasm(signed, listOf(other.publicKeyHex()), null, false) }
        assertCode(ErrorCode.WASM_SIGNATURE_MISSING) { verifyWasm(module, listOf(key.publicKeyHex()), null, false) }
        val tampered = signed.copyOf().also { it[it.size - 1] = (it[it.size - 1].toInt() xor 1).toByte() }
        assertCode(ErrorCode.WASM_SIGNATURE_MISMATCH) { verifyWasm(tampered, listOf(key.publicKeyHex()), null, false) }
        assertCode(ErrorCode.KEY_INVALID) { WasmSigningKey.fromBytes(ByteArray(65)) }
    }

    @Test
    fun openCanRequireAWasmSignature() {
        val key = WasmSigningKey.generate()
        val other = WasmSigningKey.generate()
        val trusted = Fixtures.signingKey.publicKeyHex()
        val signed = signWasm(module, listOf(key))
        val artifact = protect(signed, manifest, Fixtures.signingKey).artifact
        val opened = open(artifact, OpenOptions(trustedSigners = listOf(trusted), wasmSigners = listOf(key.publicKeyHex())))
        assertContentEquals(signed, opened.wasm())
        assertEquals(listOf(key.publicKeyHex()), opened.outcome().wasmSignature?.signers)
        assertCode(ErrorCode.WASM_SIGNATURE_UNTRUSTED) {
            open(artifact, OpenOptions(trustedSigners = listOf(trusted), wasmSigners = listOf(other.publicKeyHex())))
        }
        val unsigned = protect(module, manifest, Fixtures.signingKey).artifact
        assertCode(ErrorCode.WASM_SIGNATURE_MISSING) {
            open(unsigned, OpenOptions(trustedSigners = listOf(trusted), wasmSigners = listOf(key.publicKeyHex())))
        }
        assertNull(open(unsigned, OpenOptions(trustedSigners = listOf(trusted))).outcome().wasmSignature)
    }
}
