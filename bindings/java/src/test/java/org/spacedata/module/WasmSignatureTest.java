package org.spacedata.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spacedata.module.TestSupport.assertCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Module signatures in the WebAssembly tool-conventions format, and open requiring one. */
class WasmSignatureTest {
    private final byte[] module = TestSupport.baseModule();

    @Test
    void signAndVerifyWithTheirRefusalCodes(@TempDir Path dir) throws Exception {
        try (WasmSigningKey key = WasmSigningKey.generate(); WasmSigningKey other = WasmSigningKey.generate()) {
            assertEquals(64, key.publicKeyHex().length());
            Path file = dir.resolve("signer.key");
            key.writeFile(file);
            assertEquals(65, Files.size(file));
            try (WasmSigningKey read = WasmSigningKey.readFile(file)) {
                assertEquals(key.publicKeyHex(), read.publicKeyHex());
            }

            byte[] signed = WasmSignatures.sign(module, key,
                    new WasmSignatures.SignOptions(false, true, "ci", null));
            WasmSignatureReport report = WasmSignatures.verify(signed,
                    List.of(other.publicKeyHex(), dir.resolve("signer.key.pub").toString()), null, false);
            assertTrue(report.complete());
            assertEquals(List.of(key.publicKeyHex()), report.signers());

            byte[] signature = WasmSignatures.sign(module, key, new WasmSignatures.SignOptions(true, false, null, null));
            assertEquals(1, WasmSignatures.verify(module, List.of(key.publicKeyHex()), signature, false).parts());

            assertCode(SdmException.Security.class, "wasm-signature-untrusted",
                    () -> WasmSignatures.verify(signed, List.of(other.publicKeyHex()), null, false));
            assertCode(SdmException.Security.class, "wasm-signature-missing",
                    () -> WasmSignatures.verify(module, List.of(key.publicKeyHex()), null, false));
            byte[] tampered = signed.clone();
            tampered[tampered.length - 1] ^= 1;
            assertCode(SdmException.Security.class, "wasm-signature-mismatch",
                    () -> WasmSignatures.verify(tampered, List.of(key.publicKeyHex()), null, false));
            assertCode(SdmException.Security.class, "key-invalid", () -> WasmSigningKey.fromBytes(new byte[65]));
        }
    }

    @Test
    void openCanRequireAWasmSignature() throws Exception {
        try (WasmSigningKey key = WasmSigningKey.generate();
                WasmSigningKey other = WasmSigningKey.generate();
                SigningKey signer = SigningKey.random()) {
            String trusted = signer.publicKeyHex();
            byte[] signed = WasmSignatures.sign(module, key);
            byte[] artifact = Publication.protect(ProtectRequest.of(signed, TestSupport.manifestJson()), signer).artifact();
            try (Opened opened = Publication.open(artifact, OpenOptions.trusting(trusted).withWasmSigners(key.publicKeyHex()))) {
                assertTrue(opened.ok(), String.valueOf(opened.outcome()));
                assertArrayEquals(signed, opened.orThrow().wasm());
                assertEquals(List.of(key.publicKeyHex()), opened.outcome().wasmSignature().signers());
            }
            try (Opened refused = Publication.open(artifact, OpenOptions.trusting(trusted).withWasmSigners(other.publicKeyHex()))) {
                assertFalse(refused.ok());
                assertEquals("wasm-signature-untrusted", refused.outcome().code());
                assertTrue(refused.outcome().report().signature().cidSignatureValid());
            }
            byte[] unsigned = Publication.protect(ProtectRequest.of(module, TestSupport.manifestJson()), signer).artifact();
            try (Opened refused = Publication.open(unsigned, OpenOptions.trusting(trusted).withWasmSigners(key.publicKeyHex()))) {
                assertEquals("wasm-signature-missing", refused.outcome().code());
            }
            try (Opened plain = Publication.open(unsigned, OpenOptions.trusting(trusted))) {
                assertTrue(plain.ok());
                assertNull(plain.outcome().wasmSignature());
            }
        }
    }
}
