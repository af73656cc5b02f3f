using System;
using System.Collections.Generic;
using SpaceDataModule.Native;

namespace SpaceDataModule
{
    /// <summary>What <see cref="Sdm.OpenReport"/> returns: the loader's verdict, never an
    /// exception for a refusal. <see cref="OutcomeJson"/> is the one open-outcome shape of every
    /// boundary (docs/schemas/open-outcome.schema.json, the CLI's `open --json`):
    /// {"outcome", "status", "code", "detail", "report", "authentication"}.</summary>
    public sealed class OpenReportResult
    {
        /// <summary>True when the artifact was opened (<see cref="Wasm"/> holds the module).</summary>
        public bool Opened { get { return Status == 0; } }
        /// <summary>0 when opened, else the code <see cref="Sdm.Open"/> would have thrown
        /// (e.g. <see cref="ErrorCodes.SignatureInvalid"/>).</summary>
        public int Status { get; private set; }
        /// <summary>The name of <see cref="Status"/> ("ok" for 0).</summary>
        public string StatusName { get { return Status == 0 ? "ok" : ErrorCodes.NameOf(Status); } }
        /// <summary>The refusal's stable code name ("code", e.g. "signature-invalid"); null
        /// when opened.</summary>
        public string Code { get; private set; }
        /// <summary>The refusal's message ("detail"); null when opened.</summary>
        public string Detail { get; private set; }
        /// <summary>True when a trusted signer's signature over the CID verified
        /// ("authentication.signed").</summary>
        public bool Signed { get; private set; }
        /// <summary>The "authentication" object: which fields the signature covers
        /// ({"signed", "cid", "publishTimestamp", "unauthenticated"}).</summary>
        public string AuthenticationJson { get; private set; }
        /// <summary>The plain module when opened, null when refused.</summary>
        public byte[] Wasm { get; private set; }
        /// <summary>The whole outcome JSON (docs/c-abi.md, "sdm_open_report"); a refusal
        /// carries the partial report. It holds no secret.</summary>
        public string OutcomeJson { get; private set; }

        internal OpenReportResult(int status, byte[] wasm, string outcomeJson)
        {
            Status = status;
            Wasm = wasm;
            OutcomeJson = outcomeJson;
            string text;
            Code = Json.TryTopLevelString(outcomeJson, "code", out text) ? text : null;
            Detail = Json.TryTopLevelString(outcomeJson, "detail", out text) ? text : null;
            AuthenticationJson = Json.TopLevelRaw(outcomeJson, "authentication");
            bool signed;
            Signed = AuthenticationJson != null && Json.TryTopLevelBool(AuthenticationJson, "signed", out signed) && signed;
        }
    }

    /// <summary>Deployment authorizations (spec 11.7) and the reporting open.</summary>
    public static unsafe partial class Sdm
    {
        /// <summary>Signs a deployment authorization (sdm_authorization_create) and returns the
        /// envelope JSON {"protected", "payload", "signatureHex"}. <paramref name="optionsJson"/>:
        /// {"artifactId", "programId", "target", "capabilities", "issuedAt", "ttlMs", "nonce",
        /// "constraints"}; <paramref name="signingPrivateKey"/>: 32-byte secp256k1 scalar (another
        /// size is <see cref="ErrorCodes.KeyInvalid"/>);
        /// <paramref name="signerJson"/>: optional {"derivationPath", "keyId"} copied into the
        /// unsigned protected header.</summary>
        public static string CreateAuthorization(string optionsJson, byte[] signingPrivateKey, string signerJson = null)
        {
            byte[] options = Interop.Utf8(optionsJson, "optionsJson");
            Interop.RequireNotNull(signingPrivateKey, "signingPrivateKey");
            byte[] signer = signerJson == null ? null : Interop.Utf8(signerJson, "signerJson");
            sdm_bytes envelope = default(sdm_bytes);
            fixed (byte* optionsPtr = options)
            fixed (byte* keyPtr = signingPrivateKey)
            fixed (byte* signerPtr = signer)
                Interop.Check(NativeMethods.sdm_authorization_create(optionsPtr, Interop.Length(options),
                    keyPtr, Interop.Length(signingPrivateKey), signerPtr, Interop.Length(signer), &envelope));
            return Interop.TakeText(&envelope);
        }

        /// <summary>Verifies an authorization envelope (sdm_authorization_verify), first failure
        /// wins: shape 611, algorithm 604, untrusted signer 612, expired or not yet valid 613,
        /// signature 614, expectations 615. <paramref name="trustedSigners"/>: 33-byte keys as
        /// for <see cref="Open"/>. <paramref name="optionsJson"/>: optional {"now", "clockSkewMs",
        /// "artifact", "target", "requiredCapabilities"} (now in ms since the epoch, default the
        /// system clock). Returns {"signerPublicKeyHex", "payload"}.</summary>
        public static string VerifyAuthorization(string envelopeJson, IList<byte[]> trustedSigners, string optionsJson = null)
        {
            byte[] envelope = Interop.Utf8(envelopeJson, "envelopeJson");
            byte[] signers = ConcatenateSigners(trustedSigners);
            byte[] options = optionsJson == null ? null : Interop.Utf8(optionsJson, "optionsJson");
            sdm_bytes result = default(sdm_bytes);
            fixed (byte* envelopePtr = envelope)
            fixed (byte* signersPtr = signers)
            fixed (byte* optionsPtr = options)
                Interop.Check(NativeMethods.sdm_authorization_verify(envelopePtr, Interop.Length(envelope),
                    signersPtr, Interop.Length(signers), optionsPtr, Interop.Length(options), &result));
            return Interop.TakeText(&result);
        }

        /// <summary>Opens a protected artifact like <see cref="Open"/> (the same fail-closed
        /// policy) but reports a refusal instead of throwing it (sdm_open_report): the result
        /// says whether it opened, with which status, and carries the (partial) report. Only
        /// argument errors (empty artifact, keys of the wrong size) throw.</summary>
        public static OpenReportResult OpenReport(byte[] artifact, IList<byte[]> trustedSigners, byte[] recipientPrivateKey = null)
        {
            Interop.RequireNotNull(artifact, "artifact");
            byte[] signers = ConcatenateSigners(trustedSigners);
            sdm_bytes wasm = default(sdm_bytes);
            sdm_bytes outcome = default(sdm_bytes);
            fixed (byte* artifactPtr = artifact)
            fixed (byte* signersPtr = signers)
            fixed (byte* recipientPtr = Interop.Pinnable(recipientPrivateKey))
                Interop.Check(NativeMethods.sdm_open_report(artifactPtr, Interop.Length(artifact), signersPtr,
                    Interop.Length(signers), recipientPtr, Interop.Length(recipientPrivateKey), &wasm, &outcome));
            byte[] plain;
            string outcomeJson;
            try
            {
                bool opened = wasm.ptr != null;
                plain = Interop.Take(&wasm);
                if (!opened)
                    plain = null;
                outcomeJson = Interop.TakeText(&outcome);
            }
            finally
            {
                NativeMethods.sdm_bytes_free(&outcome);
            }
            long status;
            if (!Json.TryTopLevelInteger(outcomeJson, "status", out status) || status < 0 || status > int.MaxValue)
                throw new SdmException(ErrorCodes.Internal, "sdm_open_report wrote an outcome without a status: " + outcomeJson);
            return new OpenReportResult((int)status, (int)status == 0 ? plain : null, outcomeJson);
        }
    }
}
