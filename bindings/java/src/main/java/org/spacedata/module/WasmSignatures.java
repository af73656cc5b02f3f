package org.spacedata.module;

import java.util.List;

/**
 * Module signatures in the WebAssembly tool-conventions format (docs/wasmsig.md), as the CLI's
 * {@code sign-wasm} and {@code verify-wasm}. {@link Publication#open} can require one through
 * {@link OpenOptions#withWasmSigners}.
 */
public final class WasmSignatures {
    private WasmSignatures() {}

    /** How {@link #sign} signs: a detached signature, split parts, a key id, a detached signature to add to. */
    public record SignOptions(boolean detached, boolean splitParts, String keyId, byte[] existingSignature) {
        public static final SignOptions DEFAULT = new SignOptions(false, false, null, null);
    }

    /** The signed module, or with {@code detached} the signature data alone. */
    public static byte[] sign(byte[] module, WasmSigningKey key, SignOptions options) throws SdmException {
        SignOptions o = options == null ? SignOptions.DEFAULT : options;
        return key.use(k -> NativeLib.signWasm(module, k, o.detached(), o.splitParts(), o.keyId(), o.existingSignature()));
    }

    public static byte[] sign(byte[] module, WasmSigningKey key) throws SdmException {
        return sign(module, key, SignOptions.DEFAULT);
    }

    /**
     * Verifies the module's signature (embedded, or {@code signature} when detached; may be null)
     * against trusted Ed25519 keys (hex or public key files). Refusals throw
     * {@code wasm-signature-missing}, {@code -malformed}, {@code -untrusted}, {@code -mismatch},
     * and {@code -partial} unless {@code allowPartial}.
     */
    public static WasmSignatureReport verify(byte[] module, List<String> trustedKeys, byte[] signature,
            boolean allowPartial) throws SdmException {
        String json = NativeLib.verifyWasm(module, trustedKeys.toArray(new String[0]), signature, allowPartial);
        return Json.read(json, WasmSignatureReport.class);
    }
}
