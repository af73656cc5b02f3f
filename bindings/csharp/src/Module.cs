using System;
using SpaceDataModule.Native;

namespace SpaceDataModule
{
    /// <summary>
    /// A compiled module loaded into a <see cref="Runtime"/> (sdm_module). Thread-safe: invoke
    /// one module from several threads at once; every invoke runs in a fresh instance.
    /// Dispose waits for no call: a call still running keeps the native module alive until it
    /// returns, and calls made after Dispose throw ObjectDisposedException. Dispose is idempotent.
    /// </summary>
    public sealed partial class Module : IDisposable
    {
        readonly ModuleHandle handle;

        internal Module(ModuleHandle handle)
        {
            this.handle = handle;
        }

        /// <summary>Direct mode (sdm_module_invoke_direct): an encoded PluginInvokeRequest in
        /// (see <see cref="Sdm.InvokeRequestFromJson"/>), the guest's encoded
        /// PluginInvokeResponse out. <paramref name="limits"/> null = the defaults.</summary>
        public byte[] InvokeDirect(byte[] request, Limits limits = null)
        {
            return Invoke(request, limits, false);
        }

        /// <summary>Command mode (sdm_module_invoke_command: _start, request on stdin,
        /// response from stdout), otherwise as <see cref="InvokeDirect"/>.</summary>
        public byte[] InvokeCommand(byte[] request, Limits limits = null)
        {
            return Invoke(request, limits, true);
        }

        /// <summary>Invokes the module with <paramref name="host"/> behind its sdn_host imports
        /// (sdm_module_invoke_hosted), in <paramref name="mode"/>. The guest gets at most the
        /// capabilities its manifest declares and the host's policy grants; a refused host call
        /// is an error envelope the guest sees, not an exception. <paramref name="limits"/> null =
        /// the defaults.</summary>
        public unsafe byte[] InvokeHosted(Host host, InvokeMode mode, byte[] request, Limits limits = null)
        {
            Interop.RequireNotNull(host, "host");
            Interop.RequireNotNull(request, "request");
            sdm_limits nativeLimits = limits == null ? default(sdm_limits) : limits.ToNative();
            sdm_limits* limitsPtr = limits == null ? null : &nativeLimits;
            sdm_bytes response = default(sdm_bytes);
            using (var moduleLease = new Lease(handle))
            using (var hostLease = new Lease(host.Handle))
            {
                fixed (byte* requestPtr = request)
                    Interop.Check(NativeMethods.sdm_module_invoke_hosted((sdm_module*)moduleLease.Pointer,
                        (sdm_host*)hostLease.Pointer, (uint)mode, requestPtr, Interop.Length(request), limitsPtr, &response));
            }
            return Interop.Take(&response);
        }

        /// <summary>The manifest core read when the module was verified (its sds.bundle
        /// manifest entry, else the statically embedded manifest; the guest is never run), as
        /// decoded-manifest JSON (sdm_module_manifest_json); null when the module carries none.</summary>
        public unsafe string ManifestJson()
        {
            sdm_bytes json = default(sdm_bytes);
            using (var lease = new Lease(handle))
            {
                Interop.Check(NativeMethods.sdm_module_manifest_json((sdm_module*)lease.Pointer, &json));
            }
            string text = Interop.TakeText(&json);
            return text.Trim() == "null" ? null : text;
        }

        unsafe byte[] Invoke(byte[] request, Limits limits, bool command)
        {
            Interop.RequireNotNull(request, "request");
            sdm_limits nativeLimits = limits == null ? default(sdm_limits) : limits.ToNative();
            sdm_limits* limitsPtr = limits == null ? null : &nativeLimits;
            sdm_bytes response = default(sdm_bytes);
            using (var lease = new Lease(handle))
            {
                var module = (sdm_module*)lease.Pointer;
                fixed (byte* requestPtr = request)
                {
                    uint status = command
                        ? NativeMethods.sdm_module_invoke_command(module, requestPtr, Interop.Length(request), limitsPtr, &response)
                        : NativeMethods.sdm_module_invoke_direct(module, requestPtr, Interop.Length(request), limitsPtr, &response);
                    Interop.Check(status);
                }
            }
            return Interop.Take(&response);
        }

        /// <summary>True once <see cref="Dispose"/> ran.</summary>
        public bool IsDisposed { get { return handle.IsClosed; } }

        public void Dispose()
        {
            handle.Dispose();
        }
    }
}
