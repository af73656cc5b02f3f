//! The durable row store: one SQLite database file (WAL journal, `synchronous=FULL`).
//!
//! Why SQLite (through `rusqlite`, bundled) rather than an embedded key-value store like redb:
//! - **Crash recovery is SQLite's most tested path.** A committed append survives a killed
//!   process and, with `synchronous=FULL`, a power loss; an interrupted one leaves nothing
//!   behind. The `runtime_host` integration tests SIGKILL a writer mid-append and check it.
//! - **WAL concurrency.** Readers never block the writer, and other processes (a second host,
//!   the `sqlite3` shell) can read while a host appends. Appends from several processes are
//!   serialized by `BEGIN IMMEDIATE` with a busy timeout, so ids stay unique even then.
//! - **Inspectable.** `sqlite3 rows.db 'select * from sdm_rows'` shows the data; no custom
//!   tool is needed to debug or migrate a store.
//! - The per-schema counter is `MAX(row_id) + 1` read through the `(schema_file_id, row_id)`
//!   unique index inside the appending transaction, so there is no separate counter that could
//!   drift from the rows, and a rolled-back append burns nothing. Rows are never deleted, so
//!   the maximum never goes down and ids are never reused.
//!
//! `synchronous=FULL` rather than `NORMAL`: in WAL mode `NORMAL` is already safe against a
//! crashed process, but a power loss may drop the last commits; an append that returned a
//! row id must stay appended, so every commit is synced (one fsync of the WAL per append).

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde_json::Value;

use crate::runtime_host::rows::{
    Row, RowHandle, RowStore, check_row_id, next_row_id, payload_text, schema_id,
};
use crate::{Error, ErrorCode, Result};

/// The on-disk format version, kept in `PRAGMA user_version`.
const FORMAT_VERSION: i64 = 1;

/// How long an append waits for another process's write transaction before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sdm_rows (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    schema_file_id TEXT    NOT NULL,
    row_id         INTEGER NOT NULL CHECK (row_id > 0),
    payload        TEXT    NOT NULL,
    UNIQUE (schema_file_id, row_id)
);";

/// A durable [`RowStore`] in one SQLite file. `Send + Sync`: one connection behind a mutex.
pub struct SqliteRowStore {
    connection: Mutex<Connection>,
}

fn store_failed(what: &str, err: rusqlite::Error) -> Error {
    Error::new(
        ErrorCode::RuntimeHostStoreFailed,
        format!("row store: {what}: {err}"),
    )
}

fn corrupt(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::RuntimeHostStoreCorrupt, message)
}

