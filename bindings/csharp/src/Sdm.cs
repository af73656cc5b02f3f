using System;
using System.Collections.Generic;
using SpaceDataModule.Native;

namespace SpaceDataModule
{
    /// <summary>What <see cref="Sdm.Protect"/> returns.</summary>
    public sealed class ProtectResult
    {
        /// <summary>The protected artifact (module + REC trailer, encrypted when a recipient was given).</summary>
        public byte[] Artifact { get; private set; }
        /// <summary>The result JSON (docs/c-abi.md, "sdm_protect"); it holds no secret.</summary>
        public string ResultJson { get; private set; }

        internal ProtectResult(byte[] artifact, string resultJson)
        {
            Artifact = artifact;
            ResultJson = resultJson;
        }
    }

    /// <summary>What <see cref="Sdm.Open"/> returns.</summary>
    public sealed class OpenResult
    {
        /// <summary>The plain module (<see cref="Sdm.Verify"/> gives the handle
        /// <see cref="Runtime.Load"/> takes).</summary>
        public byte[] Wasm { get; private set; }
        /// <summary>The open report JSON (docs/c-abi.md, "sdm_open").</summary>
        public string ReportJson { get; private set; }

        internal OpenResult(byte[] wasm, string reportJson)
        {
            Wasm = wasm;
            ReportJson = reportJson;
        }
    }

    /// <summary>
    /// The stateless part of the C ABI, one method per sdm_ function. Every failure throws
    /// <see cref="SdmException"/> with the stable code; byte results are managed copies (the
    /// native buffer is freed before the method returns); JSON goes in and out as strings.
    /// Every method is safe to call from several threads at once.
    /// </summary>
    public static unsafe partial class Sdm
    {
        /// <summary>The ABI version these bindings were generated for (SDM_ABI_VERSION).</summary>
        public const uint AbiVersion = NativeMethods.SDM_ABI_VERSION;
        /// <summary>Length of a compressed secp256k1 public key (a trusted signer).</summary>
        public const int SigningPublicKeyLength = 33;
        /// <summary>Length of a secp256k1 private key and of X25519 private and public keys.
        /// Keys are passed to the library with their length and checked there: another length
        /// is <see cref="ErrorCodes.KeyInvalid"/>.</summary>
        public const int KeyLength = 32;

        /// <summary>The ABI version of the loaded native library (sdm_abi_version); compare
        /// with <see cref="AbiVersion"/>.</summary>
        public static uint NativeAbiVersion()
        {
            return NativeMethods.sdm_abi_version();
        }

        /// <summary>The status of the last failed sdm_ call on this thread (sdm_last_error_code),
        /// 0 after a success. The wrapper already turns failures into exceptions; this is for
        /// diagnostics.</summary>
        public static int LastErrorCode()
        {
            return (int)NativeMethods.sdm_last_error_code();
        }

        /// <summary>The message of the last failed sdm_ call on this thread
        /// (sdm_last_error_message), "" after a success.</summary>
        public static string LastErrorMessage()
        {
            return Interop.LastErrorMessage();
        }

#if SDM_TEST_HOOKS
        /// <summary>TEST ONLY (sdm_debug_force_panic): the library panics inside and must report
        /// it as <see cref="ErrorCodes.Panic"/>; always throws. Compiled only with
        /// SDM_TEST_HOOKS, for a library built with the ffi-c feature test-hooks.</summary>
        public static void DebugForcePanic()
        {
            Interop.Check(NativeMethods.sdm_debug_force_panic());
            throw new SdmException(ErrorCodes.Internal, "sdm_debug_force_panic returned success");
        }
#endif

        /// <summary>Manifest JSON text to its PMAN FlatBuffer (sdm_manifest_encode_json).</summary>
        public static byte[] ManifestEncodeJson(string manifestJson)
        {
            byte[] json = Interop.Utf8(manifestJson, "manifestJson");
            sdm_bytes pman = default(sdm_bytes);
            fixed (byte* jsonPtr = json)
                Interop.Check(NativeMethods.sdm_manifest_encode_json(jsonPtr, Interop.Length(json), &pman));
            return Interop.Take(&pman);
        }

        /// <summary>A PMAN FlatBuffer to decoded-manifest JSON (sdm_manifest_decode).</summary>
        public static string ManifestDecode(byte[] pman)
        {
            Interop.RequireNotNull(pman, "pman");
            sdm_bytes json = default(sdm_bytes);
            fixed (byte* pmanPtr = pman)
                Interop.Check(NativeMethods.sdm_manifest_decode(pmanPtr, Interop.Length(pman), &json));
            return Interop.TakeText(&json);
        }

