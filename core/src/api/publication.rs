//! Protect (sign, optionally bundle and encrypt) and open (the fail-closed loader).

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use schemars::JsonSchema;
use serde::Serialize;

use super::caps;
use super::clock;
use super::files::{AtomicFile, FileMode};
use super::format::parse_manifest_json;
use super::keys::{RecipientKey, SigningKey};
use super::wasmsig::{self, VerifyOptions, WasmsigPublicKey, WasmsigReport};
use crate::keys::random::OsRandom;
use crate::keys::signing::PublicKey;
use crate::publication::report::OpenReportView;
use crate::publication::{
    self, OpenPolicy, ProtectOptions, ProtectResult, Protected, VerifiedModule,
};
use crate::{Error, ErrorCode, Result};

/// What [`protect`] needs beyond the module, its manifest and the signer.
#[derive(Debug, Clone, Default)]
pub struct ProtectRequest<'a> {
    pub wasm: &'a [u8],
    pub manifest_json: &'a str,
    /// Embed manifest and signed authorization in an `sds.bundle` section first.
    pub single_file_bundle: bool,
    /// Encrypt for this X25519 recipient public key.
    pub encrypt_for: Option<[u8; 32]>,
}

/// A protected artifact and what `protect` reports about it. Borrows the request's inputs (the
/// report's payload encodes the wasm), so they outlive it.
#[derive(Debug, Clone)]
pub struct ProtectedArtifact<'a> {
    protected: Protected<'a>,
}

impl ProtectedArtifact<'_> {
    /// The protected artifact.
    pub fn artifact(&self) -> &[u8] {
        self.protected.bundled_wasm_bytes()
    }

    /// The protected artifact, by value.
    pub fn into_artifact(self) -> Vec<u8> {
        self.protected.into_artifact()
    }

    /// The report, without the artifact bytes (they are [`ProtectedArtifact::artifact`]).
    /// Built on request: its payload and envelope hold the module in base64, a pass and
    /// 4/3 of the module each, which a front end that only writes the artifact never needs.
    pub fn result(&self) -> ProtectResult {
        self.protected.summary()
    }

    /// The artifact id the authorization and notice name (`module-…`).
    pub fn artifact_id(&self) -> &str {
        self.protected.artifact_id()
    }

    /// The compressed secp256k1 public key that signed, as hex.
    pub fn signing_public_key_hex(&self) -> &str {
        &self.protected.signing_public_key_hex
    }

    /// Whether the artifact is encrypted.
    pub fn encrypted(&self) -> bool {
        self.protected.encrypted
    }
}

/// Signs (and optionally bundles and encrypts) a module, at the system clock.
pub fn protect<'a>(
    request: &ProtectRequest<'a>,
    signer: &SigningKey,
) -> Result<ProtectedArtifact<'a>> {
    caps::check_len("wasm", request.wasm.len(), caps::MODULE_BYTES)?;
    let options = ProtectOptions {
        manifest: parse_manifest_json(request.manifest_json)?,
        wasm: request.wasm,
        single_file_bundle: request.single_file_bundle,
        recipient_public_key: request.encrypt_for,
        artifact_id: None,
        target: serde_json::Value::Null,
        capabilities: None,
        now_ms: clock::now_ms()?,
    };
    let protected = publication::protect(&options, &signer.signer, &mut OsRandom)?;
    Ok(ProtectedArtifact { protected })
}

/// Who is trusted and what is required by [`open`].
#[derive(Default)]
pub struct OpenRequest<'a> {
    pub trusted_signers: Vec<PublicKey>,
    /// The X25519 key of an encrypted artifact.
    pub decrypt_with: Option<&'a RecipientKey>,
    /// Accept an artifact without trailer or signature (signatures present still verify).
    pub allow_unsigned: bool,
    /// When not empty, the opened module must also carry a tool-conventions signature
    /// (docs/wasmsig.md) of one of these Ed25519 keys over every part; checked after the PNM
    /// signature and decryption, so it vouches for the wasm that is returned.
    pub wasm_signers: Vec<WasmsigPublicKey>,
}

