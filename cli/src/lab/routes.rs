//! One handler per endpoint (docs/lab.md lists them). Each parses its typed JSON request,
//! calls `space_data_module::api`, and shapes the answer; none holds format logic.
//!
//! Bytes travel as base64 inside JSON (`wasmBase64`, `artifactBase64`), so the API is JSON
//! only and nothing a request carries is ever a file name.

use std::time::Duration;

use base64::Engine as _;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use space_data_module::api::format::{self, BundleOptions, CheckRequest, InspectOptions};
use space_data_module::api::invoke::{self, Call};
use space_data_module::api::keys::{self, RecipientKey, SigningKey};
use space_data_module::api::publication::{self, OpenRequest, Opened, ProtectRequest};
use space_data_module::api::{Limits, caps};
use space_data_module::compiler::{self, Toolchain};
use space_data_module::{Error, ErrorCode};

use super::assets;
use super::guard::REQUEST_BODY_BYTES;
use super::reply::{ApiError, ApiResult, Reply};
use super::session::Session;

/// The page's demo input, and the module it runs: the repository's echo example.
const ECHO_MANIFEST: &str = include_str!("../../../examples/invoke-echo/manifest.hybrid.json");
const ECHO_SOURCE: &str = include_str!("../../../examples/invoke-echo/module.c");
const ECHO_INPUT: &str = "hello, space data";

/// Limits of a lab invoke: the runtime's defaults, with a wall clock short enough that a
/// looping module does not hold a worker for long.
fn lab_limits() -> Limits {
    Limits {
        timeout: Some(Duration::from_secs(10)),
        max_memory_bytes: 128 << 20,
        ..Limits::default()
    }
}

pub fn get(path: &str, session: &Session) -> ApiResult {
    match path {
        "/" | "/index.html" => Ok(Reply::asset("text/html; charset=utf-8", assets::INDEX_HTML)),
        "/lab.js" => Ok(Reply::asset(
            "text/javascript; charset=utf-8",
            assets::LAB_JS,
        )),
        "/lab.css" => Ok(Reply::asset("text/css; charset=utf-8", assets::LAB_CSS)),
        "/api/session" => Ok(session_info(session)),
        "/api/demo/echo" => Ok(Reply::json(&json!({
            "manifest": ECHO_MANIFEST,
            "source": ECHO_SOURCE,
            "method": "echo",
            "port": "echo",
            "input": ECHO_INPUT,
        }))),
        _ => Err(not_found(path)),
    }
}

pub fn post(path: &str, body: &[u8], session: &Session) -> ApiResult {
    match path {
        "/api/check" => check(parse(body)?),
        "/api/compile" => compile(parse(body)?, session),
        "/api/bundle" => bundle(parse(body)?),
        "/api/inspect" => inspect(parse(body)?),
        "/api/protect" => protect(parse(body)?, session),
        "/api/open" => open(parse(body)?, session),
        "/api/invoke" => invoke(parse(body)?, session),
        "/api/keys/download" => download_key(parse(body)?, session),
        _ => Err(not_found(path)),
    }
}

/// True for the paths that answer GET (the others answer POST, or nothing).
pub fn is_get_path(path: &str) -> bool {
    matches!(
        path,
        "/" | "/index.html" | "/lab.js" | "/lab.css" | "/api/session" | "/api/demo/echo"
    )
}

pub fn not_found(path: &str) -> ApiError {
    ApiError::with_status(
        404,
        ErrorCode::InvalidArgument,
        format!(
            "no such endpoint: {}",
            path.chars().take(100).collect::<String>()
        ),
    )
}

/// The request's JSON as the endpoint's type: not JSON, or not that shape, is `invalid-json`.
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|err| {
        ApiError::from(Error::new(
            ErrorCode::InvalidJson,
            format!("request body: {err}"),
        ))
    })
}