        /// <summary>The parsed bundle of a module as JSON (sdm_bundle_inspect); a publication
        /// trailer is allowed.</summary>
        public static string BundleInspect(byte[] module)
        {
            Interop.RequireNotNull(module, "module");
            sdm_bytes json = default(sdm_bytes);
            fixed (byte* modulePtr = module)
                Interop.Check(NativeMethods.sdm_bundle_inspect(modulePtr, Interop.Length(module), &json));
            return Interop.TakeText(&json);
        }

        /// <summary>A single-file bundle: <paramref name="wasm"/> with an sds.bundle section
        /// holding the manifest (sdm_bundle_create).</summary>
        public static byte[] BundleCreate(byte[] wasm, string manifestJson)
        {
            Interop.RequireNotNull(wasm, "wasm");
            byte[] json = Interop.Utf8(manifestJson, "manifestJson");
            sdm_bytes bundled = default(sdm_bytes);
            fixed (byte* wasmPtr = wasm)
            fixed (byte* jsonPtr = json)
                Interop.Check(NativeMethods.sdm_bundle_create(
                    wasmPtr, Interop.Length(wasm), jsonPtr, Interop.Length(json), &bundled));
            return Interop.Take(&bundled);
        }

        /// <summary>The compliance report JSON {"ok", "issues"} of a manifest, with the exports
        /// of <paramref name="wasm"/> when given (sdm_check); without it, the manifest-only
        /// validation of the CLI's `check` (no warning that the artifact's ABI went unchecked).
        /// Non-compliance is a report with "ok": false, not an exception; an invalid module
        /// throws (wasm-invalid).</summary>
        public static string Check(string manifestJson, byte[] wasm = null)
        {
            byte[] json = Interop.Utf8(manifestJson, "manifestJson");
            sdm_bytes report = default(sdm_bytes);
            fixed (byte* jsonPtr = json)
            fixed (byte* wasmPtr = wasm)
                Interop.Check(NativeMethods.sdm_check(
                    jsonPtr, Interop.Length(json), wasmPtr, Interop.Length(wasm), &report));
            return Interop.TakeText(&report);
        }

        /// <summary>Signs (and, with <paramref name="recipientPublicKey"/>, encrypts) a module
        /// and appends the REC trailer (sdm_protect). Keys are 32 bytes (another size is
        /// <see cref="ErrorCodes.KeyInvalid"/>); <paramref name="recipientPublicKey"/> null: not
        /// encrypted.</summary>
        public static ProtectResult Protect(string manifestJson, byte[] wasm, byte[] signingPrivateKey,
            byte[] recipientPublicKey = null, bool singleFileBundle = false)
        {
            byte[] json = Interop.Utf8(manifestJson, "manifestJson");
            Interop.RequireNotNull(wasm, "wasm");
            Interop.RequireNotNull(signingPrivateKey, "signingPrivateKey");
            sdm_bytes artifact = default(sdm_bytes);
            sdm_bytes result = default(sdm_bytes);
            fixed (byte* jsonPtr = json)
            fixed (byte* wasmPtr = wasm)
            fixed (byte* signingPtr = signingPrivateKey)
            fixed (byte* recipientPtr = Interop.Pinnable(recipientPublicKey))
                Interop.Check(NativeMethods.sdm_protect(jsonPtr, Interop.Length(json), wasmPtr,
                    Interop.Length(wasm), signingPtr, Interop.Length(signingPrivateKey), recipientPtr,
                    Interop.Length(recipientPublicKey), singleFileBundle, &artifact, &result));
            try
            {
                return new ProtectResult(Interop.Take(&artifact), Interop.TakeText(&result));
            }
            finally
            {
                // Both were written on success: free the second even when the first copy failed.
                NativeMethods.sdm_bytes_free(&result);
            }
        }

        /// <summary>Opens a protected artifact, failing closed (sdm_open): the signature must
        /// verify against one of <paramref name="trustedSigners"/> (33-byte compressed secp256k1
        /// keys, see <see cref="SigningPublicKey"/>); an encrypted artifact needs
        /// <paramref name="recipientPrivateKey"/> (32-byte X25519 key; null when not encrypted).
        /// A key of another size is <see cref="ErrorCodes.KeyInvalid"/>.</summary>
        public static OpenResult Open(byte[] artifact, IList<byte[]> trustedSigners, byte[] recipientPrivateKey = null)
        {
            Interop.RequireNotNull(artifact, "artifact");
            byte[] signers = ConcatenateSigners(trustedSigners);
            sdm_bytes wasm = default(sdm_bytes);
            sdm_bytes report = default(sdm_bytes);
            fixed (byte* artifactPtr = artifact)
            fixed (byte* signersPtr = signers)
            fixed (byte* recipientPtr = Interop.Pinnable(recipientPrivateKey))
                Interop.Check(NativeMethods.sdm_open(artifactPtr, Interop.Length(artifact), signersPtr,
                    Interop.Length(signers), recipientPtr, Interop.Length(recipientPrivateKey), &wasm, &report));
            try
            {
                return new OpenResult(Interop.Take(&wasm), Interop.TakeText(&report));
            }
            finally
            {
                NativeMethods.sdm_bytes_free(&report);
            }
        }