/// The loader's verdict, with the partial report on refusal: one shape on every boundary
/// (`open --json`, `sdm_open_report`, bindings).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "OpenOutcome")]
pub struct OpenOutcome {
    /// `"ok"` or `"error"`.
    pub outcome: String,
    /// 0, or the stable number of the refusal's error code.
    pub status: u32,
    /// The refusal's stable code name (e.g. `"signature-invalid"`); absent when ok.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The refusal's message; absent when ok.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Everything the loader established (before the failing step, on refusal).
    pub report: OpenReportView,
    /// Which fields the signature covers, and which are only hints.
    pub authentication: Authentication,
    /// The module's tool-conventions signature, when the request required one and it verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wasm_signature: Option<WasmsigReport>,
}

impl OpenOutcome {
    /// The refusal this outcome reports, as the error it came from.
    fn into_refusal(self) -> Error {
        Error::new(
            self.code
                .as_deref()
                .and_then(ErrorCode::from_name)
                .unwrap_or(ErrorCode::Internal),
            self.detail.unwrap_or_default(),
        )
    }
}

/// What a verified signature does and does not vouch for (docs/keys.md).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Authentication {
    /// True when a trusted signer's signature over the CID verified.
    pub signed: bool,
    /// The signed content identifier of the payload, when signed.
    pub cid: Option<String>,
    /// The signed publish timestamp, when its signature verified.
    pub publish_timestamp: Option<String>,
    /// Report fields no signature covers: editable by anyone who holds the artifact.
    pub unauthenticated: Vec<String>,
}

/// Report fields never covered by a signature.
pub const UNAUTHENTICATED_FIELDS: [&str; 7] = [
    "pnm.fileId",
    "pnm.fileName",
    "pnm.multiformatAddress",
    "trailer.recVersion",
    "trailer.records[].recordType",
    "enc.timestamp",
    "enc.rootType",
];

/// An opened module, or the refusal with its partial report.
pub struct Opened {
    pub outcome: OpenOutcome,
    /// `Some` exactly when the outcome is ok.
    pub module: Option<VerifiedModule>,
}

impl Opened {
    /// The verified module, or the refusal as an error.
    pub fn into_result(self) -> Result<VerifiedModule> {
        match self.module {
            Some(module) => Ok(module),
            None => Err(self.outcome.into_refusal()),
        }
    }
}

/// Runs the fail-closed loader. `Err` only for arguments that are wrong whatever the artifact
/// (artifact above the module cap); a refusal is an [`OpenOutcome`] with `outcome: "error"`.
pub fn open(artifact: &[u8], request: &OpenRequest<'_>) -> Result<Opened> {
    caps::check_len("artifact", artifact.len(), caps::MODULE_BYTES)?;
    let recipient = request.decrypt_with.map(|key| &key.key);
    let loaded =
        match publication::open_verified(artifact, &policy(request, caps::MODULE_BYTES), recipient)
        {
            Err(failure) => Err((failure.error, failure.partial.view())),
            Ok(module) => {
                let view = module.report().view();
                match require_wasm_signature(module.wasm(), &request.wasm_signers) {
                    Ok(wasm_signature) => Ok((module, view, wasm_signature)),
                    Err(error) => Err((error, view)),
                }
            }
        };
    Ok(match loaded {
        Ok((module, view, wasm_signature)) => Opened {
            outcome: outcome(Ok((view, wasm_signature))),
            module: Some(module),
        },
        Err(refusal) => Opened {
            outcome: outcome(Err(refusal)),
            module: None,
        },
    })
}

