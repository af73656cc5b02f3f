package org.spacedata.module;

import java.util.ArrayList;
import java.util.List;

/**
 * One call of a module method: input frames ({@code port}, {@code payload}) in order; the mode
 * ({@code null}: direct when exported, else command); the limits ({@code null}: the core's
 * defaults); the host policy ({@code null}: the empty policy).
 */
public record Call(String method, List<Input> inputs, InvokeMode mode, Limits limits, HostPolicy hostPolicy) {
    /** One input frame. */
    public record Input(String port, byte[] payload) {}

    public static Call of(String method) {
        return new Call(method, List.of(), null, null, null);
    }

    /** This call with one more input frame. */
    public Call withInput(String port, byte[] payload) {
        List<Input> more = new ArrayList<>(inputs);
        more.add(new Input(port, payload));
        return new Call(method, List.copyOf(more), mode, limits, hostPolicy);
    }

    public Call withMode(InvokeMode invokeMode) {
        return new Call(method, inputs, invokeMode, limits, hostPolicy);
    }

    public Call withLimits(Limits callLimits) {
        return new Call(method, inputs, mode, callLimits, hostPolicy);
    }

    public Call withHostPolicy(HostPolicy policy) {
        return new Call(method, inputs, mode, limits, policy);
    }

    String[] ports() {
        return inputs.stream().map(Input::port).toArray(String[]::new);
    }

    byte[][] payloads() {
        return inputs.stream().map(Input::payload).toArray(byte[][]::new);
    }
}
