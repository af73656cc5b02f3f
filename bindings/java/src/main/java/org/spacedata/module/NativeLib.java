package org.spacedata.module;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The native methods (bindings/java/jni) and how their library is found:
 *
 * <ol>
 *   <li>the system property {@code sdm.native.library}: the path of the library file;
 *   <li>else {@code System.loadLibrary("space_data_module_jni")}: a
 *       {@code libspace_data_module_jni.so} in a directory of {@code java.library.path};
 *   <li>else the copy inside the jar at {@code native/<os>-<arch>/} (e.g.
 *       {@code native/linux-x86_64/libspace_data_module_jni.so}): extracted to a temporary file,
 *       loaded, and the file removed again (the loaded mapping stays valid).
 * </ol>
 *
 * Every method maps native errors and panics to {@link SdmException}.
 */
final class NativeLib {
    static final String LIBRARY = "space_data_module_jni";

    static {
        load();
    }

    private NativeLib() {}

    /** {@code native/<os>-<arch>}, the directory of the jar that holds the library. */
    static String classifier() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("linux") ? "linux" : os.contains("mac") ? "macos" : os.contains("win") ? "windows" : os;
        String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
        return osName + "-" + archName;
    }

    private static void load() {
        String explicit = System.getProperty("sdm.native.library");
        if (explicit != null && !explicit.isEmpty()) {
            System.load(Path.of(explicit).toAbsolutePath().toString());
            return;
        }
        UnsatisfiedLinkError onPath;
        try {
            System.loadLibrary(LIBRARY);
            return;
        } catch (UnsatisfiedLinkError e) {
            onPath = e;
        }
        String resource = "/native/" + classifier() + "/" + System.mapLibraryName(LIBRARY);
        try (InputStream in = NativeLib.class.getResourceAsStream(resource)) {
            if (in == null) {
                UnsatisfiedLinkError error = new UnsatisfiedLinkError(
                        "lib" + LIBRARY + " is neither on java.library.path nor in the jar at " + resource);
                error.addSuppressed(onPath);
                throw error;
            }
            Path file = Files.createTempFile(LIBRARY + "-", "-" + System.mapLibraryName(LIBRARY));
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toString());
            } finally {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    file.toFile().deleteOnExit();
                }
            }
        } catch (IOException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot extract " + resource + ": " + e);
            error.addSuppressed(onPath);
            throw error;
        }
    }

    // ---- handles and codes (handles.rs, codes.rs, boundary.rs) ----
    static native void free(long handle);

    static native String errorCodes();

    static native void debugPanic() throws SdmException;

    // ---- format.rs ----
    static native Object[] encodeManifest(String manifestJson) throws SdmException;

    static native String decodeManifest(byte[] flatbuffer) throws SdmException;

    static native String check(String manifestJson, byte[] wasm, boolean standards, String manifestName, String wasmName)
            throws SdmException;

    static native Object[] createBundle(byte[] wasm, String manifestJson, String optionsJson) throws SdmException;

    static native String parseBundle(byte[] module) throws SdmException;

    static native String inspect(byte[] module, String optionsJson) throws SdmException;

    static native String verifyBundle(byte[] module) throws SdmException;

    // ---- keys.rs ----
    static native String generateMnemonic() throws SdmException;

    static native long signingKeyRandom() throws SdmException;

    static native long signingKeyFromMnemonic(String phrase) throws SdmException;

    static native long signingKeyFromPrivateKey(byte[] privateKey) throws SdmException;

    static native long signingKeyFromFileText(String text) throws SdmException;

    static native long signingKeyReadFile(String path) throws SdmException;

    static native void signingKeyWriteFile(long key, String path) throws SdmException;

    static native String signingKeyToFileText(long key) throws SdmException;

    static native String signingKeyPublicKeyHex(long key) throws SdmException;

    static native String signingKeyDerivationPath(long key) throws SdmException;

    static native long recipientKeyGenerate() throws SdmException;

    static native long recipientKeyFromPrivateKey(byte[] privateKey) throws SdmException;

    static native long recipientKeyFromFileText(String text) throws SdmException;

    static native long recipientKeyReadFile(String path) throws SdmException;

    static native void recipientKeyWriteFile(long key, String path) throws SdmException;

    static native String recipientKeyToFileText(long key) throws SdmException;

    static native byte[] recipientKeyPublicKey(long key) throws SdmException;

    static native byte[] recipientPublicKeyFromHex(String hex) throws SdmException;

    // ---- wasmsig.rs ----
    static native long wasmKeyGenerate() throws SdmException;

    static native long wasmKeyFromBytes(byte[] keyPair) throws SdmException;

    static native long wasmKeyReadFile(String path) throws SdmException;

    static native void wasmKeyWriteFile(long key, String path) throws SdmException;

    static native String wasmKeyPublicKeyHex(long key) throws SdmException;

    static native byte[] signWasm(byte[] module, long key, boolean detached, boolean splitParts, String keyId,
            byte[] existingSignature) throws SdmException;

    static native String verifyWasm(byte[] module, String[] trustedKeys, byte[] signature, boolean allowPartial)
            throws SdmException;

    // ---- publication.rs ----
    static native Object[] protect(byte[] wasm, String manifestJson, boolean singleFileBundle, byte[] encryptFor, long key)
            throws SdmException;

    static native Object[] open(byte[] artifact, String[] trustedSigners, long decryptWith, boolean allowUnsigned,
            String[] wasmSigners) throws SdmException;

    static native long verifiedAllowUnsigned(byte[] wasm) throws SdmException;

    static native byte[] verifiedWasm(long module) throws SdmException;

    static native String verifiedReport(long module) throws SdmException;

    static native String verifiedManifest(long module) throws SdmException;

    // ---- authorization.rs ----
    static native String authorizationCreate(String optionsJson, long key, String signerJson) throws SdmException;

    static native String authorizationVerify(String envelopeJson, String[] trustedSigners, String requestJson)
            throws SdmException;

    // ---- runtime.rs ----
    static native String runtimeDefaults() throws SdmException;

    static native void hostPolicyCheck(String policyJson) throws SdmException;

    static native long runtimeNew(String configJson) throws SdmException;

    static native long runtimeLoad(long runtime, long verifiedModule) throws SdmException;

    static native String moduleInfo(long module) throws SdmException;

    static native String moduleInvoke(long module, String method, String[] ports, byte[][] payloads, String mode,
            String limitsJson, String hostPolicyJson) throws SdmException;

    static native Object[] moduleRun(long module, String programJson, byte[] stdin, String limitsJson,
            String hostPolicyJson) throws SdmException;

    // ---- runtime_host.rs ----
    static native long runtimeHostNew(String path, String policyJson) throws SdmException;

    static native String rhAppendRow(long host, String schemaFileId, String payloadJson) throws SdmException;

    static native String rhResolveRow(long host, String schemaFileId, long rowId) throws SdmException;

    static native String rhListRows(long host, String schemaFileId) throws SdmException;

    static native String rhAllocateRegion(long host, String layoutId, long recordByteLength, long alignment, byte[] initial)
            throws SdmException;

    static native String rhDescribeRegion(long host, long regionId) throws SdmException;

    static native String rhSetRegionRecordCount(long host, long regionId, long recordCount) throws SdmException;

    static native byte[] rhResolveRecord(long host, long regionId, long recordIndex) throws SdmException;

    static native String rhListRegions(long host) throws SdmException;

    static native String rhInstallModule(long host, String moduleId, long module, String metadataJson, boolean replace)
            throws SdmException;

    static native String rhUninstallModule(long host, String moduleId) throws SdmException;

    static native String rhLoadModule(long host, String moduleId) throws SdmException;

    static native boolean rhUnloadModule(long host, String moduleId) throws SdmException;

    static native String rhListModules(long host) throws SdmException;

    static native String rhLookupModule(long host, String moduleId) throws SdmException;

    static native String rhInvoke(long host, String moduleId, String method, String[] ports, byte[][] payloads)
            throws SdmException;

    static native byte[] rhInvokeBytes(long host, String moduleId, byte[] request) throws SdmException;
}
