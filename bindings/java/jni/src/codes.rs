//! The error-code table on the Java side is generated from the core's `ErrorCode::ALL`, never
//! written by hand:
//! - `bindings/java/src/main/java/org/spacedata/module/ErrorCode.java` is [`java_source`];
//!   the test below fails when the checked-in file differs
//!   (`SDM_WRITE_JAVA_CODES=1 cargo test -p space-data-module-jni codes` rewrites it);
//! - `NativeLib.errorCodes()` returns the same table at run time, and a JUnit test compares it
//!   with the enum, so a jar never pairs with a library of another table.

use jni::EnvUnowned;
use jni::objects::{JClass, JString};
use serde_json::json;
use space_data_module::api::ErrorCode;

use crate::boundary::{class_name, json, run};

/// `[{"code", "number", "errorClass"}]` for every code, in declaration order.
pub fn table() -> serde_json::Value {
    ErrorCode::ALL
        .iter()
        .map(|code| {
            json!({
                "code": code.as_str(),
                "number": code.number(),
                "errorClass": class_name(code.class()),
            })
        })
        .collect()
}

/// `NativeLib.errorCodes()`: [`table`] as JSON.
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn error_codes<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
) -> JString<'local> {
    run(env, |env| json(env, &table()))
}

/// `NativeLib.debugPanic()`: panics, so the tests can show a panic arrives in Java as an
/// `SdmException` with code `panic` (and the JVM carries on).
#[jni::jni_mangle("org.spacedata.module.NativeLib")]
pub extern "system" fn debug_panic<'local>(env: EnvUnowned<'local>, _class: JClass<'local>) {
    run(env, |_| -> crate::boundary::Result<()> {
        panic!("debugPanic: a deliberate panic at the JNI boundary")
    })
}

/// `invalid-json` -> `INVALID_JSON`.
fn constant(code: ErrorCode) -> String {
    code.as_str().replace('-', "_").to_ascii_uppercase()
}

/// The text of `ErrorCode.java`.
pub fn java_source() -> String {
    let mut constants = String::new();
    for (index, code) in ErrorCode::ALL.iter().enumerate() {
        let end = if index + 1 == ErrorCode::ALL.len() {
            ";"
        } else {
            ","
        };
        constants.push_str(&format!(
            "    /** {{@code {name}}} ({number}). */\n    {constant}(\"{name}\", {number}, ErrorClass.{class}){end}\n",
            name = code.as_str(),
            number = code.number(),
            constant = constant(*code),
            class = class_name(code.class()).to_ascii_uppercase(),
        ));
    }
    format!(
        r#"// Generated from the core's ErrorCode table by bindings/java/jni/src/codes.rs; do not edit.
// Regenerate with: SDM_WRITE_JAVA_CODES=1 cargo test -p space-data-module-jni codes
package org.spacedata.module;

import java.util.HashMap;
import java.util.Map;

/**
 * Every stable error code of the core: its kebab-case name, its number and its class. Names and
 * numbers never change; docs/errors.md describes each code.
 */
public enum ErrorCode {{
{constants}
    private static final Map<String, ErrorCode> BY_CODE = new HashMap<>();
    private static final Map<Integer, ErrorCode> BY_NUMBER = new HashMap<>();

    static {{
        for (ErrorCode value : values()) {{
            BY_CODE.put(value.code, value);
            BY_NUMBER.put(value.number, value);
        }}
    }}

    private final String code;
    private final int number;
    private final ErrorClass errorClass;

    ErrorCode(String code, int number, ErrorClass errorClass) {{
        this.code = code;
        this.number = number;
        this.errorClass = errorClass;
    }}

    /** The stable kebab-case name, e.g. {{@code "signature-invalid"}}. */
    public String code() {{
        return code;
    }}

    /** The stable number. */
    public int number() {{
        return number;
    }}

    /** The class the code belongs to (the {{@link SdmException}} subclass thrown). */
    public ErrorClass errorClass() {{
        return errorClass;
    }}

    /** The code with this stable name, or {{@code null}}. */
    public static ErrorCode fromCode(String code) {{
        return BY_CODE.get(code);
    }}

    /** The code with this stable number, or {{@code null}}. */
    public static ErrorCode fromNumber(int number) {{
        return BY_NUMBER.get(number);
    }}
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn codes_java_matches_the_core_table() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../src/main/java/org/spacedata/module/ErrorCode.java");
        let text = super::java_source();
        if std::env::var_os("SDM_WRITE_JAVA_CODES").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == text,
            "{} is stale: run `SDM_WRITE_JAVA_CODES=1 cargo test -p space-data-module-jni codes`",
            path.display()
        );
    }

    #[test]
    fn the_table_names_every_code_once() {
        let table = super::table();
        let rows = table.as_array().unwrap();
        assert_eq!(rows.len(), space_data_module::api::ErrorCode::ALL.len());
        assert_eq!(rows[0]["code"], "io");
        assert_eq!(rows[0]["errorClass"], "io");
    }
}
