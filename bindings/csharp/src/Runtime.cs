using System;

namespace SpaceDataModule
{
    /// <summary>
    /// A wasmtime engine with its module cache (sdm_runtime). Thread-safe: share one runtime
    /// between threads. A <see cref="Module"/> keeps its runtime's engine alive, so runtime and
    /// modules may be disposed in any order. Dispose is idempotent.
    /// </summary>
    public sealed class Runtime : IDisposable
    {
        readonly RuntimeHandle handle;

        /// <summary>Creates a runtime with the default configuration (sdm_runtime_new).</summary>
        public Runtime()
        {
            handle = RuntimeHandle.Create();
        }

        /// <summary>Compiles a verified module (sdm_module_load). Fail closed: only
        /// <see cref="Sdm.Verify"/> makes a <see cref="Verified"/> (plain wasm with
        /// <see cref="VerifyFlags.AllowUnsigned"/>). The module keeps the capability ceiling of
        /// its verified manifest; <paramref name="verified"/> may be disposed afterwards.
        /// Compilations are cached by code hash in the runtime.</summary>
        public Module Load(Verified verified)
        {
            Interop.RequireNotNull(verified, "verified");
            return new Module(ModuleHandle.Load(handle, verified.Handle));
        }

        /// <summary>True once <see cref="Dispose"/> ran.</summary>
        public bool IsDisposed { get { return handle.IsClosed; } }

        public void Dispose()
        {
            handle.Dispose();
        }
    }
}
