//! The part of the manifest the invoke glue needs: methods, their ports and the surfaces.

use serde_json::Value;

use crate::runtime::InvokeMode;
use crate::{Error, ErrorCode, Result};

/// One method as the glue dispatches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodSpec {
    pub method_id: String,
    /// Input ports with their `required` flag (`required !== false`).
    pub input_ports: Vec<(String, bool)>,
    pub output_ports: Vec<String>,
}

impl MethodSpec {
    /// The raw `--method` shortcut needs exactly one input port and at most one output port.
    pub fn raw_shortcut_allowed(&self) -> bool {
        self.input_ports.len() == 1 && self.output_ports.len() <= 1
    }
}

/// True for a valid C export name: `^[A-Za-z_][A-Za-z0-9_]*$`.
pub fn is_c_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads `methods[]` of a manifest (JSON). Method ids are trimmed, must be C identifiers and
/// distinct (`compiler-invalid-method-id`); ports need a non-empty `portId`
/// (`compiler-invalid-manifest`).
pub fn method_table(manifest: &Value) -> Result<Vec<MethodSpec>> {
    let invalid = |message: String| Error::new(ErrorCode::CompilerInvalidManifest, message);
    let methods = match manifest.get("methods") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(methods)) => methods,
        Some(_) => return Err(invalid("manifest `methods` must be an array".into())),
    };
    let mut out: Vec<MethodSpec> = Vec::new();
    for method in methods {
        let id = method
            .get("methodId")
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or("");
        if !is_c_identifier(id) {
            return Err(Error::new(
                ErrorCode::CompilerInvalidMethodId,
                format!(
                    "Method id \"{id}\" is not a valid C export name (^[A-Za-z_][A-Za-z0-9_]*$)."
                ),
            ));
        }
        if out.iter().any(|m| m.method_id == id) {
            return Err(Error::new(
                ErrorCode::CompilerInvalidMethodId,
                format!("Method id \"{id}\" is declared twice."),
            ));
        }
        let ports = |key: &str| -> Result<Vec<(String, bool)>> {
            let list = match method.get(key) {
                None | Some(Value::Null) => return Ok(Vec::new()),
                Some(Value::Array(list)) => list,
                Some(_) => return Err(invalid(format!("method {id}: `{key}` must be an array"))),
            };
            list.iter()
                .map(|port| {
                    let port_id = port
                        .get("portId")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .trim();
                    if port_id.is_empty() {
                        return Err(invalid(format!(
                            "method {id}: a port in `{key}` has no portId"
                        )));
                    }
                    Ok((
                        port_id.to_owned(),
                        port.get("required") != Some(&Value::Bool(false)),
                    ))
                })
                .collect()
        };
        out.push(MethodSpec {
            method_id: id.to_owned(),
            input_ports: ports("inputPorts")?,
            output_ports: ports("outputPorts")?
                .into_iter()
                .map(|(port, _)| port)
                .collect(),
        });
    }
    Ok(out)
}

/// `invokeSurfaces` (names `direct`/`command`, unknown entries dropped, order kept); when none
/// remain, both surfaces are built (the reference compiler's `resolveInvokeSurfaces`).
pub fn invoke_surfaces(manifest: &Value) -> Vec<InvokeMode> {
    let mut surfaces = Vec::new();
    if let Some(Value::Array(list)) = manifest.get("invokeSurfaces") {
        for entry in list {
            let surface = match entry.as_str() {
                Some("direct") => InvokeMode::Direct,
                Some("command") => InvokeMode::Command,
                _ => continue,
            };
            if !surfaces.contains(&surface) {
                surfaces.push(surface);
            }
        }
    }
    if surfaces.is_empty() {
        surfaces = vec![InvokeMode::Direct, InvokeMode::Command];
    }
    surfaces
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn method_ids_must_be_c_identifiers() {
        assert!(is_c_identifier("echo_2") && is_c_identifier("_x"));
        assert!(!is_c_identifier("2x") && !is_c_identifier("a-b") && !is_c_identifier(""));
        let err = method_table(&json!({"methods": [{"methodId": "a-b"}]})).unwrap_err();
        assert_eq!(err.code(), ErrorCode::CompilerInvalidMethodId);
    }

    #[test]
    fn required_defaults_to_true_and_surfaces_default_to_both() {
        let methods = method_table(&json!({"methods": [{"methodId": "m", "inputPorts": [{"portId": "a"}, {"portId": "b", "required": false}], "outputPorts": [{"portId": "o"}]}]})).unwrap();
        assert_eq!(
            methods[0].input_ports,
            vec![("a".to_owned(), true), ("b".to_owned(), false)]
        );
        assert!(!methods[0].raw_shortcut_allowed());
        assert_eq!(
            invoke_surfaces(&json!({})),
            vec![InvokeMode::Direct, InvokeMode::Command]
        );
        assert_eq!(
            invoke_surfaces(&json!({"invokeSurfaces": ["command", "x", "command"]})),
            vec![InvokeMode::Command]
        );
    }
}
