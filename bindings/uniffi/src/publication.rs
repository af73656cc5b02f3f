//! Protect (sign, optionally bundle and encrypt) and open (the fail-closed loader) with its
//! report. `VerifiedModule` is the only thing `Runtime.load` and `RuntimeHost.installModule`
//! take, and only `open` / `openWithReport` (or the explicit `VerifiedModule.allowUnsigned`)
//! make one.

use std::sync::Arc;

use space_data_module::api::{self, publication as core};

use crate::error::{Result, guard};
use crate::json_text;
use crate::keys::{RecipientKey, SigningKey, trust_list};

/// Options of [`protect`].
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct ProtectOptions {
    /// Embed manifest and signed authorization in an `sds.bundle` section first.
    #[uniffi(default)]
    pub single_file_bundle: bool,
    /// Encrypt for this 32-byte X25519 recipient public key.
    #[uniffi(default)]
    pub encrypt_for: Option<Vec<u8>>,
}

/// The nine PNM fields; only `cid` and `publish_timestamp` are covered by signatures.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PublicationNotice {
    pub multiformat_address: Option<String>,
    pub publish_timestamp: Option<String>,
    pub cid: Option<String>,
    pub file_name: Option<String>,
    pub file_id: Option<String>,
    pub signature: Option<String>,
    pub timestamp_signature: Option<String>,
    pub signature_type: Option<String>,
    pub timestamp_signature_type: Option<String>,
}

impl From<api::views::PnmView> for PublicationNotice {
    fn from(view: api::views::PnmView) -> Self {
        let api::views::PnmView {
            multiformat_address,
            publish_timestamp,
            cid,
            file_name,
            file_id,
            signature,
            timestamp_signature,
            signature_type,
            timestamp_signature_type,
        } = view;
        PublicationNotice {
            multiformat_address,
            publish_timestamp,
            cid,
            file_name,
            file_id,
            signature,
            timestamp_signature,
            signature_type,
            timestamp_signature_type,
        }
    }
}

/// What `protect` reports.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProtectResult {
    pub signing_public_key_hex: String,
    /// The BIP-32 path of the signing key.
    pub signing_path: String,
    /// The signed package payload as JSON text.
    pub payload_json: String,
    pub publication_notice: PublicationNotice,
    pub publication_records_base64: String,
    pub encrypted: bool,
    /// The encrypted envelope as JSON text, when encrypted.
    pub encrypted_envelope_json: Option<String>,
    pub single_file_bundle: bool,
}

/// A protected artifact and its report.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProtectedArtifact {
    pub artifact: Vec<u8>,
    pub result: ProtectResult,
}

/// Signs (and optionally bundles and encrypts) a module, at the system clock.
#[uniffi::export(default(options))]
pub fn protect(
    wasm: Vec<u8>,
    manifest_json: String,
    signer: Arc<SigningKey>,
    options: ProtectOptions,
) -> Result<ProtectedArtifact> {
    guard(|| {
        let encrypt_for = options
            .encrypt_for
            .as_deref()
            .map(api::keys::recipient_public_key)
            .transpose()?;
        let request = core::ProtectRequest {
            wasm: &wasm,
            manifest_json: &manifest_json,
            single_file_bundle: options.single_file_bundle,
            encrypt_for,
        };
        let protected = core::protect(&request, &signer.inner)?;
        let api::ProtectResult {
            signing_public_key_hex,
            signing_path,
            payload,
            publication_notice,
            publication_records_base64,
            protected_artifact_base64: _,
            encrypted,
            encrypted_envelope,
            single_file_bundle,
        } = protected.result();
        Ok(ProtectedArtifact {
            artifact: protected.into_artifact(),
            result: ProtectResult {
                signing_public_key_hex,
                signing_path,
                payload_json: json_text(&payload),
                publication_notice: publication_notice.into(),
                publication_records_base64,
                encrypted,
                encrypted_envelope_json: encrypted_envelope.as_ref().map(json_text),
                single_file_bundle,
            },
        })
    })
}

