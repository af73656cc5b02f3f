//! Runner for the publication vectors layout (`index.json` + `cases/`, `authorization/`,
//! `transport/`, `canonical-json/`; spec publication-and-protection.md section 14).
//!
//! Artifact cases are opened with their `loaderInputs` and the outcome, error class, detail and
//! (partial) report compared with `expect`; trailer bytes are re-encoded and compared with
//! `record-collection.bin`, `pnm.bin` and `enc.bin`; positive cases are rebuilt from their
//! `reproduce` block. Authorization, transport and canonical-JSON cases are checked likewise.

use std::path::Path;

use serde_json::Value;

use super::{CaseOutcome, bytes_diff, json_diff, read, read_json};
use crate::keys::signing::PublicKey;
use crate::keys::x25519::X25519PrivateKey;
use crate::publication::{self as publication, OpenPolicy};
use crate::trailer;
use crate::{Error, ErrorCode, Result};

const LAYOUT: &str = "publication";

/// A publication layout directory has an `index.json` and a `cases/` directory.
pub fn detect(dir: &Path) -> bool {
    dir.join("index.json").is_file() && dir.join("cases").is_dir()
}

/// Runs every case listed in `index.json`.
pub fn run(dir: &Path) -> Result<Vec<CaseOutcome>> {
    let index = read_json(&dir.join("index.json"))?;
    let cases = index
        .get("cases")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::new(ErrorCode::InvalidJson, "index.json lacks a cases array"))?;
    let mut outcomes = Vec::with_capacity(cases.len());
    for case in cases {
        let id = text(case, "id").unwrap_or("<no id>").to_owned();
        let failure = match run_case(dir, case) {
            Ok(failure) => failure,
            Err(err) => Some(format!("could not run: {err}")),
        };
        outcomes.push(CaseOutcome {
            layout: LAYOUT,
            case: id,
            failure,
        });
    }
    Ok(outcomes)
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn run_case(dir: &Path, case: &Value) -> Result<Option<String>> {
    let case_dir = dir.join(text(case, "dir").unwrap_or_default());
    match text(case, "kind").unwrap_or_default() {
        "artifact" => artifact::run(dir, &case_dir),
        "authorization" => authorization::run(dir, &case_dir),
        "transport" => transport::run(&case_dir),
        "canonical-json" => canonical::run(&case_dir),
        other => Ok(Some(format!("unknown case kind {other:?}"))),
    }
}

/// The vectors' error-class name for a code (the loader's `wasm-invalid` uses code 208).
pub fn error_class(code: ErrorCode) -> &'static str {
    code.as_str()
}

fn trusted_keys(inputs: &Value) -> Result<Vec<PublicKey>> {
    inputs
        .get("trustedSignerPublicKeysHex")
        .and_then(Value::as_array)
        .map(|keys| {
            keys.iter()
                .filter_map(Value::as_str)
                .map(PublicKey::from_hex)
                .collect()
        })
        .unwrap_or_else(|| Ok(Vec::new()))
}

fn recipient_key(inputs: &Value) -> Result<Option<X25519PrivateKey>> {
    inputs
        .get("recipientPrivateKeyHex")
        .and_then(Value::as_str)
        .map(X25519PrivateKey::from_hex)
        .transpose()
}

/// `expect` without the `outcome`/`errorClass`/`detail` members: the report part.
fn expected_report(expect: &Value) -> Value {
    let mut report = expect.clone();
    if let Some(map) = report.as_object_mut() {
        map.remove("outcome");
    }
    report
}

mod artifact {
    use super::*;

