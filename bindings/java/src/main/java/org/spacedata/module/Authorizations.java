package org.spacedata.module;

import java.util.List;

/** Deployment authorizations (spec 11): create + sign, verify against trusted signers. */
public final class Authorizations {
    private Authorizations() {}

    /**
     * Creates and signs an envelope {@code {protected, payload, signatureHex}} (JSON text).
     * {@code signer} {@code null}: the key's own derivation path.
     */
    public static String create(AuthorizationOptions options, SigningKey key, SignerInfo signer) throws SdmException {
        String optionsJson = Json.write(options);
        String signerJson = Json.write(signer);
        return key.use(address -> NativeLib.authorizationCreate(optionsJson, address, signerJson));
    }

    /**
     * Verifies an envelope (spec 11.7); the first failure wins: {@code authorization-malformed},
     * {@code unsupported-algorithm}, {@code signer-untrusted}, {@code authorization-expired},
     * {@code authorization-signature-invalid}, {@code authorization-mismatch}.
     */
    public static VerifiedAuthorization verify(String envelopeJson, List<String> trustedSigners, VerifyOptions options)
            throws SdmException {
        String json = NativeLib.authorizationVerify(envelopeJson, trustedSigners.toArray(new String[0]), Json.write(options));
        return Json.read(json, VerifiedAuthorization.class);
    }
}