/// Who is trusted and what is required by [`open`].
#[derive(uniffi::Record)]
pub struct OpenOptions {
    /// Trusted signers: hex secp256k1 public keys (66 or 130 digits) or paths of files
    /// holding one (plain hex or a key file).
    #[uniffi(default)]
    pub trusted_signers: Vec<String>,
    /// The key of an encrypted artifact.
    #[uniffi(default)]
    pub decrypt_with: Option<Arc<RecipientKey>>,
    /// Accept an artifact without trailer or signature (signatures present still verify).
    #[uniffi(default)]
    pub allow_unsigned: bool,
    /// When not empty, the opened wasm must also carry a complete tool-conventions signature
    /// (`sign_wasm`) by one of these Ed25519 keys (64 or 66 hex digits, or public key files).
    #[uniffi(default)]
    pub wasm_signers: Vec<String>,
}

/// The trailer's layout and records (`present == false`: no trailer).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrailerReport {
    pub present: bool,
    pub record_collection_length: Option<u64>,
    pub record_collection_offset: Option<u64>,
    pub payload_length: Option<u64>,
    /// Not covered by the signature: a hint.
    pub rec_version: Option<String>,
    pub records: Vec<TrailerRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrailerRecord {
    pub standard: Option<String>,
    pub record_type: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CidReport {
    pub declared: String,
    pub recomputed: String,
    pub matches: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SignatureReport {
    pub signer_public_key_hex: String,
    pub signature_type: String,
    pub cid_signature_valid: bool,
    pub timestamp_signature_valid: bool,
}

/// The ENC record (enum names, hex byte fields).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EncryptionReport {
    pub version: u8,
    pub key_exchange: String,
    pub symmetric: String,
    pub key_derivation: String,
    pub ephemeral_public_key_hex: String,
    pub nonce_start_hex: String,
    pub recipient_key_id_hex: Option<String>,
    pub context: Option<String>,
    pub schema_hash_hex: Option<String>,
    pub root_type: Option<String>,
    pub timestamp: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DigestReport {
    pub sha256: String,
    pub length: u64,
}

/// The `sds.bundle` the loader found (`present == false`: none).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BundleReport {
    pub present: bool,
    pub entry_ids: Vec<String>,
    pub canonical_module_hash_hex: Option<String>,
    pub bundle_canonical_module_hash_hex: Option<String>,
    pub manifest_hash_hex: Option<String>,
    pub manifest_plugin_id: Option<String>,
    pub authorization_signer_public_key_hex: Option<String>,
    pub authorization_payload_sha256: Option<String>,
}

/// Everything the loader established, in step order (on refusal: up to the failing step).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OpenReport {
    pub trailer: Option<TrailerReport>,
    pub pnm: Option<PublicationNotice>,
    pub cid: Option<CidReport>,
    pub signature: Option<SignatureReport>,
    pub enc: Option<EncryptionReport>,
    pub decrypted: Option<DigestReport>,
    pub wasm: Option<DigestReport>,
    pub bundle: Option<BundleReport>,
}

/// What a verified signature vouches for, and which report fields are only hints.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Authentication {
    pub signed: bool,
    pub cid: Option<String>,
    pub publish_timestamp: Option<String>,
    pub unauthenticated: Vec<String>,
}

/// The loader's verdict with its report: one shape on every boundary.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OpenOutcome {
    pub ok: bool,
    /// The refusal's code; none when ok.
    pub code: Option<crate::ErrorCode>,
    /// 0, or the refusal's stable number.
    pub status: u32,
    /// The refusal's message; none when ok.
    pub detail: Option<String>,
    pub report: OpenReport,
    pub authentication: Authentication,
    /// The module's tool-conventions signature, when `wasm_signers` required one.
    pub wasm_signature: Option<crate::wasmsig::WasmSignatureReport>,
    /// The outcome as JSON text (`docs/schemas/open-outcome.schema.json`).
    pub json: String,
}

