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

        /// <summary>Compiles raw WebAssembly (sdm_module_load). A protected artifact must be
        /// opened with <see cref="Sdm.Open"/> first.</summary>
        public Module Load(byte[] wasm)
        {
            Interop.RequireNotNull(wasm, "wasm");
            return new Module(ModuleHandle.Load(handle, wasm));
        }

        /// <summary>True once <see cref="Dispose"/> ran.</summary>
        public bool IsDisposed { get { return handle.IsClosed; } }

        public void Dispose()
        {
            handle.Dispose();
        }
    }
}
