package org.spacedata.module;

/** Protect (sign, optionally bundle and encrypt) and open (the fail-closed loader). */
public final class Publication {
    private Publication() {}

    /** Signs (and optionally bundles and encrypts) a module, at the system clock. */
    public static ProtectedArtifact protect(ProtectRequest request, SigningKey signer) throws SdmException {
        Object[] result = signer.use(key -> NativeLib.protect(request.wasm(), request.manifestJson(),
                request.singleFileBundle(), request.encryptFor(), key));
        return new ProtectedArtifact((byte[]) result[0], Json.read((String) result[1], ProtectResult.class));
    }

    /**
     * Runs the fail-closed loader. A refusal (bad signature, untrusted signer, wrong key...) is an
     * {@link Opened} whose outcome carries the code and the partial report; an exception is only
     * for arguments that are wrong whatever the artifact (a malformed trusted signer, an artifact
     * above the size cap, a closed key).
     */
    public static Opened open(byte[] artifact, OpenOptions options) throws SdmException {
        String[] signers = options.trustedSigners() == null ? new String[0] : options.trustedSigners().toArray(new String[0]);
        String[] wasmSigners = options.wasmSigners() == null ? new String[0] : options.wasmSigners().toArray(new String[0]);
        Object[] result = options.decryptWith() == null
                ? NativeLib.open(artifact, signers, 0, options.allowUnsigned(), wasmSigners)
                : options.decryptWith().use(
                        key -> NativeLib.open(artifact, signers, key, options.allowUnsigned(), wasmSigners));
        VerifiedModule module = result[1] == null ? null : new VerifiedModule((Long) result[1]);
        OpenOutcome outcome;
        try {
            outcome = Json.read((String) result[0], OpenOutcome.class);
        } catch (SdmException | RuntimeException e) {
            if (module != null) {
                module.close();
            }
            throw e;
        }
        return new Opened(outcome, module);
    }
}
