//! The `context.*` store: scopes of JSON values, in memory or in a JSON file written
//! atomically (temporary file in the same directory, fsync, rename, fsync of the directory).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use serde_json::{Map, Value};

use crate::ErrorCode;
use crate::host::HostError;
use crate::host::params::sort_js;
use crate::host::policy::ContextStoreChoice;

type Scopes = BTreeMap<String, Map<String, Value>>;

/// A context store. Thread-safe: one lock around the whole state (operations are short).
pub struct ContextStore {
    file: Option<PathBuf>,
    /// `None` until the file (if any) has been loaded.
    state: Mutex<Option<Scopes>>,
}

impl ContextStore {
    pub fn new(choice: &ContextStoreChoice) -> Self {
        ContextStore {
            file: match choice {
                ContextStoreChoice::Memory => None,
                ContextStoreChoice::JsonFile(path) => Some(path.clone()),
            },
            state: Mutex::new(None),
        }
    }

    fn with_state<R>(&self, change: impl FnOnce(&mut Scopes) -> (R, bool)) -> Result<R, HostError> {
        let mut guard = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.is_none() {
            *guard = Some(self.load()?);
        }
        let scopes = guard.get_or_insert_with(Scopes::new);
        // Work on a copy so a failed write leaves the visible state unchanged.
        let mut next = scopes.clone();
        let (result, changed) = change(&mut next);
        if changed {
            self.save(&next)?;
            *scopes = next;
        }
        Ok(result)
    }

    /// The value, `None` when absent.
    pub fn get(&self, scope: &str, key: &str) -> Result<Option<Value>, HostError> {
        self.with_state(|scopes| {
            (
                scopes
                    .get(scope)
                    .and_then(|values| values.get(key))
                    .cloned(),
                false,
            )
        })
    }

    pub fn set(&self, scope: &str, key: &str, value: Value) -> Result<(), HostError> {
        self.with_state(|scopes| {
            scopes
                .entry(scope.to_owned())
                .or_default()
                .insert(key.to_owned(), value);
            ((), true)
        })
    }

    /// True when the key existed.
    pub fn delete(&self, scope: &str, key: &str) -> Result<bool, HostError> {
        self.with_state(|scopes| {
            let existed = scopes
                .get_mut(scope)
                .and_then(|values| values.remove(key))
                .is_some();
            (existed, existed)
        })
    }

    pub fn list_keys(&self, scope: &str) -> Result<Vec<String>, HostError> {
        self.with_state(|scopes| {
            let mut keys: Vec<String> = scopes
                .get(scope)
                .map(|values| values.keys().cloned().collect())
                .unwrap_or_default();
            sort_js(&mut keys);
            (keys, false)
        })
    }

    pub fn list_scopes(&self) -> Result<Vec<String>, HostError> {
        self.with_state(|scopes| {
            let mut names: Vec<String> = scopes.keys().cloned().collect();
            sort_js(&mut names);
            (names, false)
        })
    }

    fn load(&self) -> Result<Scopes, HostError> {
        let Some(path) = &self.file else {
            return Ok(Scopes::new());
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Scopes::new()),
            Err(err) => return Err(store_error(format!("cannot read the context file: {err}"))),
        };
        let parsed: Value = serde_json::from_str(&text)
            .map_err(|err| store_error(format!("the context file is not JSON: {err}")))?;
        let mut scopes = Scopes::new();
        if let Value::Object(object) = parsed {
            for (scope, values) in object {
                if let Value::Object(values) = values {
                    scopes.insert(scope, values);
                }
            }
        }
        Ok(scopes)
    }

    fn save(&self, scopes: &Scopes) -> Result<(), HostError> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let object: Map<String, Value> = scopes
            .iter()
            .map(|(scope, values)| (scope.clone(), Value::Object(values.clone())))
            .collect();
        let mut text = serde_json::to_string_pretty(&Value::Object(object))
            .map_err(|err| store_error(format!("cannot encode the context: {err}")))?;
        text.push('\n');
        write_atomically(path, text.as_bytes())
            .map_err(|err| store_error(format!("cannot write the context file: {err}")))
    }
}

fn store_error(message: String) -> HostError {
    HostError::new(ErrorCode::HostIoFailed, "Error", message)
}

/// Temporary file beside the target, fsync, rename over the target, fsync of the directory:
/// a crash leaves either the old or the new content, never a torn file.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&directory)?;
    let mut temporary = tempfile::NamedTempFile::new_in(&directory)?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|err| err.error)?;
    if let Ok(handle) = std::fs::File::open(&directory) {
        // Best effort: some filesystems refuse fsync on a directory.
        let _ = handle.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn file_store_survives_a_new_instance() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ctx/state.json");
        let choice = ContextStoreChoice::JsonFile(path.clone());
        let store = ContextStore::new(&choice);
        store.set("global", "b", json!(2)).unwrap();
        store.set("global", "a", json!({"x": [1]})).unwrap();
        assert!(store.delete("global", "b").unwrap());
        assert!(!store.delete("global", "b").unwrap());
        let again = ContextStore::new(&choice);
        assert_eq!(again.get("global", "a").unwrap(), Some(json!({"x": [1]})));
        assert_eq!(again.list_keys("global").unwrap(), vec!["a"]);
        assert_eq!(again.list_scopes().unwrap(), vec!["global"]);
        assert_eq!(again.get("other", "a").unwrap(), None);
    }
}
