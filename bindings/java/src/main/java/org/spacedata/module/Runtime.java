package org.spacedata.module;

/**
 * A WebAssembly runtime (wasmtime): one engine, a compile cache keyed by module hash and a
 * ticker for timeouts. Thread-safe: share one runtime between threads. A {@link Module} keeps
 * its runtime's engine alive, so closing the runtime does not invalidate loaded modules.
 */
public final class Runtime extends NativeHandle {
    private Runtime(long address) {
        super("Runtime", address);
    }

    public static Runtime create() throws SdmException {
        return new Runtime(NativeLib.runtimeNew(null));
    }

    public static Runtime create(RuntimeConfig config) throws SdmException {
        return new Runtime(NativeLib.runtimeNew(Json.write(config)));
    }

    /** Compiles (or takes from the cache) a verified module. Fail closed: only verified modules load. */
    public Module load(VerifiedModule module) throws SdmException {
        long loaded = use(runtime -> module.use(verified -> NativeLib.runtimeLoad(runtime, verified)));
        return new Module(loaded);
    }
}
