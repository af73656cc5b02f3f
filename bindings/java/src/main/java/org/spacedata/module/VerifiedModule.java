package org.spacedata.module;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A module that passed the fail-closed loader: the only thing {@link Runtime#load} and the
 * {@link RuntimeHost} registry accept. Created by {@link Publication#open} or, explicitly without
 * a signature, by {@link #allowUnsigned}. Thread-safe; close it when done.
 */
public final class VerifiedModule extends NativeHandle {
    VerifiedModule(long address) {
        super("VerifiedModule", address);
    }

    /**
     * Accepts plain wasm without requiring a signature. The loader still runs: a trailer that is
     * present must verify (and with no trusted signer it cannot), and the wasm must validate.
     */
    public static VerifiedModule allowUnsigned(byte[] wasm) throws SdmException {
        return new VerifiedModule(NativeLib.verifiedAllowUnsigned(wasm));
    }

    /** The plain WebAssembly (trailer stripped, decrypted). */
    public byte[] wasm() throws SdmException {
        return use(NativeLib::verifiedWasm);
    }

    /** What the loader established. */
    public OpenReport report() throws SdmException {
        return Json.read(use(NativeLib::verifiedReport), OpenReport.class);
    }

    /** The capabilities the verified manifest declares: the most a host may grant this module. */
    public List<String> declaredCapabilities() throws SdmException {
        return Json.READER.convertValue(info().get("declaredCapabilities"),
                new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {});
    }

    /** The decoded manifest core read from the module, or {@code null} when it carries none. */
    public JsonNode manifest() throws SdmException {
        JsonNode manifest = info().get("manifest");
        return manifest == null || manifest.isNull() ? null : manifest;
    }

    private JsonNode info() throws SdmException {
        return Json.tree(use(NativeLib::verifiedManifest));
    }
}
