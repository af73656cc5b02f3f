//! The runtime host: rows (in memory and durable in SQLite, across restarts, threads and a
//! killed writer), regions (owned and external) and the module registry over real wasm.

use space_data_module::publication::VerifiedModule;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value, json};
use space_data_module::invoke::{self, FrameSet, FrameSpec, InvokeRequest};
use space_data_module::runtime::{Limits, Runtime, RuntimeConfig, module_hash};
use space_data_module::runtime_host::{
    ExternalRegionSource, MAX_ROW_PAYLOAD_BYTES, MemoryRowStore, ModuleRef, RecordIdentity,
    RecordView, RegionSpec, RowHandle, RowStore, RuntimeHost, SqliteRowStore,
};
use space_data_module::{Error, ErrorCode};

// ---- rows ---------------------------------------------------------------------------------

fn code<T>(result: space_data_module::Result<T>) -> ErrorCode {
    match result {
        Ok(_) => panic!("expected an error, got Ok"),
        Err(err) => err.code(),
    }
}

/// The spec 6.1 behaviour every row store must have.
fn row_store_contract(store: &dyn RowStore) {
    let first = store.append_row(" OMM ", &json!({"a": 1})).unwrap();
    assert_eq!(first, RowHandle::new("OMM", 1));
    assert_eq!(
        store.append_row("CAT", &Value::Null).unwrap(),
        RowHandle::new("CAT", 1)
    );
    assert_eq!(
        store.append_row("OMM", &json!([1, 2])).unwrap(),
        RowHandle::new("OMM", 2)
    );

    // Failed appends burn no id (the reference's would).
    assert_eq!(
        code(store.append_row("  ", &Value::Null)),
        ErrorCode::RuntimeHostInvalidSchemaId
    );
    let huge = Value::String("x".repeat(MAX_ROW_PAYLOAD_BYTES));
    assert_eq!(
        code(store.append_row("OMM", &huge)),
        ErrorCode::RuntimeHostLimitExceeded
    );
    assert_eq!(store.append_row("OMM", &json!("third")).unwrap().row_id, 3);

    // Resolve: trimmed schema, copies, absent rows.
    let row = store
        .resolve_row(&RowHandle::new("\tOMM", 1))
        .unwrap()
        .unwrap();
    assert_eq!(row.payload, json!({"a": 1}));
    assert_eq!(row.handle, RowHandle::new("OMM", 1));
    assert_eq!(store.resolve_row(&RowHandle::new("OMM", 4)).unwrap(), None);
    assert_eq!(store.resolve_row(&RowHandle::new("NOPE", 1)).unwrap(), None);
    assert_eq!(
        code(store.resolve_row(&RowHandle::new("OMM", 0))),
        ErrorCode::RuntimeHostInvalidRowId
    );
    assert_eq!(
        code(store.resolve_row(&RowHandle::new("OMM", u64::MAX))),
        ErrorCode::RuntimeHostInvalidRowId
    );
    assert_eq!(
        code(store.resolve_row(&RowHandle::new("", 1))),
        ErrorCode::RuntimeHostInvalidSchemaId
    );

    // Global insertion order, filtered by trimmed schema.
    let all: Vec<(String, u64)> = store
        .list_rows(None)
        .unwrap()
        .into_iter()
        .map(|row| (row.handle.schema_file_id, row.handle.row_id))
        .collect();
    assert_eq!(
        all,
        [("OMM", 1), ("CAT", 1), ("OMM", 2), ("OMM", 3)]
            .map(|(s, i)| (s.to_owned(), i))
            .to_vec()
    );
    let omm: Vec<Value> = store
        .list_rows(Some(" OMM"))
        .unwrap()
        .into_iter()
        .map(|row| row.payload)
        .collect();
    assert_eq!(omm, vec![json!({"a": 1}), json!([1, 2]), json!("third")]);
    assert!(store.list_rows(Some("NOPE")).unwrap().is_empty());
    assert_eq!(
        code(store.list_rows(Some(""))),
        ErrorCode::RuntimeHostInvalidSchemaId
    );
    assert_eq!(
        store.list_rows(None).unwrap()[0].to_json(),
        json!({"handle": {"schemaFileId": "OMM", "rowId": 1}, "payload": {"a": 1}})
    );
}

#[test]
fn memory_rows_follow_the_spec() {
    row_store_contract(&MemoryRowStore::new());
}