    pub fn run(root: &Path, dir: &Path) -> Result<Option<String>> {
        let expected = read_json(&dir.join("expected.json"))?;
        let artifact = read(&dir.join("artifact.wasm"))?;
        let inputs = expected.get("loaderInputs").cloned().unwrap_or(Value::Null);
        let expect = expected.get("expect").cloned().unwrap_or(Value::Null);
        let policy = OpenPolicy {
            trusted_signers: trusted_keys(&inputs)?,
            require_signature: inputs
                .get("requireSignature")
                .and_then(Value::as_bool)
                .unwrap_or(true),
            ..OpenPolicy::default()
        };
        let recipient = recipient_key(&inputs)?;
        let result = publication::open(&artifact, &policy, recipient.as_ref());
        let outcome = text(&expect, "outcome").unwrap_or_default();
        match (&result, outcome) {
            (Ok(opened), "ok") => {
                if let Some(diff) = json_diff(&expected_report(&expect), &opened.report.to_json()) {
                    return Ok(Some(format!("report: {diff}")));
                }
                if let Ok(decrypted) = read(&dir.join("decrypted.wasm"))
                    && let Some(diff) = bytes_diff(&decrypted, &opened.wasm)
                {
                    return Ok(Some(format!("decrypted.wasm: {diff}")));
                }
                if let Some(diff) = check_trailer_bytes(dir, &artifact, true)? {
                    return Ok(Some(diff));
                }
                super::rebuild::check(root, dir, &expected, &artifact)
            }
            (Err(failure), "error") => {
                let class = error_class(failure.error.code());
                let want = text(&expect, "errorClass").unwrap_or_default();
                if class != want {
                    return Ok(Some(format!(
                        "errorClass: expected {want}, got {class} ({})",
                        failure.error.message()
                    )));
                }
                if let Some(detail) = text(&expect, "detail")
                    && detail != failure.error.message()
                {
                    return Ok(Some(format!(
                        "detail: expected {detail:?}, got {:?}",
                        failure.error.message()
                    )));
                }
                if let Some(partial) = expect.get("partial")
                    && let Some(diff) = json_diff(partial, &failure.partial.to_json())
                {
                    return Ok(Some(format!("partial: {diff}")));
                }
                check_trailer_bytes(dir, &artifact, false)
            }
            (Ok(_), _) => Ok(Some(format!("expected {outcome}, the artifact opened"))),
            (Err(failure), _) => Ok(Some(format!(
                "expected {outcome}, got error {}",
                failure.error
            ))),
        }
    }

    /// `record-collection.bin` equals the artifact's collection; for positive cases the
    /// collection, `pnm.bin` and `enc.bin` re-encode byte-for-byte from the decoded values.
    fn check_trailer_bytes(dir: &Path, artifact: &[u8], positive: bool) -> Result<Option<String>> {
        let Ok(expected_rec) = read(&dir.join("record-collection.bin")) else {
            return Ok(None);
        };
        let end = artifact.len().saturating_sub(8);
        let start = end.saturating_sub(expected_rec.len());
        if let Some(diff) = bytes_diff(&expected_rec, &artifact[start..end]) {
            return Ok(Some(format!(
                "record-collection.bin vs artifact tail: {diff}"
            )));
        }
        if !positive {
            return Ok(None);
        }
        let collection = trailer::decode_collection(&expected_rec)?;
        let encoded = trailer::encode_collection(
            collection.enc.as_ref(),
            collection.pnm.as_ref(),
            Some(&collection.version),
        )?;
        if let Some(diff) = bytes_diff(&expected_rec, &encoded) {
            return Ok(Some(format!("re-encoded record collection: {diff}")));
        }
        if let (Ok(pnm_bin), Some(pnm)) = (read(&dir.join("pnm.bin")), &collection.pnm) {
            if let Some(diff) = bytes_diff(&pnm_bin, &trailer::encode_pnm_record(pnm)) {
                return Ok(Some(format!("pnm.bin: {diff}")));
            }
            if trailer::decode_pnm_record(&pnm_bin)? != *pnm {
                return Ok(Some("pnm.bin decodes to different values".to_owned()));
            }
        }
        if let (Ok(enc_bin), Some(enc)) = (read(&dir.join("enc.bin")), &collection.enc) {
            if let Some(diff) = bytes_diff(&enc_bin, &trailer::encode_enc_record(enc)) {
                return Ok(Some(format!("enc.bin: {diff}")));
            }
            if trailer::decode_enc_record(&enc_bin)? != *enc {
                return Ok(Some("enc.bin decodes to different values".to_owned()));
            }
        }
        Ok(None)
    }
}

mod rebuild {
    use super::*;
    use crate::keys::random::ScriptedRandom;
    use crate::keys::signing::Signer;
    use crate::keys::x25519::x25519_public_from_hex;
    use crate::publication::{ProtectOptions, protect};

