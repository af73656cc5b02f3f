package org.spacedata.module;

import java.util.List;

/**
 * Everything the fail-closed loader established (core {@code OpenReportView}); on a refusal,
 * what it established before the failing step. Members are {@code null} when the step did not
 * run or does not apply.
 */
public record OpenReport(
        Trailer trailer,
        Pnm pnm,
        Cid cid,
        Signature signature,
        Enc enc,
        Digest decrypted,
        Digest wasm,
        BundleView bundle) {

    /** The {@code $REC} publication trailer. */
    public record Trailer(
            boolean present,
            String footerMagic,
            Long recordCollectionLength,
            Long recordCollectionOffset,
            Long payloadLength,
            String recVersion,
            List<Record> records) {}

    /** One record of the trailer's collection. */
    public record Record(String standard, int recordType) {}

    /**
     * The nine PNM fields. Only {@code cid} and {@code publishTimestamp} are covered by
     * signatures; the others are unauthenticated hints.
     */
    public record Pnm(
            String multiformatAddress,
            String publishTimestamp,
            String cid,
            String fileName,
            String fileId,
            String signature,
            String timestampSignature,
            String signatureType,
            String timestampSignatureType) {}

    /** The declared content identifier against the one recomputed from the payload. */
    public record Cid(String declared, String recomputed, boolean matches) {}

    /** The signer and which signatures verified. */
    public record Signature(
            String signerPublicKeyHex, String signatureType, boolean cidSignatureValid, boolean timestampSignatureValid) {}

    /** The ENC record of an encrypted artifact. */
    public record Enc(
            int version,
            String keyExchange,
            String symmetric,
            String keyDerivation,
            String ephemeralPublicKeyHex,
            String nonceStartHex,
            String recipientKeyIdHex,
            String context,
            String schemaHashHex,
            String rootType,
            long timestamp) {}

    /** A SHA-256 digest and length. */
    public record Digest(String sha256, long length) {}

    /** The module's {@code sds.bundle}, when present. */
    public record BundleView(
            boolean present,
            List<String> entryIds,
            String canonicalModuleHashHex,
            String bundleCanonicalModuleHashHex,
            String manifestHashHex,
            String manifestPluginId,
            String authorizationSignerPublicKeyHex,
            String authorizationPayloadSha256) {}
}
