//! Module signatures in the tool-conventions format: interoperability with `wasmsign2` both
//! ways (the crate runs here; modules it signed are kept as data in tests/data/wasmsig), and
//! every refusal with its stable code.
//!
//! `SDM_WRITE_WASMSIG_VECTORS=1 cargo test -p space-data-module --test wasmsig` rewrites the
//! kept vectors with `wasmsign2`.

use std::io::Cursor;
use std::path::PathBuf;

use space_data_module::ErrorCode;
use space_data_module::keys::random::OsRandom;
use space_data_module::wasm::sections::{encode_custom_section, parse_sections};
use space_data_module::wasmsig::{
    self, SignOptions, VerifyOptions, WasmsigPublicKey, WasmsigSecretKey,
};

/// Test-only keys (fixed seeds): never use them for anything else.
fn key(seed: u8) -> WasmsigSecretKey {
    WasmsigSecretKey::from_seed(&[seed; 32])
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn base_module() -> Vec<u8> {
    std::fs::read(repo().join("vectors/single-file-bundle/base-module.wasm")).unwrap()
}

/// A module with an `sds.bundle` section (the single-file bundle vector).
fn bundled_module() -> Vec<u8> {
    std::fs::read(repo().join("vectors/single-file-bundle/single-file-module.wasm")).unwrap()
}

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/wasmsig")
}

fn sign(module: &[u8], keys: &[&WasmsigSecretKey], options: &SignOptions) -> wasmsig::Signed {
    wasmsig::sign(module, keys, None, options, &mut OsRandom).unwrap()
}

fn verify_code(module: &[u8], trusted: &[WasmsigPublicKey]) -> ErrorCode {
    wasmsig::verify(module, None, trusted, VerifyOptions::default())
        .unwrap_err()
        .code()
}

fn theirs_public(key: &WasmsigSecretKey) -> wasmsign2::PublicKey {
    wasmsign2::PublicKey::from_bytes(&key.public_key().to_bytes()).unwrap()
}

fn theirs_secret(key: &WasmsigSecretKey) -> wasmsign2::SecretKey {
    wasmsign2::SecretKey::from_bytes(&key.to_bytes()).unwrap()
}

fn theirs_module(bytes: &[u8]) -> wasmsign2::Module {
    wasmsign2::Module::deserialize(&mut Cursor::new(bytes)).unwrap()
}

fn theirs_bytes(module: &wasmsign2::Module) -> Vec<u8> {
    let mut out = Vec::new();
    module.serialize(&mut out).unwrap();
    out
}

#[test]
fn modules_signed_here_verify_with_wasmsign2() {
    let signer = key(1);
    for module in [base_module(), bundled_module()] {
        for split_parts in [false, true] {
            let options = SignOptions {
                split_parts,
                ..SignOptions::default()
            };
            let signed = sign(&module, &[&signer], &options);
            theirs_public(&signer)
                .verify(&mut Cursor::new(&signed.module), None)
                .unwrap_or_else(|e| panic!("wasmsign2 refused (split {split_parts}): {e}"));
            // And with every part checked at its delimiter (the multi-part verifier).
            theirs_public(&signer)
                .verify_multi(&mut Cursor::new(&signed.module), None, |_| true)
                .unwrap();
            let other = key(2);
            assert!(
                theirs_public(&other)
                    .verify(&mut Cursor::new(&signed.module), None)
                    .is_err()
            );
            // Detached: the module unchanged (but for the delimiters), the data separate.
            let detached = sign(
                &module,
                &[&signer],
                &SignOptions {
                    detached: true,
                    split_parts,
                    ..SignOptions::default()
                },
            );
            assert!(!split_parts || detached.module != module);
            assert_eq!(detached.module == module, !split_parts);
            theirs_public(&signer)
                .verify(
                    &mut Cursor::new(&detached.module),
                    Some(&detached.signature),
                )
                .unwrap();
        }
    }
}

#[test]
fn modules_signed_by_wasmsign2_verify_here() {
    let signer = key(3);
    let trusted = [signer.public_key()];
    for module in [base_module(), bundled_module()] {
        let simple = theirs_secret(&signer)
            .sign(theirs_module(&module), None)
            .unwrap();
        let simple = theirs_bytes(&simple);
        let verified = wasmsig::verify(&simple, None, &trusted, VerifyOptions::default()).unwrap();
        assert!(verified.complete);
        assert_eq!(verified.signers, trusted);
        assert_eq!(verified.verified_bytes, simple.len());

        let key_id = b"matrix".to_vec();
        let (multi, _) = theirs_secret(&signer)
            .sign_multi(theirs_module(&module), Some(&key_id), false, true)
            .unwrap();
        let multi = theirs_bytes(&multi);
        let verified = wasmsig::verify(&multi, None, &trusted, VerifyOptions::default()).unwrap();
        assert!(verified.complete && verified.parts >= 1);
        assert_eq!(
            verify_code(&multi, &[key(4).public_key()]),
            ErrorCode::WasmSignatureUntrusted
        );

        let (unsigned, detached) = theirs_secret(&signer)
            .sign_multi(theirs_module(&module), None, true, false)
            .unwrap();
        let unsigned = theirs_bytes(&unsigned);
        wasmsig::verify(
            &unsigned,
            Some(&detached),
            &trusted,
            VerifyOptions::default(),
        )
        .unwrap();
    }
}

