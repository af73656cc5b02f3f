package org.spacedata.module;

import java.util.List;

/**
 * The loader's verdict (core {@code OpenOutcome}): {@code outcome} is {@code "ok"} or
 * {@code "error"}; on a refusal {@code code}/{@code status} are the stable code's name and
 * number and {@code detail} its message; {@code report} is what was established;
 * {@code wasmSignature} the opened wasm's tool-conventions signature when
 * {@link OpenOptions#wasmSigners} required one (else null).
 */
public record OpenOutcome(
        String outcome, int status, String code, String detail, OpenReport report, Authentication authentication,
        WasmSignatureReport wasmSignature) {

    /** True when the artifact was opened. */
    public boolean ok() {
        return "ok".equals(outcome);
    }

    /** What a verified signature does and does not vouch for (docs/keys.md). */
    public record Authentication(boolean signed, String cid, String publishTimestamp, List<String> unauthenticated) {}
}