fn policy(request: &OpenRequest<'_>, max_artifact_bytes: usize) -> OpenPolicy {
    OpenPolicy {
        trusted_signers: request.trusted_signers.clone(),
        require_signature: !request.allow_unsigned,
        max_artifact_bytes,
    }
}

type Verdict =
    std::result::Result<(OpenReportView, Option<WasmsigReport>), (Error, OpenReportView)>;

fn outcome(verdict: Verdict) -> OpenOutcome {
    match verdict {
        Ok((view, wasm_signature)) => OpenOutcome {
            outcome: "ok".to_owned(),
            status: 0,
            code: None,
            detail: None,
            authentication: authentication(&view),
            report: view,
            wasm_signature,
        },
        Err((error, view)) => OpenOutcome {
            outcome: "error".to_owned(),
            status: error.code().number(),
            code: Some(error.code().as_str().to_owned()),
            detail: Some(error.message().to_owned()),
            authentication: authentication(&view),
            report: view,
            wasm_signature: None,
        },
    }
}

/// An artifact opened from a file by [`open_file`].
#[derive(Debug, Clone)]
pub struct OpenedFile {
    pub outcome: OpenOutcome,
    /// Bytes of the wasm written to the output (0 when refused: nothing is written).
    pub wasm_length: u64,
}

impl OpenedFile {
    /// The refusal as an error; `Ok` with the wasm's length when the loader succeeded.
    pub fn into_result(self) -> Result<u64> {
        match self.outcome.code {
            None => Ok(self.wasm_length),
            Some(_) => Err(self.outcome.into_refusal()),
        }
    }
}

/// [`open`] of the artifact in the file `input`, writing the opened wasm to `output`: the
/// artifact is read once, in chunks, so memory stays bounded whatever its size (up to
/// [`caps::STREAM_ARTIFACT_BYTES`]; docs/limits.md). The output appears, atomically and with
/// the mode a new file gets, only when every step passed; while it is written it is readable
/// by its owner only. A pipe or device is read whole under [`caps::MODULE_BYTES`] and opened in
/// memory. Refusals and the report are those of [`open`] for the same bytes, except
/// that a section the validator needs whole above 8 MiB (other than code, data and custom
/// sections) is refused with `input-too-large`. A required tool-conventions signature is
/// checked on outputs up to [`caps::MODULE_BYTES`].
pub fn open_file(input: &Path, output: &Path, request: &OpenRequest<'_>) -> Result<OpenedFile> {
    let io = |err: std::io::Error| Error::new(ErrorCode::Io, format!("{}: {err}", input.display()));
    let mut source = std::fs::File::open(input).map_err(io)?;
    let meta = source.metadata().map_err(io)?;
    if !meta.is_file() {
        return open_unseekable(input, output, request);
    }
    let length = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    caps::check_len("artifact", length, caps::STREAM_ARTIFACT_BYTES)?;
    let mut out = AtomicFile::create(output, FileMode::Public)?;
    let recipient = request.decrypt_with.map(|key| &key.key);
    let streamed = publication::open_stream(
        &mut source,
        meta.len(),
        &policy(request, caps::STREAM_ARTIFACT_BYTES),
        recipient,
        out.file(),
    );
    let verdict = match streamed {
        Err(failure) => Err((failure.error, failure.partial.view())),
        Ok(opened) => {
            let view = opened.report.view();
            match wasm_signature_of_file(out.file(), opened.wasm_length, request) {
                Ok(wasm_signature) => Ok((opened.wasm_length, view, wasm_signature)),
                Err(error) => Err((error, view)),
            }
        }
    };
    Ok(match verdict {
        Ok((wasm_length, view, wasm_signature)) => {
            out.commit()?;
            OpenedFile {
                outcome: outcome(Ok((view, wasm_signature))),
                wasm_length,
            }
        }
        Err(refusal) => OpenedFile {
            outcome: outcome(Err(refusal)),
            wasm_length: 0,
        },
    })
}

