package org.spacedata.module;

import java.util.List;

/**
 * Who is trusted and what is required by {@link Publication#open}: trusted signers as text (a
 * hex secp256k1 public key, or the path of a file holding one or a key file), the recipient key
 * of an encrypted artifact, and whether an artifact without trailer or signature is accepted
 * (signatures that are present still verify).
 */
public record OpenOptions(List<String> trustedSigners, RecipientKey decryptWith, boolean allowUnsigned) {
    public static OpenOptions trusting(String... signers) {
        return new OpenOptions(List.of(signers), null, false);
    }

    public OpenOptions withDecryptWith(RecipientKey key) {
        return new OpenOptions(trustedSigners, key, allowUnsigned);
    }

    public OpenOptions withAllowUnsigned(boolean allow) {
        return new OpenOptions(trustedSigners, decryptWith, allow);
    }
}