fn base64_field(name: &str, text: &str, cap: usize) -> Result<Vec<u8>, ApiError> {
    // Decoded bytes are 3/4 of the text: refuse before decoding when even that is too much.
    caps::check_len(name, text.len() / 4 * 3, cap)?;
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|err| {
            ApiError::from(Error::new(
                ErrorCode::InvalidArgument,
                format!("{name}: not base64: {err}"),
            ))
        })
}

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn session_info(session: &Session) -> Reply {
    Reply::json(&json!({
        "signingPublicKeyHex": session.signing.public_key_hex(),
        "recipientPublicKeyHex": session.recipient.public_key_hex(),
        "compilerAvailable": session.compiler_available,
        "caps": {
            "requestBodyBytes": REQUEST_BODY_BYTES,
            "moduleBytes": caps::MODULE_BYTES,
            "manifestJsonBytes": caps::MANIFEST_JSON_BYTES,
            "invokeInputBytes": caps::INVOKE_INPUT_BYTES,
        },
        "version": env!("CARGO_PKG_VERSION"),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CheckBody {
    manifest: String,
    wasm_base64: Option<String>,
    #[serde(default)]
    standards: bool,
}

fn check(body: CheckBody) -> ApiResult {
    let wasm = body
        .wasm_base64
        .as_deref()
        .map(|text| base64_field("wasmBase64", text, caps::MODULE_BYTES))
        .transpose()?;
    let report = format::check(&CheckRequest {
        manifest_json: &body.manifest,
        wasm: wasm.as_deref(),
        standards: body.standards,
        manifest_name: None,
        wasm_name: None,
    })?;
    Ok(Reply::json(&report))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CompileBody {
    manifest: String,
    source: String,
}

fn compile(body: CompileBody, session: &Session) -> ApiResult {
    // The source comes over HTTP: it may include nothing that names a file on this machine.
    compiler::check_source_reads_no_files(&body.source)?;
    if !session.compiler_available {
        return Err(Error::new(
            ErrorCode::CompilerToolchainMissing,
            format!(
                "clang for wasm32-wasi was not found when the lab started; install it with: {}",
                compiler::INSTALL_HINT
            ),
        )
        .into());
    }
    let manifest = format::parse_manifest_json(&body.manifest)?;
    let toolchain = Toolchain::detect()?;
    let compiled =
        compiler::compile_with_manifest(&toolchain, &manifest, &body.source, "c", false)?;
    Ok(Reply::json(&json!({
        "wasmBase64": base64(&compiled.wasm),
        "wasmBytes": compiled.wasm.len(),
        "surfaces": compiled.surfaces.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "methods": compiled.methods.iter().map(|m| m.method_id.as_str()).collect::<Vec<_>>(),
        "report": compiled.report.check_report(),
    })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BundleBody {
    manifest: String,
    wasm_base64: String,
}

fn bundle(body: BundleBody) -> ApiResult {
    let wasm = base64_field("wasmBase64", &body.wasm_base64, caps::MODULE_BYTES)?;
    let created = format::create_bundle(&wasm, &body.manifest, &BundleOptions::default())?;
    let inspected = format::inspect(
        &created.wasm,
        &InspectOptions {
            verify: true,
            bundle_section_name: None,
        },
    )?;
    Ok(Reply::json(&json!({
        "summary": created.summary,
        "inspect": inspected,
        "wasmBase64": base64(&created.wasm),
    })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct InspectBody {
    wasm_base64: String,
}

fn inspect(body: InspectBody) -> ApiResult {
    let module = base64_field("wasmBase64", &body.wasm_base64, caps::MODULE_BYTES)?;
    let report = format::inspect(
        &module,
        &InspectOptions {
            verify: true,
            bundle_section_name: None,
        },
    )?;
    Ok(Reply::json(&report))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ProtectBody {
    manifest: String,
    wasm_base64: String,
    #[serde(default)]
    single_file_bundle: bool,
    /// Encrypt: for `encryptForHex` when given, else for the session's recipient key.
    #[serde(default)]
    encrypt: bool,
    encrypt_for_hex: Option<String>,
    /// A signing key file (`keygen --kind signing`) to sign with instead of the session's key;
    /// used for this request only, never stored.
    signing_key_file: Option<String>,
}

fn protect(body: ProtectBody, session: &Session) -> ApiResult {
    let wasm = base64_field("wasmBase64", &body.wasm_base64, caps::MODULE_BYTES)?;
    let uploaded = body
        .signing_key_file
        .as_deref()
        .map(|text| {
            caps::check_len("signingKeyFile", text.len(), caps::KEY_FILE_BYTES)?;
            SigningKey::from_file_text(text)
        })
        .transpose()?;
    let encrypt_for = match (body.encrypt, body.encrypt_for_hex.as_deref()) {
        (_, Some(hex)) => Some(keys::recipient_public_key_hex(hex)?),
        (true, None) => Some(session.recipient.public_key()),
        (false, None) => None,
    };
    let protected = publication::protect(
        &ProtectRequest {
            wasm: &wasm,
            manifest_json: &body.manifest,
            single_file_bundle: body.single_file_bundle,
            encrypt_for,
        },
        uploaded.as_ref().unwrap_or(&session.signing),
    )?;
    Ok(Reply::json(&json!({
        "result": protected.result(),
        "artifactBase64": base64(protected.artifact()),
        "artifactBytes": protected.artifact().len(),
        "artifactSha256Hex": hex::encode(Sha256::digest(protected.artifact())),
    })))
}

/// The loader options `open` and `invoke` share.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LoaderBody {
    artifact_base64: String,
    /// Trusted signer public keys, hex only (never file names).
    #[serde(default)]
    trust: Vec<String>,
    /// A recipient key file to decrypt with instead of the session's key (this request only).
    decrypt_with_key_file: Option<String>,
    #[serde(default)]
    allow_unsigned: bool,
}

impl LoaderBody {
    fn open(&self, session: &Session) -> Result<Opened, ApiError> {
        let artifact = base64_field("artifactBase64", &self.artifact_base64, caps::MODULE_BYTES)?;
        let uploaded = self
            .decrypt_with_key_file
            .as_deref()
            .map(|text| {
                caps::check_len("decryptWithKeyFile", text.len(), caps::KEY_FILE_BYTES)?;
                RecipientKey::from_file_text(text)
            })
            .transpose()?;
        let request = OpenRequest {
            trusted_signers: keys::trusted_signers_hex(&self.trust)?,
            decrypt_with: Some(uploaded.as_ref().unwrap_or(&session.recipient)),
            allow_unsigned: self.allow_unsigned,
            wasm_signers: Vec::new(),
        };
        Ok(publication::open(&artifact, &request)?)
    }
}

/// A refusal is an answer, not a failed request: 200 with `outcome: "error"`, its code and
/// the partial report, as `open --json` prints it.
fn open(body: LoaderBody, session: &Session) -> ApiResult {
    let opened = body.open(session)?;
    let wasm = opened.module.as_ref().map(|module| module.wasm());
    Ok(Reply::json(&json!({
        "outcome": opened.outcome,
        "wasmBase64": wasm.map(base64),
        "wasmBytes": wasm.map(<[u8]>::len),
    })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct InputFrame {
    port: String,
    /// The payload as UTF-8 text, or
    text: Option<String>,
    /// as base64 (exactly one of the two).
    base64: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct InvokeBody {
    artifact_base64: String,
    #[serde(default)]
    trust: Vec<String>,
    decrypt_with_key_file: Option<String>,
    #[serde(default)]
    allow_unsigned: bool,
    method: String,
    #[serde(default)]
    inputs: Vec<InputFrame>,
    /// `"direct"` or `"command"`; default: direct when exported.
    mode: Option<String>,
}

/// Opens (fail-closed, exactly as `open`) and runs one method. A refusal by the loader is an
/// error here (422 with its code): nothing runs.
fn invoke(body: InvokeBody, session: &Session) -> ApiResult {
    let mode = body.mode.as_deref().map(invoke::parse_mode).transpose()?;
    let payloads = body
        .inputs
        .iter()
        .map(|frame| match (&frame.text, &frame.base64) {
            (Some(text), None) => {
                caps::check_len("input", text.len(), caps::INVOKE_INPUT_BYTES)?;
                Ok(text.as_bytes().to_vec())
            }
            (None, Some(encoded)) => base64_field("input", encoded, caps::INVOKE_INPUT_BYTES),
            _ => Err(ApiError::from(Error::new(
                ErrorCode::InvalidArgument,
                format!(
                    "input on port {:?}: give exactly one of text, base64",
                    frame.port
                ),
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    // The loader fields again as a LoaderBody (serde's `flatten` would lose
    // `deny_unknown_fields`, so InvokeBody spells them out).
    let loader = LoaderBody {
        artifact_base64: body.artifact_base64,
        trust: body.trust,
        decrypt_with_key_file: body.decrypt_with_key_file,
        allow_unsigned: body.allow_unsigned,
    };
    let opened = loader.open(session)?;
    let outcome = opened.outcome.clone();
    let verified = opened.into_result()?;
    let runtime = session.runtime()?;
    let module = runtime.load(&verified)?;
    let invoked = invoke::invoke(
        runtime,
        &module,
        &Call {
            method: &body.method,
            inputs: body
                .inputs
                .iter()
                .map(|frame| frame.port.clone())
                .zip(payloads.iter().map(Vec::as_slice))
                .collect(),
            mode,
            limits: lab_limits(),
            ..Call::default()
        },
    )?;
    // The page shows text outputs as text; binary ones stay base64 in `result`.
    let texts: Vec<Value> = (0..invoked.response.output_frames.len())
        .map(|index| {
            std::str::from_utf8(invoked.payload(index))
                .map_or(Value::Null, |text| Value::String(text.to_owned()))
        })
        .collect();
    Ok(Reply::json(&json!({
        "outcome": outcome,
        "result": invoked.result(),
        "failed": invoked.failed(),
        "outputTexts": texts,
    })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DownloadKeyBody {
    /// `"signing"` or `"recipient"`.
    kind: String,
}

/// The only response that carries a private key, and only because the user asked for it: the
/// session key as a key file (the format `keygen` writes and `--decrypt-with` reads).
fn download_key(body: DownloadKeyBody, session: &Session) -> ApiResult {
    let (text, name) = match body.kind.as_str() {
        "signing" => (session.signing.to_file_text()?, "lab-signing-key.json"),
        "recipient" => (session.recipient.to_file_text()?, "lab-recipient-key.json"),
        other => {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                format!(
                    "kind {:?} is neither \"signing\" nor \"recipient\"",
                    other.chars().take(40).collect::<String>()
                ),
            )
            .into());
        }
    };
    Ok(Reply::download(
        "application/json",
        name,
        text.as_bytes().to_vec(),
    ))
}
