package org.spacedata.module;

/**
 * What {@link Publication#protect} signs: the module and its manifest; optionally bundled into a
 * single file first, optionally encrypted for a 32-byte X25519 recipient public key.
 */
public record ProtectRequest(byte[] wasm, String manifestJson, boolean singleFileBundle, byte[] encryptFor) {
    public static ProtectRequest of(byte[] wasm, String manifestJson) {
        return new ProtectRequest(wasm, manifestJson, false, null);
    }

    public ProtectRequest withSingleFileBundle(boolean bundle) {
        return new ProtectRequest(wasm, manifestJson, bundle, encryptFor);
    }

    public ProtectRequest withEncryptFor(byte[] recipientPublicKey) {
        return new ProtectRequest(wasm, manifestJson, singleFileBundle, recipientPublicKey);
    }
}
