//! Writes a signed and encrypted artifact of about N MiB, for measuring `open` from a file on
//! artifacts above the CLI's 256 MiB protect cap (docs/benchmarks.md):
//!
//! `cargo run --release -p space-data-module --example big_artifact -- 1024 DIR`
//!
//! writes DIR/artifact.wasm, DIR/signing.key and DIR/recipient.key, and prints the signer's
//! public key, for `open DIR/artifact.wasm --trust KEY --decrypt-with DIR/recipient.key -o OUT`.
//! The module is the smallest valid one plus data segments of 32 MiB and one custom section.

use std::path::PathBuf;

use space_data_module::api::keys::{RecipientKey, SigningKey};
use space_data_module::keys::random::OsRandom;
use space_data_module::publication::{ProtectOptions, protect};
use space_data_module::wasm::sections::{encode_section, encode_uleb128};

/// The LEB128 bytes of `value`.
fn uleb(value: u32) -> Vec<u8> {
    encode_uleb128(u64::from(value)).unwrap()
}

fn module_of(mib: usize) -> Vec<u8> {
    const SEGMENT: usize = 32 << 20;
    // header; type ()->(); one function; memory 1; code: one empty body.
    let mut wasm = vec![0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    wasm.extend(encode_section(1, &[1, 0x60, 0, 0]));
    wasm.extend(encode_section(3, &[1, 0]));
    wasm.extend(encode_section(5, &[1, 0, 1]));
    wasm.extend(encode_section(10, &[1, 2, 0, 0x0b]));
    let total = mib << 20;
    let segments = (total / 2).div_ceil(SEGMENT).max(1);
    let mut data = Vec::with_capacity(total / 2 + 16 * segments);
    data.extend(uleb(segments as u32));
    for index in 0..segments {
        data.push(0x01); // passive
        data.extend(uleb(SEGMENT as u32));
        data.extend((0..SEGMENT).map(|i| (i * 31 + index) as u8));
    }
    wasm.extend(encode_section(11, &data));
    let rest = total.saturating_sub(wasm.len() + 16);
    let mut custom = Vec::with_capacity(rest + 8);
    custom.extend(uleb(4));
    custom.extend_from_slice(b"blob");
    custom.extend((0..rest).map(|i| (i % 251) as u8));
    wasm.extend(encode_section(0, &custom));
    wasm
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mib: usize = args.next().ok_or("usage: big_artifact MIB DIR")?.parse()?;
    let dir = PathBuf::from(args.next().ok_or("usage: big_artifact MIB DIR")?);
    std::fs::create_dir_all(&dir)?;
    let signer = SigningKey::random()?;
    let recipient = RecipientKey::generate()?;
    signer.write_file(&dir.join("signing.key"))?;
    recipient.write_file(&dir.join("recipient.key"))?;
    let wasm = module_of(mib);
    let options = ProtectOptions {
        manifest: serde_json::json!({"pluginId": "com.example.big"}),
        wasm: &wasm,
        single_file_bundle: false,
        recipient_public_key: Some(recipient.public_key()),
        artifact_id: None,
        target: serde_json::Value::Null,
        capabilities: None,
        now_ms: 1_767_225_600_000,
    };
    let artifact = protect(&options, &signer.signer, &mut OsRandom)?.into_artifact();
    std::fs::write(dir.join("artifact.wasm"), &artifact)?;
    println!("artifactBytes={}", artifact.len());
    println!("wasmBytes={}", wasm.len());
    println!("signerPublicKeyHex={}", signer.public_key_hex());
    Ok(())
}