impl SqliteRowStore {
    /// Opens (creating when absent) the row store at `path`, switches it to WAL with
    /// `synchronous=FULL`, and creates or checks its table.
    ///
    /// Errors: `runtime-host-store-failed` (cannot open, not a database, WAL refused),
    /// `runtime-host-store-corrupt` (written by a newer format version).
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let connection = Connection::open(path)
            .map_err(|err| store_failed(&format!("cannot open {}", path.display()), err))?;
        connection
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|err| store_failed("busy timeout", err))?;
        let mode: String = connection
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(|err| store_failed("cannot switch to WAL", err))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::new(
                ErrorCode::RuntimeHostStoreFailed,
                format!("row store: the file system refused WAL (journal mode `{mode}`)"),
            ));
        }
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(|err| store_failed("synchronous=FULL", err))?;
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|err| store_failed("cannot read the format version", err))?;
        if version > FORMAT_VERSION {
            return Err(corrupt(format!(
                "row store format version {version} is newer than this library's {FORMAT_VERSION}"
            )));
        }
        connection
            .execute_batch(SCHEMA)
            .map_err(|err| store_failed("cannot create the rows table", err))?;
        connection
            .pragma_update(None, "user_version", FORMAT_VERSION)
            .map_err(|err| store_failed("cannot write the format version", err))?;
        Ok(SqliteRowStore {
            connection: Mutex::new(connection),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // SQLite rolls back any transaction a panicking thread left open (the `Transaction`
        // guard's drop), so the connection is usable after a poison.
        self.connection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn to_sql_id(row_id: u64) -> Result<i64> {
    i64::try_from(row_id).map_err(|_| {
        Error::new(
            ErrorCode::RuntimeHostInvalidRowId,
            format!("rowId {row_id} is out of range"),
        )
    })
}

fn read_row(schema: String, row_id: i64, payload: &str) -> Result<Row> {
    let row_id = u64::try_from(row_id)
        .ok()
        .filter(|&id| id > 0)
        .ok_or_else(|| corrupt(format!("stored row id {row_id} is not positive")))?;
    let payload: Value = serde_json::from_str(payload).map_err(|err| {
        corrupt(format!(
            "row {schema}/{row_id} has a payload that is not JSON: {err}"
        ))
    })?;
    Ok(Row {
        handle: RowHandle::new(schema, row_id),
        payload,
    })
}

impl RowStore for SqliteRowStore {
    fn append_row(&self, schema_file_id: &str, payload: &Value) -> Result<RowHandle> {
        let schema = schema_id(schema_file_id)?;
        let text = payload_text(payload)?;
        let mut connection = self.lock();
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|err| store_failed("cannot begin the append", err))?;
        let last: i64 = transaction
            .query_row(
                "SELECT COALESCE(MAX(row_id), 0) FROM sdm_rows WHERE schema_file_id = ?1",
                params![schema],
                |row| row.get(0),
            )
            .map_err(|err| store_failed("cannot read the last row id", err))?;
        let last = u64::try_from(last)
            .map_err(|_| corrupt(format!("stored row id {last} is negative")))?;
        let row_id = next_row_id(&schema, last)?;
        transaction
            .execute(
                "INSERT INTO sdm_rows (schema_file_id, row_id, payload) VALUES (?1, ?2, ?3)",
                params![schema, to_sql_id(row_id)?, text],
            )
            .map_err(|err| store_failed("cannot insert the row", err))?;
        // Dropping the transaction on any error above rolls it back: no id is burned.
        transaction
            .commit()
            .map_err(|err| store_failed("cannot commit the append", err))?;
        Ok(RowHandle::new(schema, row_id))
    }

    fn resolve_row(&self, handle: &RowHandle) -> Result<Option<Row>> {
        let schema = schema_id(&handle.schema_file_id)?;
        check_row_id(handle.row_id)?;
        let connection = self.lock();
        let found: Option<String> = connection
            .query_row(
                "SELECT payload FROM sdm_rows WHERE schema_file_id = ?1 AND row_id = ?2",
                params![schema, to_sql_id(handle.row_id)?],
                |row| row.get(0),
            )
            .optional()
            .map_err(|err| store_failed("cannot read the row", err))?;
        found
            .map(|payload| read_row(schema, to_sql_id(handle.row_id)?, &payload))
            .transpose()
    }

    fn list_rows(&self, schema_file_id: Option<&str>) -> Result<Vec<Row>> {
        let schema = schema_file_id.map(schema_id).transpose()?;
        let connection = self.lock();
        let mut statement = connection
            .prepare(
                "SELECT schema_file_id, row_id, payload FROM sdm_rows \
                 WHERE ?1 IS NULL OR schema_file_id = ?1 ORDER BY seq",
            )
            .map_err(|err| store_failed("cannot list rows", err))?;
        let mut cursor = statement
            .query(params![schema])
            .map_err(|err| store_failed("cannot list rows", err))?;
        let mut rows = Vec::new();
        while let Some(row) = cursor
            .next()
            .map_err(|err| store_failed("cannot list rows", err))?
        {
            let read = |index: usize| -> Result<rusqlite::types::Value> {
                row.get(index)
                    .map_err(|err| store_failed("cannot read a listed row", err))
            };
            match (read(0)?, read(1)?, read(2)?) {
                (
                    rusqlite::types::Value::Text(schema),
                    rusqlite::types::Value::Integer(row_id),
                    rusqlite::types::Value::Text(payload),
                ) => rows.push(read_row(schema, row_id, &payload)?),
                _ => return Err(corrupt("a stored row has columns of the wrong type")),
            }
        }
        Ok(rows)
    }
}
