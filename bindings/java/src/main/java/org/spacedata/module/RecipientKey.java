package org.spacedata.module;

import java.nio.file.Path;
import java.util.HexFormat;

/**
 * An X25519 recipient key: what an encrypted artifact is opened with. The private key stays in
 * native, zeroizing memory. Thread-safe; close it when done.
 */
public final class RecipientKey extends NativeHandle {
    RecipientKey(long address) {
        super("RecipientKey", address);
    }

    public static RecipientKey generate() throws SdmException {
        return new RecipientKey(NativeLib.recipientKeyGenerate());
    }

    /** A raw 32-byte X25519 private key. */
    public static RecipientKey fromPrivateKey(byte[] privateKey) throws SdmException {
        return new RecipientKey(NativeLib.recipientKeyFromPrivateKey(privateKey));
    }

    public static RecipientKey fromFileText(String text) throws SdmException {
        return new RecipientKey(NativeLib.recipientKeyFromFileText(text));
    }

    public static RecipientKey readFile(Path path) throws SdmException {
        return new RecipientKey(NativeLib.recipientKeyReadFile(path.toString()));
    }

    /** A recipient public key given as 64 hex digits, checked ({@code key-invalid}) and decoded. */
    public static byte[] publicKeyFromHex(String hex) throws SdmException {
        return NativeLib.recipientPublicKeyFromHex(hex);
    }

    /** Writes the key file atomically, mode 0600. */
    public void writeFile(Path path) throws SdmException {
        String target = path.toString();
        use(key -> {
            NativeLib.recipientKeyWriteFile(key, target);
            return null;
        });
    }

    public String toFileText() throws SdmException {
        return use(NativeLib::recipientKeyToFileText);
    }

    /** The 32-byte public key (what {@link ProtectRequest#withEncryptFor} takes). */
    public byte[] publicKey() throws SdmException {
        return use(NativeLib::recipientKeyPublicKey);
    }

    public String publicKeyHex() throws SdmException {
        return HexFormat.of().formatHex(publicKey());
    }
}