#[test]
fn sqlite_rows_follow_the_spec() {
    let dir = tempfile::tempdir().unwrap();
    row_store_contract(&SqliteRowStore::open(dir.path().join("rows.db")).unwrap());
}

#[test]
fn payloads_are_deep_copies() {
    let store = MemoryRowStore::new();
    let mut payload = json!({"nested": {"v": 1}});
    let handle = store.append_row("OMM", &payload).unwrap();
    payload["nested"]["v"] = json!(2);
    let mut read = store.resolve_row(&handle).unwrap().unwrap();
    assert_eq!(read.payload["nested"]["v"], json!(1));
    read.payload["nested"]["v"] = json!(3);
    assert_eq!(
        store.resolve_row(&handle).unwrap().unwrap().payload["nested"]["v"],
        json!(1)
    );
}

#[test]
fn row_ids_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.db");
    {
        let host = RuntimeHost::open(&path).unwrap();
        for i in 0..5 {
            host.rows().append_row("OMM", &json!({"i": i})).unwrap();
        }
        host.rows().append_row("CAT", &json!("c")).unwrap();
    }
    let store = SqliteRowStore::open(&path).unwrap();
    assert_eq!(store.list_rows(Some("OMM")).unwrap().len(), 5);
    assert_eq!(
        store
            .resolve_row(&RowHandle::new("OMM", 4))
            .unwrap()
            .unwrap()
            .payload,
        json!({"i": 3})
    );
    assert_eq!(
        store.append_row("OMM", &Value::Null).unwrap(),
        RowHandle::new("OMM", 6)
    );
    assert_eq!(
        store.append_row("CAT", &Value::Null).unwrap(),
        RowHandle::new("CAT", 2)
    );
    let order: Vec<u64> = store
        .list_rows(None)
        .unwrap()
        .iter()
        .map(|row| row.handle.row_id)
        .collect();
    assert_eq!(order, vec![1, 2, 3, 4, 5, 1, 6, 2]);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_with_a_code() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.db");
    std::fs::write(&path, vec![0x5a; 8192]).unwrap();
    assert_eq!(
        code(SqliteRowStore::open(&path)),
        ErrorCode::RuntimeHostStoreFailed
    );
    assert_eq!(
        code(SqliteRowStore::open(dir.path().join("no/such/dir/rows.db"))),
        ErrorCode::RuntimeHostStoreFailed
    );
}

/// 8 threads append to 2 schemas at once: every id is unique per schema, each thread sees its
/// ids increase, and the ids of a schema are exactly 1..=n.
fn concurrent_appends(store: Arc<dyn RowStore>) {
    const THREADS: u64 = 8;
    const PER_THREAD: u64 = 40;
    let threads: Vec<_> = (0..THREADS)
        .map(|thread| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                let schema = if thread % 2 == 0 { "EVEN" } else { "ODD" };
                let mut ids = Vec::new();
                for i in 0..PER_THREAD {
                    let handle = store
                        .append_row(schema, &json!({"thread": thread, "i": i}))
                        .unwrap();
                    ids.push(handle.row_id);
                }
                (schema, ids)
            })
        })
        .collect();
    let mut per_schema: std::collections::HashMap<&str, Vec<u64>> = Default::default();
    for thread in threads {
        let (schema, ids) = thread.join().unwrap();
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "{ids:?}");
        per_schema.entry(schema).or_default().extend(ids);
    }
    for (schema, mut ids) in per_schema {
        ids.sort_unstable();
        let expected: Vec<u64> = (1..=THREADS / 2 * PER_THREAD).collect();
        assert_eq!(ids, expected, "schema {schema}");
        let listed = store.list_rows(Some(schema)).unwrap();
        assert_eq!(listed.len() as u64, THREADS / 2 * PER_THREAD);
        // Per thread, listing order follows the append order.
        for thread in 0..THREADS {
            let mine: Vec<u64> = listed
                .iter()
                .filter(|row| row.payload["thread"] == json!(thread))
                .map(|row| row.payload["i"].as_u64().unwrap())
                .collect();
            assert!(mine.windows(2).all(|pair| pair[0] < pair[1]));
        }
    }
}

#[test]
fn eight_threads_get_unique_increasing_ids_in_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    concurrent_appends(Arc::new(
        SqliteRowStore::open(dir.path().join("rows.db")).unwrap(),
    ));
}

