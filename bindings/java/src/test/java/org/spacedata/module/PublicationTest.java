package org.spacedata.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spacedata.module.TestSupport.assertCode;
import static org.spacedata.module.TestSupport.bytes;
import static org.spacedata.module.TestSupport.json;
import static org.spacedata.module.TestSupport.vector;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Keys, protect -> open, and the loader's refusals (vectors/publication). */
class PublicationTest {
    @Test
    void keysRoundTripThroughKeyFiles(@TempDir Path dir) throws Exception {
        String mnemonic = SigningKey.generateMnemonic();
        assertEquals(12, mnemonic.split(" ").length);
        try (SigningKey key = SigningKey.fromMnemonic(mnemonic);
                SigningKey again = SigningKey.fromMnemonic(mnemonic);
                RecipientKey recipient = RecipientKey.generate()) {
            assertEquals(key.publicKeyHex(), again.publicKeyHex());
            assertEquals(66, key.publicKeyHex().length());
            assertEquals("m/44'/0'/0'/0/0", key.derivationPath().orElseThrow());

            Path signingFile = dir.resolve("signing.json");
            key.writeFile(signingFile);
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(signingFile));
            try (SigningKey read = SigningKey.readFile(signingFile)) {
                assertEquals(key.publicKeyHex(), read.publicKeyHex());
            }
            Path recipientFile = dir.resolve("recipient.json");
            recipient.writeFile(recipientFile);
            try (RecipientKey read = RecipientKey.readFile(recipientFile)) {
                assertArrayEquals(recipient.publicKey(), read.publicKey());
            }
            assertArrayEquals(recipient.publicKey(), RecipientKey.publicKeyFromHex(recipient.publicKeyHex()));
            // A signing key file is not a recipient key file; errors never echo the secret.
            SdmException error = assertCode(SdmException.Security.class, "key-invalid",
                    () -> RecipientKey.fromFileText(key.toFileText()));
            String secret = json(signingFile).get("privateKeyHex").asText();
            assertFalse(error.getMessage().contains(secret));
        }
        assertCode(SdmException.Security.class, "key-invalid", () -> SigningKey.fromMnemonic("not a mnemonic"));
        assertCode(SdmException.Security.class, "key-invalid", () -> SigningKey.fromPrivateKey(new byte[5]));
        try (SigningKey random = SigningKey.random()) {
            assertTrue(random.derivationPath().isEmpty());
        }
    }

    @Test
    void protectThenOpenRoundTrips() throws Exception {
        byte[] wasm = TestSupport.baseModule();
        try (SigningKey signer = SigningKey.generate(); RecipientKey recipient = RecipientKey.generate()) {
            // Signed only.
            ProtectedArtifact signed = Publication.protect(ProtectRequest.of(wasm, TestSupport.manifestJson()), signer);
            assertEquals(signer.publicKeyHex(), signed.result().signingPublicKeyHex());
            assertFalse(signed.result().encrypted());
            try (Opened opened = Publication.open(signed.artifact(), OpenOptions.trusting(signer.publicKeyHex()))) {
                assertTrue(opened.ok(), String.valueOf(opened.outcome()));
                assertTrue(opened.outcome().authentication().signed());
                VerifiedModule module = opened.orThrow();
                assertArrayEquals(wasm, module.wasm());
                assertEquals(signer.publicKeyHex(), module.report().signature().signerPublicKeyHex());
            }

            // Bundled and encrypted.
            ProtectRequest request = ProtectRequest.of(wasm, TestSupport.manifestJson())
                    .withSingleFileBundle(true)
                    .withEncryptFor(recipient.publicKey());
            ProtectedArtifact sealed = Publication.protect(request, signer);
            assertTrue(sealed.result().encrypted());
            assertTrue(sealed.result().singleFileBundle());
            OpenOptions options = OpenOptions.trusting(signer.publicKeyHex()).withDecryptWith(recipient);
            try (Opened opened = Publication.open(sealed.artifact(), options)) {
                VerifiedModule module = opened.orThrow();
                assertNotNull(module.report().enc());
                assertTrue(module.report().bundle().present());
                assertNotNull(module.manifest());
                assertEquals(Bundles.parse(module.wasm()).canonicalModuleHashHex(),
                        module.report().bundle().canonicalModuleHashHex());
            }

            // The refusals: each an outcome with the stable code, and orThrow() the right class.
            try (RecipientKey wrong = RecipientKey.generate()) {
                refused(sealed.artifact(), OpenOptions.trusting(signer.publicKeyHex()).withDecryptWith(wrong),
                        "decrypted-payload-invalid", "decryption-failed");
            }
            refused(sealed.artifact(), OpenOptions.trusting(signer.publicKeyHex()), "decryption-key-required");
            byte[] tampered = signed.artifact().clone();
            tampered[100] ^= 1;
            refused(tampered, OpenOptions.trusting(signer.publicKeyHex()), "cid-mismatch");
            try (SigningKey stranger = SigningKey.random()) {
                refused(signed.artifact(), OpenOptions.trusting(stranger.publicKeyHex()), "signature-invalid");
            }
            refused(wasm, OpenOptions.trusting(signer.publicKeyHex()), "trailer-missing");
            try (Opened unsigned = Publication.open(wasm, OpenOptions.trusting().withAllowUnsigned(true))) {
                assertTrue(unsigned.ok());
            }
        }
        // A malformed trusted signer is an argument error, whatever the artifact.
        assertCode(SdmException.Security.class, "key-invalid",
                () -> Publication.open(new byte[8], OpenOptions.trusting("zz")));
    }

    private static void refused(byte[] artifact, OpenOptions options, String... codes) throws SdmException {
        try (Opened opened = Publication.open(artifact, options)) {
            assertFalse(opened.ok());
            assertTrue(opened.module().isEmpty());
            OpenOutcome outcome = opened.outcome();
            assertEquals("error", outcome.outcome());
            assertTrue(List.of(codes).contains(outcome.code()), "got " + outcome.code() + ": " + outcome.detail());
            assertEquals(ErrorCode.fromCode(outcome.code()).number(), outcome.status());
            SdmException error = org.junit.jupiter.api.Assertions.assertThrows(SdmException.class, opened::orThrow);
            assertEquals(outcome.code(), error.code());
            assertEquals(ErrorClass.SECURITY, error.errorClass());
            assertTrue(error instanceof SdmException.Security);
        }
    }

    /** Every artifact case of vectors/publication: the reference's outcome and code. */
    @TestFactory
    List<DynamicTest> publicationVectorsOpenAsTheReferenceSays() {
        JsonNode index = json(vector("publication/index.json"));
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode entry : index.get("cases")) {
            if (!"artifact".equals(entry.get("kind").asText())) {
                continue;
            }
            Path dir = vector("publication/" + entry.get("dir").asText());
            tests.add(DynamicTest.dynamicTest(entry.get("id").asText(), () -> {
                JsonNode expected = json(dir.resolve("expected.json"));
                JsonNode inputs = expected.get("loaderInputs");
                List<String> trusted = new ArrayList<>();
                inputs.path("trustedSignerPublicKeysHex").forEach(key -> trusted.add(key.asText()));
                boolean allowUnsigned = inputs.has("requireSignature") && !inputs.get("requireSignature").asBoolean();
                RecipientKey recipient = inputs.hasNonNull("recipientPrivateKeyHex")
                        ? RecipientKey.fromPrivateKey(HexFormat.of().parseHex(inputs.get("recipientPrivateKeyHex").asText()))
                        : null;
                try (Opened opened = Publication.open(bytes(dir.resolve(expected.get("artifact").asText())),
                        new OpenOptions(trusted, recipient, allowUnsigned))) {
                    assertEquals(entry.get("outcome").asText(), opened.outcome().outcome(), String.valueOf(opened.outcome()));
                    if (!entry.get("errorClass").isNull()) {
                        assertEquals(entry.get("errorClass").asText(), opened.outcome().code());
                    }
                } finally {
                    if (recipient != null) {
                        recipient.close();
                    }
                }
            }));
        }
        assertTrue(tests.size() >= 8, "publication vectors");
        return tests;
    }

    @Test
    void authorizationsVerifyAndRefuseWithTheirCodes() throws Exception {
        try (SigningKey key = SigningKey.generate(); SigningKey stranger = SigningKey.random()) {
            AuthorizationOptions options = AuthorizationOptions.defaults()
                    .withArtifactId("artifact-1")
                    .withCapabilities(List.of("clock"))
                    .withIssuedAt(1_700_000_000_000.0)
                    .withTtlMs(60_000);
            String envelope = Authorizations.create(options, key, null);
            VerifyOptions at = VerifyOptions.defaults().withNow(1_700_000_030_000.0);
            VerifiedAuthorization verified = Authorizations.verify(envelope, List.of(key.publicKeyHex()), at);
            assertEquals(key.publicKeyHex(), verified.signerPublicKeyHex());
            assertTrue(verified.payload().toString().contains("\"artifact-1\""), verified.payload().toString());

            assertCode(SdmException.Security.class, "signer-untrusted",
                    () -> Authorizations.verify(envelope, List.of(stranger.publicKeyHex()), at));
            assertCode(SdmException.Security.class, "authorization-expired",
                    () -> Authorizations.verify(envelope, List.of(key.publicKeyHex()),
                            VerifyOptions.defaults().withNow(1_800_000_000_000.0)));
            assertCode(SdmException.Security.class, "authorization-mismatch",
                    () -> Authorizations.verify(envelope, List.of(key.publicKeyHex()),
                            at.withRequiredCapabilities(List.of("filesystem"))));
            String forged = envelope.replace("artifact-1", "artifact-2");
            assertCode(SdmException.Security.class, "authorization-signature-invalid",
                    () -> Authorizations.verify(forged, List.of(key.publicKeyHex()), at));
        }
    }
}
