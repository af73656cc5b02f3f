package org.spacedata.module;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A secp256k1 signing key (publication signatures, authorizations). The private key stays in
 * native, zeroizing memory; only {@link #toFileText()} brings it to Java (the key-file format of
 * docs/keys.md, shared with the CLI and every binding). Thread-safe; close it when done.
 */
public final class SigningKey extends NativeHandle {
    SigningKey(long address) {
        super("SigningKey", address);
    }

    /** A fresh 12-word BIP-39 mnemonic (derive the key with {@link #fromMnemonic}). */
    public static String generateMnemonic() throws SdmException {
        return NativeLib.generateMnemonic();
    }

    /** A fresh key derived from a fresh mnemonic that is not kept (use {@link #generateMnemonic} to keep one). */
    public static SigningKey generate() throws SdmException {
        return fromMnemonic(generateMnemonic());
    }

    /** A fresh key from 32 random bytes (not derived: no mnemonic restores it). */
    public static SigningKey random() throws SdmException {
        return new SigningKey(NativeLib.signingKeyRandom());
    }

    /** The key at m/44'/0'/0'/0/0 of a BIP-39 English mnemonic ({@code key-invalid} otherwise). */
    public static SigningKey fromMnemonic(String mnemonic) throws SdmException {
        return new SigningKey(NativeLib.signingKeyFromMnemonic(mnemonic));
    }

    /** A raw 32-byte secp256k1 scalar. */
    public static SigningKey fromPrivateKey(byte[] privateKey) throws SdmException {
        return new SigningKey(NativeLib.signingKeyFromPrivateKey(privateKey));
    }

    /** Parses key-file text ({@code key-invalid} for anything else, never echoing the secret). */
    public static SigningKey fromFileText(String text) throws SdmException {
        return new SigningKey(NativeLib.signingKeyFromFileText(text));
    }

    public static SigningKey readFile(Path path) throws SdmException {
        return new SigningKey(NativeLib.signingKeyReadFile(path.toString()));
    }

    /** Writes the key file atomically, mode 0600. */
    public void writeFile(Path path) throws SdmException {
        String target = path.toString();
        use(key -> {
            NativeLib.signingKeyWriteFile(key, target);
            return null;
        });
    }

    /** The key-file text (holds the private key). */
    public String toFileText() throws SdmException {
        return use(NativeLib::signingKeyToFileText);
    }

    /** The compressed public key, 66 hex digits: what verifiers trust. */
    public String publicKeyHex() throws SdmException {
        return use(NativeLib::signingKeyPublicKeyHex);
    }

    /** The BIP-32 path the key was derived at; empty for a key that was not derived. */
    public Optional<String> derivationPath() throws SdmException {
        return Optional.ofNullable(use(NativeLib::signingKeyDerivationPath));
    }
}