#[test]
fn signers_add_up_and_are_reported() {
    let (first, second) = (key(5), key(6));
    let module = base_module();
    let once = sign(&module, &[&first], &SignOptions::default());
    // A second signer signs the already signed module: both signatures are kept.
    let twice = sign(&once.module, &[&second], &SignOptions::default());
    let both = [first.public_key(), second.public_key()];
    let verified = wasmsig::verify(&twice.module, None, &both, VerifyOptions::default()).unwrap();
    assert_eq!(verified.signers, both);
    for signer in [&first, &second] {
        theirs_public(signer)
            .verify(&mut Cursor::new(&twice.module), None)
            .unwrap();
    }
    // Signing again with the same key is refused, not duplicated.
    let again = wasmsig::sign(
        &twice.module,
        &[&first],
        None,
        &SignOptions::default(),
        &mut OsRandom,
    );
    assert_eq!(again.unwrap_err().code(), ErrorCode::InvalidArgument);
    // wasmsign2 added a signer to ours too.
    let (theirs_too, _) = theirs_secret(&key(7))
        .sign_multi(theirs_module(&once.module), None, false, false)
        .unwrap();
    let theirs_too = theirs_bytes(&theirs_too);
    let verified = wasmsig::verify(
        &theirs_too,
        None,
        &[key(7).public_key(), first.public_key()],
        VerifyOptions::default(),
    )
    .unwrap();
    assert_eq!(verified.signers.len(), 2);
}

#[test]
fn default_key_id_is_the_one_wasmsign2_derives() {
    let public = key(8).public_key();
    let theirs = theirs_public(&key(8)).attach_default_key_id();
    assert_eq!(Some(&public.default_key_id()), theirs.key_id());
}

#[test]
fn a_changed_byte_in_any_part_is_a_mismatch() {
    let signer = key(9);
    let trusted = [signer.public_key()];
    let signed = sign(
        &bundled_module(),
        &[&signer],
        &SignOptions {
            split_parts: true,
            ..SignOptions::default()
        },
    )
    .module;
    let sections = parse_sections(&signed).unwrap();
    assert!(sections.len() > 3);
    // One byte in the payload of every section after the signature section, and in the
    // module header, each alone.
    for section in &sections[1..] {
        let mut tampered = signed.clone();
        tampered[section.payload.end - 1] ^= 0x01;
        assert_eq!(
            verify_code(&tampered, &trusted),
            ErrorCode::WasmSignatureMismatch,
            "section at {}",
            section.start
        );
    }
}

#[test]
fn reordered_parts_and_appended_sections() {
    let signer = key(10);
    let trusted = [signer.public_key()];
    let signed = sign(
        &bundled_module(),
        &[&signer],
        &SignOptions {
            split_parts: true,
            ..SignOptions::default()
        },
    );
    assert_eq!(signed.parts, 2, "core part, then the sds.bundle part");
    let sections = parse_sections(&signed.module).unwrap();
    let delimiters: Vec<usize> = sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.custom_name() == Some(wasmsig::DELIMITER_SECTION))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(delimiters.len(), 2);
    // Swap the two parts: [sig][p2 d2][p1 d1].
    let raw = |range: std::ops::RangeInclusive<usize>| -> Vec<u8> {
        let (a, b) = (sections[*range.start()].start, sections[*range.end()].end);
        signed.module[a..b].to_vec()
    };
    let mut swapped = signed.module[..sections[1].start].to_vec();
    swapped.extend(raw(delimiters[0] + 1..=delimiters[1]));
    swapped.extend(raw(1..=delimiters[0]));
    assert_eq!(swapped.len(), signed.module.len());
    assert_eq!(
        verify_code(&swapped, &trusted),
        ErrorCode::WasmSignatureMismatch
    );

    // A section appended after signing: the signed prefix verifies only when asked for.
    let mut appended = signed.module.clone();
    appended.extend(encode_custom_section("later", b"added after signing").unwrap());
    assert_eq!(
        verify_code(&appended, &trusted),
        ErrorCode::WasmSignaturePartial
    );
    let partial = wasmsig::verify(
        &appended,
        None,
        &trusted,
        VerifyOptions {
            allow_partial: true,
        },
    )
    .unwrap();
    assert!(!partial.complete);
    assert_eq!((partial.verified_parts, partial.parts), (2, 3));
    assert_eq!(partial.verified_bytes, signed.module.len());

    // The bundle part removed: the core part verifies alone, as a partial verification.
    let without_bundle = signed.module[..sections[delimiters[0]].end].to_vec();
    assert_eq!(
        verify_code(&without_bundle, &trusted),
        ErrorCode::WasmSignaturePartial
    );
    let core_only = wasmsig::verify(
        &without_bundle,
        None,
        &trusted,
        VerifyOptions {
            allow_partial: true,
        },
    )
    .unwrap();
    assert_eq!((core_only.verified_parts, core_only.complete), (1, false));
}

