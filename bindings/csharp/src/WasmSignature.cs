using System;
using System.Collections.Generic;
using System.Text;
using SpaceDataModule.Native;

namespace SpaceDataModule
{
    /// <summary>Settings of <see cref="Sdm.SignWasm"/> (sdm_wasm_sign's settings JSON).</summary>
    public sealed class WasmSignOptions
    {
        /// <summary>Return the signature data alone; the module keeps no signature section.</summary>
        public bool Detached { get; set; }
        /// <summary>Split the module into parts first (core sections, then each run of sds.*
        /// sections), so it verifies without its bundle.</summary>
        public bool SplitParts { get; set; }
        /// <summary>Stored with each new signature as its key identifier (null: none).</summary>
        public string KeyId { get; set; }
        /// <summary>Detached signature data to add the new signatures to (null: none).</summary>
        public byte[] ExistingSignature { get; set; }

        internal string ToJson()
        {
            var json = new StringBuilder("{\"detached\":");
            json.Append(Detached ? "true" : "false").Append(",\"splitParts\":").Append(SplitParts ? "true" : "false");
            if (KeyId != null)
                json.Append(",\"keyId\":").Append(JsonReader.Quote(KeyId));
            return json.Append('}').ToString();
        }
    }

    /// <summary>Module signatures in the WebAssembly tool-conventions format (docs/wasmsig.md).</summary>
    public static partial class Sdm
    {
        /// <summary>Length of an Ed25519 key pair for module signatures (0x81, seed, public
        /// key: the <c>keygen --kind ed25519</c> file).</summary>
        public const int WasmSecretKeyLength = 65;
        /// <summary>Length of a raw Ed25519 public key.</summary>
        public const int WasmPublicKeyLength = 32;
        /// <summary>SDM_WASM_VERIFY_ALLOW_PARTIAL.</summary>
        const uint WasmVerifyAllowPartial = 1;

        /// <summary>Signs a module with every key (65-byte key pairs, at least one), as the
        /// CLI's <c>sign-wasm</c> (sdm_wasm_sign): the signed module, or with
        /// <see cref="WasmSignOptions.Detached"/> the signature data.</summary>
        public static unsafe byte[] SignWasm(byte[] module, IList<byte[]> secretKeys, WasmSignOptions options = null)
        {
            Interop.RequireNotNull(module, "module");
            byte[] keys = ConcatenateKeys(secretKeys, WasmSecretKeyLength, "secretKeys");
            options = options ?? new WasmSignOptions();
            byte[] settings = Interop.Utf8(options.ToJson(), "options");
            byte[] existing = options.ExistingSignature;
            sdm_bytes signed = default(sdm_bytes);
            fixed (byte* modulePtr = module)
            fixed (byte* keysPtr = keys)
            fixed (byte* existingPtr = Interop.Pinnable(existing))
            fixed (byte* settingsPtr = settings)
                Interop.Check(NativeMethods.sdm_wasm_sign(modulePtr, Interop.Length(module), keysPtr,
                    Interop.Length(keys), existingPtr, Interop.Length(existing), settingsPtr,
                    Interop.Length(settings), &signed));
            return Interop.Take(&signed);
        }

        /// <summary>Verifies a module's tool-conventions signature (embedded, or
        /// <paramref name="detachedSignature"/>) against trusted 32-byte Ed25519 public keys,
        /// as the CLI's <c>verify-wasm</c> (sdm_wasm_verify). Returns the report JSON
        /// <c>{"signers", "parts", "verifiedParts", "verifiedBytes", "complete"}</c>; refusals
        /// throw <see cref="ErrorCodes.WasmSignatureMissing"/>, -Malformed, -Untrusted,
        /// -Mismatch, and -Partial unless <paramref name="allowPartial"/>.</summary>
        public static unsafe string VerifyWasm(byte[] module, IList<byte[]> trustedKeys,
            byte[] detachedSignature = null, bool allowPartial = false)
        {
            Interop.RequireNotNull(module, "module");
            byte[] keys = ConcatenateKeys(trustedKeys, WasmPublicKeyLength, "trustedKeys");
            sdm_bytes report = default(sdm_bytes);
            fixed (byte* modulePtr = module)
            fixed (byte* detachedPtr = Interop.Pinnable(detachedSignature))
            fixed (byte* keysPtr = keys)
                Interop.Check(NativeMethods.sdm_wasm_verify(modulePtr, Interop.Length(module), detachedPtr,
                    Interop.Length(detachedSignature), keysPtr, Interop.Length(keys),
                    allowPartial ? WasmVerifyAllowPartial : 0u, &report));
            return Interop.TakeText(&report);
        }

        /// <summary><see cref="Verify"/> that also requires the opened wasm to carry a complete
        /// tool-conventions signature by one of <paramref name="wasmSigners"/> (32-byte Ed25519
        /// public keys, at least one), checked after the PNM signature and decryption
        /// (sdm_verify_wasm_signed).</summary>
        public static Verified VerifyWasmSigned(byte[] artifact, IList<byte[]> trustedSigners,
            byte[] recipientPrivateKey, IList<byte[]> wasmSigners, VerifyFlags flags = VerifyFlags.None)
        {
            Interop.RequireNotNull(artifact, "artifact");
            byte[] signers = trustedSigners == null ? null : ConcatenateSigners(trustedSigners);
            byte[] wasmKeys = ConcatenateKeys(wasmSigners, WasmPublicKeyLength, "wasmSigners");
            return new Verified(VerifiedHandle.CreateWasmSigned(artifact, signers, recipientPrivateKey, wasmKeys, (uint)flags));
        }
    }
}
