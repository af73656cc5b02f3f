package org.spacedata.module.uniffi

import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermission
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

class PublicationTest {
    private val wasm = Fixtures.read("vectors/single-file-bundle/single-file-module.wasm")
    private val manifest = Fixtures.text("vectors/single-file-bundle/manifest.json")
    private val trusted = Fixtures.signingKey.publicKeyHex()
    private val untrusted = Fixtures.otherSigningKey.publicKeyHex()

    @Test
    fun keysDeriveAndRoundTripThroughKeyFiles() {
        assertEquals(66, trusted.length)
        assertNotEquals(trusted, untrusted)
        assertEquals(trusted, SigningKey.fromPrivateKey(Fixtures.seq(1, 32)).publicKeyHex())
        // RFC 7748 6.1: Alice's private key -> public key.
        val alice = RecipientKey.fromPrivateKey(hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", alice.publicKeyHex())
        assertContentEquals(alice.publicKey(), recipientPublicKeyFromHex(alice.publicKeyHex()))

        val generated = generateSigningKey()
        assertEquals(12, generated.mnemonic.split(" ").size)
        assertEquals(generated.key.publicKeyHex(), SigningKey.fromMnemonic(generated.mnemonic).publicKeyHex())
        assertEquals("m/44'/0'/0'/0/0", generated.key.derivationPath())

        val dir = Files.createTempDirectory("sdm-keys")
        val signingPath = dir.resolve("signing.json").toString()
        generated.key.writeFile(signingPath)
        assertEquals(setOf(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
            Files.getPosixFilePermissions(dir.resolve("signing.json")))
        assertEquals(generated.key.publicKeyHex(), SigningKey.readFile(signingPath).publicKeyHex())
        val recipient = RecipientKey.generate()
        val recipientPath = dir.resolve("recipient.json").toString()
        recipient.writeFile(recipientPath)
        assertEquals(recipient.publicKeyHex(), RecipientKey.readFile(recipientPath).publicKeyHex())
        assertEquals(recipient.publicKeyHex(), RecipientKey.fromFileText(recipient.toFileText()).publicKeyHex())
        // A signing key file is not a recipient key file; bad keys are KEY_INVALID.
        assertCode(ErrorCode.KEY_INVALID) { RecipientKey.fromFileText(generated.key.toFileText()) }
        assertCode(ErrorCode.KEY_INVALID) { SigningKey.fromPrivateKey(ByteArray(32)) }
        assertCode(ErrorCode.KEY_INVALID) { SigningKey.fromMnemonic("not a mnemonic") }
        assertCode(ErrorCode.IO) { SigningKey.readFile(dir.resolve("absent.json").toString()) }
        // A trust list may name a key file.
        val opened = open(protect(wasm, manifest, generated.key).artifact, OpenOptions(trustedSigners = listOf(signingPath)))
        assertTrue(opened.outcome().ok)
    }

    @Test
    fun protectThenOpenRoundTripsAndRefusalsHaveTheirCodes() {
        val protected = protect(wasm, manifest, Fixtures.signingKey,
            ProtectOptions(singleFileBundle = true, encryptFor = Fixtures.recipientKey.publicKey()))
        assertTrue(protected.result.encrypted && protected.result.singleFileBundle)
        assertEquals(trusted, protected.result.signingPublicKeyHex)
        assertNotNull(protected.result.publicationNotice.cid)
        assertNotNull(protected.result.encryptedEnvelopeJson)

        val module = open(protected.artifact,
            OpenOptions(trustedSigners = listOf(untrusted, trusted), decryptWith = Fixtures.recipientKey))
        val outcome = module.outcome()
        assertTrue(outcome.ok)
        assertNull(outcome.code)
        assertEquals(0u, outcome.status)
        assertTrue(outcome.authentication.signed)
        assertEquals(protected.result.publicationNotice.cid, outcome.authentication.cid)
        assertEquals(trusted, outcome.report.signature?.signerPublicKeyHex)
        assertEquals(true, outcome.report.cid?.matches)
        assertNotNull(outcome.report.enc)
        assertEquals(module.wasm().size.toULong(), outcome.report.wasm?.length)
        assertEquals("ok", Json.obj(outcome.json)["outcome"])
        // The opened module is the bundled module: its bundle names the vector's plugin.
        assertEquals(parseBundle(wasm).pluginId, parseBundle(module.wasm()).pluginId)

        // Wrong key: the decrypted bytes are not WebAssembly (docs/errors.md 609).
        assertCode(ErrorCode.DECRYPTED_PAYLOAD_INVALID) {
            open(protected.artifact, OpenOptions(trustedSigners = listOf(trusted), decryptWith = Fixtures.wrongRecipient))
        }
        assertCode(ErrorCode.DECRYPTION_KEY_REQUIRED) { open(protected.artifact, OpenOptions(trustedSigners = listOf(trusted))) }
        // Untrusted signer.
        val untrustedErr = assertCode(ErrorCode.SIGNATURE_INVALID) {
            open(protected.artifact, OpenOptions(trustedSigners = listOf(untrusted), decryptWith = Fixtures.recipientKey))
        }
        assertEquals(605u, (untrustedErr as SdmException.Security).number)
        assertEquals("signature-invalid", untrustedErr.name)
        // A trust list entry that is neither a key nor a file is an argument error.
        assertCode(ErrorCode.KEY_INVALID) { open(protected.artifact, OpenOptions(trustedSigners = listOf("nope"))) }
    }

    @Test
    fun tamperedArtifactsAreRefusedWithTheirReport() {
        val protected = protect(wasm, manifest, Fixtures.signingKey)
        assertFalse(protected.result.encrypted)
        val opened = open(protected.artifact, OpenOptions(trustedSigners = listOf(trusted)))
        assertContentEquals(wasm, opened.wasm())

        val tampered = protected.artifact.copyOf()
        tampered[wasm.size / 2] = (tampered[wasm.size / 2].toInt() xor 1).toByte()
        val err = assertFailsWithSecurity { open(tampered, OpenOptions(trustedSigners = listOf(trusted))) }
        assertTrue(err.sdmCode == ErrorCode.CID_MISMATCH || err.sdmCode == ErrorCode.SIGNATURE_INVALID, "${err.sdmCode}")

        // The same refusal as an outcome, with the partial report.
        val result = openWithReport(tampered, OpenOptions(trustedSigners = listOf(trusted)))
        assertFalse(result.outcome.ok)
        assertNull(result.module)
        assertEquals(err.sdmCode, result.outcome.code)
        assertEquals(err.sdmCode.number(), result.outcome.status)
        assertEquals(true, result.outcome.report.trailer?.present)
        assertEquals(false, result.outcome.authentication.signed)
        assertEquals("error", Json.obj(result.outcome.json)["outcome"])

        // A plain module has no trailer; allowUnsigned accepts it explicitly.
        assertCode(ErrorCode.TRAILER_MISSING) { open(wasm, OpenOptions(trustedSigners = listOf(trusted))) }
        assertTrue(open(wasm, OpenOptions(allowUnsigned = true)).outcome().ok)
        assertContentEquals(wasm, VerifiedModule.allowUnsigned(wasm).wasm())
        // allowUnsigned still verifies a signature that is present (nobody is trusted).
        assertFailsWithSecurity { VerifiedModule.allowUnsigned(protected.artifact) }
    }

    @Test
    fun authorizationsVerifyAndRefuseUntrustedSigners() {
        val envelope = createAuthorization(
            AuthorizationOptions(artifactId = "art-1", target = "https://example.invalid/node", capabilities = listOf("clock")),
            Fixtures.signingKey,
        )
        val verified = verifyAuthorization(envelope, listOf(trusted),
            VerifyOptions(artifactId = "art-1", requiredCapabilities = listOf("clock")))
        assertEquals(trusted, verified.signerPublicKeyHex)
        assertEquals("art-1", Json.obj(verified.payloadJson)["artifactId"])

        assertCode(ErrorCode.SIGNER_UNTRUSTED) { verifyAuthorization(envelope, listOf(untrusted)) }
        assertCode(ErrorCode.AUTHORIZATION_MISMATCH) {
            verifyAuthorization(envelope, listOf(trusted), VerifyOptions(requiredCapabilities = listOf("filesystem")))
        }
        assertCode(ErrorCode.AUTHORIZATION_EXPIRED) {
            verifyAuthorization(envelope, listOf(trusted), VerifyOptions(now = System.currentTimeMillis() + 3_600_000.0))
        }
        val forged = envelope.replace("art-1", "art-2")
        assertCode(ErrorCode.AUTHORIZATION_SIGNATURE_INVALID) { verifyAuthorization(forged, listOf(trusted)) }
        assertCode(ErrorCode.INVALID_ARGUMENT) {
            createAuthorization(AuthorizationOptions(target = "a", targetJson = "{}"), Fixtures.signingKey)
        }
    }

    private fun assertFailsWithSecurity(block: () -> Unit): SdmException {
        val err = kotlin.test.assertFailsWith<SdmException.Security> { block() }
        return err
    }

    private fun hex(text: String): ByteArray = ByteArray(text.length / 2) { text.substring(2 * it, 2 * it + 2).toInt(16).toByte() }
}
