//! Standards rows (spec 6.1): an append-only store of JSON payloads addressed by
//! `(schema_file_id, row_id)`.
//!
//! - Row ids are per-schema counters starting at 1, u64, **never reused** (rows cannot be
//!   deleted) and **never burned**: an append that fails (bad schema id, payload over the cap,
//!   a storage error) consumes no id, unlike the reference, where the counter moved before the
//!   payload was copied (spec 10 item 10).
//! - Payloads are JSON values, deep-copied in and out: a caller never shares a value with the
//!   store.
//! - [`RowStore::list_rows`] returns rows in global insertion order.
//!
//! Two implementations: [`MemoryRowStore`] (tests, ephemeral hosts) and
//! [`super::SqliteRowStore`] (durable).

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::Value;

use crate::runtime_host::ids::trimmed_id;
use crate::{Error, ErrorCode, Result};

/// Largest payload accepted by `append_row`, measured as compact JSON text: 16 MiB
/// (`runtime-host-limit-exceeded`).
pub const MAX_ROW_PAYLOAD_BYTES: usize = 16 << 20;

/// Largest row id a store hands out: 2^63 - 1 (SQLite's INTEGER range; the in-memory store
/// keeps the same bound so both behave alike).
pub const MAX_ROW_ID: u64 = i64::MAX as u64;

/// The durable identity of a row (the `RowHandle` table of `HostStorageAbi.fbs`); as JSON
/// `{"schemaFileId", "rowId"}`, the reference's object form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RowHandle {
    pub schema_file_id: String,
    pub row_id: u64,
}

impl RowHandle {
    pub fn new(schema_file_id: impl Into<String>, row_id: u64) -> Self {
        RowHandle {
            schema_file_id: schema_file_id.into(),
            row_id,
        }
    }

    /// `{"schemaFileId", "rowId"}`, the reference's object form.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// A stored row: its handle and a copy of its payload; as JSON `{"handle", "payload"}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[schemars(title = "Row")]
pub struct Row {
    pub handle: RowHandle,
    pub payload: Value,
}

impl Row {
    /// `{"handle": {"schemaFileId", "rowId"}, "payload"}`, the reference's object form.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// An append-only row store. Implementations are `Send + Sync`: appends from many threads get
/// unique ids, increasing per schema.
pub trait RowStore: Send + Sync {
    /// Appends a copy of `payload` under the trimmed `schema_file_id` and returns its handle.
    ///
    /// Errors: `runtime-host-invalid-schema-id`, `runtime-host-limit-exceeded` (payload over
    /// [`MAX_ROW_PAYLOAD_BYTES`] or the schema's ids exhausted), `runtime-host-store-failed`.
    /// A failed append consumes no row id.
    fn append_row(&self, schema_file_id: &str, payload: &Value) -> Result<RowHandle>;

    /// A copy of the row, or `None` when there is none (an unknown schema or an id not yet
    /// handed out). The handle's schema id is trimmed.
    ///
    /// Errors: `runtime-host-invalid-schema-id`, `runtime-host-invalid-row-id` (0 or above
    /// [`MAX_ROW_ID`]), `runtime-host-store-failed`, `runtime-host-store-corrupt`.
    fn resolve_row(&self, handle: &RowHandle) -> Result<Option<Row>>;

    /// Copies of every row (of one trimmed schema, or of all when `None`), in global insertion
    /// order. Errors as [`RowStore::resolve_row`].
    fn list_rows(&self, schema_file_id: Option<&str>) -> Result<Vec<Row>>;
}

/// Validates a schema id (trimmed, non-empty, capped).
pub(crate) fn schema_id(raw: &str) -> Result<String> {
    trimmed_id(raw, "schemaFileId", ErrorCode::RuntimeHostInvalidSchemaId)
}

/// Validates a handle's row id.
pub(crate) fn check_row_id(row_id: u64) -> Result<()> {
    if row_id == 0 || row_id > MAX_ROW_ID {
        return Err(Error::new(
            ErrorCode::RuntimeHostInvalidRowId,
            format!("rowId must be a positive integer at most {MAX_ROW_ID}, got {row_id}"),
        ));
    }
    Ok(())
}

/// The payload's compact JSON text, checked against [`MAX_ROW_PAYLOAD_BYTES`].
pub(crate) fn payload_text(payload: &Value) -> Result<String> {
    let text = serde_json::to_string(payload).map_err(|err| {
        Error::new(
            ErrorCode::Internal,
            format!("cannot serialize the payload: {err}"),
        )
    })?;
    if text.len() > MAX_ROW_PAYLOAD_BYTES {
        return Err(Error::new(
            ErrorCode::RuntimeHostLimitExceeded,
            format!(
                "row payload is {} bytes of JSON, above the {MAX_ROW_PAYLOAD_BYTES}-byte cap",
                text.len()
            ),
        ));
    }
    Ok(text)
}

/// The next id after `last`, or `runtime-host-limit-exceeded` when the schema is exhausted.
pub(crate) fn next_row_id(schema_file_id: &str, last: u64) -> Result<u64> {
    match last.checked_add(1) {
        Some(next) if next <= MAX_ROW_ID => Ok(next),
        _ => Err(Error::new(
            ErrorCode::RuntimeHostLimitExceeded,
            format!("schema `{schema_file_id}` has used every row id"),
        )),
    }
}

#[derive(Default)]
struct MemoryRows {
    /// Every row in global insertion order.
    rows: Vec<Row>,
    /// `(schema, row_id)` to the position in `rows`.
    index: HashMap<(String, u64), usize>,
    /// The last id handed out per schema.
    last_ids: HashMap<String, u64>,
}

/// The in-memory row store: everything is lost when it is dropped.
#[derive(Default)]
pub struct MemoryRowStore {
    inner: Mutex<MemoryRows>,
}

impl MemoryRowStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, MemoryRows> {
        // Every mutation below is validated first and then applied without a fallible step,
        // so a poisoned lock still guards consistent data.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl RowStore for MemoryRowStore {
    fn append_row(&self, schema_file_id: &str, payload: &Value) -> Result<RowHandle> {
        let schema = schema_id(schema_file_id)?;
        payload_text(payload)?;
        let copy = payload.clone();
        let mut rows = self.lock();
        let last = rows.last_ids.get(&schema).copied().unwrap_or(0);
        let row_id = next_row_id(&schema, last)?;
        let handle = RowHandle::new(schema.clone(), row_id);
        let position = rows.rows.len();
        rows.rows.push(Row {
            handle: handle.clone(),
            payload: copy,
        });
        rows.index.insert((schema.clone(), row_id), position);
        rows.last_ids.insert(schema, row_id);
        Ok(handle)
    }

    fn resolve_row(&self, handle: &RowHandle) -> Result<Option<Row>> {
        let schema = schema_id(&handle.schema_file_id)?;
        check_row_id(handle.row_id)?;
        let rows = self.lock();
        Ok(rows
            .index
            .get(&(schema, handle.row_id))
            .and_then(|&position| rows.rows.get(position))
            .cloned())
    }

    fn list_rows(&self, schema_file_id: Option<&str>) -> Result<Vec<Row>> {
        let schema = schema_file_id.map(schema_id).transpose()?;
        let rows = self.lock();
        Ok(rows
            .rows
            .iter()
            .filter(|row| {
                schema
                    .as_deref()
                    .is_none_or(|wanted| row.handle.schema_file_id == wanted)
            })
            .cloned()
            .collect())
    }
}
