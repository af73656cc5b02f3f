using System;
using SpaceDataModule.Native;

namespace SpaceDataModule
{
    /// <summary>How <see cref="Module.InvokeHosted"/> enters the guest.</summary>
    public enum InvokeMode : uint
    {
        /// <summary>SDM_INVOKE_DIRECT: the guest's direct-invoke export.</summary>
        Direct = 0,
        /// <summary>SDM_INVOKE_COMMAND: _start, request on stdin, response from stdout.</summary>
        Command = 1,
    }

    /// <summary>
    /// A host policy and the hosts narrowed from it per module (sdm_host; docs/host.md).
    /// Created from the JSON policy, e.g. {"grant":["clock","filesystem"],"filesystemRoot":"/tmp/x"}
    /// ({} grants nothing; an unknown member is invalid-argument). Thread-safe: share one host
    /// between threads and between modules. Dispose is idempotent; a call still running keeps
    /// the native host alive until it returns; calls after Dispose throw ObjectDisposedException.
    /// </summary>
    public sealed class Host : IDisposable
    {
        readonly HostHandle handle;

        /// <summary>Creates a host from its JSON policy (sdm_host_new).</summary>
        public Host(string policyJson)
        {
            handle = HostHandle.Create(Interop.Utf8(policyJson, "policyJson"));
        }

        internal HostHandle Handle { get { return handle; } }

        /// <summary>Runs one host operation for the embedder, not narrowed by any manifest
        /// (sdm_host_invoke), e.g. Invoke("clock.now"). <paramref name="paramsJson"/> null or
        /// "" = null params. Returns the result as JSON; a refusal throws with the operation's
        /// code (e.g. <see cref="ErrorCodes.HostCapabilityDenied"/>).</summary>
        public unsafe string Invoke(string operation, string paramsJson = null)
        {
            byte[] op = Interop.Utf8(operation, "operation");
            byte[] parameters = paramsJson == null ? null : Interop.Utf8(paramsJson, "paramsJson");
            sdm_bytes result = default(sdm_bytes);
            using (var lease = new Lease(handle))
            {
                fixed (byte* opPtr = op)
                fixed (byte* paramsPtr = parameters)
                    Interop.Check(NativeMethods.sdm_host_invoke((sdm_host*)lease.Pointer, opPtr, Interop.Length(op),
                        paramsPtr, Interop.Length(parameters), &result));
            }
            return Interop.TakeText(&result);
        }

        /// <summary>True once <see cref="Dispose"/> ran.</summary>
        public bool IsDisposed { get { return handle.IsClosed; } }

        public void Dispose()
        {
            handle.Dispose();
        }
    }
}
