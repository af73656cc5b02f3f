using System;
using System.Runtime.InteropServices;
using SpaceDataModule.Native;

namespace SpaceDataModule
{
    /// <summary>
    /// Owns one native sdm_runtime. SafeHandle reference counting keeps the native handle alive
    /// while any call on another thread still uses it, so Dispose never frees it under a
    /// running call (the C ABI's rule), and a forgotten Dispose is covered by the finalizer.
    /// </summary>
    sealed class RuntimeHandle : SafeHandle
    {
        RuntimeHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        internal static unsafe RuntimeHandle Create()
        {
            var owner = new RuntimeHandle();
            sdm_runtime* raw = null;
            Interop.Check(NativeMethods.sdm_runtime_new(&raw));
            owner.SetHandle((IntPtr)raw);
            return owner;
        }

        protected override unsafe bool ReleaseHandle()
        {
            NativeMethods.sdm_runtime_free((sdm_runtime*)handle);
            return true;
        }
    }

    /// <summary>Owns one native sdm_verified (a module that passed the loader); as
    /// <see cref="RuntimeHandle"/>. Only <see cref="Create"/> (sdm_verify) makes one.</summary>
    sealed class VerifiedHandle : SafeHandle
    {
        VerifiedHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        /// <summary>sdm_verify: <paramref name="signers"/> and <paramref name="recipientKey"/>
        /// null = none; an empty recipient key is present (and refused by the library).</summary>
        internal static unsafe VerifiedHandle Create(byte[] artifact, byte[] signers, byte[] recipientKey, uint flags)
        {
            var owner = new VerifiedHandle();
            sdm_verified* raw = null;
            fixed (byte* artifactPtr = artifact)
            fixed (byte* signersPtr = signers)
            fixed (byte* recipientPtr = Interop.Pinnable(recipientKey))
                Interop.Check(NativeMethods.sdm_verify(artifactPtr, Interop.Length(artifact), signersPtr,
                    Interop.Length(signers), recipientPtr, Interop.Length(recipientKey), flags, &raw));
            owner.SetHandle((IntPtr)raw);
            return owner;
        }

        /// <summary>sdm_verify_wasm_signed: as <see cref="Create"/>, plus the required Ed25519
        /// wasm signers (32-byte keys back to back).</summary>
        internal static unsafe VerifiedHandle CreateWasmSigned(byte[] artifact, byte[] signers, byte[] recipientKey,
            byte[] wasmSigners, uint flags)
        {
            var owner = new VerifiedHandle();
            sdm_verified* raw = null;
            fixed (byte* artifactPtr = artifact)
            fixed (byte* signersPtr = signers)
            fixed (byte* recipientPtr = Interop.Pinnable(recipientKey))
            fixed (byte* wasmSignersPtr = wasmSigners)
                Interop.Check(NativeMethods.sdm_verify_wasm_signed(artifactPtr, Interop.Length(artifact), signersPtr,
                    Interop.Length(signers), recipientPtr, Interop.Length(recipientKey), wasmSignersPtr,
                    Interop.Length(wasmSigners), flags, &raw));
            owner.SetHandle((IntPtr)raw);
            return owner;
        }

        protected override unsafe bool ReleaseHandle()
        {
            NativeMethods.sdm_verified_free((sdm_verified*)handle);
            return true;
        }
    }

    /// <summary>Owns one native sdm_module; as <see cref="RuntimeHandle"/>.</summary>
    sealed class ModuleHandle : SafeHandle
    {
        ModuleHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        /// <summary>sdm_module_load; both handles are held for the call.</summary>
        internal static unsafe ModuleHandle Load(RuntimeHandle runtime, VerifiedHandle verified)
        {
            var owner = new ModuleHandle();
            sdm_module* raw = null;
            using (var runtimeLease = new Lease(runtime))
            using (var verifiedLease = new Lease(verified))
            {
                Interop.Check(NativeMethods.sdm_module_load(
                    (sdm_runtime*)runtimeLease.Pointer, (sdm_verified*)verifiedLease.Pointer, &raw));
            }
            owner.SetHandle((IntPtr)raw);
            return owner;
        }

        protected override unsafe bool ReleaseHandle()
        {
            NativeMethods.sdm_module_free((sdm_module*)handle);
            return true;
        }
    }

    /// <summary>Owns one native sdm_host; as <see cref="RuntimeHandle"/>.</summary>
    sealed class HostHandle : SafeHandle
    {
        HostHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        internal static unsafe HostHandle Create(byte[] policyJson)
        {
            var owner = new HostHandle();
            sdm_host* raw = null;
            fixed (byte* policyPtr = policyJson)
                Interop.Check(NativeMethods.sdm_host_new(policyPtr, Interop.Length(policyJson), &raw));
            owner.SetHandle((IntPtr)raw);
            return owner;
        }

        protected override unsafe bool ReleaseHandle()
        {
            NativeMethods.sdm_host_free((sdm_host*)handle);
            return true;
        }
    }

    /// <summary>Owns one native sdm_runtime_host; as <see cref="RuntimeHandle"/>.</summary>
    sealed class RuntimeHostHandle : SafeHandle
    {
        RuntimeHostHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        /// <summary>In memory (sdm_runtime_host_new) when <paramref name="path"/> is null,
        /// else rows in the SQLite file at <paramref name="path"/> (sdm_runtime_host_open).</summary>
        internal static unsafe RuntimeHostHandle Create(byte[] path)
        {
            var owner = new RuntimeHostHandle();
            sdm_runtime_host* raw = null;
            if (path == null)
            {
                Interop.Check(NativeMethods.sdm_runtime_host_new(&raw));
            }
            else
            {
                fixed (byte* pathPtr = path)
                    Interop.Check(NativeMethods.sdm_runtime_host_open(pathPtr, Interop.Length(path), &raw));
            }
            owner.SetHandle((IntPtr)raw);
            return owner;
        }

        /// <summary>sdm_runtime_host_new_with_policy: rows in memory when
        /// <paramref name="path"/> is null, else in that SQLite file; registry modules run
        /// under <paramref name="policyJson"/>.</summary>
        internal static unsafe RuntimeHostHandle CreateWithPolicy(byte[] path, byte[] policyJson)
        {
            var owner = new RuntimeHostHandle();
            sdm_runtime_host* raw = null;
            fixed (byte* pathPtr = Interop.Pinnable(path))
            fixed (byte* policyPtr = Interop.Pinnable(policyJson))
                Interop.Check(NativeMethods.sdm_runtime_host_new_with_policy(pathPtr, Interop.Length(path),
                    policyPtr, Interop.Length(policyJson), &raw));
            owner.SetHandle((IntPtr)raw);
            return owner;
        }

        protected override unsafe bool ReleaseHandle()
        {
            NativeMethods.sdm_runtime_host_free((sdm_runtime_host*)handle);
            return true;
        }
    }

    /// <summary>
    /// One use of a handle: adds a reference for the duration of a native call (throws
    /// ObjectDisposedException once the owner was disposed) and releases it afterwards.
    /// </summary>
    struct Lease : IDisposable
    {
        readonly SafeHandle owner;
        readonly bool added;

        internal Lease(SafeHandle owner)
        {
            this.owner = owner;
            bool success = false;
            owner.DangerousAddRef(ref success);
            added = success;
        }

        internal IntPtr Pointer { get { return owner.DangerousGetHandle(); } }

        public void Dispose()
        {
            if (added)
                owner.DangerousRelease();
        }
    }
}
