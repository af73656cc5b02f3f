package org.spacedata.module;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An object owning one native handle (the address of a boxed Rust value, handles.rs).
 *
 * <ul>
 *   <li>{@link #close()} releases it; closing twice is harmless. A handle that is never closed is
 *       released by a {@link Cleaner} once unreachable (a safety net, not a substitute for
 *       try-with-resources: native memory is invisible to the garbage collector).
 *   <li>Calls in flight keep the address alive: {@code close()} marks the handle closed at once
 *       and the last running call frees it; it never blocks and never frees memory in use.
 *   <li>A call after {@code close()} throws {@link SdmException} ({@code invalid-argument}); it
 *       never reaches native code with a freed address.
 *   <li>Every handle may be used by many threads at once (the native values are
 *       {@code Send + Sync}).
 * </ul>
 */
abstract class NativeHandle implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final State state;
    private final Cleaner.Cleanable cleanable;
    private final String kind;

    NativeHandle(String kind, long address) {
        this.kind = kind;
        this.state = new State(address);
        this.cleanable = CLEANER.register(this, state);
    }

    /** A native call that receives the live address. */
    @FunctionalInterface
    interface NativeCall<R> {
        R apply(long address) throws SdmException;
    }

    /** Runs {@code call} with the live address; {@code invalid-argument} once closed. */
    final <R> R use(NativeCall<R> call) throws SdmException {
        long address = state.acquire();
        if (address == 0) {
            throw SdmException.invalidArgument(kind + " is closed");
        }
        try {
            return call.apply(address);
        } finally {
            state.release();
            // The Cleaner must not run while native code uses the address.
            Reference.reachabilityFence(this);
        }
    }

    /** True once {@link #close()} was called. */
    public final boolean isClosed() {
        return state.closed.get();
    }

    /** Releases the native value (after the calls in flight). Idempotent. */
    @Override
    public final void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return kind + (isClosed() ? "[closed]" : "");
    }

    /**
     * The address and its users; also the Cleaner action. Holds no reference to the handle
     * object (or the Cleaner could never run).
     */
    private static final class State implements Runnable {
        private final long address;
        private final AtomicInteger users = new AtomicInteger();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicBoolean freed = new AtomicBoolean();

        State(long address) {
            this.address = address;
        }

        long acquire() {
            users.incrementAndGet();
            if (closed.get()) {
                release();
                return 0;
            }
            return address;
        }

        void release() {
            if (users.decrementAndGet() == 0 && closed.get()) {
                free();
            }
        }

        /** close() or the Cleaner: at most once (Cleanable.clean guarantees it). */
        @Override
        public void run() {
            closed.set(true);
            if (users.get() == 0) {
                free();
            }
        }

        private void free() {
            if (freed.compareAndSet(false, true)) {
                NativeLib.free(address);
            }
        }
    }
}
