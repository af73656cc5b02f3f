using System;
using System.Collections.Generic;
using SpaceDataModule.Native;

namespace SpaceDataModule
{
    /// <summary>Flags of <see cref="Sdm.Verify"/> (the sdm_verify flags; the library refuses
    /// unknown bits with invalid-argument).</summary>
    [Flags]
    public enum VerifyFlags : uint
    {
        /// <summary>Fail closed: a trailer and a trusted signature are required.</summary>
        None = 0,
        /// <summary>SDM_VERIFY_ALLOW_UNSIGNED: accept plain wasm without a trailer. A trailer
        /// that is present must still verify.</summary>
        AllowUnsigned = 1,
    }

    /// <summary>
    /// A module that passed the fail-closed loader (sdm_verified): its plain wasm and the
    /// capability ceiling of its verified manifest. Only <see cref="Sdm.Verify"/> makes one,
    /// and only a Verified reaches <see cref="Runtime.Load"/> and
    /// <see cref="RuntimeHost.InstallModule"/>. Immutable and thread-safe; disposing it does not
    /// affect the modules loaded or installed from it. Dispose is idempotent; calls after
    /// Dispose throw ObjectDisposedException.
    /// </summary>
    public sealed class Verified : IDisposable
    {
        readonly VerifiedHandle handle;

        internal Verified(VerifiedHandle handle)
        {
            this.handle = handle;
        }

        internal VerifiedHandle Handle { get { return handle; } }

        /// <summary>A copy of the verified module's plain wasm (sdm_verified_wasm).</summary>
        public unsafe byte[] Wasm()
        {
            sdm_bytes wasm = default(sdm_bytes);
            using (var lease = new Lease(handle))
                Interop.Check(NativeMethods.sdm_verified_wasm((sdm_verified*)lease.Pointer, &wasm));
            return Interop.Take(&wasm);
        }

        /// <summary>True once <see cref="Dispose"/> ran.</summary>
        public bool IsDisposed { get { return handle.IsClosed; } }

        public void Dispose()
        {
            handle.Dispose();
        }
    }

    /// <summary>Fail-closed loading.</summary>
    public static partial class Sdm
    {
        /// <summary>Runs the fail-closed loader (spec 12) over an artifact and returns the
        /// verified module (sdm_verify). <paramref name="trustedSigners"/>: 33-byte compressed
        /// secp256k1 keys a signed artifact must verify against (null or empty: none);
        /// <paramref name="recipientPrivateKey"/>: the 32-byte X25519 key of an encrypted
        /// artifact (null: none); plain wasm needs <see cref="VerifyFlags.AllowUnsigned"/>.
        /// A refusal throws the failing step's code, e.g.
        /// <see cref="ErrorCodes.SignatureInvalid"/>, <see cref="ErrorCodes.TrailerMissing"/>;
        /// <see cref="OpenReport"/> gives the partial report of a refusal.</summary>
        public static Verified Verify(byte[] artifact, IList<byte[]> trustedSigners = null,
            byte[] recipientPrivateKey = null, VerifyFlags flags = VerifyFlags.None)
        {
            Interop.RequireNotNull(artifact, "artifact");
            byte[] signers = trustedSigners == null ? null : ConcatenateSigners(trustedSigners);
            return new Verified(VerifiedHandle.Create(artifact, signers, recipientPrivateKey, (uint)flags));
        }
    }
}