#[test]
fn eight_threads_get_unique_increasing_ids_in_memory() {
    concurrent_appends(Arc::new(MemoryRowStore::new()));
}

const CHILD_DB_ENV: &str = "SDM_RUNTIME_HOST_APPEND_FOREVER_DB";
const KILL_TEST: &str = "a_writer_killed_mid_append_loses_no_committed_row";

/// Parent: runs this same test binary in "append forever" mode, reads the ids it reports as
/// committed, SIGKILLs it, and checks the database kept every one of them.
/// Child (the env var is set): appends forever, printing `committed <id>` after each commit.
#[test]
fn a_writer_killed_mid_append_loses_no_committed_row() {
    if let Some(path) = std::env::var_os(CHILD_DB_ENV) {
        let store = SqliteRowStore::open(&path).unwrap();
        let mut stdout = std::io::stdout().lock();
        for i in 0u64.. {
            let handle = store
                .append_row("OMM", &json!({"i": i, "pad": "p".repeat(512)}))
                .unwrap();
            writeln!(stdout, "committed {}", handle.row_id).unwrap();
            stdout.flush().unwrap();
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", KILL_TEST, "--nocapture", "--test-threads=1"])
        .env(CHILD_DB_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut committed = Vec::new();
    while committed.len() < 150 {
        let line = lines
            .next()
            .expect("the child stopped before committing 150 rows")
            .unwrap();
        // The harness's "test ... " prefix shares the first line (it prints no newline).
        if let Some((_, id)) = line.rsplit_once("committed ") {
            committed.push(id.parse::<u64>().unwrap());
        }
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no rollback, possibly mid-transaction.
    child.wait().unwrap();
    // Whatever it printed before dying was committed too.
    for line in lines {
        let Ok(line) = line else { break };
        // A line cut by the kill has no newline and may be partial: only whole numbers count.
        if let Some(Ok(id)) = line.rsplit_once("committed ").map(|(_, id)| id.parse()) {
            committed.push(id);
        }
    }
    let store = SqliteRowStore::open(&path).unwrap();
    let stored: Vec<u64> = store
        .list_rows(Some("OMM"))
        .unwrap()
        .iter()
        .map(|row| row.handle.row_id)
        .collect();
    let max_stored = stored.len() as u64;
    assert_eq!(stored, (1..=max_stored).collect::<Vec<_>>());
    let max_committed = *committed.iter().max().unwrap();
    assert!(
        max_stored >= max_committed,
        "{max_stored} < {max_committed}"
    );
    assert_eq!(committed, (1..=max_committed).collect::<Vec<_>>());
    assert_eq!(
        store.append_row("OMM", &Value::Null).unwrap().row_id,
        max_stored + 1
    );
}

// ---- regions ------------------------------------------------------------------------------

#[test]
fn owned_regions_pad_grow_shrink_and_validate() {
    let host = RuntimeHost::in_memory().unwrap();
    let regions = host.regions();
    let spec = RegionSpec::new(" orbit ", 4).with_alignment(4);
    let region = regions
        .allocate_region(&spec, &[Some(&[1, 2][..]), None, Some(&[9, 9, 9, 9][..])])
        .unwrap();
    assert_eq!(region.region_id, 1);
    assert_eq!(region.layout_id, "orbit");
    assert_eq!(region.record_count, 3);
    assert_eq!(
        region.to_json(),
        json!({"regionId": 1, "layoutId": "orbit", "recordByteLength": 4, "alignment": 4,
               "recordCount": 3, "external": false})
    );
    let record = |index| regions.resolve_record(1, index).unwrap().map(|r| r.bytes);
    assert_eq!(record(0), Some(vec![1, 2, 0, 0]));
    assert_eq!(record(1), Some(vec![0, 0, 0, 0]));
    assert_eq!(record(2), Some(vec![9, 9, 9, 9]));
    assert_eq!(record(3), None);
    assert_eq!(regions.resolve_record(99, 0).unwrap(), None);
    assert_eq!(
        regions.resolve_record(1, 0).unwrap().unwrap().to_json(),
        json!({"regionId": 1, "recordIndex": 0, "layoutId": "orbit", "recordByteLength": 4,
               "alignment": 4, "byteLength": 4, "bytes": [1, 2, 0, 0]})
    );
    match regions.resolve_record_view(1, 2).unwrap().unwrap() {
        RecordView::Owned(record) => assert_eq!(record.bytes, vec![9, 9, 9, 9]),
        other => panic!("{other:?}"),
    }

    // Shrink truncates; growing appends zero records (the old bytes do not come back).
    assert_eq!(
        regions
            .set_region_record_count(1, 1)
            .unwrap()
            .unwrap()
            .record_count,
        1
    );
    assert_eq!(record(2), None);
    regions.set_region_record_count(1, 4).unwrap();
    assert_eq!(record(0), Some(vec![1, 2, 0, 0]));
    assert_eq!(record(2), Some(vec![0, 0, 0, 0]));
    assert_eq!(record(3), Some(vec![0, 0, 0, 0]));
    assert_eq!(regions.set_region_record_count(42, 1).unwrap(), None);
    assert_eq!(
        code(regions.set_region_record_count(1, u64::MAX)),
        ErrorCode::RuntimeHostLimitExceeded
    );
    assert_eq!(regions.describe_region(1).unwrap().unwrap().record_count, 4);

    // Validation errors, none of which burns a region id.
    let bad = [
        (
            RegionSpec::new("", 4),
            ErrorCode::RuntimeHostInvalidLayoutId,
        ),
        (
            RegionSpec::new("x", 0),
            ErrorCode::RuntimeHostInvalidRecordLength,
        ),
        (
            RegionSpec::new("x", 4).with_alignment(0),
            ErrorCode::RuntimeHostInvalidAlignment,
        ),
        (
            RegionSpec::new("x", 4).with_alignment(3),
            ErrorCode::RuntimeHostInvalidAlignment,
        ),
        (
            RegionSpec::new("x", 4).with_alignment(1 << 16),
            ErrorCode::RuntimeHostInvalidAlignment,
        ),
    ];
    for (spec, expected) in bad {
        assert_eq!(
            code(regions.allocate_region(&spec, &[])),
            expected,
            "{spec:?}"
        );
    }
    assert_eq!(
        code(regions.allocate_region(&RegionSpec::new("x", 2), &[Some(&[1, 2, 3][..])])),
        ErrorCode::RuntimeHostRecordTooLong
    );
    let next = regions
        .allocate_region(&RegionSpec::new("x", 2), &[])
        .unwrap();
    assert_eq!((next.region_id, next.record_count), (2, 0));
    assert_eq!(regions.resolve_record(2, 0).unwrap(), None);
    assert_eq!(regions.describe_region(0).unwrap(), None);
    assert_eq!(regions.list_regions().unwrap().len(), 2);
}

/// An external source that counts its records and whose views try to override identity fields.
struct Telemetry {
    count: AtomicU64,
    fail: bool,
}

impl ExternalRegionSource for Telemetry {
    fn counts_records(&self) -> bool {
        true
    }

    fn record_count(&self) -> space_data_module::Result<u64> {
        if self.fail {
            return Err(Error::new(ErrorCode::Internal, "sensor offline"));
        }
        Ok(self.count.load(Ordering::SeqCst))
    }

    fn record_view(
        &self,
        query: &RecordIdentity,
    ) -> space_data_module::Result<Option<Map<String, Value>>> {
        if query.record_index == 1 {
            return Ok(None);
        }
        let mut view = Map::new();
        view.insert("byteOffset".into(), json!(query.record_index * 16));
        view.insert("elementType".into(), json!("f32"));
        view.insert("regionId".into(), json!(999));
        view.insert("layoutId".into(), json!("spoofed"));
        Ok(Some(view))
    }
}

/// A source that lets the store keep the count and has no views.
struct Plain;
impl ExternalRegionSource for Plain {}

#[test]
fn external_regions_count_externally_and_cannot_spoof_identity() {
    let host = RuntimeHost::in_memory().unwrap();
    let regions = host.regions();
    let source = Arc::new(Telemetry {
        count: AtomicU64::new(2),
        fail: false,
    });
    let spec = RegionSpec::new("telemetry", 16).with_alignment(16);
    let region = regions
        .register_external_region(&spec, 0, source.clone())
        .unwrap();
    assert_eq!(
        (region.region_id, region.record_count, region.external),
        (1, 2, true)
    );
    source.count.store(5, Ordering::SeqCst);
    assert_eq!(regions.describe_region(1).unwrap().unwrap().record_count, 5);
    assert_eq!(
        code(regions.set_region_record_count(1, 3)),
        ErrorCode::RuntimeHostRegionExternallyCounted
    );
    // External regions hold no bytes.
    assert_eq!(regions.resolve_record(1, 0).unwrap(), None);
    let view = regions.resolve_record_view(1, 2).unwrap().unwrap();
    assert_eq!(view.identity().region_id, 1);
    let json = view.to_json();
    assert_eq!(json["regionId"], json!(1));
    assert_eq!(json["layoutId"], json!("telemetry"));
    assert_eq!(json["recordIndex"], json!(2));
    assert_eq!(json["byteOffset"], json!(32));
    assert_eq!(json["elementType"], json!("f32"));
    assert_eq!(regions.resolve_record_view(1, 1).unwrap(), None); // the source has no view
    assert_eq!(regions.resolve_record_view(1, 5).unwrap(), None); // past the count

    // A source that fails: no id is burned by the failed registration.
    let failing = Arc::new(Telemetry {
        count: AtomicU64::new(0),
        fail: true,
    });
    assert_eq!(
        code(regions.register_external_region(&spec, 0, failing)),
        ErrorCode::RuntimeHostExternalRegionFailed
    );
    // A store-counted external region: its count is settable, and it has no views.
    let plain = regions
        .register_external_region(&RegionSpec::new("plain", 8), 3, Arc::new(Plain))
        .unwrap();
    assert_eq!((plain.region_id, plain.record_count), (2, 3));
    assert_eq!(
        regions
            .set_region_record_count(2, 7)
            .unwrap()
            .unwrap()
            .record_count,
        7
    );
    assert_eq!(regions.resolve_record_view(2, 0).unwrap(), None);
    assert_eq!(
        code(regions.register_external_region(
            &RegionSpec::new("x", 8).with_alignment(6),
            0,
            Arc::new(Plain)
        )),
        ErrorCode::RuntimeHostInvalidAlignment
    );
}

// ---- module registry ----------------------------------------------------------------------

/// A direct-mode guest that answers every request with the fixed response vector
/// `ok-one-output.response.fb`, or echoes the request bytes when `echo` is set.
fn direct_guest(echo: bool) -> Vec<u8> {
    let response = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/invoke/ok-one-output.response.fb"
    ))
    .unwrap();
    let data: String = response.iter().map(|b| format!("\\{b:02x}")).collect();
    let body = if echo {
        "(memory.copy (i32.const 65536) (local.get $req) (local.get $len))
         (i32.store (local.get $out) (local.get $len)) (i32.const 65536)"
            .to_owned()
    } else {
        format!(
            "(i32.store (local.get $out) (i32.const {})) (i32.const 32768)",
            response.len()
        )
    };
    wat::parse_str(format!(
        r#"(module
  (memory (export "memory") 4)
  (global $next (mut i32) (i32.const 1024))
  (func (export "plugin_alloc") (param $size i32) (result i32)
    (local $ptr i32)
    (local.set $ptr (global.get $next))
    (global.set $next (i32.and (i32.add (i32.add (local.get $ptr) (local.get $size)) (i32.const 15)) (i32.const -16)))
    (local.get $ptr))
  (func (export "plugin_free") (param i32 i32))
  (func (export "plugin_invoke_stream") (param $req i32) (param $len i32) (param $out i32) (result i32)
    {body})
  (data (i32.const 32768) "{data}"))"#
    ))
    .unwrap()
}

#[test]
fn modules_install_load_invoke_unload_and_reinstall() {
    let host = RuntimeHost::in_memory().unwrap();
    let modules = host.modules();
    let fixed = direct_guest(false);
    let echo = direct_guest(true);
    let fixed_hash = module_hash(&fixed).unwrap();
    let echo_hash = module_hash(&echo).unwrap();

    let record = modules
        .install(" fixed ", &unsigned(&fixed), &json!({"owner": "ops"}))
        .unwrap();
    assert_eq!(record.module_id, "fixed");
    assert_eq!(record.hash, fixed_hash);
    assert_eq!((record.version, record.loaded), (1, false));
    assert_eq!(record.to_json()["moduleHashHex"], json!(hex(&fixed_hash)));
    modules
        .install("echo", &unsigned(&echo), &Value::Null)
        .unwrap();
    assert_eq!(
        code(modules.install("fixed", &unsigned(&echo), &Value::Null)),
        ErrorCode::RuntimeHostModuleExists
    );
    assert_eq!(
        code(modules.install(" ", &unsigned(&echo), &Value::Null)),
        ErrorCode::RuntimeHostInvalidModuleId
    );
    // Bytes that are not wasm never become a verified module, so they cannot be installed.
    assert_eq!(
        VerifiedModule::allow_unsigned(b"not wasm")
            .unwrap_err()
            .code(),
        ErrorCode::WasmInvalid
    );

    // Installed but not loaded; unknown.
    let request = InvokeRequest::build("echo", []).unwrap();
    let fixed_ref = ModuleRef::from("fixed");
    assert_eq!(
        code(modules.invoke(&fixed_ref, &request)),
        ErrorCode::RuntimeHostModuleNotLoaded
    );
    assert_eq!(
        code(modules.invoke(&ModuleRef::from("ghost"), &request)),
        ErrorCode::RuntimeHostModuleUnknown
    );
    assert_eq!(
        code(modules.invoke(&ModuleRef::Hash([7; 32]), &request)),
        ErrorCode::RuntimeHostModuleUnknown
    );

    // Load and invoke by id and by hash.
    assert!(modules.load(&fixed_ref).unwrap().loaded);
    let response = modules.invoke(&fixed_ref, &request).unwrap();
    assert_eq!(response.status_code, 0);
    assert_eq!(response.output_frames.len(), 1);
    let by_hash = ModuleRef::from_hash_hex(&hex(&fixed_hash)).unwrap();
    assert_eq!(modules.invoke(&by_hash, &request).unwrap(), response);
    modules.load(&ModuleRef::Hash(echo_hash)).unwrap();
    let payload = b"hello region".as_slice();
    let echo_request = invoke::encode_request(
        &InvokeRequest::build("echo", [(FrameSpec::new("in", None), payload)]).unwrap(),
    )
    .unwrap();
    assert_eq!(
        modules
            .invoke_bytes(&ModuleRef::from("echo"), &echo_request)
            .unwrap(),
        echo_request
    );

    // Lookup by hash; list in install order.
    assert_eq!(modules.lookup_hash(&fixed_hash).len(), 1);
    assert_eq!(
        modules
            .lookup(&ModuleRef::Hash(echo_hash))
            .unwrap()
            .unwrap()
            .module_id,
        "echo"
    );
    assert_eq!(modules.lookup(&ModuleRef::from("ghost")).unwrap(), None);
    let ids: Vec<String> = modules.list().into_iter().map(|m| m.module_id).collect();
    assert_eq!(ids, ["fixed", "echo"]);

    // Unload: still installed, invoking is a stable error.
    assert!(modules.unload(&fixed_ref).unwrap());
    assert!(!modules.unload(&fixed_ref).unwrap());
    assert_eq!(
        code(modules.invoke(&fixed_ref, &request)),
        ErrorCode::RuntimeHostModuleNotLoaded
    );
    assert_eq!(
        code(modules.invoke(&by_hash, &request)),
        ErrorCode::RuntimeHostModuleNotLoaded
    );
    assert_eq!(
        code(modules.unload(&ModuleRef::from("ghost"))),
        ErrorCode::RuntimeHostModuleUnknown
    );

    // Reinstall replaces explicitly, returns the previous record, keeps the position, and
    // needs a new load.
    modules.load(&fixed_ref).unwrap();
    let previous = modules
        .reinstall("fixed", &unsigned(&echo), &json!({"v": 2}))
        .unwrap();
    assert_eq!(
        (previous.hash, previous.version, previous.loaded),
        (fixed_hash, 1, true)
    );
    assert_eq!(previous.metadata, json!({"owner": "ops"}));
    let now = modules.lookup(&fixed_ref).unwrap().unwrap();
    assert_eq!((now.hash, now.version, now.loaded), (echo_hash, 2, false));
    assert_eq!(
        code(modules.invoke(&fixed_ref, &request)),
        ErrorCode::RuntimeHostModuleNotLoaded
    );
    modules.load(&fixed_ref).unwrap();
    assert_eq!(
        modules.invoke_bytes(&fixed_ref, &echo_request).unwrap(),
        echo_request
    );
    assert_eq!(modules.lookup_hash(&echo_hash).len(), 2);
    assert!(modules.lookup_hash(&fixed_hash).is_empty());
    let ids: Vec<String> = modules.list().into_iter().map(|m| m.module_id).collect();
    assert_eq!(ids, ["fixed", "echo"]);
    assert_eq!(
        code(modules.reinstall("ghost", &unsigned(&echo), &Value::Null)),
        ErrorCode::RuntimeHostModuleUnknown
    );

    // Uninstall.
    assert_eq!(
        modules.uninstall("echo").unwrap().unwrap().module_id,
        "echo"
    );
    assert_eq!(modules.uninstall("echo").unwrap(), None);
    assert_eq!(
        code(modules.invoke_bytes(&ModuleRef::from("echo"), &echo_request)),
        ErrorCode::RuntimeHostModuleUnknown
    );
}

#[test]
fn protected_artifacts_and_oversized_metadata_are_refused() {
    let host = RuntimeHost::in_memory().unwrap();
    let wasm = direct_guest(true);
    let artifact = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/publication/cases/signed-only/artifact.wasm"
    ))
    .unwrap();
    // A protected artifact only becomes installable through the loader: without a trusted
    // signer the explicit allow-unsigned path still refuses its signature.
    assert_eq!(
        VerifiedModule::allow_unsigned(&artifact)
            .unwrap_err()
            .code(),
        ErrorCode::SignatureInvalid
    );
    let big = Value::String("m".repeat(space_data_module::runtime_host::MAX_METADATA_BYTES));
    assert_eq!(
        code(host.modules().install("big", &unsigned(&wasm), &big)),
        ErrorCode::RuntimeHostLimitExceeded
    );
    assert!(host.modules().list().is_empty());
}