    /// Rebuilds a positive case from its `reproduce` block: the artifact, the authorization
    /// envelope, the transport envelope and the bundled wasm must all come out identical.
    pub fn check(
        root: &Path,
        dir: &Path,
        expected: &Value,
        artifact: &[u8],
    ) -> Result<Option<String>> {
        let Some(reproduce) = expected.get("reproduce") else {
            return Ok(None);
        };
        let options = reproduce.get("options").cloned().unwrap_or(Value::Null);
        let manifest = read_json(&root.join(text(&options, "manifest").unwrap_or_default()))?;
        let wasm = read(&root.join(text(&options, "wasm").unwrap_or_default()))?;
        let signer = Signer::from_mnemonic(text(&options, "mnemonic").unwrap_or_default())?;
        let recipient_public_key = text(&options, "recipientPublicKeyHex")
            .map(x25519_public_from_hex)
            .transpose()?;
        let protect_options = ProtectOptions {
            manifest,
            wasm: &wasm,
            single_file_bundle: options
                .get("singleFileBundle")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            recipient_public_key,
            artifact_id: None,
            target: Value::Null,
            capabilities: None,
            now_ms: reproduce
                .get("dateNowMs")
                .and_then(Value::as_i64)
                .unwrap_or_default(),
        };
        let mut rng = ScriptedRandom::new(super::random_draws(reproduce)?);
        let protected = protect(&protect_options, &signer, &mut rng)?;
        if let Some(diff) = bytes_diff(artifact, &protected.protected_artifact_bytes) {
            return Ok(Some(format!("rebuilt artifact: {diff}")));
        }
        if let Ok(envelope) = read_json(&dir.join("authorization-envelope.json"))
            && let Some(diff) = json_diff(&envelope, protected.authorization())
        {
            return Ok(Some(format!("authorization-envelope.json: {diff}")));
        }
        if let Ok(envelope) = read_json(&dir.join("transport-envelope.json")) {
            let rebuilt = protected.encrypted_envelope().unwrap_or(Value::Null);
            if let Some(diff) = json_diff(&envelope, &rebuilt) {
                return Ok(Some(format!("transport-envelope.json: {diff}")));
            }
        }
        if let Ok(bundled) = read(&dir.join("stripped-bundled.wasm")) {
            let rebuilt = protected
                .single_file_bundle_wasm
                .clone()
                .unwrap_or_default();
            if let Some(diff) = bytes_diff(&bundled, &rebuilt) {
                return Ok(Some(format!("stripped-bundled.wasm: {diff}")));
            }
        }
        Ok(None)
    }
}

mod authorization {
    use super::*;
    use crate::auth::{self, Expectations, SignerHeader, VerifyOptions};
    use crate::canonical_json::canonical_bytes;
    use crate::keys::random::ScriptedRandom;
    use crate::keys::signing::Signer;

    pub fn run(root: &Path, dir: &Path) -> Result<Option<String>> {
        let expected = read_json(&dir.join("expected.json"))?;
        let envelope = read_json(&dir.join("envelope.json"))?;
        let inputs = expected
            .get("verifierInputs")
            .cloned()
            .unwrap_or(Value::Null);
        let expect = expected.get("expect").cloned().unwrap_or(Value::Null);
        // The signed bytes and the canonical envelope reproduce exactly.
        let payload = envelope.get("payload").cloned().unwrap_or(Value::Null);
        if let Some(diff) = bytes_diff(
            &read(&dir.join("payload.canonical.json"))?,
            &canonical_bytes(&payload)?,
        ) {
            return Ok(Some(format!("payload.canonical.json: {diff}")));
        }
        if let Some(diff) = bytes_diff(
            &read(&dir.join("envelope.canonical.json"))?,
            &canonical_bytes(&envelope)?,
        ) {
            return Ok(Some(format!("envelope.canonical.json: {diff}")));
        }
        let now = inputs
            .get("nowMs")
            .and_then(Value::as_f64)
            .unwrap_or_default();
        let expectations = Expectations {
            artifact: inputs.get("artifact").cloned().unwrap_or(Value::Null),
            target: inputs.get("target").cloned().unwrap_or(Value::Null),
            required_capabilities: inputs
                .get("requiredCapabilities")
                .cloned()
                .unwrap_or(Value::Null),
        };
        let result = auth::verify_authorization(
            &envelope,
            &trusted_keys(&inputs)?,
            VerifyOptions::at(now),
            &expectations,
        );
        let outcome = text(&expect, "outcome").unwrap_or_default();
        match (result, outcome) {
            (Ok(verified), "ok") => {
                if let Some(want) = text(&expect, "signerPublicKeyHex")
                    && want != verified.signer.to_hex()
                {
                    return Ok(Some(format!(
                        "signer: expected {want}, got {}",
                        verified.signer.to_hex()
                    )));
                }
                recreate(root, &envelope)
            }
            (Err(err), "error") => {
                let want = text(&expect, "errorClass").unwrap_or_default();
                let got = error_class(err.code());
                Ok((got != want)
                    .then(|| format!("errorClass: expected {want}, got {got} ({})", err.message())))
            }
            (Ok(_), _) => Ok(Some(format!(
                "expected {outcome}, the authorization verified"
            ))),
            (Err(err), _) => Ok(Some(format!("expected {outcome}, got error {err}"))),
        }
    }

