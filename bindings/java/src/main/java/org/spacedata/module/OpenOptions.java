package org.spacedata.module;

import java.util.List;

/**
 * Who is trusted and what is required by {@link Publication#open}: trusted signers as text (a
 * hex secp256k1 public key, or the path of a file holding one or a key file), the recipient key
 * of an encrypted artifact, whether an artifact without trailer or signature is accepted
 * (signatures that are present still verify), and the Ed25519 keys of which one must have
 * signed the opened wasm in the WebAssembly tool-conventions format (empty: none required;
 * docs/wasmsig.md).
 */
public record OpenOptions(
        List<String> trustedSigners, RecipientKey decryptWith, boolean allowUnsigned, List<String> wasmSigners) {
    public OpenOptions(List<String> trustedSigners, RecipientKey decryptWith, boolean allowUnsigned) {
        this(trustedSigners, decryptWith, allowUnsigned, List.of());
    }

    public static OpenOptions trusting(String... signers) {
        return new OpenOptions(List.of(signers), null, false);
    }

    public OpenOptions withDecryptWith(RecipientKey key) {
        return new OpenOptions(trustedSigners, key, allowUnsigned, wasmSigners);
    }

    public OpenOptions withAllowUnsigned(boolean allow) {
        return new OpenOptions(trustedSigners, decryptWith, allow, wasmSigners);
    }

    /** Requires a tool-conventions signature by one of these Ed25519 keys (hex or key files). */
    public OpenOptions withWasmSigners(String... keys) {
        return new OpenOptions(trustedSigners, decryptWith, allowUnsigned, List.of(keys));
    }
}
