package org.spacedata.module;

import java.nio.file.Path;

/**
 * An Ed25519 key that signs modules in the WebAssembly tool-conventions format (the
 * {@code wasmsign2} key files: {@code 0x81 || seed || public key}). The secret stays in native,
 * zeroizing memory. Thread-safe; close it when done.
 */
public final class WasmSigningKey extends NativeHandle {
    WasmSigningKey(long address) {
        super("WasmSigningKey", address);
    }

    public static WasmSigningKey generate() throws SdmException {
        return new WasmSigningKey(NativeLib.wasmKeyGenerate());
    }

    /** A 65-byte key pair ({@code key-invalid} otherwise). */
    public static WasmSigningKey fromBytes(byte[] keyPair) throws SdmException {
        return new WasmSigningKey(NativeLib.wasmKeyFromBytes(keyPair));
    }

    /** A key file ({@code keygen --kind ed25519}, {@code wasmsign2 keygen}). */
    public static WasmSigningKey readFile(Path path) throws SdmException {
        return new WasmSigningKey(NativeLib.wasmKeyReadFile(path.toString()));
    }

    /** Writes the key file (mode 0600, atomically) and its public key as {@code PATH.pub}. */
    public void writeFile(Path path) throws SdmException {
        String target = path.toString();
        use(key -> {
            NativeLib.wasmKeyWriteFile(key, target);
            return null;
        });
    }

    /** The public key, 64 hex digits: what a trust list names. */
    public String publicKeyHex() throws SdmException {
        return use(NativeLib::wasmKeyPublicKeyHex);
    }
}
