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

    /**
     * Runs the module's {@code _start} once as a WASI program under the default limits: stdin
     * in, the program's arguments, environment and preopened directories granted, {@code hostPolicy}
     * ({@code null}: every capability denied) behind the guest's {@code sdn_host} imports. A
     * non-zero exit is a result; no {@code _start} throws {@code runtime-missing-export}.
     */
    public ProgramResult run(Program program, byte[] stdin, HostPolicy hostPolicy) throws SdmException {
        return run(program, stdin, hostPolicy, null);
    }

    /** {@link #run(Program, byte[], HostPolicy)} under {@code limits} ({@code null}: the defaults). */
    public ProgramResult run(Program program, byte[] stdin, HostPolicy hostPolicy, Limits limits) throws SdmException {
        String programJson = Json.write(program == null ? Program.empty() : program);
        byte[] input = stdin == null ? new byte[0] : stdin;
        String limitsJson = Json.write(limits);
        String policy = hostPolicy == null ? null : hostPolicy.toJson();
        Object[] result = use(module -> NativeLib.moduleRun(module, programJson, input, limitsJson, policy));
        return new ProgramResult(Integer.parseInt((String) result[2]), (byte[]) result[0], (byte[]) result[1]);
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