#[test]
fn the_compiled_invoke_echo_example_runs_through_the_registry() {
    use space_data_module::compiler::{self, CompileOptions, Toolchain};
    let toolchain = match Toolchain::detect() {
        Ok(toolchain) => toolchain,
        Err(err) => {
            eprintln!("skipped: no wasm32-wasi C toolchain ({err})");
            return;
        }
    };
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(format!("{root}/examples/invoke-echo/manifest.direct.json")).unwrap(),
    )
    .unwrap();
    let manifest_bytes = std::fs::read(format!(
        "{root}/vectors/manifests/invoke-echo.manifest.direct.fb"
    ))
    .unwrap();
    let source = std::fs::read_to_string(format!("{root}/examples/invoke-echo/module.c")).unwrap();
    let compiled = compiler::compile(
        &toolchain,
        &CompileOptions {
            manifest: &manifest,
            manifest_bytes: &manifest_bytes,
            source: &source,
            language: "c",
            allow_undefined_imports: false,
        },
    )
    .unwrap();
    let runtime = Arc::new(Runtime::new(RuntimeConfig::default()).unwrap());
    let host = RuntimeHost::with_parts(Arc::new(MemoryRowStore::new()), runtime, Limits::default());
    host.modules()
        .install("invoke-echo", &unsigned(&compiled.wasm), &manifest)
        .unwrap();
    let module = ModuleRef::from("invoke-echo");
    host.modules().load(&module).unwrap();
    let payload = b"orbit state".as_slice();
    let request = InvokeRequest::build("echo", [(FrameSpec::new("echo", None), payload)]).unwrap();
    let response = host.modules().invoke(&module, &request).unwrap();
    assert_eq!(response.status_code, 0);
    assert_eq!(response.payload(0).unwrap(), payload);
    // The front-end form: the call's frames in, the mode that ran out.
    let invoked = space_data_module::api::invoke::invoke_installed(
        &host,
        &module,
        "echo",
        &[("echo".to_owned(), payload)],
    )
    .unwrap();
    assert_eq!(invoked.mode, space_data_module::runtime::InvokeMode::Direct);
    assert_eq!(invoked.payload(0), payload);
    assert_eq!(invoked.result().outputs[0].port_id.as_deref(), Some("echo"));
    let unknown = InvokeRequest::build("no-such-method", []).unwrap();
    assert_eq!(
        host.modules()
            .invoke(&module, &unknown)
            .unwrap()
            .status_code,
        404
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Plain wasm through the loader's explicit allow-unsigned path (the registry takes only
/// verified modules).
fn unsigned(wasm: &[u8]) -> VerifiedModule {
    VerifiedModule::allow_unsigned(wasm).expect("valid wasm")
}