impl From<api::publication::OpenOutcome> for OpenOutcome {
    fn from(outcome: api::publication::OpenOutcome) -> Self {
        let json = serde_json::to_string(&outcome).unwrap_or_default();
        let code = outcome
            .code
            .as_deref()
            .and_then(api::ErrorCode::from_name)
            .map(crate::ErrorCode::from_core);
        let auth = outcome.authentication;
        OpenOutcome {
            ok: outcome.outcome == "ok",
            code,
            status: outcome.status,
            detail: outcome.detail,
            report: report(outcome.report),
            authentication: Authentication {
                signed: auth.signed,
                cid: auth.cid,
                publish_timestamp: auth.publish_timestamp,
                unauthenticated: auth.unauthenticated,
            },
            wasm_signature: outcome.wasm_signature.map(Into::into),
            json,
        }
    }
}

fn digest(view: api::views::DigestView) -> DigestReport {
    DigestReport {
        sha256: view.sha256,
        length: view.length as u64,
    }
}

fn report(view: api::OpenReportView) -> OpenReport {
    let api::OpenReportView {
        trailer,
        pnm,
        cid,
        signature,
        enc,
        decrypted,
        wasm,
        bundle,
    } = view;
    OpenReport {
        trailer: trailer.map(|t| {
            let details = t.details;
            TrailerReport {
                present: t.present,
                record_collection_length: details
                    .as_ref()
                    .map(|d| d.record_collection_length as u64),
                record_collection_offset: details
                    .as_ref()
                    .map(|d| d.record_collection_offset as u64),
                payload_length: details.as_ref().map(|d| d.payload_length as u64),
                rec_version: details.as_ref().map(|d| d.rec_version.clone()),
                records: details
                    .map(|d| {
                        d.records
                            .into_iter()
                            .map(|r| TrailerRecord {
                                standard: r.standard,
                                record_type: r.record_type,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        }),
        pnm: pnm.map(Into::into),
        cid: cid.map(|c| CidReport {
            declared: c.declared,
            recomputed: c.recomputed,
            matches: c.matches,
        }),
        signature: signature.map(|s| SignatureReport {
            signer_public_key_hex: s.signer_public_key_hex,
            signature_type: s.signature_type,
            cid_signature_valid: s.cid_signature_valid,
            timestamp_signature_valid: s.timestamp_signature_valid,
        }),
        enc: enc.map(|e| {
            let api::views::EncView {
                version,
                key_exchange,
                symmetric,
                key_derivation,
                ephemeral_public_key_hex,
                nonce_start_hex,
                recipient_key_id_hex,
                context,
                schema_hash_hex,
                root_type,
                timestamp,
            } = e;
            EncryptionReport {
                version,
                key_exchange,
                symmetric,
                key_derivation,
                ephemeral_public_key_hex,
                nonce_start_hex,
                recipient_key_id_hex,
                context,
                schema_hash_hex,
                root_type,
                timestamp,
            }
        }),
        decrypted: decrypted.map(digest),
        wasm: wasm.map(digest),
        bundle: bundle.map(|b| {
            let details = b.details;
            BundleReport {
                present: b.present,
                entry_ids: details
                    .as_ref()
                    .map(|d| d.entry_ids.clone())
                    .unwrap_or_default(),
                canonical_module_hash_hex: details
                    .as_ref()
                    .map(|d| d.canonical_module_hash_hex.clone()),
                bundle_canonical_module_hash_hex: details
                    .as_ref()
                    .map(|d| d.bundle_canonical_module_hash_hex.clone()),
                manifest_hash_hex: details.as_ref().map(|d| d.manifest_hash_hex.clone()),
                manifest_plugin_id: details.as_ref().and_then(|d| d.manifest_plugin_id.clone()),
                authorization_signer_public_key_hex: details
                    .as_ref()
                    .and_then(|d| d.authorization_signer_public_key_hex.clone()),
                authorization_payload_sha256: details.and_then(|d| d.authorization_payload_sha256),
            }
        }),
    }
}

/// A module that passed the fail-closed loader, with the loader's outcome. Immutable.
#[derive(uniffi::Object)]
pub struct VerifiedModule {
    pub(crate) inner: api::VerifiedModule,
    outcome: OpenOutcome,
}

#[uniffi::export]
impl VerifiedModule {
    /// Accepts plain wasm explicitly, without requiring a signature (a trailer that is present
    /// must still verify, and the wasm must validate).
    #[uniffi::constructor]
    pub fn allow_unsigned(wasm: Vec<u8>) -> Result<Arc<VerifiedModule>> {
        guard(|| {
            let request = core::OpenRequest {
                allow_unsigned: true,
                ..core::OpenRequest::default()
            };
            verified(core::open(&wasm, &request)?)
        })
    }

    /// The plain WebAssembly (trailer stripped, decrypted).
    pub fn wasm(&self) -> Vec<u8> {
        self.inner.wasm().to_vec()
    }

    /// What the loader established.
    pub fn outcome(&self) -> OpenOutcome {
        self.outcome.clone()
    }

    /// The capability ids the verified manifest declares (the most a host may grant).
    pub fn declared_capabilities(&self) -> Vec<String> {
        self.inner.declared_capabilities().to_vec()
    }

    /// The decoded manifest core read from the module, as JSON text; none without one.
    pub fn manifest_json(&self) -> Option<String> {
        self.inner.manifest().map(json_text)
    }
}

/// The loader's verdict and, when ok, the verified module.
#[derive(uniffi::Record)]
pub struct OpenResult {
    pub outcome: OpenOutcome,
    /// Present exactly when `outcome.ok`.
    pub module: Option<Arc<VerifiedModule>>,
}

fn run_open(artifact: &[u8], options: &OpenOptions) -> Result<core::Opened> {
    let trusted_signers = trust_list(&options.trusted_signers)?;
    let request = core::OpenRequest {
        trusted_signers,
        decrypt_with: options.decrypt_with.as_deref().map(|key| &key.inner),
        allow_unsigned: options.allow_unsigned,
        wasm_signers: api::wasmsig::trusted_keys(&options.wasm_signers)?,
    };
    Ok(core::open(artifact, &request)?)
}

/// Runs the fail-closed loader; a refusal is an outcome with `ok == false` and the partial
/// report. Throws only for arguments wrong whatever the artifact (a bad trust list, an
/// artifact above the cap).
#[uniffi::export]
pub fn open_with_report(artifact: Vec<u8>, options: OpenOptions) -> Result<OpenResult> {
    guard(|| {
        let opened = run_open(&artifact, &options)?;
        let outcome = OpenOutcome::from(opened.outcome);
        Ok(OpenResult {
            module: opened.module.map(|inner| {
                Arc::new(VerifiedModule {
                    inner,
                    outcome: outcome.clone(),
                })
            }),
            outcome,
        })
    })
}

/// Runs the fail-closed loader; a refusal throws its code (e.g. `SdmException.Security` with
/// `SIGNATURE_INVALID`).
#[uniffi::export]
pub fn open(artifact: Vec<u8>, options: OpenOptions) -> Result<Arc<VerifiedModule>> {
    guard(|| verified(run_open(&artifact, &options)?))
}

/// The verified module of an ok outcome, or the refusal as an error.
fn verified(opened: core::Opened) -> Result<Arc<VerifiedModule>> {
    let outcome = OpenOutcome::from(opened.outcome.clone());
    let inner = opened.into_result()?;
    Ok(Arc::new(VerifiedModule { inner, outcome }))
}