        /// <summary>The C form of a trust list: the 33-byte keys back to back, checked by the
        /// library (a length that is not a multiple of 33 is key-invalid).</summary>
        static byte[] ConcatenateSigners(IList<byte[]> trustedSigners)
        {
            return ConcatenateKeys(trustedSigners, SigningPublicKeyLength, "trustedSigners");
        }

        /// <summary>The C form of a list of fixed-size keys, back to back. One key goes as it
        /// is (the library checks its length). Several need a framing check here, because the
        /// flat list cannot say where a key ends: a short key would shift every key after it
        /// into a different (wrong) key. It throws the code the library gives key bytes of the
        /// wrong length.</summary>
        static byte[] ConcatenateKeys(IList<byte[]> keys, int size, string what)
        {
            Interop.RequireNotNull(keys, what);
            for (int i = 0; i < keys.Count; i++)
                Interop.RequireNotNull(keys[i], what + "[" + i + "]");
            if (keys.Count == 1)
                return keys[0];
            var all = new List<byte>(keys.Count * size);
            for (int i = 0; i < keys.Count; i++)
            {
                if (keys[i].Length != size)
                    throw new SdmException(ErrorCodes.KeyInvalid, what + "[" + i + "] is " +
                        keys[i].Length + " bytes; every key of a list must be " + size);
                all.AddRange(keys[i]);
            }
            return all.ToArray();
        }

        /// <summary>The 33-byte compressed secp256k1 public key of a 32-byte signing private
        /// key (sdm_signing_public_key), for <see cref="Open"/> trust lists. Another size, or
        /// the zero scalar, is <see cref="ErrorCodes.KeyInvalid"/>.</summary>
        public static byte[] SigningPublicKey(byte[] privateKey)
        {
            Interop.RequireNotNull(privateKey, "privateKey");
            var publicKey = new byte[SigningPublicKeyLength];
            fixed (byte* privatePtr = privateKey)
            fixed (byte* publicPtr = publicKey)
                Interop.Check(NativeMethods.sdm_signing_public_key(privatePtr, Interop.Length(privateKey),
                    publicPtr, Interop.Length(publicKey)));
            return publicKey;
        }

        /// <summary>The 32-byte X25519 public key of a 32-byte X25519 private key
        /// (sdm_x25519_public_key), the recipient key for <see cref="Protect"/>. Another size
        /// is <see cref="ErrorCodes.KeyInvalid"/>.</summary>
        public static byte[] X25519PublicKey(byte[] privateKey)
        {
            Interop.RequireNotNull(privateKey, "privateKey");
            var publicKey = new byte[KeyLength];
            fixed (byte* privatePtr = privateKey)
            fixed (byte* publicPtr = publicKey)
                Interop.Check(NativeMethods.sdm_x25519_public_key(privatePtr, Interop.Length(privateKey),
                    publicPtr, Interop.Length(publicKey)));
            return publicKey;
        }

        /// <summary>An encoded PluginInvokeRequest from its JSON form, e.g.
        /// {"methodId":"echo","inputs":[{"portId":"echo","payload":[1,2,3]}]}
        /// (sdm_invoke_request_from_json).</summary>
        public static byte[] InvokeRequestFromJson(string requestJson)
        {
            byte[] json = Interop.Utf8(requestJson, "requestJson");
            sdm_bytes request = default(sdm_bytes);
            fixed (byte* jsonPtr = json)
                Interop.Check(NativeMethods.sdm_invoke_request_from_json(jsonPtr, Interop.Length(json), &request));
            return Interop.Take(&request);
        }

        /// <summary>An encoded PluginInvokeResponse (verified) to its JSON form
        /// (sdm_invoke_response_to_json).</summary>
        public static string InvokeResponseToJson(byte[] response)
        {
            Interop.RequireNotNull(response, "response");
            sdm_bytes json = default(sdm_bytes);
            fixed (byte* responsePtr = response)
                Interop.Check(NativeMethods.sdm_invoke_response_to_json(responsePtr, Interop.Length(response), &json));
            return Interop.TakeText(&json);
        }
    }
}