#[test]
fn unknown_keys_missing_and_truncated_signatures() {
    let signer = key(11);
    let signed = sign(&base_module(), &[&signer], &SignOptions::default());
    assert_eq!(
        verify_code(&signed.module, &[key(12).public_key()]),
        ErrorCode::WasmSignatureUntrusted
    );
    assert_eq!(
        verify_code(&base_module(), &[signer.public_key()]),
        ErrorCode::WasmSignatureMissing
    );
    assert_eq!(
        wasmsig::verify(&signed.module, None, &[], VerifyOptions::default())
            .unwrap_err()
            .code(),
        ErrorCode::InvalidArgument
    );
    // The signature section re-framed around every shorter prefix of its data.
    let sections = parse_sections(&signed.module).unwrap();
    let rest = &signed.module[sections[0].end..];
    for len in 0..signed.signature.len() {
        let mut truncated = signed.module[..8].to_vec();
        truncated.extend(encode_custom_section("signature", &signed.signature[..len]).unwrap());
        truncated.extend_from_slice(rest);
        assert_eq!(
            verify_code(&truncated, &[signer.public_key()]),
            ErrorCode::WasmSignatureMalformed,
            "{len} bytes"
        );
    }
    // A module cut inside the signature section is a wasm framing error.
    let cut = &signed.module[..sections[0].end - 1];
    assert_eq!(
        verify_code(cut, &[signer.public_key()]),
        ErrorCode::WasmSectionPastEnd
    );
}

#[test]
fn protected_artifacts_are_refused_by_sign_and_verify() {
    let signer = key(13);
    let signed = sign(&base_module(), &[&signer], &SignOptions::default());
    // A `$REC` footer after the module, as `protect` appends one.
    let mut with_trailer = signed.module.clone();
    with_trailer.extend_from_slice(b"records!");
    with_trailer.extend_from_slice(&8u32.to_le_bytes());
    with_trailer.extend_from_slice(b"$REC");
    let error = wasmsig::verify(
        &with_trailer,
        None,
        &[signer.public_key()],
        VerifyOptions::default(),
    )
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidArgument);
    assert!(error.to_string().contains("REC trailer"), "{error}");
    let error = wasmsig::sign(
        &with_trailer,
        &[&signer],
        None,
        &SignOptions::default(),
        &mut OsRandom,
    )
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidArgument);
}

/// Modules `wasmsign2` signed, kept as data: they verify here, and the deterministic one is
/// what `wasmsign2` produces today.
#[test]
fn kept_wasmsign2_vectors_verify() {
    let dir = data_dir();
    let signer = key(0x42);
    let simple = theirs_bytes(
        &theirs_secret(&signer)
            .sign(theirs_module(&bundled_module()), None)
            .unwrap(),
    );
    if std::env::var_os("SDM_WRITE_WASMSIG_VECTORS").is_some() {
        let (multi, _) = theirs_secret(&signer)
            .sign_multi(
                theirs_module(&bundled_module()),
                Some(&b"kept".to_vec()),
                false,
                true,
            )
            .unwrap();
        std::fs::write(dir.join("signed-simple.wasm"), &simple).unwrap();
        std::fs::write(dir.join("signed-parts.wasm"), theirs_bytes(&multi)).unwrap();
        std::fs::write(dir.join("signer.pub"), signer.public_key().to_bytes()).unwrap();
    }
    assert_eq!(
        std::fs::read(dir.join("signed-simple.wasm")).unwrap(),
        simple
    );
    let public =
        WasmsigPublicKey::from_bytes(&std::fs::read(dir.join("signer.pub")).unwrap()).unwrap();
    assert_eq!(public, signer.public_key());
    for name in ["signed-simple.wasm", "signed-parts.wasm"] {
        let module = std::fs::read(dir.join(name)).unwrap();
        let verified = wasmsig::verify(&module, None, &[public], VerifyOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(verified.complete, "{name}");
    }
}
