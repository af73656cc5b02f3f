package org.spacedata.module;

import java.util.Optional;

/**
 * The result of {@link Publication#open}: the outcome with its report and, exactly when the
 * outcome is ok, the verified module. Closing it closes the module.
 */
public final class Opened implements AutoCloseable {
    private final OpenOutcome outcome;
    private final VerifiedModule module;

    Opened(OpenOutcome outcome, VerifiedModule module) {
        this.outcome = outcome;
        this.module = module;
    }

    public OpenOutcome outcome() {
        return outcome;
    }

    public boolean ok() {
        return module != null;
    }

    /** The verified module; empty on a refusal. */
    public Optional<VerifiedModule> module() {
        return Optional.ofNullable(module);
    }

    /** The verified module, or the refusal as an {@link SdmException} with its code. */
    public VerifiedModule orThrow() throws SdmException {
        if (module != null) {
            return module;
        }
        ErrorCode code = outcome.code() == null ? null : ErrorCode.fromCode(outcome.code());
        String detail = outcome.detail() == null ? "" : outcome.detail();
        if (code == null) {
            throw SdmException.fromNative(outcome.status(), String.valueOf(outcome.code()), "internal", detail);
        }
        throw SdmException.of(code, detail);
    }

    @Override
    public void close() {
        if (module != null) {
            module.close();
        }
    }
}
