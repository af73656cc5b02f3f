//! Helpers shared by the publication CLI tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const MNEMONIC: &str =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
pub const SIGNER_PUBLIC: &str =
    "03aaeb52dd7494c361049de67cc680e83ebcbbbdbeb13637d92cd845f70308af5e";
pub const OTHER_PUBLIC: &str = "03c954cababcaac1d97b97ef3fb517309e7d66e908f9440f31a9ddec15e777df2a";

pub fn vectors() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/publication"
    ))
}

pub fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_space-data-module"))
        .args(args)
        .env_remove("SPACE_DATA_MODULE_MNEMONIC")
        .output()
        .expect("the CLI runs")
}

pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A recipient key file holding one of the vectors' X25519 keys.
pub fn recipient_key_file(dir: &Path, who: &str) -> PathBuf {
    let keys: serde_json::Value =
        serde_json::from_slice(&std::fs::read(vectors().join("inputs/keys.json")).unwrap())
            .unwrap();
    let text = serde_json::json!({
        "type": "x25519-private-key",
        "privateKeyHex": keys[who]["privateKeyHex"],
        "publicKeyHex": keys[who]["publicKeyHex"],
    })
    .to_string();
    write(dir, &format!("{who}.json"), &text)
}

pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The directory holds exactly these file names (no temporary or partial files left).
pub fn assert_files(dir: &Path, expected: &[&str]) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(names, expected);
}