/// A pipe or device cannot be read twice or from its end: it is read whole, under the module
/// cap, and opened in memory.
fn open_unseekable(input: &Path, output: &Path, request: &OpenRequest<'_>) -> Result<OpenedFile> {
    let bytes = caps::read_file_capped(input, caps::MODULE_BYTES)?;
    let opened = open(&bytes, request)?;
    let wasm_length = match &opened.module {
        Some(module) => {
            super::files::write_atomic(output, module.wasm(), FileMode::Public)?;
            module.wasm().len() as u64
        }
        None => 0,
    };
    Ok(OpenedFile {
        outcome: opened.outcome,
        wasm_length,
    })
}

/// [`require_wasm_signature`] over the wasm written to `file`, read back.
fn wasm_signature_of_file(
    file: &mut std::fs::File,
    wasm_length: u64,
    request: &OpenRequest<'_>,
) -> Result<Option<WasmsigReport>> {
    if request.wasm_signers.is_empty() {
        return Ok(None);
    }
    let length = usize::try_from(wasm_length).unwrap_or(usize::MAX);
    caps::check_len(
        "module checked for a wasm signature",
        length,
        caps::MODULE_BYTES,
    )?;
    let io =
        |err: std::io::Error| Error::new(ErrorCode::Io, format!("reading the opened wasm: {err}"));
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut wasm = Vec::with_capacity(length);
    file.take(wasm_length).read_to_end(&mut wasm).map_err(io)?;
    require_wasm_signature(&wasm, &request.wasm_signers)
}

/// The opened wasm's tool-conventions signature by one of `signers`; `None` when nothing is
/// required. Every part must be signed, except that `sds.*` custom sections may follow the
/// signed parts: a module is signed before it is bundled (a signature section added to a
/// bundled module would change its canonical module hash, spec 7.4), and the bundle carries
/// its own hashes under the PNM signature.
fn require_wasm_signature(
    wasm: &[u8],
    signers: &[WasmsigPublicKey],
) -> Result<Option<WasmsigReport>> {
    if signers.is_empty() {
        return Ok(None);
    }
    let report = wasmsig::verify(
        wasm,
        None,
        signers,
        VerifyOptions {
            allow_partial: true,
        },
    )?;
    if !report.complete && !only_sds_sections_after(wasm, report.verified_bytes)? {
        return Err(Error::new(
            ErrorCode::WasmSignaturePartial,
            format!(
                "only {} of {} parts ({} of {} bytes) are signed, and the rest is not only \
                 sds.* sections",
                report.verified_parts,
                report.parts,
                report.verified_bytes,
                wasm.len()
            ),
        ));
    }
    Ok(Some(report))
}

/// True when every section from byte `offset` on is a custom section named `sds.*` (or a
/// signature delimiter).
fn only_sds_sections_after(wasm: &[u8], offset: usize) -> Result<bool> {
    let sections = crate::wasm::sections::parse_sections(wasm)?;
    Ok(sections
        .iter()
        .filter(|section| section.start >= offset)
        .all(|section| {
            section.custom_name().is_some_and(|name| {
                name.starts_with("sds.") || name == crate::wasmsig::DELIMITER_SECTION
            })
        }))
}

fn authentication(view: &OpenReportView) -> Authentication {
    let signature = view.signature.as_ref();
    let signed = signature.is_some_and(|s| s.cid_signature_valid);
    let timestamp_signed = signed && signature.is_some_and(|s| s.timestamp_signature_valid);
    let pnm = view.pnm.as_ref();
    Authentication {
        signed,
        cid: pnm.filter(|_| signed).and_then(|p| p.cid.clone()),
        publish_timestamp: pnm
            .filter(|_| timestamp_signed)
            .and_then(|p| p.publish_timestamp.clone()),
        unauthenticated: UNAUTHENTICATED_FIELDS
            .iter()
            .map(|f| (*f).to_owned())
            .collect(),
    }
}