    /// createDeploymentAuthorization(create-options.json) signed by keys.signer reproduces the
    /// valid envelope, signature included.
    fn recreate(root: &Path, envelope: &Value) -> Result<Option<String>> {
        let options = read_json(&root.join("authorization/create-options.json"))?;
        let keys = read_json(&root.join("inputs/keys.json"))?;
        let mnemonic = keys
            .pointer("/signer/mnemonic")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let signer = Signer::from_mnemonic(mnemonic)?;
        let header = SignerHeader {
            derivation_path: envelope
                .pointer("/protected/derivationPath")
                .and_then(Value::as_str)
                .map(str::to_owned),
            key_id: envelope
                .pointer("/protected/keyId")
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
        let payload = auth::create_authorization(&options, 0.0, &mut ScriptedRandom::default())?;
        let signed = auth::sign_authorization(&payload, &signer, &header)?;
        Ok(json_diff(envelope, &signed).map(|diff| format!("recreated envelope: {diff}")))
    }
}

mod transport {
    use super::*;
    use crate::keys::random::ScriptedRandom;
    use crate::publication::encryption::EncryptOptions;
    use crate::publication::transport::{decrypt_json_envelope, encrypt_bytes_for_recipient};

    pub fn run(dir: &Path) -> Result<Option<String>> {
        let expected = read_json(&dir.join("expected.json"))?;
        let envelope = read_json(&dir.join("envelope.json"))?;
        let inputs = expected.get("inputs").cloned().unwrap_or(Value::Null);
        let expect = expected.get("expect").cloned().unwrap_or(Value::Null);
        let recipient = recipient_key(&inputs)?.ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidJson,
                "transport case lacks recipientPrivateKeyHex",
            )
        })?;
        let outcome = text(&expect, "outcome").unwrap_or_default();
        match (decrypt_json_envelope(&envelope, &recipient), outcome) {
            (Ok(json), "ok") => {
                if let Some(want) = expect.get("decryptedJson")
                    && let Some(diff) = json_diff(want, &json)
                {
                    return Ok(Some(format!("decryptedJson: {diff}")));
                }
                recreate(dir, &inputs, &envelope)
            }
            (Err(err), "error") => {
                let want = text(&expect, "errorClass").unwrap_or_default();
                let got = error_class(err.code());
                Ok((got != want)
                    .then(|| format!("errorClass: expected {want}, got {got} ({})", err.message())))
            }
            (Ok(_), _) => Ok(Some(format!("expected {outcome}, the envelope opened"))),
            (Err(err), _) => Ok(Some(format!("expected {outcome}, got error {err}"))),
        }
    }

    /// A version-2 case with `plaintext.canonical.json` is re-encrypted from its inputs (sender
    /// key, scripted nonce, clock, and `context` when the case gives one: absent means the
    /// default, spec section 14) and must reproduce the envelope exactly.
    fn recreate(dir: &Path, inputs: &Value, envelope: &Value) -> Result<Option<String>> {
        let Ok(plaintext) = read(&dir.join("plaintext.canonical.json")) else {
            return Ok(None);
        };
        let recipient = recipient_key(inputs)?.ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidJson,
                "transport case lacks recipientPrivateKeyHex",
            )
        })?;
        let sender = inputs
            .get("senderPrivateKeyHex")
            .and_then(Value::as_str)
            .map(X25519PrivateKey::from_hex)
            .transpose()?;
        let draws = random_draws(inputs)?;
        let options = EncryptOptions {
            context: text(inputs, "context").map(str::to_owned),
            sender,
            timestamp_ms: inputs
                .get("dateNowMs")
                .and_then(Value::as_u64)
                .unwrap_or_default(),
            ..EncryptOptions::default()
        };
        let rebuilt = encrypt_bytes_for_recipient(
            &plaintext,
            &recipient.public_key(),
            &options,
            &mut ScriptedRandom::new(draws),
        )?;
        Ok(json_diff(envelope, &rebuilt).map(|diff| format!("re-encrypted envelope: {diff}")))
    }
}

/// The `randomBytesInCallOrder` hex strings of a case, in order.
pub(crate) fn random_draws(inputs: &Value) -> Result<Vec<Vec<u8>>> {
    inputs
        .get("randomBytesInCallOrder")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|draw| crate::encoding::hex_decode(text(draw, "hex").unwrap_or_default()))
        .collect()
}

mod canonical {
    use super::*;
    use crate::canonical_json::canonical_bytes;

    /// Every required case reproduces exactly; the informative case must give the en-US order.
    pub fn run(dir: &Path) -> Result<Option<String>> {
        let cases = read_json(&dir.join("cases.json"))?;
        for (list, key) in [("required", "canonical"), ("informative", "canonicalEnUS")] {
            for case in cases
                .get(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let name = text(case, "name").unwrap_or_default();
                let input = crate::js::parse_json(text(case, "input").unwrap_or_default())?;
                let want = text(case, key).unwrap_or_default();
                let got = canonical_bytes(&input)?;
                if let Some(diff) = bytes_diff(want.as_bytes(), &got) {
                    return Ok(Some(format!("{name}: {diff}")));
                }
            }
        }
        Ok(None)
    }
}
