package org.spacedata.module;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A compiled, linked module. Thread-safe: many threads may invoke one module at once (each call
 * runs in a fresh instance under its own limits).
 */
public final class Module extends NativeHandle {
    Module(long address) {
        super("Module", address);
    }

    /** Invokes one method; see {@link Call}. Host-side failures (limits, traps) throw. */
    public InvokeResult invoke(Call call) throws SdmException {
        String[] ports = call.ports();
        byte[][] payloads = call.payloads();
        String mode = call.mode() == null ? null : call.mode().stableName();
        String limits = Json.write(call.limits());
        String policy = call.hostPolicy() == null ? null : call.hostPolicy().toJson();
        String json = use(module -> NativeLib.moduleInvoke(module, call.method(), ports, payloads, mode, limits, policy));
        return Json.read(json, InvokeResult.class);
    }

    /** One input frame, default mode, limits and (empty) policy. */
    public InvokeResult invoke(String method, String port, byte[] payload) throws SdmException {
        return invoke(Call.of(method).withInput(port, payload));
    }

    /** The modes the module supports, preferred first. */
    public List<InvokeMode> modes() throws SdmException {
        List<String> names = Json.READER.convertValue(info().get("modes"), new TypeReference<List<String>>() {});
        return names.stream().map(InvokeMode::fromStableName).toList();
    }

    /** The capabilities its verified manifest declares. */
    public List<String> declaredCapabilities() throws SdmException {
        return Json.READER.convertValue(info().get("declaredCapabilities"), new TypeReference<List<String>>() {});
    }

    private JsonNode info() throws SdmException {
        return Json.tree(use(NativeLib::moduleInfo));
    }
}
